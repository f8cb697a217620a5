import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateScores, pairedDifference } from '../../src/lib/evaluate/evaluate-scores.ts';
import { averagePrecision, brierScore, logLoss, rocAuc } from '../../src/lib/evaluate/metrics.ts';
import { confusionAt, confusionAtTopK } from '../../src/lib/evaluate/operating-point.ts';
import { expectedCalibrationError } from '../../src/lib/evaluate/calibration.ts';
import { percentileInterval, weightSampler } from '../../src/lib/evaluate/bootstrap.ts';
import { rankingOf } from '../../src/lib/evaluate/ranking.ts';
import { clopperPearson, wilson } from '../../src/lib/evaluate/intervals.ts';
import type { Estimate } from '../../src/lib/bundle/schema.ts';
import { Cancelled } from '../../src/lib/errors.ts';
import { rng } from '../../src/lib/random.ts';

function synthetic(n: number, seed: number, signal = 1, decimals?: number) {
  const r = rng(seed);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = r.bernoulli(0.25) ? 1 : 0;
    const p = 1 / (1 + Math.exp(-(-1.2 + signal * labels[i] + r.normal())));
    scores[i] = decimals === undefined ? p : Math.round(p * 10 ** decimals) / 10 ** decimals;
  }
  return { labels, scores };
}

/** The resampled data set a weight vector of integer multiplicities stands for. */
function expand(labels: Uint8Array, scores: Float64Array, w: Float64Array) {
  const l: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < labels.length; i++) for (let c = 0; c < w[i]; c++) (l.push(labels[i]), s.push(scores[i]));
  return { labels: Uint8Array.from(l), scores: Float64Array.from(s) };
}

