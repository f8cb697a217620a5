import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averagePrecision, brierScore, logLoss, rocAuc } from '../../src/lib/evaluate/metrics.ts';
import { capacityToTopPct, confusionAt, confusionAtTopK, topKThreshold } from '../../src/lib/evaluate/operating-point.ts';
import { bootstrapWeights, percentileInterval, weightSampler } from '../../src/lib/evaluate/bootstrap.ts';
import { scoreInputProblem } from '../../src/lib/evaluate/ranking.ts';
import { AppFailure } from '../../src/lib/errors.ts';

const y = (...v: number[]) => Uint8Array.from(v);
const s = (...v: number[]) => Float64Array.from(v);

// Labels with both classes and integer scores (so transforms cannot merge distinct values).
const labelled = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: -30, max: 30 })), { minLength: 2, maxLength: 80 })
  .filter((rows) => rows.some((r) => r[0] === 1) && rows.some((r) => r[0] === 0))
  .map((rows) => ({ labels: Uint8Array.from(rows, (r) => r[0]), scores: Float64Array.from(rows, (r) => r[1]) }));

describe('hand-worked values', () => {
  it('AP of the scikit-learn docs example is 5/6', () => {
    // thresholds 0.8 (P=1, R=.5), 0.4 (P=.5), 0.35 (P=2/3, R=1): .5·1 + .5·(2/3)
    expect(averagePrecision(y(0, 0, 1, 1), s(0.1, 0.4, 0.35, 0.8))).toBeCloseTo(5 / 6, 15);
  });
  it('AUC counts a tie between a positive and a negative as half', () => {
    expect(rocAuc(y(1, 0), s(0.5, 0.5))).toBe(0.5);
    expect(rocAuc(y(1, 0, 0), s(0.7, 0.7, 0.1))).toBe(0.75);
  });
  it('weights act as multiplicities', () => {
    const w = s(2, 0, 1, 3);
    const labels = y(1, 0, 0, 1), scores = s(0.9, 0.8, 0.7, 0.2);
    const expanded = { labels: y(1, 1, 0, 1, 1, 1), scores: s(0.9, 0.9, 0.7, 0.2, 0.2, 0.2) };
    expect(averagePrecision(labels, scores, w)).toBeCloseTo(averagePrecision(expanded.labels, expanded.scores)!, 15);
    expect(rocAuc(labels, scores, w)).toBeCloseTo(rocAuc(expanded.labels, expanded.scores)!, 15);
    expect(brierScore(labels, scores, w)).toBeCloseTo(brierScore(expanded.labels, expanded.scores)!, 15);
  });
  it('log loss clips 0 and 1 to machine epsilon', () => {
    expect(logLoss(y(1), s(0))).toBeCloseTo(-Math.log(2.220446049250313e-16), 12);
    expect(logLoss(y(1, 0), s(1, 0))).toBeCloseTo(-Math.log(1 - 2.220446049250313e-16), 20);
  });
  it('empty input and zero total weight give null', () => {
    expect(averagePrecision(y(), s())).toBeNull();
    expect(rocAuc(y(), s())).toBeNull();
    expect(brierScore(y(), s())).toBeNull();
    expect(brierScore(y(1, 0), s(0.2, 0.3), s(0, 0))).toBeNull();
  });
});

