/**
 * Real data against a published table: ProPublica's COMPAS analysis (../shared/data/README.md).
 * At "Medium/High" (decile_score >= 5) against two_year_recid: false positive rate 44.85% for
 * African-American vs 23.45% for Caucasian defendants, false negative rate 27.99% vs 47.72%.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import golden from '../golden/metrics.json';
import { averagePrecision, rocAuc } from '../../src/lib/evaluate/metrics.ts';
import { confusionAt, confusionAtTopK } from '../../src/lib/evaluate/operating-point.ts';
import { evaluateScores } from '../../src/lib/evaluate/evaluate-scores.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.resolve(repoRoot, '../shared/data/compas/compas_all.csv');

function load(): { race: string[]; labels: Uint8Array; scores: Float64Array } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const [ri, yi, si] = ['race', 'two_year_recid', 'decile_score'].map((c) => header.indexOf(c));
  const rows = lines.slice(1).map((l) => l.split(','));
  return { race: rows.map((r) => r[ri]), labels: Uint8Array.from(rows, (r) => Number(r[yi])), scores: Float64Array.from(rows, (r) => Number(r[si])) };
}

interface CompasGroup { race: string; n: number; averagePrecision: number; rocAuc: number | null; atThreshold5: Record<string, number>; topK: Record<string, number>[] }
const groups = (golden as unknown as { compas: { groups: CompasGroup[] } }).compas.groups;

describe.skipIf(!existsSync(file))('COMPAS (ProPublica)', () => {
  const data = existsSync(file) ? load() : null;
  const subset = (race: string) => {
    const idx = data!.race.flatMap((r, i) => (race === 'all' || r === race ? [i] : []));
    return { labels: Uint8Array.from(idx, (i) => data!.labels[i]), scores: Float64Array.from(idx, (i) => data!.scores[i]) };
  };

  it("reproduces ProPublica's counts and error rates by race at decile >= 5", () => {
    const aa = confusionAt(subset('African-American').labels, subset('African-American').scores, 5);
    const ca = confusionAt(subset('Caucasian').labels, subset('Caucasian').scores, 5);
    expect([aa.tp, aa.fp, aa.fn, aa.tn]).toEqual([1369, 805, 532, 990]);
    expect([ca.tp, ca.fp, ca.fn, ca.tn]).toEqual([505, 349, 461, 1139]);
    expect((aa.fpr! * 100).toFixed(2)).toBe('44.85');
    expect((ca.fpr! * 100).toFixed(2)).toBe('23.45');
    expect((aa.fnr! * 100).toFixed(2)).toBe('27.99');
    expect((ca.fnr! * 100).toFixed(2)).toBe('47.72');
  });

  it('matches scikit-learn on AP, AUC and counts, overall and in every group', () => {
    expect(groups.length).toBeGreaterThan(5);
    for (const g of groups) {
      const { labels, scores } = subset(g.race);
      expect(labels.length).toBe(g.n);
      expect(Math.abs(averagePrecision(labels, scores)! - g.averagePrecision)).toBeLessThan(1e-12);
      if (g.rocAuc === null || typeof g.rocAuc === 'object') expect(rocAuc(labels, scores)).toBeNull();
      else expect(Math.abs(rocAuc(labels, scores)! - g.rocAuc)).toBeLessThan(1e-12);
      const op = confusionAt(labels, scores, 5);
      expect({ tp: op.tp, fp: op.fp, fn: op.fn, tn: op.tn }).toEqual(g.atThreshold5);
      for (const ref of g.topK) {
        const t = confusionAtTopK(labels, scores, ref.topPct);
        expect({ tp: t.tp, fp: t.fp, fn: t.fn, tn: t.tn, topPct: t.topPct, nTarget: t.nTarget, threshold: t.threshold }).toEqual(ref);
      }
    }
  });

  it('puts a decile score through the whole evaluation (no probabilities: Brier null)', () => {
    const ev = evaluateScores(data!.labels, data!.scores, { threshold: 5, replicates: 200 });
    expect(groups[0].race).toBe('all');
    expect(ev.atThreshold).toMatchObject(groups[0].atThreshold5);
    expect(ev.metrics.brier.value).toBeNull();
    const auc = ev.metrics.rocAuc;
    expect(auc.lo!).toBeLessThan(auc.value!);
    expect(auc.hi!).toBeGreaterThan(auc.value!);
  });
});
