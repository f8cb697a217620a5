/**
 * Decision value and calibration by group.
 *
 * Decision-curve analysis (Vickers & Elkin 2006): at a threshold probability pt, acting on
 * everyone whose risk is pt or more is worth
 *     net benefit = TP/n − FP/n · pt / (1 − pt),
 * i.e. true positives found, less false positives weighted by the odds at which a person would
 * be indifferent between acting and not. It is compared with "flag all"
 * (prevalence − (1 − prevalence) · pt / (1 − pt)) and "flag none" (0). Only meaningful when
 * the scores are probabilities.
 *
 * Calibration by group: the calibration intercept (calibration-in-the-large, slope fixed at 1)
 * and the calibration slope, each a logistic regression of the outcome on logit(score)
 * (external/recalibration.ts, the same fit as statsmodels' Logit), with Wald 95% intervals.
 */
import type { CalibrationBin, CalibrationFitRecord, DecisionCurve, Estimate } from '../bundle/schema.ts';
import { calibrationSummary } from '../external/recalibration.ts';
import { calibrationCurve } from './calibration.ts';
import { rateEstimate } from './intervals.ts';
import { isProbability } from './metrics.ts';
import { rankingCheck } from './minimums.ts';

/** Threshold probabilities of the curve: 1%, 2%, ..., 50% (acting on a risk above one in two is rare in this field). */
export const DECISION_THRESHOLDS: readonly number[] = Array.from({ length: 50 }, (_, i) => (i + 1) / 100);

/** Net benefit of the model, of flagging all and (0) of flagging none at each threshold; null when the scores are not probabilities or there is no case. */
export function decisionCurve(labels: Uint8Array, scores: Float64Array, thresholds: readonly number[] = DECISION_THRESHOLDS): DecisionCurve | null {
  const n = labels.length;
  if (n === 0 || !isProbability(scores)) return null;
  // Sort once (descending score) and walk the thresholds from high to low.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const prevalence = positives / n;
  const ascending = thresholds.map((t, k) => [t, k] as const).sort((a, b) => b[0] - a[0]);
  const model: number[] = new Array(thresholds.length);
  let tp = 0;
  let fp = 0;
  let j = 0;
  for (const [t, k] of ascending) {
    while (j < n && scores[order[j]] >= t) {
      if (labels[order[j]] === 1) tp++;
      else fp++;
      j++;
    }
    model[k] = tp / n - (fp / n) * (t / (1 - t));
  }
  return {
    thresholds: [...thresholds],
    model,
    all: thresholds.map((t) => prevalence - (1 - prevalence) * (t / (1 - t))),
    n,
    prevalence,
  };
}

/** The thresholds at which the model's net benefit beats both flagging all and flagging none. */
export function usefulRange(c: DecisionCurve): { from: number; to: number } | null {
  let from: number | null = null;
  let to: number | null = null;
  c.thresholds.forEach((t, k) => {
    const m = c.model[k];
    const all = c.all[k];
    if (m !== null && all !== null && m > Math.max(0, all) + 1e-12) {
      from ??= t;
      to = t;
    }
  });
  return from === null || to === null ? null : { from, to };
}

/** Calibration intercept and slope with Wald intervals; null when the scores are not probabilities.
 *  Below the ranking minimums (10 positives and 10 negatives) the values stand without an
 *  interval and read "too few to evaluate". */
export function calibrationFit(labels: Uint8Array, scores: Float64Array): CalibrationFitRecord | null {
  if (labels.length === 0 || !isProbability(scores)) return null;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const enough = rankingCheck(positives, labels.length).enough;
  const s = calibrationSummary(labels, scores);
  const withMethod = (e: Estimate): Estimate =>
    !enough ? { value: e.value, lo: null, hi: null, method: 'none', tooFew: true } : { ...e, method: e.lo === null ? 'none' : 'logistic-wald' };
  return { intercept: withMethod(s.calibrationInTheLarge), slope: withMethod(s.calibrationSlope) };
}

/** Reliability diagram of a group: the sklearn bins, each observed share with its interval (intervals.ts `rateEstimate`). */
export function calibrationBinsWithIntervals(labels: Uint8Array, scores: Float64Array): CalibrationBin[] | null {
  const c = labels.length ? calibrationCurve(labels, scores) : null;
  if (!c) return null;
  return Array.from(c.count, (n, i) => {
    const positives = Math.round(c.probTrue[i] * n);
    return { lo: c.binLo[i], hi: c.binHi[i], n, positives, meanScore: c.probPred[i], observed: c.probTrue[i], observedInterval: rateEstimate(positives, n, undefined, 1 /* no bootstrap: a closed-form interval */) };
  });
}
