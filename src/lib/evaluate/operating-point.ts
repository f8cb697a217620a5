/**
 * Operating points (DESIGN.md): "threshold T" flags score >= T; "top K%" flags the
 * n_target = max(1, ceil(n·K/100)) highest scores, ties at the cut all flagged.
 * Counts may be fractional when case weights are given.
 */
import type { OperatingPointResult, TopKResult } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';
import { assertScoreInputs } from './ranking.ts';

/** Default operating points when the analyst gives none. */
export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_TOP_PCT = 10;

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Counts and rates from a confusion table; rates null when their denominator is 0. */
export function operatingPointFromCounts(threshold: number | null, tp: number, fp: number, fn: number, tn: number): OperatingPointResult {
  const n = tp + fp + fn + tn;
  return {
    threshold,
    nFlagged: tp + fp,
    tp,
    fp,
    fn,
    tn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    fpr: ratio(fp, fp + tn),
    fnr: ratio(fn, tp + fn),
    flaggedRate: ratio(tp + fp, n),
    falseOmissionRate: ratio(fn, fn + tn),
  };
}

/** Confusion at "flag when score >= threshold". */
export function confusionAt(labels: Uint8Array, scores: Float64Array, threshold: number, weights?: Float64Array): OperatingPointResult {
  if (Number.isNaN(threshold)) throw new AppFailure({ code: 'invalid-threshold', message: `invalid threshold: ${threshold}` });
  assertScoreInputs(labels, scores, weights);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1;
    if (scores[i] >= threshold) {
      if (labels[i] === 1) tp += w;
      else fp += w;
    } else if (labels[i] === 1) fn += w;
    else tn += w;
  }
  return operatingPointFromCounts(threshold, tp, fp, fn, tn);
}

/** Throws for a top percentage outside (0, 100]. */
export function assertTopPct(topPct: number): void {
  if (!(topPct > 0 && topPct <= 100)) throw new AppFailure({ code: 'invalid-top-pct', message: `invalid top percentage: ${topPct}` });
}

/** max(1, ceil(n·K/100)), with n·K/100 that is an integer up to rounding error (e.g.
 *  30 × 7.1 / 100) taken as that integer rather than rounded up. n may be a total weight. */
export function topKTarget(n: number, topPct: number): number {
  if (n <= 0) return 0;
  const x = (n * topPct) / 100;
  const r = Math.round(x);
  const t = Math.abs(x - r) <= 1e-9 * Math.max(1, x) ? r : Math.ceil(x);
  return Math.max(1, t);
}

/** The top-K% cut: nTarget as above and threshold = the nTarget-th highest score
 *  (+Infinity when there are no scores, so nothing is flagged). */
export function topKThreshold(scores: Float64Array, topPct: number): { nTarget: number; threshold: number } {
  assertTopPct(topPct);
  const n = scores.length;
  const nTarget = topKTarget(n, topPct);
  if (nTarget === 0) return { nTarget, threshold: Infinity };
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new AppFailure({ code: 'missing-score', message: 'a score is missing (NaN)', row: i + 1 });
  }
  const sorted = Float64Array.from(scores).sort();
  return { nTarget, threshold: sorted[n - nTarget] };
}

/** Confusion when the top K% of scores are flagged (ties at the cut all flagged, so
 *  nFlagged >= nTarget). threshold is null when there are no cases. */
export function confusionAtTopK(labels: Uint8Array, scores: Float64Array, topPct: number): TopKResult {
  assertScoreInputs(labels, scores);
  const { nTarget, threshold } = topKThreshold(scores, topPct);
  const op = confusionAt(labels, scores, threshold);
  return { ...op, threshold: Number.isFinite(threshold) ? threshold : null, topPct, nTarget };
}

/** "We can review 40 cases a month" with 400 referrals a month → top 10%. Capped at 100. */
export function capacityToTopPct(casesPerPeriod: number, volumePerPeriod: number): number {
  if (!(casesPerPeriod > 0) || !Number.isFinite(casesPerPeriod)) {
    throw new AppFailure({ code: 'invalid-capacity', message: `invalid capacity: ${casesPerPeriod}` });
  }
  if (!(volumePerPeriod > 0) || !Number.isFinite(volumePerPeriod)) {
    throw new AppFailure({ code: 'invalid-volume', message: `invalid volume: ${volumePerPeriod}` });
  }
  return Math.min(100, (100 * casesPerPeriod) / volumePerPeriod);
}
