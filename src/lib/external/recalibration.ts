/**
 * Calibration of a model on someone else's cases, and its repair without retraining.
 *
 * With lp = logit(score), the usual checks of a model that travels (Van Calster et al. 2019):
 * - calibration-in-the-large: a in logit P(y=1) = a + lp (the slope fixed at 1, lp an offset);
 *   0 when the model predicts as many positives as there are, negative when it over-predicts;
 * - calibration slope: b in logit P(y=1) = a + b lp; 1 when the scores are neither too extreme
 *   (b < 1, typical of overfitting) nor too timid (b > 1).
 * Both are maximum-likelihood fits (Newton's method), with 95% Wald intervals from the observed
 * information, as `statsmodels.Logit(y, [1, lp]).fit()` and `GLM(..., offset=lp)` report them.
 *
 * Recalibration refits the same two numbers on this council's training side and applies them
 * to its test side: intercept only (the prevalence differs) or intercept and slope.
 */
import type { Estimate } from '../bundle/schema.ts';

/** Scores are clipped to [EPS, 1 - EPS] before the logit, so 0 and 1 stay finite. */
const EPS = 1e-12;
const Z95 = 1.959963984540054;
const MAX_ITER = 100;

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export interface CalibrationFit {
  /** Intercept a. */
  intercept: number;
  /** Slope b (1 when fixed). */
  slope: number;
  interceptSe: number;
  slopeSe: number | null;
}

const est = (value: number, se: number | null): Estimate =>
  se === null || !Number.isFinite(se) ? { value, lo: null, hi: null } : { value, lo: value - Z95 * se, hi: value + Z95 * se };

/** Log-odds of the scores (n). */
export function linearPredictor(scores: Float64Array): Float64Array {
  return Float64Array.from(scores, logit);
}

/**
 * Maximum-likelihood logistic fit of y on a + b·lp (b fixed at 1 when `fixSlope`). Null when
 * there is no case, only one outcome, or the fit does not converge (separation).
 */
export function fitCalibration(y: Uint8Array, lp: Float64Array, fixSlope: boolean): CalibrationFit | null {
  const n = y.length;
  if (n !== lp.length) throw new RangeError(`${n} labels for ${lp.length} scores`);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  if (n === 0 || pos === 0 || pos === n) return null;
  let a = 0;
  let b = 1;
  for (let iter = 0; iter < MAX_ITER; iter++) {
    // Gradient g and information H of the log-likelihood at (a, b).
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a + b * lp[i]);
      const r = y[i] - p;
      const w = p * (1 - p);
      ga += r;
      gb += r * lp[i];
      haa += w;
      hab += w * lp[i];
      hbb += w * lp[i] * lp[i];
    }
    let da: number, db: number;
    if (fixSlope) {
      if (!(haa > 0)) return null;
      da = ga / haa;
      db = 0;
    } else {
      const det = haa * hbb - hab * hab;
      if (!(det > 0)) return null;
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    }
    a += da;
    b += db;
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > 50 || Math.abs(b) > 50) return null;
    if (Math.abs(da) < 1e-12 * (1 + Math.abs(a)) && Math.abs(db) < 1e-12 * (1 + Math.abs(b))) {
      // Standard errors from the information at the solution.
      let haa2 = 0, hab2 = 0, hbb2 = 0;
      for (let i = 0; i < n; i++) {
        const p = sigmoid(a + b * lp[i]);
        const w = p * (1 - p);
        haa2 += w;
        hab2 += w * lp[i];
        hbb2 += w * lp[i] * lp[i];
      }
      if (fixSlope) return { intercept: a, slope: 1, interceptSe: 1 / Math.sqrt(haa2), slopeSe: null };
      const det = haa2 * hbb2 - hab2 * hab2;
      return { intercept: a, slope: b, interceptSe: Math.sqrt(hbb2 / det), slopeSe: Math.sqrt(haa2 / det) };
    }
  }
  return null;
}

export interface CalibrationSummary {
  /** a with the slope fixed at 1 (0 = as many predicted as observed). */
  calibrationInTheLarge: Estimate;
  /** b of the two-parameter fit (1 = neither too extreme nor too timid). */
  calibrationSlope: Estimate;
  /** Mean score and observed share of positives. */
  meanScore: number | null;
  observed: number | null;
}

const NONE: Estimate = { value: null, lo: null, hi: null };

/** Calibration-in-the-large and calibration slope of `scores` against `y`, with 95% Wald intervals. */
export function calibrationSummary(y: Uint8Array, scores: Float64Array): CalibrationSummary {
  const lp = linearPredictor(scores);
  const citl = fitCalibration(y, lp, true);
  const slope = fitCalibration(y, lp, false);
  let s = 0, pos = 0;
  for (let i = 0; i < y.length; i++) {
    s += scores[i];
    pos += y[i];
  }
  return {
    calibrationInTheLarge: citl ? est(citl.intercept, citl.interceptSe) : NONE,
    calibrationSlope: slope ? est(slope.slope, slope.slopeSe) : NONE,
    meanScore: y.length ? s / y.length : null,
    observed: y.length ? pos / y.length : null,
  };
}

export type RecalibrationMethod = 'intercept' | 'intercept and slope';

/** The recalibrated scores sigmoid(a + b·logit(score)). */
export function recalibrate(scores: Float64Array, fit: Pick<CalibrationFit, 'intercept' | 'slope'>): Float64Array {
  return Float64Array.from(scores, (s) => sigmoid(fit.intercept + fit.slope * logit(s)));
}

/** Fit a recalibration on (y, scores) of a training side; null when it cannot be fitted. */
export function fitRecalibration(y: Uint8Array, scores: Float64Array, method: RecalibrationMethod): CalibrationFit | null {
  return fitCalibration(y, linearPredictor(scores), method === 'intercept');
}
