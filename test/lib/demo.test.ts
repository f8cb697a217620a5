import { describe, expect, it } from 'vitest';
import { demoRun } from '../../src/lib/demo.ts';

describe('demoRun', () => {
  it('flags the top 10% and counts are consistent', () => {
    const r = demoRun(5000, { seed: 1 }, 'cpu');
    expect(r.flagged).toBeGreaterThanOrEqual(500);
    expect(r.truePositives).toBeLessThanOrEqual(r.flagged);
    expect(r.truePositives).toBeLessThanOrEqual(r.positives);
    expect(r.precision).toBeCloseTo(r.truePositives / r.flagged, 12);
  });
  it('is deterministic for a seed and differs across seeds', () => {
    const a = demoRun(2000, { seed: 7 }, 'cpu');
    const b = demoRun(2000, { seed: 7 }, 'cpu');
    const c = demoRun(2000, { seed: 8 }, 'cpu');
    expect({ ...a, ms: 0 }).toEqual({ ...b, ms: 0 });
    expect(c.positives === a.positives && c.truePositives === a.truePositives).toBe(false);
  });
  it('stops when cancelled', () => {
    expect(() => demoRun(100_000, { seed: 1, cancel: { cancelled: true } }, 'cpu')).toThrow('cancelled');
  });
});
