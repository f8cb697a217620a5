import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderByScoreDescending, rankingOf } from '../../src/lib/evaluate/ranking.ts';

const reference = (s: Float64Array) => Uint32Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);

describe('orderByScoreDescending', () => {
  it('equals a stable comparator sort on large inputs with ties, signs, zeros and infinities', () => {
    const special = [0, -0, Infinity, -Infinity, 1e-300, -1e-300, 5e-324, 0.5, 0.5, -2];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...special), fc.integer({ min: -3, max: 3 })), { minLength: 2048, maxLength: 3000 }),
        (xs) => {
          const s = Float64Array.from(xs);
          const got = orderByScoreDescending(s);
          // Ties (including 0 and −0) keep index order.
          expect(Array.from(got, (i) => s[i] + 0)).toEqual(Array.from(reference(s), (i) => s[i] + 0));
          const noNegZero = s.map((v) => (v === 0 ? 0 : v));
          expect(orderByScoreDescending(noNegZero)).toEqual(reference(noNegZero));
        },
      ),
      { numRuns: 20 },
    );
  });
  it('handles integer scores whose low bits are all equal (skipped passes)', () => {
    const s = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 10);
    expect(orderByScoreDescending(s)).toEqual(reference(s));
  });
  it('groups tied scores', () => {
    const r = rankingOf(Uint8Array.from([1, 0, 1, 0]), Float64Array.from([0.2, 0.9, 0.2, -0]));
    expect(Array.from(r.groupScore, (v) => v + 0)).toEqual([0.9, 0.2, 0]);
    expect(Array.from(r.groupEnd)).toEqual([1, 3, 4]);
  });
});
