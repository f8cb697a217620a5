import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_TOLERANCE, casesNeeded, checkTolerance, seOfLogRatio, verdictFor } from '../../src/lib/fairness/power.ts';
import { differenceOf, rateOf, ratioOf, referenceGroup } from '../../src/lib/fairness/disparity.ts';

describe('verdictFor', () => {
  it('disparity when the interval lies wholly above or below the band', () => {
    expect(verdictFor(1.3, 2.0)).toBe('disparity');
    expect(verdictFor(0.4, 0.79)).toBe('disparity');
  });
  it('no disparity when wholly inside the band (bounds inclusive)', () => {
    expect(verdictFor(0.9, 1.1)).toBe('no disparity');
    expect(verdictFor(0.8, 1.25)).toBe('no disparity');
  });
  it('inconclusive when the interval straddles a bound', () => {
    expect(verdictFor(0.7, 1.1)).toBe('inconclusive');
    expect(verdictFor(1.1, 1.4)).toBe('inconclusive');
    expect(verdictFor(0.5, 2)).toBe('inconclusive');
  });
  it('null without an interval', () => {
    expect(verdictFor(null, 1)).toBeNull();
    expect(verdictFor(0.5, null)).toBeNull();
  });
  it('honours a custom tolerance', () => {
    expect(verdictFor(0.85, 1.15, { lower: 0.9, upper: 1.1 })).toBe('inconclusive');
    expect(() => checkTolerance({ lower: 1.2, upper: 1.5 })).toThrow(/tolerance/);
    expect(() => checkTolerance(DEFAULT_TOLERANCE)).not.toThrow();
  });
});

describe('casesNeeded', () => {
  it('hand-worked: ratio 1.5, se 0.2 at n=100 -> ceil(100 * (2.8016 * 0.2 / log(1.5/1.25))^2) = 945', () => {
    const z = 1.959963984540054 + 0.8416212335729143;
    const expected = Math.ceil(100 * ((z * 0.2) / Math.log(1.5 / 1.25)) ** 2);
    expect(casesNeeded(1.5, 0.2, 100)).toBe(expected);
    expect(expected).toBe(945); // 100 * (0.56032 / 0.18232)^2 = 944.5
  });
  it('uses the nearer bound for a ratio inside the band', () => {
    // 0.95 is nearer 0.8 (log distance 0.1719) than 1.25 (0.2744).
    const z = 1.959963984540054 + 0.8416212335729143;
    expect(casesNeeded(0.95, 0.3, 50)).toBe(Math.ceil(50 * ((z * 0.3) / Math.log(0.95 / 0.8)) ** 2));
  });
  it('null when the estimate sits on a bound or inputs are undefined', () => {
    expect(casesNeeded(1.25, 0.2, 100)).toBeNull();
    expect(casesNeeded(0.8, 0.2, 100)).toBeNull();
    expect(casesNeeded(null, 0.2, 100)).toBeNull();
    expect(casesNeeded(0, 0.2, 100)).toBeNull();
    expect(casesNeeded(1.5, null, 100)).toBeNull();
    expect(casesNeeded(1.5, 0, 100)).toBeNull();
    expect(casesNeeded(1.5, 0.2, 0)).toBeNull();
  });
  it('is at least one more than the group has', () => {
    expect(casesNeeded(3, 0.01, 100)).toBe(101);
  });
  it('more data (smaller se at the same n-scaling) -> fewer cases needed; further from the bound -> fewer (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.3, max: 5, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 10, max: 10_000 }),
        (ratio, se, n) => {
          const a = casesNeeded(ratio, se, n)!;
          const b = casesNeeded(ratio, se / 2, n)!;
          const c = casesNeeded(ratio * 1.5, se, n)!;
          expect(b).toBeLessThanOrEqual(a);
          expect(c).toBeLessThanOrEqual(a);
        },
      ),
    );
  });
});

describe('seOfLogRatio', () => {
  it('is the sample SD of the logs, skipping undefined and non-positive ratios', () => {
    const se = seOfLogRatio([Math.E, 1, NaN, 0, -1, Math.E ** 2]);
    expect(se).toBeCloseTo(1, 12);
    expect(seOfLogRatio([2])).toBeNull();
  });
});

describe('disparity arithmetic', () => {
  it('never divides by zero', () => {
    expect(ratioOf(0.5, 0)).toBeNull();
    expect(ratioOf(0, 0)).toBeNull();
    expect(ratioOf(null, 1)).toBeNull();
    expect(ratioOf(0.3, 0.6)).toBe(0.5);
    expect(differenceOf(0.3, null)).toBeNull();
    expect(differenceOf(0.5, 0.25)).toBe(0.25);
    expect(rateOf(1, 0)).toBeNull();
    expect(rateOf(1, 4)).toBe(0.25);
  });
  it('picks the largest group as reference unless one is chosen', () => {
    expect(referenceGroup(['a', 'b', 'c'], [5, 9, 9])).toBe('b');
    expect(referenceGroup(['a', 'b'], [5, 9], 'a')).toBe('a');
    expect(referenceGroup(['a', 'b'], [5, 9], 'z')).toBeNull();
    expect(referenceGroup([], [])).toBeNull();
  });
});
