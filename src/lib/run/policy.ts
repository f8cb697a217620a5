/**
 * The operating policy: how the service would use the score. One policy is part of the run spec
 * and every number the report gives "at the policy" (results, subgroup disparities, verdicts,
 * criteria, the record) is computed at it.
 *
 * - threshold T: flag every case scoring T or more;
 * - top K%: flag the K% highest-scoring cases (DESIGN.md's top-K rule);
 * - capacity N a month: flag as many cases as the team can review over the TEST side's own
 *   date span, i.e. N × (its months); needs decision dates.
 */
import type { AppError, Result } from '../errors.ts';
import { topKTarget } from '../evaluate/operating-point.ts';

export type OperatingPolicy = { kind: 'threshold'; threshold: number } | { kind: 'topPct'; topPct: number } | { kind: 'capacity'; perMonth: number };

/** Milliseconds in an average calendar month (365.25 / 12 days). */
const MS_PER_MONTH = (365.25 / 12) * 86_400_000;
const MS_PER_DAY = 86_400_000;

/** The concrete cut a policy gives on one test side. */
export interface ResolvedPolicy {
  /** Cases on the test side. */
  nTest: number;
  /** Months spanned by the test side's decision dates (first to last day, inclusive); null without dates. */
  testMonths: number | null;
  /** Cases the policy aims to flag (ties at the cut are all flagged, so a few more may be). */
  nTarget: number;
  /** nTarget as a share of the test side, in percent: the top-K% rule that flags exactly nTarget. */
  topPct: number;
  /** Score at the cut (flag when score >= threshold); null when nothing can be flagged. */
  threshold: number | null;
}

/** A short plain-language description: "flag the top 10% of cases", "flag 40 cases a month". */
export function policyWords(policy: OperatingPolicy, unit = 'cases'): string {
  switch (policy.kind) {
    case 'threshold':
      return `flag every case with a score of ${formatNumber(policy.threshold)} or more`;
    case 'topPct':
      return `flag the top ${formatNumber(policy.topPct)}% of ${unit} by score`;
    case 'capacity':
      return `flag as many ${unit} as the team can review: ${formatNumber(policy.perMonth)} a month`;
  }
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-GB') : String(Number(x.toPrecision(6)));
}

/** What is wrong with a policy, or null. */
export function policyProblem(policy: OperatingPolicy): AppError | null {
  const bad = (message: string): AppError => ({ code: 'invalid-policy', message });
  switch (policy.kind) {
    case 'threshold':
      return Number.isFinite(policy.threshold) ? null : bad(`the score threshold must be a number, got ${policy.threshold}`);
    case 'topPct':
      return policy.topPct > 0 && policy.topPct <= 100 ? null : bad(`the top percentage must be above 0 and at most 100, got ${policy.topPct}`);
    case 'capacity':
      return Number.isFinite(policy.perMonth) && policy.perMonth > 0 ? null : bad(`the capacity must be a positive number of cases a month, got ${policy.perMonth}`);
    default:
      return bad('unknown operating policy');
  }
}

/**
 * Months spanned by the dates (ms since epoch; NaN = missing): from the first to the last day,
 * counting both, in average calendar months. Null when no date is known.
 */
export function monthsSpanned(dates: ArrayLike<number>): number | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    if (!Number.isFinite(d)) continue;
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (!Number.isFinite(lo)) return null;
  return (hi - lo + MS_PER_DAY) / MS_PER_MONTH;
}

/**
 * The policy's cut on a test side: `scores` are that side's scores, `testMonths` the months its
 * decision dates span (monthsSpanned), null without dates. A capacity needs dates and is refused
 * without them; an invalid policy is refused. Capacity: nTarget = floor(perMonth × testMonths),
 * at least 1 and at most every case (never more than the team can review).
 */
export function resolvePolicy(policy: OperatingPolicy, scores: Float64Array, testMonths: number | null): Result<ResolvedPolicy> {
  const problem = policyProblem(policy);
  if (problem) return { ok: false, error: problem };
  const n = scores.length;
  const sorted = Float64Array.from(scores).sort().reverse();
  const cutAt = (nTarget: number) => (nTarget > 0 ? sorted[nTarget - 1] : null);
  switch (policy.kind) {
    case 'threshold': {
      let nTarget = 0;
      while (nTarget < n && sorted[nTarget] >= policy.threshold) nTarget++;
      return { ok: true, value: { nTest: n, testMonths, nTarget, topPct: n ? (100 * nTarget) / n : 0, threshold: policy.threshold } };
    }
    case 'topPct': {
      const nTarget = topKTarget(n, policy.topPct);
      return { ok: true, value: { nTest: n, testMonths, nTarget, topPct: policy.topPct, threshold: cutAt(nTarget) } };
    }
    case 'capacity': {
      if (testMonths === null || !(testMonths > 0)) {
        return {
          ok: false,
          error: {
            code: 'no-dates-for-capacity',
            message: 'a capacity a month needs decision dates, to know how many months the test cases span; choose a decision date, or flag a top percentage or a score threshold instead',
          },
        };
      }
      const nTarget = n === 0 ? 0 : Math.min(n, Math.max(1, Math.floor(policy.perMonth * testMonths + 1e-9)));
      return { ok: true, value: { nTest: n, testMonths, nTarget, topPct: n ? (100 * nTarget) / n : 0, threshold: cutAt(nTarget) } };
    }
  }
}

/** The policy a spec asks for: `policy` when given, else the older options (a top share first,
 *  then a threshold), else the fallback. */
export function policyFromOptions(opts: { policy?: OperatingPolicy; threshold?: number; topPct?: number }, fallback: OperatingPolicy): OperatingPolicy {
  if (opts.policy) return opts.policy;
  if (opts.topPct !== undefined) return { kind: 'topPct', topPct: opts.topPct };
  if (opts.threshold !== undefined) return { kind: 'threshold', threshold: opts.threshold };
  return fallback;
}
