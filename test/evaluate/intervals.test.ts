import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  betaQuantile, bootstrapShape, clopperPearson, incompleteBeta, katzLogRatio, rankingEstimate, rateEstimate, wilson,
} from '../../src/lib/evaluate/intervals.ts';
import { subgroupAudit } from '../../src/lib/fairness/audit.ts';
import { rng } from '../../src/lib/random.ts';

interface Golden {
  proportions: { x: number; n: number; clopperPearson: [number, number]; wilson: [number, number] }[];
  ratios: { x1: number; d1: number; x2: number; d2: number; katz: [number, number] }[];
}
const golden: Golden = JSON.parse(readFileSync(path.join(__dirname, '../golden/intervals.json'), 'utf8'));

describe('closed-form intervals against statsmodels', () => {
  for (const c of golden.proportions) {
    it(`Clopper-Pearson and Wilson for ${c.x} of ${c.n}`, () => {
      const cp = clopperPearson(c.x, c.n);
      expect(cp.lo).toBeCloseTo(c.clopperPearson[0], 10);
      expect(cp.hi).toBeCloseTo(c.clopperPearson[1], 10);
      const w = wilson(c.x, c.n);
      expect(w.lo).toBeCloseTo(c.wilson[0], 10);
      expect(w.hi).toBeCloseTo(c.wilson[1], 10);
    });
  }
  for (const c of golden.ratios) {
    it(`Katz log interval for ${c.x1}/${c.d1} against ${c.x2}/${c.d2}`, () => {
      const k = katzLogRatio(c.x1, c.d1, c.x2, c.d2);
      expect(k.lo).toBeCloseTo(c.katz[0], 10);
      expect(k.hi).toBeCloseTo(c.katz[1], 10);
    });
  }
});

describe('interval helpers', () => {
  it('incomplete beta: I_x(1, 1) = x and I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.2, 3, 5)).toBeCloseTo(1 - incompleteBeta(0.8, 5, 3), 14);
    expect(betaQuantile(incompleteBeta(0.42, 2.5, 7), 2.5, 7)).toBeCloseTo(0.42, 11);
  });
  it('nulls for an empty denominator or an undefined ratio; bad counts are refused', () => {
    expect(clopperPearson(0, 0)).toEqual({ lo: null, hi: null });
    expect(katzLogRatio(1, 10, 0, 10)).toEqual({ lo: null, hi: null });
    expect(() => clopperPearson(3, 2)).toThrow(/invalid counts/);
    expect(() => wilson(-1, 2)).toThrow(/invalid counts/);
  });
  it('Clopper-Pearson contains the estimate and widens as the denominator shrinks (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
      const x = Math.round(f * n);
      const { lo, hi } = clopperPearson(x, n);
      const big = clopperPearson(4 * x, 4 * n);
      return lo! <= x / n && x / n <= hi! && hi! - lo! >= big.hi! - big.lo! - 1e-12;
    }));
  });
  it('a degenerate bootstrap is detected: one value, too few distinct values, mostly undefined', () => {
    expect(bootstrapShape(new Float64Array(100).fill(1)).problem).toBe('too few distinct values');
    expect(bootstrapShape(Float64Array.from({ length: 100 }, (_, i) => (i % 3) / 3)).problem).toBe('too few distinct values');
    expect(bootstrapShape(Float64Array.from({ length: 100 }, (_, i) => (i < 60 ? NaN : i))).problem).toBe('too few defined');
    expect(bootstrapShape(Float64Array.from({ length: 100 }, (_, i) => i / 100)).problem).toBeNull();
  });
  it('a rate whose replicates collapse gets the exact interval, never a zero-width one', () => {
    const e = rateEstimate(3, 3, new Float64Array(1000).fill(1), 1000);
    expect(e).toMatchObject({ value: 1, method: 'clopper-pearson', hi: 1 });
    expect(e.lo!).toBeCloseTo(0.2924, 4);
  });
  it('a rate with large counts: Wilson for independent cases, the cluster bootstrap with clusters', () => {
    const draws = Float64Array.from({ length: 1000 }, (_, i) => 0.3 + (i - 500) / 10000);
    expect(rateEstimate(30, 100, draws, 1000)).toEqual({ value: 0.3, ...wilson(30, 100), method: 'wilson' });
    expect(rateEstimate(30, 100, draws, 1000, true).method).toBe('bootstrap');
    expect(rateEstimate(30, 100, new Float64Array(1000).fill(0.3), 1000, true).method).toBe('clopper-pearson');
    expect(rateEstimate(30, 100, draws, 0)).toEqual({ value: 0.3, lo: null, hi: null, method: 'none' });
  });
  it('ranking metrics below the minimums have no interval and say "too few"', () => {
    expect(rankingEstimate(1, new Float64Array(10).fill(1), 10, false)).toEqual({ value: 1, lo: null, hi: null, method: 'none', tooFew: true });
  });
});

/**
 * Coverage by simulation: a group of n cases (30% positive, score ~ N(1, 1) for positives and
 * N(0, 1) for negatives) next to a reference group of 300, flagged at score >= 0.5. The true
 * rates are known exactly; the 95% intervals the audit reports for the group must contain them
 * in at least 93% of the data sets where the rate is defined.
 */
describe('coverage of the group intervals (simulation, fixed seeds)', () => {
  const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  const fpr = 1 - Phi(0.5);
  const tpr = 1 - Phi(-0.5);
  const truth = { fpr, fnr: 1 - tpr, precision: (0.3 * tpr) / (0.3 * tpr + 0.7 * fpr) };
  const SIMS = 300;

  for (const n of [10, 30, 100]) {
    it(`groups of ${n}: FPR, FNR and precision each cover the truth at least 93% of the time`, () => {
      const r = rng(1000 + n);
      const hits = { fpr: 0, fnr: 0, precision: 0 };
      const defined = { fpr: 0, fnr: 0, precision: 0 };
      for (let s = 0; s < SIMS; s++) {
        const N = n + 300;
        const labels = new Uint8Array(N);
        const scores = new Float64Array(N);
        const group: string[] = [];
        for (let i = 0; i < N; i++) {
          labels[i] = r.next() < 0.3 ? 1 : 0;
          scores[i] = r.normal() + labels[i];
          group.push(i < n ? 'G' : 'R');
        }
        const res = subgroupAudit(labels, scores, [{ attribute: 'a', values: group }], { threshold: 0.5, replicates: 400, seed: s + 1 });
        const g = res.find((x) => x.group === 'G')!;
        for (const k of ['fpr', 'fnr', 'precision'] as const) {
          const e = g.atThreshold.intervals![k]!;
          if (e.value === null) continue;
          defined[k]++;
          if (e.lo! <= truth[k] && truth[k] <= e.hi!) hits[k]++;
        }
      }
      for (const k of ['fpr', 'fnr', 'precision'] as const) {
        const coverage = hits[k] / defined[k];
        expect(defined[k], k).toBeGreaterThan(SIMS * 0.8);
        expect(coverage, `${k} coverage ${coverage.toFixed(3)} for groups of ${n}`).toBeGreaterThanOrEqual(0.93);
      }
    }, 120_000);
  }
});

/** Error function (Abramowitz & Stegun 7.1.26 is too coarse here: use the series/continued fraction via erfc). */
function erf(x: number): number {
  // High-precision erf from the complementary error function's continued fraction (|x| > 2) or series.
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    let sum = ax;
    let term = ax;
    for (let k = 1; k < 200; k++) {
      term *= (-ax * ax) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0;
    for (let k = 60; k >= 1; k--) f = (k / 2) / (ax + f);
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  }
  return x < 0 ? -r : r;
}
