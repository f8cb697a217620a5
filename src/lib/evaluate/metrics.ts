/**
 * Headline metrics with scikit-learn's conventions (DESIGN.md "Metric conventions").
 * Inputs: labels Uint8Array (n) of 0/1, scores Float64Array (n), optional non-negative
 * case weights Float64Array (n) (e.g. bootstrap multiplicities; absent = all 1).
 * Every function returns null when the metric is undefined for the input, and throws
 * AppFailure for a caller's bug (length mismatch, NaN score, label not 0/1, negative weight).
 */
import { assertScoreInputs, averagePrecisionFromSums, groupSums, rankingOf, rocAucFromSums } from './ranking.ts';

/** Average precision, step-wise as scikit-learn: Σ_k (R_k − R_{k−1}) P_k over distinct
 *  thresholds. Ties in score form one threshold. Null when there is no positive (weight)
 *  (scikit-learn returns 0 with a warning there; a metric of nothing is not 0). */
export function averagePrecision(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): number | null {
  assertScoreInputs(labels, scores, weights);
  return averagePrecisionFromSums(groupSums(rankingOf(labels, scores), weights));
}

/** ROC AUC with ties counted half (trapezoidal, as roc_auc_score). Null unless both classes
 *  have positive weight (scikit-learn raises there). */
export function rocAuc(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): number | null {
  assertScoreInputs(labels, scores, weights);
  return rocAucFromSums(groupSums(rankingOf(labels, scores), weights));
}

/** True when every score is a probability, i.e. within [0, 1]. */
export function isProbability(scores: Float64Array): boolean {
  for (let i = 0; i < scores.length; i++) if (!(scores[i] >= 0 && scores[i] <= 1)) return false;
  return true;
}

/** Mean of w·(y − p)² / Σw. Null when empty, total weight 0, or any score outside [0, 1]
 *  (a vendor's 1-10 decile is not a probability; scikit-learn raises there). */
export function brierScore(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): number | null {
  assertScoreInputs(labels, scores, weights);
  if (!isProbability(scores)) return null;
  const loss = brierLosses(labels, scores);
  return weightedMean(loss, weights);
}

/** Per-case squared error (y − p)². */
export function brierLosses(labels: Uint8Array, scores: Float64Array): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i] - scores[i];
    out[i] = d * d;
  }
  return out;
}

/** Machine epsilon for float64: scikit-learn's log_loss(eps="auto") clips to [eps, 1 − eps]. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Per-case log loss exactly as scikit-learn 1.2 computes it: clip p to [eps, 1 − eps], form
 *  the row [1 − p, p], renormalise it by its (floating-point) sum, take −log of the true class. */
export function logLosses(labels: Uint8Array, scores: Float64Array): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(scores[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    const q = 1 - p;
    const s = q + p;
    out[i] = -Math.log((labels[i] === 1 ? p : q) / s);
  }
  return out;
}

/** Mean log loss (natural log) with scikit-learn's clipping convention (`LOG_LOSS_EPS`). Null
 *  when empty, total weight 0, or any score outside [0, 1]. Unlike scikit-learn it does not
 *  refuse a single-class outcome: the loss is well defined there (sklearn's labels=[0, 1]). */
export function logLoss(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): number | null {
  assertScoreInputs(labels, scores, weights);
  if (!isProbability(scores)) return null;
  return weightedMean(logLosses(labels, scores), weights);
}

/** Σ w·x / Σ w (plain mean without weights); null when the total weight is 0. */
export function weightedMean(x: Float64Array, weights?: Float64Array): number | null {
  let sum = 0;
  let wsum = 0;
  if (weights) {
    for (let i = 0; i < x.length; i++) {
      sum += weights[i] * x[i];
      wsum += weights[i];
    }
  } else {
    for (let i = 0; i < x.length; i++) sum += x[i];
    wsum = x.length;
  }
  return wsum > 0 ? sum / wsum : null;
}

/** Share of positives (the chance line of a precision-recall curve); null when empty. */
export function prevalence(labels: Uint8Array, weights?: Float64Array): number | null {
  let pos = 0;
  let tot = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1;
    pos += w * labels[i];
    tot += w;
  }
  return tot > 0 ? pos / tot : null;
}
