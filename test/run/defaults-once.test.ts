/**
 * Defaults are defined once (src/lib/run/defaults.ts): the app's Question page starts from them,
 * the report falls back on them, and no other source file writes the tolerance band, the test
 * fraction or the bootstrap settings out again (they once differed: 25% in the app, 30% in the CLI).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTION } from '../../src/lib/project/config.ts';
import { DEFAULT_FOLDS, DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_TEST_FRACTION, DEFAULT_TOLERANCE } from '../../src/lib/run/defaults.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|svelte)$/.test(f) ? [p] : [];
  });
}

describe('run defaults, defined once', () => {
  it('the Question page starts from the run defaults', () => {
    expect(DEFAULT_QUESTION.tolerance).toEqual(DEFAULT_TOLERANCE);
    expect(DEFAULT_QUESTION.testFraction).toBe(DEFAULT_TEST_FRACTION);
    expect(DEFAULT_QUESTION.folds).toBe(DEFAULT_FOLDS);
    expect(DEFAULT_QUESTION.replicates).toBe(DEFAULT_REPLICATES);
    expect(DEFAULT_QUESTION.seed).toBe(DEFAULT_SEED);
  });

  it('no other source writes the tolerance band out as literals', () => {
    const offenders = [...sources('src'), ...sources('workers')].filter((p) => {
      const text = readFileSync(p, 'utf8');
      return /lower:\s*0\.8\b/.test(text) || /upper:\s*1\.25\b/.test(text) || /\b0\.8\s*,\s*1\.25\b/.test(text);
    });
    expect(offenders.map((p) => p.replace(/\\/g, '/'))).toEqual(['src/lib/fairness/power.ts']);
  });
});
