import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationBinsWithIntervals, calibrationFit, decisionCurve, usefulRange } from '../../src/lib/evaluate/decision-curve.ts';
import { subgroupAudit } from '../../src/lib/fairness/audit.ts';
import { evaluateScores } from '../../src/lib/evaluate/evaluate-scores.ts';

interface Subset { netBenefit: number[]; flagAll: number[]; slope: [number, number, number]; intercept: [number, number, number] }
const golden: { labels: number[]; scores: number[]; group: string[]; thresholds: number[]; subsets: Record<string, Subset> } =
  JSON.parse(readFileSync(path.join(__dirname, '../golden/decision.json'), 'utf8'));
const labels = Uint8Array.from(golden.labels);
const scores = Float64Array.from(golden.scores);

function subset(name: string) {
  const idx = golden.group.flatMap((g, i) => (name === 'all' || g === name ? [i] : []));
  return { y: Uint8Array.from(idx, (i) => labels[i]), s: Float64Array.from(idx, (i) => scores[i]) };
}

describe('decision curve and calibration against statsmodels / numpy', () => {
  for (const name of ['all', 'A', 'B']) {
    it(`net benefit and calibration intercept/slope: ${name}`, () => {
      const { y, s } = subset(name);
      const g = golden.subsets[name];
      const c = decisionCurve(y, s)!;
      expect(c.thresholds).toEqual(golden.thresholds);
      c.model.forEach((v, k) => expect(v).toBeCloseTo(g.netBenefit[k], 12));
      c.all.forEach((v, k) => expect(v).toBeCloseTo(g.flagAll[k], 12));
      const fit = calibrationFit(y, s)!;
      expect([fit.slope.value, fit.slope.lo, fit.slope.hi].map((v) => Number(v!.toFixed(6)))).toEqual(g.slope.map((v) => Number(v.toFixed(6))));
      expect([fit.intercept.value, fit.intercept.lo, fit.intercept.hi].map((v) => Number(v!.toFixed(6)))).toEqual(g.intercept.map((v) => Number(v.toFixed(6))));
      expect(fit.slope.method).toBe('logistic-wald');
    });
  }
  it('the audit reports each group\'s calibration and net benefit, and the overall evaluation its own', () => {
    const res = subgroupAudit(labels, scores, [{ attribute: 'g', values: golden.group }], { threshold: 0.2, replicates: 20 });
    const b = res.find((r) => r.group === 'B')!;
    expect(b.calibrationFit!.intercept.value).toBeCloseTo(golden.subsets.B.intercept[0], 6);
    expect(b.decisionCurve!.model[9]).toBeCloseTo(golden.subsets.B.netBenefit[9], 12);
    expect(b.calibrationCurve!.every((bin) => bin.observedInterval!.lo! <= bin.observed! && bin.observed! <= bin.observedInterval!.hi!)).toBe(true);
    const ev = evaluateScores(labels, scores, { replicates: 20 });
    expect(ev.calibrationFit!.slope.value).toBeCloseTo(golden.subsets.all.slope[0], 6);
    expect(ev.decisionCurve!.model[4]).toBeCloseTo(golden.subsets.all.netBenefit[4], 12);
  });
});

describe('decision curve by hand', () => {
  it('four cases: net benefit at 25% and 50%', () => {
    // Scores 0.9 (yes), 0.6 (no), 0.3 (yes), 0.1 (no).
    const c = decisionCurve(Uint8Array.from([1, 0, 1, 0]), Float64Array.from([0.9, 0.6, 0.3, 0.1]), [0.25, 0.5])!;
    // At 25%: flags 0.9, 0.6, 0.3 -> TP 2, FP 1: 2/4 − 1/4 · 1/3. At 50%: TP 1, FP 1: 1/4 − 1/4 · 1.
    expect(c.model[0]).toBeCloseTo(0.5 - 1 / 12, 15);
    expect(c.model[1]).toBeCloseTo(0, 15);
    expect(c.all).toEqual([0.5 - 0.5 / 3, 0]);
    expect(usefulRange(c)).toEqual({ from: 0.25, to: 0.25 });
  });
  it('no curve for scores that are not probabilities or no cases; too few for a calibration interval', () => {
    expect(decisionCurve(Uint8Array.from([1, 0]), Float64Array.from([3, 1]))).toBeNull();
    expect(decisionCurve(new Uint8Array(0), new Float64Array(0))).toBeNull();
    const small = calibrationFit(Uint8Array.from([1, 0, 1, 0, 0]), Float64Array.from([0.8, 0.3, 0.4, 0.6, 0.1]))!;
    expect(small.slope).toMatchObject({ lo: null, hi: null, tooFew: true });
    expect(calibrationBinsWithIntervals(Uint8Array.from([1, 0]), Float64Array.from([0.5, 2]))).toBeNull();
  });
});
