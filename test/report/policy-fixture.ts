/**
 * A report at a known operating policy, for the page-level tests: the synthetic demo report with
 * its top-10% point recorded as the policy (`task.policy`, `atPolicy`, `data.testRows`), as the run
 * records it. Only fields the run writes are added; nothing is computed here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, ModelResult } from '../../src/lib/bundle/schema.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const loadFixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(here, '../fixtures/bundles', name), 'utf8'));

/** The whole table had 8,000 rows; the test side 2,399 over 12 months. */
export function reportAtTop10(): Bundle {
  const b = loadFixture('synthetic-models.json');
  const testRows = 2399;
  const atPolicy = (r: ModelResult) => ({ ...r.topK });
  return {
    ...b,
    data: { ...b.data, rows: 8000, testRows },
    task: {
      ...b.task,
      policy: { policy: { kind: 'topPct', topPct: 10 }, words: 'flag the top 10% of cases by score', testRows, testMonths: 12, nTarget: 240, topPct: 10 },
    },
    results: b.results.map((r) => ({ ...r, atPolicy: atPolicy(r), subgroups: r.subgroups.map((s) => ({ ...s, atPolicy: { ...s.topK } })) })),
  } as Bundle;
}
