/**
 * Reliability diagram and expected calibration error. Bins are scikit-learn's
 * `calibration_curve(strategy="uniform")`: edges i/nBins, a score on an inner edge falls
 * in the lower bin (numpy searchsorted, side left); empty bins are left out.
 */
import { AppFailure } from '../errors.ts';
import { assertScoreInputs } from './ranking.ts';
import { isProbability } from './metrics.ts';

export const DEFAULT_CALIBRATION_BINS = 10;

export interface CalibrationCurve {
  /** Observed share of positives per non-empty bin (sklearn's prob_true). */
  probTrue: Float64Array;
  /** Mean score per non-empty bin (sklearn's prob_pred). */
  probPred: Float64Array;
  /** (Weighted) number of cases per non-empty bin. */
  count: Float64Array;
  /** Edges of each non-empty bin. */
  binLo: Float64Array;
  binHi: Float64Array;
}

/** Bin index (0..nBins−1) of each score, as numpy.searchsorted(edges[1:-1], s). */
export function calibrationBins(scores: Float64Array, nBins: number = DEFAULT_CALIBRATION_BINS): Uint16Array {
  assertBins(nBins);
  const step = 1 / nBins;
  const inner = new Float64Array(nBins - 1);
  // numpy.linspace(0, 1, nBins + 1) computes i·step, so use the same products.
  for (let i = 1; i < nBins; i++) inner[i - 1] = i * step;
  const out = new Uint16Array(scores.length);
  for (let k = 0; k < scores.length; k++) {
    const s = scores[k];
    let b = Math.min(nBins - 1, Math.max(0, Math.floor(s * nBins)));
    // Correct the estimate against the exact edges: bin b holds inner[b-1] < s <= inner[b].
    while (b > 0 && s <= inner[b - 1]) b--;
    while (b < nBins - 1 && s > inner[b]) b++;
    out[k] = b;
  }
  return out;
}

function assertBins(nBins: number): void {
  if (!Number.isInteger(nBins) || nBins < 1 || nBins > 1000) {
    throw new AppFailure({ code: 'invalid-bins', message: `invalid number of bins: ${nBins}` });
  }
}

/** Per-bin sums; null when a score lies outside [0, 1] (not a probability). */
function binSums(labels: Uint8Array, scores: Float64Array, nBins: number, weights?: Float64Array) {
  assertScoreInputs(labels, scores, weights);
  if (!isProbability(scores)) return null;
  const bins = calibrationBins(scores, nBins);
  const total = new Float64Array(nBins);
  const pos = new Float64Array(nBins);
  const sum = new Float64Array(nBins);
  for (let i = 0; i < scores.length; i++) {
    const w = weights ? weights[i] : 1;
    total[bins[i]] += w;
    pos[bins[i]] += w * labels[i];
    sum[bins[i]] += w * scores[i];
  }
  return { total, pos, sum };
}

/** Reliability diagram points; null when any score is outside [0, 1]. */
export function calibrationCurve(
  labels: Uint8Array,
  scores: Float64Array,
  nBins: number = DEFAULT_CALIBRATION_BINS,
  weights?: Float64Array,
): CalibrationCurve | null {
  const sums = binSums(labels, scores, nBins, weights);
  if (!sums) return null;
  const idx: number[] = [];
  for (let b = 0; b < nBins; b++) if (sums.total[b] > 0) idx.push(b);
  const pick = (f: (b: number) => number) => Float64Array.from(idx, f);
  return {
    probTrue: pick((b) => sums.pos[b] / sums.total[b]),
    probPred: pick((b) => sums.sum[b] / sums.total[b]),
    count: pick((b) => sums.total[b]),
    binLo: pick((b) => b / nBins),
    binHi: pick((b) => (b + 1) / nBins),
  };
}

/** ECE = Σ_b (n_b / n) · |observed_b − mean score_b| over the same bins. Null when empty,
 *  total weight 0 or any score outside [0, 1]. */
export function expectedCalibrationError(
  labels: Uint8Array,
  scores: Float64Array,
  nBins: number = DEFAULT_CALIBRATION_BINS,
  weights?: Float64Array,
): number | null {
  const sums = binSums(labels, scores, nBins, weights);
  if (!sums) return null;
  return eceFromBinSums(sums.total, sums.pos, sums.sum);
}

export function eceFromBinSums(total: Float64Array, pos: Float64Array, sum: Float64Array): number | null {
  let n = 0;
  for (let b = 0; b < total.length; b++) n += total[b];
  if (!(n > 0)) return null;
  let e = 0;
  for (let b = 0; b < total.length; b++) {
    if (total[b] > 0) e += (total[b] / n) * Math.abs(pos[b] / total[b] - sum[b] / total[b]);
  }
  return e;
}