describe('evaluateScores', () => {
  const { labels, scores } = synthetic(400, 3, 1, 2);

  it('point estimates equal the single-metric functions', () => {
    const ev = evaluateScores(labels, scores, { replicates: 0, threshold: 0.3, topPct: 15 });
    expect(ev.metrics.averagePrecision.value).toBeCloseTo(averagePrecision(labels, scores)!, 12);
    expect(ev.metrics.rocAuc.value).toBeCloseTo(rocAuc(labels, scores)!, 12);
    expect(ev.metrics.brier.value).toBeCloseTo(brierScore(labels, scores)!, 12);
    expect((ev.metrics.logLoss).value).toBeCloseTo(logLoss(labels, scores)!, 12);
    expect(ev.metrics.ece.value).toBeCloseTo(expectedCalibrationError(labels, scores)!, 12);
    expect(ev.atThreshold).toMatchObject(confusionAt(labels, scores, 0.3));
    expect(ev.topK).toMatchObject(confusionAtTopK(labels, scores, 15));
    expect(ev.metrics.averagePrecision.lo).toBeNull();
    expect(ev.metrics.prevalence).toBe(ev.positives / 400);
  });

  it('each replicate equals the metrics of the resampled data set (ties, top-K recomputed)', () => {
    const replicates = 40;
    const seed = 11;
    const ev = evaluateScores(labels, scores, { replicates, seed, threshold: 0.3, topPct: 15 });
    // Reproduce the replicates: evaluateScores resamples in score order with the same sampler.
    const r = rankingOf(labels, scores);
    const sample = weightSampler(r.sortedLabels, seed);
    const wSorted = new Float64Array(labels.length);
    const ap: number[] = [], auc: number[] = [], brier: number[] = [], prec: number[] = [], topRecall: number[] = [], topFlag: number[] = [];
    for (let b = 0; b < replicates; b++) {
      sample(wSorted, b);
      const w = new Float64Array(labels.length);
      for (let k = 0; k < labels.length; k++) w[r.order[k]] = wSorted[k];
      const x = expand(labels, scores, w);
      ap.push(averagePrecision(x.labels, x.scores)!);
      auc.push(rocAuc(x.labels, x.scores)!);
      brier.push(brierScore(x.labels, x.scores)!);
      prec.push(confusionAt(x.labels, x.scores, 0.3).precision!);
      const top = confusionAtTopK(x.labels, x.scores, 15);
      topRecall.push(top.recall!);
      topFlag.push(top.flaggedRate!);
    }
    // Rates with a small count take the exact interval instead (intervals.ts); the rest must be the bootstrap's.
    const check = (e: Estimate, v: number[], counts?: [number, number]) => {
      if (counts) {
        // Rates of independent cases: Wilson, or Clopper-Pearson when a count is small (intervals.ts).
        const small = Math.min(counts[0], counts[1] - counts[0]) < 10;
        expect(e.method).toBe(small ? 'clopper-pearson' : 'wilson');
        expect([e.lo, e.hi]).toEqual(Object.values((small ? clopperPearson : wilson)(counts[0], counts[1])));
        return;
      }
      expect(e.method).toBe('bootstrap');
      const ref = percentileInterval(v);
      expect(e.lo).toBeCloseTo(ref.lo!, 12);
      expect(e.hi).toBeCloseTo(ref.hi!, 12);
    };
    check(ev.metrics.averagePrecision, ap);
    check(ev.metrics.rocAuc, auc);
    check(ev.metrics.brier, brier);
    const t = ev.atThreshold;
    const k = ev.topK;
    check(t.intervals!.precision!, prec, [t.tp!, t.tp! + t.fp!]);
    check(k.intervals!.recall!, topRecall, [k.tp!, k.tp! + k.fn!]);
    check(k.intervals!.flaggedRate!, topFlag, [k.nFlagged!, 400]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = evaluateScores(labels, scores, { replicates: 50, seed: 5 });
    const b = evaluateScores(labels, scores, { replicates: 50, seed: 5 });
    const c = evaluateScores(labels, scores, { replicates: 50, seed: 6 });
    expect(a.metrics).toEqual(b.metrics);
    expect(a.metrics.averagePrecision.lo).not.toBe(c.metrics.averagePrecision.lo);
  });

  it('uses the documented defaults: threshold 0.5, top 10%, 1000 replicates, seed 1', () => {
    const ev = evaluateScores(labels, scores);
    expect([ev.atThreshold.threshold, ev.topK.topPct, ev.replicates, ev.seed]).toEqual([0.5, 10, 1000, 1]);
    expect(ev.topK.nTarget).toBe(40);
  });

  it('gives nulls, not numbers, where a metric is undefined', () => {
    const y = new Uint8Array([0, 0, 0, 0]);
    const s = new Float64Array([0.1, 0.2, 0.3, 0.9]);
    const ev = evaluateScores(y, s, { replicates: 20 });
    expect(ev.metrics.averagePrecision).toEqual({ value: null, lo: null, hi: null, method: 'none', tooFew: true });
    expect(ev.metrics.rocAuc).toEqual({ value: null, lo: null, hi: null, method: 'none', tooFew: true });
    expect(ev.atThreshold.recall).toBeNull();
    expect(ev.atThreshold.intervals!.recall).toEqual({ value: null, lo: null, hi: null, method: 'none' });
    expect(ev.atThreshold.precision).toBe(0);
    expect(ev.metrics.brier.value).toBeCloseTo((0.01 + 0.04 + 0.09 + 0.81) / 4, 15);
  });

  it('does not crash on no cases or one case', () => {
    const empty = evaluateScores(new Uint8Array(0), new Float64Array(0), { replicates: 10 });
    expect(empty.metrics.averagePrecision).toEqual({ value: null, lo: null, hi: null, method: 'none', tooFew: true });
    expect(empty.metrics.prevalence).toBeNull();
    expect([empty.topK.nTarget, empty.topK.threshold, empty.topK.nFlagged]).toEqual([0, null, 0]);
    const one = evaluateScores(Uint8Array.from([1]), Float64Array.from([0.7]), { replicates: 10 });
    // One case: the value stands, but there is no interval pretending to certainty.
    expect(one.metrics.averagePrecision).toEqual({ value: 1, lo: null, hi: null, method: 'none', tooFew: true });
    expect(one.minimums).toMatchObject({ enough: false, positives: 1, negatives: 0 });
    expect(one.metrics.rocAuc.value).toBeNull();
    expect([one.topK.nTarget, one.topK.tp, one.topK.intervals!.fpr!.value]).toEqual([1, 1, null]);
  });

  it('leaves Brier, log loss and calibration null for scores that are not probabilities', () => {
    const deciles = scores.map((v) => Math.ceil(v * 10));
    const ev = evaluateScores(labels, deciles, { replicates: 20, threshold: 5 });
    expect(ev.metrics.brier.value).toBeNull();
    expect(ev.metrics.logLoss.value).toBeNull();
    expect(ev.curves.calibration).toBeNull();
    expect(ev.metrics.rocAuc.value).toBeCloseTo(rocAuc(labels, deciles)!, 12);
  });

  it('reports progress and can be cancelled between replicates', () => {
    const seen: number[] = [];
    evaluateScores(labels, scores, { replicates: 100, onProgress: (d, t) => (expect(t).toBe(100), seen.push(d)) });
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBeGreaterThan(5);
    const token = { cancelled: false };
    let calls = 0;
    expect(() =>
      evaluateScores(labels, scores, { replicates: 1000, cancel: token, onProgress: () => { if (++calls === 2) token.cancelled = true; } }),
    ).toThrow(Cancelled);
  });

  it('rejects a NaN score with an AppFailure naming the row', () => {
    const s = Float64Array.from(scores);
    s[7] = NaN;
    try {
      evaluateScores(labels, s);
      expect.unreachable();
    } catch (e) {
      expect((e as { error: { code: string; row: number } }).error).toMatchObject({ code: 'missing-score', row: 8 });
    }
  });

  it('resamples whole clusters when clusters are given', () => {
    // Every case duplicated in its own cluster of 2: clustered intervals stay honest (as wide as
    // for the undoubled data), the naive ones are too narrow.
    const n = 300;
    const base = synthetic(n, 9);
    const y = new Uint8Array(2 * n), s = new Float64Array(2 * n), cl = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) for (const j of [2 * i, 2 * i + 1]) (y[j] = base.labels[i], s[j] = base.scores[i], cl[j] = 1000 + i);
    const width = (e: { lo: number | null; hi: number | null }) => e.hi! - e.lo!;
    const single = evaluateScores(base.labels, base.scores, { replicates: 400 }).metrics.rocAuc;
    const naive = evaluateScores(y, s, { replicates: 400 }).metrics.rocAuc;
    const clustered = evaluateScores(y, s, { replicates: 400, clusters: cl }).metrics.rocAuc;
    expect(width(naive)).toBeLessThan(0.85 * width(clustered));
    expect(Math.abs(width(clustered) / width(single) - 1)).toBeLessThan(0.2);
  });
});