describe('operating points', () => {
  it('threshold flags score >= T, with every rate and its null when undefined', () => {
    const op = confusionAt(y(1, 0, 1, 0, 0), s(0.9, 0.5, 0.4, 0.5, 0.1), 0.5);
    expect(op).toEqual({ threshold: 0.5, nFlagged: 3, tp: 1, fp: 2, fn: 1, tn: 1, precision: 1 / 3, recall: 0.5, fpr: 2 / 3, fnr: 0.5, flaggedRate: 0.6, falseOmissionRate: 0.5 });
    const none = confusionAt(y(0, 0), s(0.1, 0.2), 0.5);
    expect([none.precision, none.recall, none.fnr, none.fpr]).toEqual([null, null, null, 0]);
  });
  it('top K% flags ties at the cut (DESIGN.md rule)', () => {
    const scores = s(0.9, 0.8, 0.8, 0.8, 0.1);
    expect(topKThreshold(scores, 20)).toEqual({ nTarget: 1, threshold: 0.9 });
    const top40 = confusionAtTopK(y(1, 0, 1, 0, 0), scores, 40);
    expect([top40.nTarget, top40.threshold, top40.nFlagged, top40.tp]).toEqual([2, 0.8, 4, 2]);
    expect(topKThreshold(scores, 1)).toEqual({ nTarget: 1, threshold: 0.9 }); // max(1, ceil(0.05))
    expect(topKThreshold(s(), 10)).toEqual({ nTarget: 0, threshold: Infinity });
  });
  it('n·K/100 that is an integer up to rounding is not rounded up', () => {
    expect(topKThreshold(new Float64Array(30).map((_, i) => i), 70).nTarget).toBe(21); // 30·70/100 = 21.000000000000004 in floating point
  });
  it('rejects top percentages outside (0, 100]', () => {
    for (const k of [0, -5, 101, NaN]) expect(() => topKThreshold(s(1, 2), k)).toThrow(/invalid top percentage/);
  });
  it('capacity converts to a top share', () => {
    expect(capacityToTopPct(40, 400)).toBe(10);
    expect(capacityToTopPct(500, 400)).toBe(100);
    expect(() => capacityToTopPct(40, 0)).toThrow(AppFailure);
  });
});

describe('properties', () => {
  it('AP and AUC are invariant to strictly increasing transforms', () => {
    fc.assert(
      fc.property(labelled, ({ labels, scores }) => {
        for (const t of [(v: number) => v * v * v + 5 * v, (v: number) => Math.exp(v / 7), (v: number) => 3 * v - 100]) {
          const ts = scores.map(t);
          expect(averagePrecision(labels, ts)).toBeCloseTo(averagePrecision(labels, scores)!, 12);
          expect(rocAuc(labels, ts)).toBeCloseTo(rocAuc(labels, scores)!, 12);
        }
      }),
    );
  });
  it('AUC of reversed scores is 1 − AUC', () => {
    fc.assert(fc.property(labelled, ({ labels, scores }) => {
      expect(rocAuc(labels, scores.map((v) => -v))).toBeCloseTo(1 - rocAuc(labels, scores)!, 12);
    }));
  });
  it('counts sum to n and flagged ≥ n_target', () => {
    fc.assert(
      fc.property(labelled, fc.integer({ min: -30, max: 30 }), fc.double({ min: 0.1, max: 100, noNaN: true }), ({ labels, scores }, t, k) => {
        const a = confusionAt(labels, scores, t);
        expect(a.tp! + a.fp! + a.fn! + a.tn!).toBe(labels.length);
        const b = confusionAtTopK(labels, scores, k);
        expect(b.tp! + b.fp! + b.fn! + b.tn!).toBe(labels.length);
        expect(b.nFlagged!).toBeGreaterThanOrEqual(b.nTarget!);
        expect(b.nTarget).toBe(Math.max(1, Math.ceil((labels.length * k) / 100 - 1e-9)));
      }),
    );
  });
});

