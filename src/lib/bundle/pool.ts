/**
 * Random-effects meta-analysis across bundles, so councils can learn together without pooling a
 * single record: each bundle contributes one estimate and its standard error.
 *
 * Conventions (docs/bundle-schema.md, "Pooling"):
 * - Proportions are pooled on the logit scale and reported back on the proportion scale.
 * - Average precision and ROC AUC: y = logit(value), SE = (logit(hi) − logit(lo)) / (2 · 1.95996),
 *   from the bundle's 95% bootstrap interval (bounds clamped to [1e-6, 1 − 1e-6]).
 * - Rates at an operating point (precision, recall, FNR, FPR, flagged rate): y = logit(rate) with the
 *   bundle's rate (computed on unrounded counts); SE = 1 / sqrt(n · p · (1 − p)) with n the rate's
 *   denominator from the (possibly rounded) counts; when p is 0 or 1, p = (x + 0.5) / (n + 1).
 *   When the counts are withheld but the rate has an interval, the SE comes from the interval;
 *   otherwise the bundle is left out and listed in `excluded` with the reason.
 * - τ²: DerSimonian–Laird (default) or REML (Fisher-scoring fixed point, Viechtbauer 2005).
 *   Q is Cochran's, with weights 1/v; I² = max(0, (Q − df) / Q) (Higgins & Thompson 2002)
 *   whichever τ² estimator is used.
 * - CI: normal, or Hartung–Knapp–Sidik–Jonkman with t(k − 1) when `hartungKnapp`.
 * - Prediction interval (k ≥ 3): μ ± t(k − 2) · sqrt(τ² + SE(μ)²) (Higgins, Thompson & Spiegelhalter 2009).
 */
import { type Result, ok, fail } from '../errors.ts';
import type { Bundle, Estimate, ModelResult, OperatingPointResult } from './schema.ts';

export interface Study {
  label: string;
  /** Estimate on the analysis scale (logit for proportions). */
  y: number;
  /** Its standard error (> 0). */
  se: number;
}

export type PoolMethod = 'DL' | 'REML';

export interface PoolOptions {
  method?: PoolMethod;
  hartungKnapp?: boolean;
  /** Confidence level of the intervals. Default 0.95. */
  level?: number;
}

export interface MetaAnalysis {
  method: PoolMethod;
  hartungKnapp: boolean;
  level: number;
  k: number;
  /** Pooled mean on the analysis scale, its SE and confidence interval. */
  estimate: number;
  se: number;
  lo: number;
  hi: number;
  /** Prediction interval for a new council's value; null when k < 3. */
  predictionLo: number | null;
  predictionHi: number | null;
  tau2: number;
  /** Cochran's Q, its degrees of freedom and upper-tail p-value. */
  q: number;
  df: number;
  pQ: number;
  /** Percent. */
  i2: number;
  /** Random-effects weights, summing to 1, in the order of the studies. */
  weights: number[];
}

/** Random-effects pooling of `studies`. Fails for fewer than 2 studies or a non-positive SE. */
export function randomEffects(studies: Study[], opts: PoolOptions = {}): Result<MetaAnalysis> {
  const method = opts.method ?? 'DL';
  const level = opts.level ?? 0.95;
  const hk = opts.hartungKnapp ?? false;
  const k = studies.length;
  if (k < 2) return fail({ code: 'pool-too-few', message: `pooling needs at least 2 estimates, found ${k}` });
  for (const s of studies) {
    if (!Number.isFinite(s.y) || !(s.se > 0) || !Number.isFinite(s.se)) {
      return fail({ code: 'pool-bad-study', message: `estimate for ${s.label} is not usable (y ${s.y}, SE ${s.se})` });
    }
  }
  const y = studies.map((s) => s.y);
  const v = studies.map((s) => s.se * s.se);
  const w0 = v.map((x) => 1 / x);
  const sw0 = sum(w0);
  const muFixed = sum(w0.map((w, i) => w * y[i])) / sw0;
  const q = sum(w0.map((w, i) => w * (y[i] - muFixed) ** 2));
  const df = k - 1;
  let tau2 = Math.max(0, (q - df) / (sw0 - sum(w0.map((w) => w * w)) / sw0));
  if (method === 'REML') tau2 = remlTau2(y, v, tau2);
  const w = v.map((x) => 1 / (x + tau2));
  const sw = sum(w);
  const mu = sum(w.map((wi, i) => wi * y[i])) / sw;
  let se = Math.sqrt(1 / sw);
  let crit = normalQuantile(1 - (1 - level) / 2);
  if (hk) {
    se = Math.sqrt(sum(w.map((wi, i) => wi * (y[i] - mu) ** 2)) / ((k - 1) * sw));
    crit = tQuantile(1 - (1 - level) / 2, k - 1);
  }
  let predictionLo: number | null = null, predictionHi: number | null = null;
  if (k >= 3) {
    const half = tQuantile(1 - (1 - level) / 2, k - 2) * Math.sqrt(tau2 + se * se);
    predictionLo = mu - half;
    predictionHi = mu + half;
  }
  return ok({
    method, hartungKnapp: hk, level, k, estimate: mu, se, lo: mu - crit * se, hi: mu + crit * se,
    predictionLo, predictionHi, tau2, q, df, pQ: chiSquareSf(q, df), i2: q > 0 ? Math.max(0, (q - df) / q) * 100 : 0,
    weights: w.map((wi) => wi / sw),
  });
}