describe('bootstrap interval properties', () => {
  it('contain the point estimate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.5, max: 2, noNaN: true }), (seed, signal) => {
        const { labels, scores } = synthetic(500, seed, signal);
        const ev = evaluateScores(labels, scores, { replicates: 200, seed });
        for (const e of [ev.metrics.averagePrecision, ev.metrics.rocAuc, ev.metrics.brier, ev.atThreshold.intervals!.recall!, ev.topK.intervals!.precision!]) {
          expect(e.lo!).toBeLessThanOrEqual(e.value!);
          expect(e.hi!).toBeGreaterThanOrEqual(e.value!);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('shrink as n grows', () => {
    const width = (n: number) => {
      const { labels, scores } = synthetic(n, 21);
      const ev = evaluateScores(labels, scores, { replicates: 300 });
      return [ev.metrics.averagePrecision, ev.metrics.rocAuc, ev.topK.intervals!.precision!].map((e) => e.hi! - e.lo!);
    };
    const small = width(250), mid = width(1000), large = width(4000);
    for (let j = 0; j < 3; j++) {
      expect(mid[j]).toBeLessThan(small[j]);
      expect(large[j]).toBeLessThan(mid[j]);
      // ~1/sqrt(n): quadrupling n roughly halves the width.
      expect(large[j] / mid[j]).toBeGreaterThan(0.3);
      expect(large[j] / mid[j]).toBeLessThan(0.75);
    }
  });
});

describe('pairedDifference', () => {
  const { labels, scores } = synthetic(400, 4, 1.5);
  const worse = synthetic(400, 4, 0.3).scores; // same labels (same seed and stream), weaker signal

  it('is exactly zero for a model against itself', () => {
    expect(pairedDifference(labels, scores, scores, { metric: 'rocAuc', replicates: 50 })).toEqual({ value: 0, lo: 0, hi: 0 });
  });

  it('estimates A − B with an interval containing it', () => {
    for (const metric of ['averagePrecision', 'rocAuc', 'brier'] as const) {
      const d = pairedDifference(labels, scores, worse, { metric, replicates: 200 });
      const f = { averagePrecision, rocAuc, brier: brierScore }[metric];
      expect(d.value).toBeCloseTo(f(labels, scores)! - f(labels, worse)!, 12);
      expect(d.lo!).toBeLessThanOrEqual(d.value!);
      expect(d.hi!).toBeGreaterThanOrEqual(d.value!);
    }
    expect(pairedDifference(labels, scores, worse, { metric: 'rocAuc', replicates: 200 }).lo!).toBeGreaterThan(0);
  });

  it('is narrower than the unpaired intervals would suggest for correlated scores', () => {
    const nudged = scores.map((v) => Math.min(1, v * 1.02 + 0.001 * Math.sin(v * 1000)));
    const d = pairedDifference(labels, scores, nudged, { metric: 'averagePrecision', replicates: 200 });
    const single = evaluateScores(labels, scores, { replicates: 200 }).metrics.averagePrecision;
    expect(d.hi! - d.lo!).toBeLessThan((single.hi! - single.lo!) / 4);
  });
});
