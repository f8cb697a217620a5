import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthsSpanned, policyWords, resolvePolicy, policyFromOptions } from '../../src/lib/run/policy.ts';
import { DEFAULT_POLICY } from '../../src/lib/run/defaults.ts';

const DAY = 86_400_000;

describe('operating policy', () => {
  it('defaults to the top 10%', () => {
    expect(DEFAULT_POLICY).toEqual({ kind: 'topPct', topPct: 10 });
    expect(policyWords(DEFAULT_POLICY)).toBe('flag the top 10% of cases by score');
    expect(policyWords({ kind: 'capacity', perMonth: 40 }, 'referrals')).toBe('flag as many referrals as the team can review: 40 a month');
    expect(policyWords({ kind: 'threshold', threshold: 0.35 })).toBe('flag every case with a score of 0.35 or more');
  });

  it('capacity is per month of the TEST side, not all rows over 12', () => {
    // 1,000 test cases over exactly 4 months (122 days: Jan 1 to May 2 inclusive of the first day):
    const dates = Float64Array.from({ length: 1000 }, (_, i) => Date.UTC(2024, 0, 1) + Math.floor((i * 122) / 1000) * DAY);
    const months = monthsSpanned(dates)!;
    expect(months).toBeCloseTo(122 / (365.25 / 12), 9);
    const scores = Float64Array.from({ length: 1000 }, (_, i) => 1 - i / 1000);
    const r = resolvePolicy({ kind: 'capacity', perMonth: 40 }, scores, months);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.nTarget).toBe(Math.floor(40 * months)); // 160, not 40 × 1000/12...
    expect(r.value.threshold).toBe(scores[r.value.nTarget - 1]);
    expect(r.value.topPct).toBeCloseTo((100 * r.value.nTarget) / 1000, 12);
  });

  it('refuses a capacity without dates, with a message saying why', () => {
    const r = resolvePolicy({ kind: 'capacity', perMonth: 40 }, Float64Array.of(0.1, 0.2), null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/decision dates/);
  });

  it('refuses invalid policies as data', () => {
    for (const p of [{ kind: 'topPct', topPct: 0 }, { kind: 'topPct', topPct: 101 }, { kind: 'threshold', threshold: NaN }, { kind: 'capacity', perMonth: -1 }] as const) {
      expect(resolvePolicy(p, Float64Array.of(0.5), 1).ok).toBe(false);
    }
  });

  it('top K% resolves to the DESIGN.md top-K rule and threshold counts cases at or above it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (xs, k) => {
        const scores = Float64Array.from(xs);
        const r = resolvePolicy({ kind: 'topPct', topPct: k }, scores, null);
        if (!r.ok) return false;
        const flagged = xs.filter((x) => x >= r.value.threshold!).length;
        const t = resolvePolicy({ kind: 'threshold', threshold: r.value.threshold! }, scores, null);
        return r.value.nTarget === Math.max(1, Math.ceil((xs.length * k) / 100 - 1e-9)) && t.ok && t.value.nTarget === flagged && flagged >= r.value.nTarget;
      }),
    );
  });

  it('takes the older options when no policy is given', () => {
    expect(policyFromOptions({ threshold: 0.3 }, DEFAULT_POLICY)).toEqual({ kind: 'threshold', threshold: 0.3 });
    expect(policyFromOptions({ topPct: 5 }, DEFAULT_POLICY)).toEqual({ kind: 'topPct', topPct: 5 });
    expect(policyFromOptions({}, DEFAULT_POLICY)).toBe(DEFAULT_POLICY);
  });
});