/** REML τ² by the fixed-point iteration τ² = Σw²((y−μ)² − v)/Σw² + 1/Σw, truncated at 0. */
function remlTau2(y: number[], v: number[], start: number): number {
  let tau2 = start;
  for (let iter = 0; iter < 1000; iter++) {
    const w = v.map((x) => 1 / (x + tau2));
    const sw = sum(w);
    const mu = sum(w.map((wi, i) => wi * y[i])) / sw;
    const sw2 = sum(w.map((wi) => wi * wi));
    const next = Math.max(0, sum(w.map((wi, i) => wi * wi * ((y[i] - mu) ** 2 - v[i]))) / sw2 + 1 / sw);
    if (Math.abs(next - tau2) < 1e-14 * Math.max(1, tau2)) return next;
    tau2 = next;
  }
  return tau2;
}

const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);

// --- distributions -------------------------------------------------------------------------

/** ln Γ(x), x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let term = 1 / a, s = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      s += term;
      if (Math.abs(term) < Math.abs(s) * 1e-16) break;
    }
    return 1 - s * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  // Continued fraction (modified Lentz).
  let b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(X > x) for X ~ χ²(df). */
export function chiSquareSf(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** Regularized incomplete beta I_x(a, b). */
export function betaInc(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - betaInc(1 - x, b, a);
  // Continued fraction (Numerical Recipes betacf, modified Lentz).
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < 1e-300) d = 1e-300;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = 1 + aa / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return (front * h) / a;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * betaInc(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  const half = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? 1 - half : half;
}

function bisect(f: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid; else hi = mid;
    if (hi - lo < 1e-15 * Math.max(1, Math.abs(mid))) break;
  }
  return (lo + hi) / 2;
}

/** The p-quantile of the standard normal. */
export function normalQuantile(p: number): number {
  if (p === 0.975) return 1.959963984540054;
  return bisect(normalCdf, p, -40, 40);
}

/** The p-quantile of Student's t with df degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  return bisect((t) => tCdf(t, df), p, -1e4, 1e4);
}

// --- bundles ---------------------------------------------------------------------------------

export type PoolMetric = 'averagePrecision' | 'rocAuc' | 'precision' | 'recall' | 'fnr' | 'fpr' | 'flaggedRate';
/** The fixed points of the DESIGN contract (score threshold, top K%), or the run's own operating policy (`atPolicy`, when the bundle has it). */
export type OperatingPointName = 'atThreshold' | 'topK' | 'atPolicy';
const OPERATING_POINT_WORDS: Record<OperatingPointName, string> = { atThreshold: 'at the score threshold', topK: 'in the top K%', atPolicy: 'at the operating policy' };

export interface PoolBundlesOptions extends PoolOptions {
  metric: PoolMetric;
  /** Which model's results to pool; may be omitted when every bundle holds exactly one. */
  model?: ModelResult['model'];
  /** For rates. Default 'atThreshold'. */
  operatingPoint?: OperatingPointName;
  /** Names for the bundles (default: each bundle's data name). */
  labels?: string[];
}

export interface PooledStudy extends Study {
  /** On the proportion scale, as reported in the bundle. */
  value: number;
  source: 'interval' | 'counts';
  weight: number;
}

export interface PooledMetric {
  metric: PoolMetric;
  model: string | null;
  operatingPoint: OperatingPointName | null;
  scale: 'logit';
  analysis: MetaAnalysis;
  /** Back on the proportion scale. */
  pooled: { value: number; lo: number; hi: number; predictionLo: number | null; predictionHi: number | null };
  studies: PooledStudy[];
  excluded: { label: string; reason: string }[];
}

export const logit = (p: number) => Math.log(p / (1 - p));
export const expit = (x: number) => 1 / (1 + Math.exp(-x));
const Z95 = 1.959963984540054;
const EPS = 1e-6;
const clampP = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));

