import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaIssues, validateBundle, BUNDLE_JSON_SCHEMA, SUPPORTED_KEYWORDS, type JsonSchema } from '../../src/lib/bundle/validate.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { exampleBundle } from './make-bundle.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('schemaIssues (the supported subset)', () => {
  it('checks type, with integer a kind of number', () => {
    expect(schemaIssues(3, { type: 'number' })).toEqual([]);
    expect(schemaIssues(3.5, { type: 'integer' })).toEqual([{ path: '', message: 'expected integer, found number' }]);
    expect(schemaIssues(null, { type: ['integer', 'null'] })).toEqual([]);
  });
  it('checks required, properties and additionalProperties with JSON Pointer paths', () => {
    const s: JsonSchema = { type: 'object', required: ['a'], properties: { a: { type: 'array', items: { minimum: 0 } } }, additionalProperties: { enum: ['x'] } };
    expect(schemaIssues({ b: 'x' }, s)).toEqual([{ path: '', message: "missing required field 'a'" }]);
    expect(schemaIssues({ a: [1, -2], 'c/d': 'y' }, s)).toEqual([
      { path: '/a/1', message: '-2 is below the minimum 0' },
      { path: '/c~1d', message: 'expected one of "x", found "y"' },
    ]);
  });
  it('resolves local $ref, allOf and anyOf', () => {
    const s: JsonSchema = { $defs: { pos: { minimum: 0 } }, anyOf: [{ type: 'null' }, { allOf: [{ $ref: '#/$defs/pos' }, { maximum: 1 }] }] };
    expect(schemaIssues(null, s)).toEqual([]);
    expect(schemaIssues(0.5, s)).toEqual([]);
    expect(schemaIssues(2, s)).toEqual([{ path: '', message: '2 is above the maximum 1' }]);
  });
  it('checks const, pattern and minLength', () => {
    expect(schemaIssues('candour.bundle/2', { const: 'candour.bundle/1' })[0].message).toBe('expected "candour.bundle/1"');
    expect(schemaIssues('ABC', { pattern: '^[0-9a-f]+$' })[0].message).toBe('does not match ^[0-9a-f]+$');
    expect(schemaIssues('', { minLength: 1 })).toHaveLength(1);
  });
});

describe('docs/bundle.schema.json', () => {
  it('is the schema the validator uses', () => {
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'docs/bundle.schema.json'), 'utf8'))).toEqual(BUNDLE_JSON_SCHEMA);
  });
  it('uses only keywords the validator supports', () => {
    const unknown = new Set<string>();
    const walk = (s: unknown, inMap: boolean) => {
      if (!s || typeof s !== 'object') return;
      if (Array.isArray(s)) return s.forEach((x) => walk(x, false));
      for (const [k, v] of Object.entries(s)) {
        if (inMap) { walk(v, false); continue; }
        if (!(SUPPORTED_KEYWORDS as readonly string[]).includes(k)) unknown.add(k);
        if (k === 'enum' || k === 'const') continue;
        walk(v, k === 'properties' || k === '$defs');
      }
    };
    walk(BUNDLE_JSON_SCHEMA, false);
    expect([...unknown]).toEqual([]);
  });
  it('accepts a local report and a shareable bundle', () => {
    expect(schemaIssues(exampleBundle(), BUNDLE_JSON_SCHEMA)).toEqual([]);
    expect(schemaIssues(JSON.parse(JSON.stringify(shareableBundle(exampleBundle()))), BUNDLE_JSON_SCHEMA)).toEqual([]);
  });
  it('rejects a bundle with a negative count, naming where', () => {
    const b = exampleBundle();
    b.results[2].subgroups[3].atThreshold.tp = -1;
    const r = validateBundle(b, 'council.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bundle-invalid');
      expect(r.error.file).toBe('council.json');
      expect(r.error.message).toContain('/results/2/subgroups/3/atThreshold/tp');
    }
  });
  it('rejects a missing field, a wrong type, a bad enum and a rate above 1', () => {
    const cases: [(b: Record<string, any>) => void, string][] = [
      [(b) => delete b.results, "missing required field 'results'"],
      [(b) => (b.data.rows = '1500'), '/data/rows'],
      [(b) => (b.results[0].model = 'xgboost'), '/results/0/model'],
      [(b) => (b.results[0].atThreshold.precision = 1.5), '/results/0/atThreshold/precision'],
      [(b) => (b.results[0].topK.nTarget = undefined), "missing required field 'nTarget'"],
      [(b) => (b.schema = 'something-else'), '/schema'],
    ];
    for (const [mutate, expected] of cases) {
      const b = JSON.parse(JSON.stringify(exampleBundle()));
      mutate(b);
      const r = validateBundle(b);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(expected);
    }
  });
  it('accepts added keys (keys may be added, never renamed)', () => {
    const b = exampleBundle() as unknown as Record<string, unknown>;
    b.somethingNew = { x: 1 };
    expect(validateBundle(b).ok).toBe(true);
  });
});
