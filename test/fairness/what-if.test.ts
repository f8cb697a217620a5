import { describe, expect, it } from 'vitest';
import { equalOpportunityThresholds } from '../../src/lib/fairness/what-if.ts';

describe('equalOpportunityThresholds', () => {
  // Group x: positives score 0.9, 0.8; negatives 0.7, 0.2. Group y: positives 0.6, 0.4, 0.3; negatives 0.5, 0.1.
  const labels = Uint8Array.from([1, 1, 0, 0, 1, 1, 1, 0, 0]);
  const scores = Float64Array.from([0.9, 0.8, 0.7, 0.2, 0.6, 0.4, 0.3, 0.5, 0.1]);
  const groups = ['x', 'x', 'x', 'x', 'y', 'y', 'y', 'y', 'y'];

  it('hand-worked: global recall 2/5 at 0.75; y needs 0.4 to reach recall >= 0.4', () => {
    const w = equalOpportunityThresholds(labels, scores, 'g', groups, 0.75);
    expect(w.targetRecall).toBeCloseTo(0.4, 12);
    const x = w.groups.find((g) => g.group === 'x')!;
    const y = w.groups.find((g) => g.group === 'y')!;
    // x: recall at 0.9 is 1/2 >= 0.4 -> the highest such threshold is 0.9.
    expect(x.threshold).toBe(0.9);
    expect(x.atOwn.recall).toBe(0.5);
    // y: recall 1/3 at 0.6 < 0.4; at 0.5 still 1/3; at 0.4 it is 2/3.
    expect(y.threshold).toBe(0.4);
    expect(y.atOwn.recall).toBeCloseTo(2 / 3, 12);
    expect(y.atGlobal.recall).toBe(0);
    // Global: flagged 0.9, 0.8 -> tp 2, fp 0, fn 3. Group thresholds: x flags 0.9 (tp 1); y flags 0.6, 0.5, 0.4 (tp 2, fp 1).
    expect(w.global.tp).toBe(2);
    expect(w.withGroupThresholds.tp).toBe(3);
    expect(w.withGroupThresholds.fp).toBe(1);
    expect(w.change).toEqual({ flagged: 2, falseAlarms: 1, missed: -1, truePositives: 1 });
  });
  it('a group without positives keeps the global threshold', () => {
    const w = equalOpportunityThresholds(Uint8Array.from([1, 0, 0]), Float64Array.from([0.9, 0.3, 0.8]), 'g', ['a', 'b', 'b'], 0.5);
    expect(w.groups.find((g) => g.group === 'b')!.threshold).toBe(0.5);
  });
  it('rejects columns of different lengths', () => {
    expect(() => equalOpportunityThresholds(labels, scores, 'g', ['x'], 0.5)).toThrow(/differ in length/);
  });
});
