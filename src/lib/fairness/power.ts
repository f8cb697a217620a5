/**
 * Verdicts on a disparity ratio and, when the answer is "inconclusive", how many
 * cases in the group would settle it.
 */
import type { Verdict } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';

/** The band of ratios (group / reference) counted as "no disparity beyond tolerance". */
export interface Tolerance {
  lower: number;
  upper: number;
}
export const DEFAULT_TOLERANCE: Tolerance = { lower: 0.8, upper: 1.25 };

/** z for a two-sided 95% interval, and for 80% power. */
const Z_ALPHA = 1.959963984540054;
const Z_POWER = 0.8416212335729143;

/** Throws AppFailure ('invalid-tolerance') for a band that is not 0 < lower <= 1 <= upper: it is the analyst's input. */
export function checkTolerance(t: Tolerance): void {
  if (!(t.lower > 0 && t.lower <= 1 && t.upper >= 1 && Number.isFinite(t.upper))) {
    throw new AppFailure({ code: 'invalid-tolerance', message: `invalid tolerance: [${t.lower}, ${t.upper}] must satisfy 0 < lower <= 1 <= upper` });
  }
}

/**
 * The verdict for a ratio's interval [lo, hi]: 'disparity' when it lies wholly
 * outside the tolerance band (hi < lower or lo > upper), 'no disparity' when wholly
 * inside (lower <= lo and hi <= upper), else 'inconclusive'. Null when there is no
 * interval (the ratio is undefined in too many replicates to say anything).
 */
export function verdictFor(lo: number | null, hi: number | null, tolerance: Tolerance = DEFAULT_TOLERANCE): Verdict | null {
  if (lo === null || hi === null || Number.isNaN(lo) || Number.isNaN(hi)) return null;
  if (hi < tolerance.lower || lo > tolerance.upper) return 'disparity';
  if (lo >= tolerance.lower && hi <= tolerance.upper) return 'no disparity';
  return 'inconclusive';
}

/**
 * Cases needed in the group for the interval to settle the verdict, at 80% power.
 *
 * Method. On the log scale the ratio is roughly normal, with a standard error `se`
 * that we estimate from the bootstrap (the spread of the replicate log ratios, passed
 * in). The standard error of a ratio of two rates is dominated by the smaller group
 * (the reference is the largest by default), so we take it to shrink as 1/sqrt(n) in
 * the group's size n: SE(m) = se * sqrt(n / m). A verdict needs the 95% interval to
 * clear the nearest tolerance bound b (the nearer of lower/upper to the estimate,
 * whichever side the estimate is on: crossing it is what keeps the answer open), and
 * to do so in 80% of repeated studies the distance must satisfy
 *     |log(ratio) - log(b)| >= (z_0.975 + z_0.80) * SE(m),
 * giving m = n * ((1.96 + 0.84) * se / |log(ratio) - log(b)|)^2, rounded up.
 *
 * Null when the ratio is undefined or not positive, when se is unknown, or when the
 * estimate sits exactly on a bound (no amount of data separates it from the bound).
 * The answer is at least n + 1: the normal approximation can claim fewer cases than
 * the group already has while the percentile interval still straddles the bound,
 * and "more than you have" is then the honest floor.
 */
export function casesNeeded(
  ratio: number | null,
  seLogRatio: number | null,
  n: number,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
): number | null {
  if (ratio === null || !(ratio > 0) || !Number.isFinite(ratio)) return null;
  if (seLogRatio === null || !Number.isFinite(seLogRatio) || seLogRatio <= 0 || !(n > 0)) return null;
  const logR = Math.log(ratio);
  const distance = Math.min(Math.abs(logR - Math.log(tolerance.lower)), Math.abs(logR - Math.log(tolerance.upper)));
  if (distance === 0) return null;
  const m = n * ((Z_ALPHA + Z_POWER) * seLogRatio / distance) ** 2;
  if (!Number.isFinite(m)) return null;
  return Math.max(n + 1, Math.ceil(m));
}

/**
 * Sample standard deviation of the logs of the finite, positive ratios in `ratios`; null
 * with fewer than 2. A replicate in which the group's rate is 0 has no log and is skipped,
 * which understates the spread for very small groups (those are flagged `small` anyway).
 */
export function seOfLogRatio(ratios: ArrayLike<number>): number | null {
  let k = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < ratios.length; i++) {
    const r = ratios[i];
    if (!(r > 0) || !Number.isFinite(r)) continue;
    const x = Math.log(r);
    k++;
    const d = x - mean;
    mean += d / k;
    m2 += d * (x - mean);
  }
  return k < 2 ? null : Math.sqrt(m2 / (k - 1));
}
