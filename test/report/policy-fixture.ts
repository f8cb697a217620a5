/**
 * A report at a known operating policy, for the page-level tests: the synthetic demo report, made
 * by the real run at the top 10% (test/fixtures/bundles/make.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '../../src/lib/bundle/schema.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const loadFixture = (name: string): Bundle => JSON.parse(readFileSync(path.join(here, '../fixtures/bundles', name), 'utf8'));

/** The synthetic demo report: a real run at the top 10% (it records `task.policy`, `atPolicy` and `data.testRows` itself). */
export function reportAtTop10(): Bundle {
  return loadFixture('synthetic-models.json');
}
