/**
 * The fixed report the page-level tests read: the synthetic demo report as the real pipeline
 * made it (test/fixtures/bundles/make.ts, runEvaluation), at its recorded policy, the top 10%.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '../../src/lib/bundle/schema.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const loadFixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(here, '../fixtures/bundles', name), 'utf8'));

/** The demo report; it must be at the top 10%, with a test side smaller than the table. */
export function reportAtTop10(): Bundle {
  const b = loadFixture('synthetic-models.json');
  const p = b.task.policy?.policy;
  if (p?.kind !== 'topPct' || p.topPct !== 10 || !(b.data.testRows! < b.data.rows!)) throw new Error('the demo report is no longer at the top 10% with a test side: regenerate the fixture or adjust the tests');
  return b;
}
