/**
 * Intervals that cannot collapse into false certainty:
 *
 * - a rate x/d (precision, FPR, FNR...): Wilson when both x and d − x are at least
 *   MINIMUMS.bootstrapEvents, else the exact Clopper-Pearson interval (coverage at least 95% for
 *   every true rate, Clopper & Pearson 1934); with clustered cases, the cluster bootstrap unless
 *   it is degenerate or a count is small (see `rateEstimate`);
 * - a ratio of two rates of disjoint groups (a group against the reference): the Katz log
 *   interval (Katz et al. 1978), 0.5 added to a zero count; with clustered cases the paired
 *   cluster bootstrap unless it is degenerate or a count is small;
 * - ranking metrics, Brier score and the like: the bootstrap percentile interval, or none when
 *   the bootstrap is degenerate (too few defined replicates or too few distinct values).
 *
 * Every interval says which method gave it (`method`), so the report can say so.
 */
import type { Estimate, IntervalMethod, OperatingPointResult } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';
import { MINIMUMS } from './minimums.ts';
import { percentileInterval } from './bootstrap.ts';

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

// ------------------------------------------------------------------ special functions

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < 8; i++) a += LANCZOS[i] / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b), a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The p-quantile of Beta(a, b), by bisection to 1e-13 (monotone, so always converges). */
export function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-14; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ------------------------------------------------------------------ closed-form intervals

function assertCounts(x: number, d: number): void {
  if (!(Number.isFinite(x) && Number.isFinite(d) && x >= 0 && d >= x)) {
    throw new AppFailure({ code: 'invalid-counts', message: `invalid counts for a rate: ${x} of ${d}` });
  }
}

/** Exact (Clopper-Pearson) 95% interval of x/d; nulls when d is 0. Non-integer (weighted) counts are accepted. */
export function clopperPearson(x: number, d: number, level = 0.95): { lo: number | null; hi: number | null } {
  assertCounts(x, d);
  if (d === 0) return { lo: null, hi: null };
  const a = (1 - level) / 2;
  const lo = x === 0 ? 0 : betaQuantile(a, x, d - x + 1);
  const hi = x === d ? 1 : betaQuantile(1 - a, x + 1, d - x);
  return { lo, hi };
}

/** Wilson score 95% interval of x/d; nulls when d is 0. */
export function wilson(x: number, d: number, z = Z95): { lo: number | null; hi: number | null } {
  assertCounts(x, d);
  if (d === 0) return { lo: null, hi: null };
  const p = x / d;
  const z2 = z * z;
  const centre = (p + z2 / (2 * d)) / (1 + z2 / d);
  const half = (z * Math.sqrt((p * (1 - p)) / d + z2 / (4 * d * d))) / (1 + z2 / d);
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Katz log 95% interval of the ratio (x1/d1) / (x2/d2) of two independent rates:
 * exp(log ratio ± z·sqrt(1/x1 − 1/d1 + 1/x2 − 1/d2)). A zero count gets 0.5 added to it and to
 * its denominator (so a group with none of something still gets an honest, wide interval).
 * Nulls when a denominator is 0 or the reference count is 0 (the ratio is then undefined).
 */
export function katzLogRatio(x1: number, d1: number, x2: number, d2: number, z = Z95): { lo: number | null; hi: number | null } {
  assertCounts(x1, d1);
  assertCounts(x2, d2);
  if (d1 === 0 || d2 === 0 || x2 === 0) return { lo: null, hi: null };
  const fix = (x: number, d: number): [number, number] => (x === 0 ? [0.5, d + 0.5] : [x, d]);
  const [a, n1] = fix(x1, d1);
  const [c, n2] = fix(x2, d2);
  const logRatio = Math.log(a / n1) - Math.log(c / n2);
  const se = Math.sqrt(Math.max(0, 1 / a - 1 / n1 + 1 / c - 1 / n2));
  return { lo: Math.exp(logRatio - z * se), hi: Math.exp(logRatio + z * se) };
}

// ------------------------------------------------------------------ degenerate bootstraps

export interface BootstrapShape {
  /** Replicates in which the statistic was defined (finite). */
  defined: number;
  /** Distinct finite values among them (counted up to MINIMUMS.bootstrapDistinct). */
  distinct: number;
  /** Why the percentile interval cannot be trusted, or null when it can. */
  problem: 'too few defined' | 'too few distinct values' | 'zero width' | null;
}

/** How trustworthy a bootstrap distribution is (NaN and infinities = undefined replicates). */
export function bootstrapShape(draws: ArrayLike<number>, replicates: number = draws.length): BootstrapShape {
  let defined = 0;
  const seen = new Set<number>();
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i];
    if (!Number.isFinite(v)) continue;
    defined++;
    if (seen.size < MINIMUMS.bootstrapDistinct) seen.add(v);
  }
  const distinct = seen.size;
  let problem: BootstrapShape['problem'] = null;
  if (defined < 2 || defined < MINIMUMS.bootstrapDefinedShare * replicates) problem = 'too few defined';
  else if (distinct < MINIMUMS.bootstrapDistinct) problem = 'too few distinct values';
  return { defined, distinct, problem };
}

