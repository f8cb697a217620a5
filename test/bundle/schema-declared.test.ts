/**
 * The report type is closed, and docs/bundle.schema.json declares every field a run writes: each
 * key of the reports the real pipeline made (the demo fixtures) and of the shareable bundles made
 * from them is found in the JSON Schema (as a named property, or inside a declared map), so a new
 * field cannot reach a local report or a shared file without being declared and reviewed here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { validateBundle } from '../../src/lib/bundle/validate.ts';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

const root = JSON.parse(readFileSync('docs/bundle.schema.json', 'utf8')) as Schema & { $defs: Record<string, Schema> };
const resolve = (s: Schema): Schema => (s.$ref ? resolve(root.$defs[s.$ref.replace('#/$defs/', '')]) : s);

/** JSON paths of the keys in `value` that the schema `s` does not declare. */
function undeclared(value: unknown, s: Schema | undefined, path: string, out: Set<string>): Set<string> {
  if (!s) return out;
  const here = resolve(s);
  const options = [here, ...[...(here.anyOf ?? []), ...(here.oneOf ?? []), ...(here.allOf ?? [])].map(resolve)];
  if (Array.isArray(value)) {
    const items = options.find((o) => o.items)?.items;
    value.forEach((x) => undeclared(x, items, `${path}[]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, x] of Object.entries(value)) {
      const named = options.find((o) => o.properties && Object.hasOwn(o.properties, k));
      const map = options.find((o) => typeof o.additionalProperties === 'object');
      if (named) undeclared(x, named.properties![k], `${path}.${k}`, out);
      else if (map) undeclared(x, map.additionalProperties as Schema, `${path}.*`, out);
      else out.add(`${path}.${k}`);
    }
  }
  return out;
}

function fixtureReports(): [string, Bundle][] {
  const read = (f: string) => JSON.parse(readFileSync(`test/fixtures/bundles/${f}`, 'utf8')) as unknown;
  const workshop = read('workshop-presets.json') as Record<string, Bundle>;
  return [
    ['compas-audit', read('compas-audit.json') as Bundle],
    ['synthetic-models', read('synthetic-models.json') as Bundle],
    ...Object.entries(workshop).map(([k, b]): [string, Bundle] => [`workshop ${k}`, b]),
  ];
}

describe('every field a run writes is declared in docs/bundle.schema.json', () => {
  for (const [name, report] of fixtureReports()) {
    it(`the local report ${name}`, () => {
      expect([...undeclared(report, root, '$', new Set())]).toEqual([]);
      expect(validateBundle(report).ok).toBe(true);
    });
    it(`the shareable bundle made from ${name}`, () => {
      const shared = shareableBundle(report);
      expect([...undeclared(shared, root, '$', new Set())]).toEqual([]);
      expect(validateBundle(shared).ok).toBe(true);
    });
  }

  it('a field the schema does not name is caught', () => {
    const [, report] = fixtureReports()[0];
    const extra = { ...report, results: report.results.map((r) => ({ ...r, secretCounts: [1, 2] })) };
    expect([...undeclared(extra, root, '$', new Set())]).toEqual(['$.results[].secretCounts']);
  });
});
