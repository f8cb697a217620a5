import { describe, expect, it } from 'vitest';
import { scoreRange, thresholdProblem } from '../../src/lib/project/thresholds.ts';

describe('scoreRange', () => {
  it('proposes thresholds from a 1-10 score\'s own distribution (hand-worked)', () => {
    // 100 cases: score k for 10 cases each, k = 1..10. Flagged at >= t: (11 - t) / 10.
    const scores = Float64Array.from({ length: 100 }, (_, i) => 1 + Math.floor(i / 10));
    const r = scoreRange(scores)!;
    expect(r).toMatchObject({ min: 1, max: 10, n: 100, probability: false });
    expect(r.proposals).toEqual([
      { threshold: 10, flaggedShare: 0.1 },
      { threshold: 9, flaggedShare: 0.2 },
      { threshold: 8, flaggedShare: 0.3 },
      { threshold: 6, flaggedShare: 0.5 },
    ]);
    expect(thresholdProblem(0.5, r)).toBe('a threshold of 0.5 is at or below every score (1 to 10), so every case would be flagged');
    expect(thresholdProblem(11, r)).toMatch(/no case would be flagged/);
    expect(thresholdProblem(8, r)).toBeNull();
  });

  it('keeps 0.5 among the proposals of a probability, skips missing scores, and is null with none', () => {
    const r = scoreRange(Float64Array.from([0.1, 0.2, 0.3, 0.9, NaN, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55]))!;
    expect(r.probability).toBe(true);
    expect(r.n).toBe(10);
    expect(r.proposals.find((p) => p.threshold === 0.5)).toEqual({ threshold: 0.5, flaggedShare: 0.2 });
    expect(scoreRange(Float64Array.from([NaN]))).toBeNull();
  });
});