describe('bootstrap weights', () => {
  const labels = y(1, 0, 0, 1, 0, 0, 0, 1, 0, 0);
  it('keep the number of positives and negatives in every replicate', () => {
    for (const w of bootstrapWeights(labels, { replicates: 50, seed: 3 })) {
      let pos = 0, tot = 0;
      w.forEach((v, i) => ((tot += v), (pos += v * labels[i])));
      expect([pos, tot]).toEqual([3, 10]);
      expect(w.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    }
  });
  it('are deterministic for a seed and yield fresh arrays', () => {
    const a = [...bootstrapWeights(labels, { replicates: 5, seed: 8 })];
    const b = [...bootstrapWeights(labels, { replicates: 5, seed: 8 })];
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
  });
  it('give every member of a cluster the same weight and keep the number of clusters', () => {
    const clusters = Int32Array.from([7, 7, 3, 3, 3, 9, 9, 1, 1, 1]);
    for (const w of bootstrapWeights(labels, { replicates: 30, seed: 2, clusters })) {
      expect([w[0], w[2], w[2], w[5], w[7]]).toEqual([w[1], w[3], w[4], w[6], w[8]]);
      expect(w[7]).toBe(w[9]);
      expect(w[0] + w[2] + w[5] + w[7]).toBe(4);
    }
  });
  it('give replicate b the same weights however the replicates are split (alone, in any order, or in one run)', () => {
    const clusters = Int32Array.from([7, 7, 3, 3, 3, 9, 9, 1, 1, 1]);
    for (const cl of [undefined, clusters]) {
      const run = [...bootstrapWeights(labels, { replicates: 12, seed: 4, clusters: cl })];
      const sample = weightSampler(labels, 4, cl);
      for (const b of [11, 3, 0, 7]) {
        const w = new Float64Array(labels.length);
        sample(w, b);
        expect(w).toEqual(run[b]);
      }
      // A second sampler used out of order agrees too: nothing carries over from replicate to replicate.
      const other = weightSampler(labels, 4, cl);
      const w = new Float64Array(labels.length);
      other(w, 7);
      other(w, 2);
      expect(w).toEqual(run[2]);
    }
  });
  it('draw unrelated streams for neighbouring replicates and seeds', () => {
    // Over many cases, the weights of replicate b and b + 1 (and of seeds s and s + 1) are uncorrelated.
    const n = 20_000;
    const many = new Uint8Array(n);
    for (let i = 0; i < n; i += 5) many[i] = 1;
    const corr = (x: Float64Array, z: Float64Array) => {
      let sx = 0, sz = 0, sxz = 0, sxx = 0, szz = 0;
      for (let i = 0; i < n; i++) (sx += x[i]), (sz += z[i]), (sxz += x[i] * z[i]), (sxx += x[i] * x[i]), (szz += z[i] * z[i]);
      return (sxz - (sx * sz) / n) / Math.sqrt((sxx - (sx * sx) / n) * (szz - (sz * sz) / n));
    };
    const at = (seed: number, b: number) => {
      const w = new Float64Array(n);
      weightSampler(many, seed, undefined)(w, b);
      return w;
    };
    for (const [p, q] of [[at(1, 0), at(1, 1)], [at(1, 5), at(2, 5)], [at(1, 0), at(2, 1)]]) {
      // |r| < 0.03 holds with overwhelming probability for independent draws (sd of r about 0.007).
      expect(Math.abs(corr(p, q))).toBeLessThan(0.03);
    }
  });
  it('reject an invalid number of replicates', () => {
    expect(() => [...bootstrapWeights(labels, { replicates: -1, seed: 1 })]).toThrow(AppFailure);
  });
});

describe('percentileInterval', () => {
  it('matches numpy.percentile (linear) and skips unusable values', () => {
    // np.percentile(np.arange(1, 11), [5, 95]) = [1.45, 9.55]
    const r = percentileInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN, null], 0.9);
    expect(r.lo).toBeCloseTo(1.45, 12);
    expect(r.hi).toBeCloseTo(9.55, 12);
    // np.percentile(np.arange(1, 11), [2.5, 97.5]) = [1.225, 9.775]
    const d = percentileInterval(Float64Array.from({ length: 10 }, (_, i) => 10 - i));
    expect(d.lo).toBeCloseTo(1.225, 12);
    expect(d.hi).toBeCloseTo(9.775, 12);
  });
  it('is null with fewer than 2 usable values', () => {
    expect(percentileInterval([NaN, 3])).toEqual({ lo: null, hi: null });
  });
});

describe('bad input', () => {
  it('names the row of the first problem and counts missing scores', () => {
    expect(scoreInputProblem(y(1, 0, 0), s(0.1, NaN, NaN))).toEqual({ code: 'missing-score', message: '2 score(s) are missing (NaN)', row: 2 });
    expect(scoreInputProblem(y(1, 2), s(0.1, 0.2))).toMatchObject({ code: 'not-binary', row: 2 });
    expect(scoreInputProblem(y(1), s(0.1, 0.2))).toMatchObject({ code: 'length-mismatch' });
    expect(scoreInputProblem(y(1, 0), s(0.1, 0.2), s(1, -1))).toMatchObject({ code: 'invalid-weight', row: 2 });
  });
  it('metric functions throw AppFailure rather than return a wrong number', () => {
    expect(() => averagePrecision(y(1, 0), s(NaN, 1))).toThrow(AppFailure);
    expect(() => confusionAt(y(1, 0), s(0.1, 0.2), NaN)).toThrow(AppFailure);
  });
});
