import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { operatingRows, topKCuts } from '../../src/lib/report/operating-rows.ts';
import { confusionAt, confusionAtTopK } from '../../src/lib/evaluate/operating-point.ts';

describe('operating rows', () => {
  it('hand-worked: 10 cases, ties at the cut all flagged', () => {
    const labels = Uint8Array.from([1, 1, 0, 1, 0, 0, 0, 0, 1, 0]);
    const scores = Float64Array.from([0.9, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    const rows = operatingRows(labels, scores);
    expect(rows).toHaveLength(100);
    // top 10%: n_target 1, cut 0.9 -> 1 flagged (tp 1).
    expect(rows[9]).toEqual({ topPct: 10, threshold: 0.9, nFlagged: 1, tp: 1, fp: 0, fn: 3, tn: 6 });
    // top 20%: n_target 2, cut 0.8 -> the tie flags 3 (tp 2, fp 1).
    expect(rows[19]).toEqual({ topPct: 20, threshold: 0.8, nFlagged: 3, tp: 2, fp: 1, fn: 2, tn: 5 });
    expect(rows[99]).toEqual({ topPct: 100, threshold: 0.05, nFlagged: 10, tp: 4, fp: 6, fn: 0, tn: 0 });
  });

  it('agrees with confusionAtTopK at every K (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 60 }), (cases) => {
        const labels = Uint8Array.from(cases, ([y]) => (y ? 1 : 0));
        const scores = Float64Array.from(cases, ([, s]) => s / 20);
        const rows = operatingRows(labels, scores);
        return rows.every((r) => {
          const ref = confusionAtTopK(labels, scores, r.topPct);
          return r.tp === ref.tp && r.fp === ref.fp && r.fn === ref.fn && r.tn === ref.tn && r.threshold === ref.threshold;
        });
      }),
      { numRuns: 60 },
    );
  });

  it('a subgroup gets its counts at the global cuts', () => {
    const labels = Uint8Array.from([1, 0, 1, 0, 1, 0]);
    const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
    const inGroup = (i: number) => i % 2 === 0;
    const cuts = topKCuts(scores);
    const rows = operatingRows(labels, scores, cuts, inGroup);
    for (const r of rows) {
      const sub = confusionAt(Uint8Array.from([1, 1, 1]), Float64Array.from([0.9, 0.7, 0.5]), r.threshold!);
      expect([r.tp, r.fp, r.fn, r.tn]).toEqual([sub.tp, sub.fp, sub.fn, sub.tn]);
    }
  });

  it('rejects bad input with an AppFailure, not a crash', () => {
    expect(() => operatingRows(Uint8Array.from([1]), Float64Array.from([0.1, 0.2]))).toThrow(/differ in length/);
    expect(() => operatingRows(Uint8Array.from([1]), Float64Array.from([0.1]), new Float64Array(3))).toThrow(/expected 100 cuts/);
  });
});