/** The percentile interval of the defined draws when the distribution is trustworthy, else null. */
export function trustedPercentile(draws: ArrayLike<number> | undefined, replicates: number): { lo: number; hi: number; defined: number } | null {
  if (!draws || replicates === 0) return null;
  const shape = bootstrapShape(draws, replicates);
  if (shape.problem) return null;
  const finite: number[] = [];
  for (let i = 0; i < draws.length; i++) if (Number.isFinite(draws[i])) finite.push(draws[i]);
  const { lo, hi } = percentileInterval(finite);
  if (lo === null || hi === null || !(hi > lo)) return null;
  return { lo, hi, defined: shape.defined };
}

// ------------------------------------------------------------------ choosing

/**
 * The interval of a rate x/d. Without clusters the cases are independent and the rate is a
 * binomial proportion given its denominator: Wilson when x and d − x are both at least
 * MINIMUMS.bootstrapEvents, else the exact Clopper-Pearson interval. (The percentile bootstrap
 * was measured to under-cover precision in groups of 100, at about 90%; Wilson and
 * Clopper-Pearson cover at least 94%: see the coverage test.) With clusters (a child's several
 * referrals) the cases are not independent, and the cluster bootstrap is used unless a count is
 * small or the replicates collapse, then Clopper-Pearson. Value null (and no interval) when d
 * is 0; no interval either when no replicates were asked for (point estimates only).
 */
export function rateEstimate(x: number, d: number, draws: ArrayLike<number> | undefined, replicates: number, clustered = false): Estimate {
  if (!(d > 0)) return { value: null, lo: null, hi: null, method: 'none' };
  const value = x / d;
  if (replicates === 0) return { value, lo: null, hi: null, method: 'none' };
  const small = Math.min(x, d - x) < MINIMUMS.bootstrapEvents;
  if (!small && !clustered) {
    const w = wilson(x, d);
    return { value, lo: w.lo, hi: w.hi, method: 'wilson' };
  }
  if (!small) {
    const b = trustedPercentile(draws, replicates);
    if (b) return { value, lo: b.lo, hi: b.hi, method: 'bootstrap' };
  }
  const cp = clopperPearson(x, d);
  return { value, lo: cp.lo, hi: cp.hi, method: 'clopper-pearson' };
}

/** The interval of any other statistic: bootstrap percentile when trustworthy, else none. */
export function bootstrapOrNone(value: number | null, draws: ArrayLike<number> | undefined, replicates: number): Estimate {
  if (value === null) return { value: null, lo: null, hi: null, method: 'none' };
  const b = trustedPercentile(draws, replicates);
  return b ? { value, lo: b.lo, hi: b.hi, method: 'bootstrap' } : { value, lo: null, hi: null, method: 'none' };
}

export const RATE_INTERVAL_KEYS = ['precision', 'recall', 'fpr', 'fnr', 'flaggedRate'] as const;
export type RateKey = (typeof RATE_INTERVAL_KEYS)[number];

/** AP or AUC: below the ranking minimums the value is kept but has no interval and reads "too few to evaluate". */
export function rankingEstimate(value: number | null, draws: Float64Array | undefined, replicates: number, enough: boolean): Estimate {
  if (!enough) return { value, lo: null, hi: null, method: 'none', tooFew: true };
  return bootstrapOrNone(value, draws, replicates);
}

/** Each rate with its interval (see `rateEstimate`). */
export function rateIntervals(op: OperatingPointResult, drawsOf: (key: RateKey) => Float64Array | undefined, replicates: number, clustered = false): NonNullable<OperatingPointResult['intervals']> {
  const { tp, fp, fn, tn } = op;
  const intervals: NonNullable<OperatingPointResult['intervals']> = {};
  if (tp === null || fp === null || fn === null || tn === null) return intervals;
  const counts: Record<RateKey, [number, number]> = {
    precision: [tp, tp + fp],
    recall: [tp, tp + fn],
    fpr: [fp, fp + tn],
    fnr: [fn, tp + fn],
    flaggedRate: [tp + fp, tp + fp + fn + tn],
  };
  for (const key of RATE_INTERVAL_KEYS) intervals[key] = rateEstimate(counts[key][0], counts[key][1], drawsOf(key), replicates, clustered);
  return intervals;
}

/** Label used in reports and on the pages for each interval method. */
export const INTERVAL_METHOD_WORDS: Record<IntervalMethod, string> = {
  bootstrap: 'bootstrap percentile (stratified by outcome)',
  'clopper-pearson': 'exact binomial (Clopper-Pearson)',
  wilson: 'Wilson score',
  'katz-log': 'Katz log ratio',
  'logistic-wald': 'Wald, from the logistic fit',
  none: 'no interval',
};