const RATE_COUNTS: Record<Exclude<PoolMetric, 'averagePrecision' | 'rocAuc'>, (o: OperatingPointResult) => [number | null, number | null]> = {
  precision: (o) => [o.tp, o.nFlagged ?? sumOrNull(o.tp, o.fp)],
  recall: (o) => [o.tp, sumOrNull(o.tp, o.fn)],
  fnr: (o) => [o.fn, sumOrNull(o.tp, o.fn)],
  fpr: (o) => [o.fp, sumOrNull(o.fp, o.tn)],
  flaggedRate: (o) => [o.nFlagged, sumOrNull(o.tp, o.fp, o.fn, o.tn)],
};
function sumOrNull(...xs: (number | null)[]): number | null {
  return xs.every((x) => x !== null && Number.isFinite(x)) ? (xs as number[]).reduce((a, b) => a + b, 0) : null;
}

/** One bundle's estimate on the logit scale, or why it cannot be used. */
export function studyFromResult(r: ModelResult, label: string, metric: PoolMetric, operatingPoint: OperatingPointName = 'atThreshold'): { study: Omit<PooledStudy, 'weight'> } | { reason: string } {
  const fromInterval = (e: Estimate | undefined): { study: Omit<PooledStudy, 'weight'> } | { reason: string } => {
    if (!e || e.value === null) return { reason: `${metric} is withheld or undefined` };
    if (e.lo === null || e.hi === null) return { reason: `${metric} has no interval` };
    const se = (logit(clampP(e.hi)) - logit(clampP(e.lo))) / (2 * Z95);
    if (!(se > 0)) return { reason: `${metric} has a zero-width interval` };
    return { study: { label, y: logit(clampP(e.value)), se, value: e.value, source: 'interval' } };
  };
  if (metric === 'averagePrecision' || metric === 'rocAuc') return fromInterval(r.metrics?.[metric]);
  const op = r[operatingPoint] as OperatingPointResult | undefined;
  if (!op || typeof op !== 'object') return { reason: `no results ${OPERATING_POINT_WORDS[operatingPoint]}` };
  const [x, n] = RATE_COUNTS[metric](op);
  const rate = (op as unknown as Record<string, number | null | undefined>)[metric];
  if (n !== null && n > 0 && x !== null) {
    let p = rate ?? x / n;
    if (p <= 0 || p >= 1) p = (x + 0.5) / (n + 1);
    return { study: { label, y: logit(p), se: 1 / Math.sqrt(n * p * (1 - p)), value: rate ?? x / n, source: 'counts' } };
  }
  const viaInterval = fromInterval(op.intervals?.[metric as keyof NonNullable<OperatingPointResult['intervals']>]);
  if ('study' in viaInterval) return viaInterval;
  return { reason: `${metric} counts are withheld and there is no interval` };
}

/** Random-effects pooling of one metric of one model across bundles. */
export function poolBundles(bundles: Bundle[], opts: PoolBundlesOptions): Result<PooledMetric> {
  const studies: Omit<PooledStudy, 'weight'>[] = [];
  const excluded: { label: string; reason: string }[] = [];
  const isRate = opts.metric !== 'averagePrecision' && opts.metric !== 'rocAuc';
  const opName = opts.operatingPoint ?? 'atThreshold';
  bundles.forEach((b, i) => {
    const label = opts.labels?.[i] ?? b.data?.name ?? `bundle ${i + 1}`;
    const candidates = opts.model ? b.results.filter((r) => r.model === opts.model) : b.results;
    if (candidates.length !== 1) {
      excluded.push({ label, reason: opts.model ? `${candidates.length === 0 ? 'no' : 'more than one'} ${opts.model} result` : 'holds several models: name one' });
      return;
    }
    const s = studyFromResult(candidates[0], label, opts.metric, opName);
    if ('reason' in s) excluded.push({ label, reason: s.reason });
    else studies.push(s.study);
  });
  const analysis = randomEffects(studies, opts);
  if (!analysis.ok) {
    const why = excluded.length ? ` (left out: ${excluded.map((e) => `${e.label}: ${e.reason}`).join('; ')})` : '';
    return fail({ ...analysis.error, message: analysis.error.message + why });
  }
  const a = analysis.value;
  return ok({
    metric: opts.metric, model: opts.model ?? null, operatingPoint: isRate ? opName : null, scale: 'logit', analysis: a,
    pooled: {
      value: expit(a.estimate), lo: expit(a.lo), hi: expit(a.hi),
      predictionLo: a.predictionLo === null ? null : expit(a.predictionLo), predictionHi: a.predictionHi === null ? null : expit(a.predictionHi),
    },
    studies: studies.map((s, i) => ({ ...s, weight: a.weights[i] })),
    excluded,
  });
}
