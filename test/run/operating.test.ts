import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { operatingRows as rowsAt, topKCuts } from '../../src/lib/report/operating-rows.ts';

const operatingRows = (labels: Uint8Array, scores: Float64Array) => rowsAt(labels, scores);
const operatingRowsWithin = (labels: Uint8Array, scores: Float64Array, rows: number[], _global: unknown) => {
  const members = new Set(rows);
  return rowsAt(labels, scores, topKCuts(scores), (i) => members.has(i));
};
import { confusionAtTopK } from '../../src/lib/evaluate/operating-point.ts';

describe('operating rows (properties)', () => {
  it('hand-worked: ten cases, ties at the cut are all flagged', () => {
    const scores = Float64Array.from([0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
    const labels = Uint8Array.from([1, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const rows = operatingRows(labels, scores);
    expect(rows).toHaveLength(100);
    // K = 10: n_target 1, t = 0.9, one flagged, a true positive.
    expect(rows[9]).toEqual({ topPct: 10, threshold: 0.9, nFlagged: 1, tp: 1, fp: 0, fn: 2, tn: 7 });
    // K = 20: n_target 2, t = 0.8, both 0.8s flagged: 3 flagged.
    expect(rows[19]).toEqual({ topPct: 20, threshold: 0.8, nFlagged: 3, tp: 2, fp: 1, fn: 1, tn: 6 });
    // K = 1: n_target = max(1, ceil(0.1)) = 1.
    expect(rows[0].nFlagged).toBe(1);
    expect(rows[99]).toMatchObject({ nFlagged: 10, tp: 3, fp: 7, fn: 0, tn: 0 });
  });

  it('agrees with confusionAtTopK at every K', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 60 }), (cases) => {
        const labels = Uint8Array.from(cases, (c) => c[0]);
        const scores = Float64Array.from(cases, (c) => c[1] / 20);
        const rows = operatingRows(labels, scores);
        for (const k of [1, 7, 10, 33, 50, 99, 100]) {
          const ref = confusionAtTopK(labels, scores, k);
          const r = rows[k - 1];
          expect([r.nFlagged, r.tp, r.fp, r.fn, r.tn, r.threshold]).toEqual([ref.nFlagged, ref.tp, ref.fp, ref.fn, ref.tn, ref.threshold]);
        }
      }),
    );
  });

  it('subgroup rows apply the global cuts and add up to the whole', () => {
    const scores = Float64Array.from([0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
    const labels = Uint8Array.from([1, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const global = operatingRows(labels, scores);
    const a = operatingRowsWithin(labels, scores, [0, 2, 4, 6, 8], global);
    const b = operatingRowsWithin(labels, scores, [1, 3, 5, 7, 9], global);
    for (let k = 0; k < 100; k++) {
      for (const key of ['nFlagged', 'tp', 'fp', 'fn', 'tn'] as const) expect((a[k][key] ?? 0) + (b[k][key] ?? 0)).toBe(global[k][key]);
    }
    expect(a[19]).toMatchObject({ nFlagged: 2, tp: 2 });
  });

});
