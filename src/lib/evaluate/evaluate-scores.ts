/**
 * The one call the app, the CLI and the bundle use for a score vector: every headline
 * metric and both operating points, each with a stratified bootstrap 95% interval.
 *
 * Defaults: threshold 0.5 (DEFAULT_THRESHOLD), top 10% (DEFAULT_TOP_PCT), 1000 replicates,
 * seed 1, 10 calibration bins. Within each replicate the top-K% cut is recomputed on the
 * resampled cases (the policy is "review the top K%", not "review above this score").
 *
 * Speed: the cases are sorted once; each replicate is a weight vector and one pass over the
 * sorted cases (see ranking.ts), so 1000 replicates over 24,000 cases take well under a second.
 */
import type { CalibrationFitRecord, CurveSet, DecisionCurve, Estimate, MinimumCheck, ModelResult, OperatingPointResult, TopKResult } from '../bundle/schema.ts';
import { AppFailure, type CancelToken, throwIfCancelled } from '../errors.ts';
import { assertReplicates, DEFAULT_REPLICATES, DEFAULT_SEED, estimateOf, statisticRange, weightSampler } from './bootstrap.ts';
import { runHere, type Bootstrapping, type ReplicateRange, type ScoresJob } from './replicate-job.ts';
import { calibrationBins, calibrationCurve, DEFAULT_CALIBRATION_BINS, eceFromBinSums, type CalibrationCurve } from './calibration.ts';
import { precisionRecallCurveOf, rocCurveOf, type PrCurve, type RocCurve } from './curves.ts';
import { bootstrapOrNone, rankingEstimate, rateIntervals, RATE_INTERVAL_KEYS, type RateKey } from './intervals.ts';
import { rankingCheck } from './minimums.ts';
import { calibrationFit, decisionCurve } from './decision-curve.ts';
import { brierLosses, isProbability, logLosses, weightedMean } from './metrics.ts';
import { assertTopPct, confusionAt, confusionAtTopK, DEFAULT_THRESHOLD, DEFAULT_TOP_PCT, topKTarget } from './operating-point.ts';
import {
  assertScoreInputs,
  averagePrecisionFromSums,
  groupsAtOrAbove,
  groupSums,
  rankingOf,
  rocAucFromSums,
  type Ranking,
} from './ranking.ts';

export interface EvaluateOptions {
  /** Flag when score >= threshold. Default 0.5. */
  threshold?: number;
  /** Flag the top K% of scores. Default 10. */
  topPct?: number;
  /** Bootstrap replicates. Default 1000; 0 gives point estimates with null intervals. */
  replicates?: number;
  /** Default 1. */
  seed?: number;
  /** Cluster (e.g. child) code per case: whole clusters are resampled. */
  clusters?: Int32Array;
  cancel?: CancelToken;
  /** Called about 20 times during the bootstrap and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Calibration bins. Default 10. */
  calibrationBins?: number;
}

export interface ScoreEvaluation {
  n: number;
  positives: number;
  /** Whether there are enough positives and negatives for ranking metrics (minimums.ts). */
  minimums: MinimumCheck;
  /** Calibration intercept and slope, and net benefit across thresholds; null unless the scores are probabilities. */
  calibrationFit: CalibrationFitRecord | null;
  decisionCurve: DecisionCurve | null;
  metrics: ModelResult['metrics'] & { logLoss: Estimate; ece: Estimate };
  atThreshold: OperatingPointResult;
  topK: TopKResult;
  /** Full-resolution curves for local charts (never put these in a shareable bundle). */
  curves: { pr: PrCurve; roc: RocCurve; calibration: CalibrationCurve | null };
  replicates: number;
  seed: number;
}

// Column layout of one replicate's statistics.
const AP = 0, AUC = 1, BRIER = 2, LOGLOSS = 3, ECE = 4, THR = 5, TOPK = 10, NSTAT = 15;

const rate = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Precomputed per-group quantities: every case in a tied-score group shares its score, so its
 *  Brier and log-loss terms and its calibration bin depend only on the group and the label.
 *  A replicate is then one pass over the cases (weighted counts per group) and one over groups. */
interface Kernel {
  r: Ranking;
  thresholdGroups: number;
  topPct: number;
  probabilities: boolean;
  /** Per group: Brier term (y − s)² for y = 1 and y = 0, log-loss term for y = 1 and y = 0, bin. */
  brier1: Float64Array;
  brier0: Float64Array;
  logLoss1: Float64Array;
  logLoss0: Float64Array;
  bin: Uint16Array;
  binTotal: Float64Array;
  binPos: Float64Array;
  binSum: Float64Array;
}

function kernelOf(labels: Uint8Array, scores: Float64Array, threshold: number, topPct: number, nBins: number): Kernel {
  const r = rankingOf(labels, scores);
  const probabilities = isProbability(scores);
  const G = r.groupEnd.length;
  const s = r.groupScore;
  const ones = new Uint8Array(G).fill(1);
  const zeros = new Uint8Array(G);
  return {
    r,
    thresholdGroups: groupsAtOrAbove(r, threshold),
    topPct,
    probabilities,
    brier1: probabilities ? brierLosses(ones, s) : new Float64Array(0),
    brier0: probabilities ? brierLosses(zeros, s) : new Float64Array(0),
    logLoss1: probabilities ? logLosses(ones, s) : new Float64Array(0),
    logLoss0: probabilities ? logLosses(zeros, s) : new Float64Array(0),
    bin: probabilities ? calibrationBins(s, nBins) : new Uint16Array(0),
    binTotal: new Float64Array(nBins),
    binPos: new Float64Array(nBins),
    binSum: new Float64Array(nBins),
  };
}

/** All statistics of one replicate into out[o..o+NSTAT). weightsSorted[k] is the weight of
 *  case order[k] (all 1 for the point estimate). One fused pass over the cases, group by group:
 *  at 24,000 cases × 1000 replicates the number of passes is what costs. */
function replicateStats(K: Kernel, weightsSorted: Float64Array, out: Float64Array, o: number): void {
  const { r, probabilities, brier1, brier0, logLoss1, logLoss0, bin, binTotal, binPos, binSum } = K;
  const { sortedLabels, groupEnd, groupScore } = r;
  const G = groupEnd.length;
  // The total weight first: this replicate's top-K target depends on it.
  let W = 0;
  for (let k = 0; k < weightsSorted.length; k++) W += weightsSorted[k];
  const nTarget = topKTarget(W, K.topPct);
  const thrGroups = K.thresholdGroups;
  let thrTp = 0, thrFp = 0, topTp = 0, topFp = 0;
  let topDone = nTarget === 0;
  let cumTp = 0, cumFp = 0, ap = 0, area = 0, brier = 0, ll = 0;
  if (probabilities) {
    binTotal.fill(0);
    binPos.fill(0);
    binSum.fill(0);
  }
  // Groups come in descending score, so each calibration bin is one run of groups: sum the run
  // in locals and store once per bin (no read-modify-write chain through the arrays).
  let cur = G > 0 && probabilities ? bin[0] : 0;
  let bt = 0, bp = 0, bs = 0;
  let k = 0;
  for (let g = 0; g < G; g++) {
    let t = 0;
    let all = 0;
    const end = groupEnd[g];
    for (; k < end; k++) {
      const w = weightsSorted[k];
      all += w;
      t += w * sortedLabels[k];
    }
    const f = all - t;
    area += f * (cumTp + t / 2);
    cumTp += t;
    cumFp += f;
    if (t > 0) ap += (t * cumTp) / (cumTp + cumFp);
    if (probabilities) {
      brier += t * brier1[g] + f * brier0[g];
      ll += t * logLoss1[g] + f * logLoss0[g];
      const b = bin[g];
      if (b !== cur) {
        binTotal[cur] = bt;
        binPos[cur] = bp;
        binSum[cur] = bs;
        bt = bp = bs = 0;
        cur = b;
      }
      bt += all;
      bp += t;
      bs += all * groupScore[g];
    }
    if (g + 1 === thrGroups) (thrTp = cumTp), (thrFp = cumFp);
    if (!topDone && cumTp + cumFp >= nTarget) {
      topTp = cumTp;
      topFp = cumFp;
      topDone = true;
    }
  }
  const P = cumTp;
  const N = cumFp;
  out[o + AP] = P > 0 ? ap / P : NaN;
  out[o + AUC] = P > 0 && N > 0 ? area / P / N : NaN;
  if (probabilities) {
    if (G > 0) {
      binTotal[cur] = bt;
      binPos[cur] = bp;
      binSum[cur] = bs;
    }
    out[o + BRIER] = W > 0 ? brier / W : NaN;
    out[o + LOGLOSS] = W > 0 ? ll / W : NaN;
    out[o + ECE] = eceFromBinSums(binTotal, binPos, binSum) ?? NaN;
  } else {
    out[o + BRIER] = out[o + LOGLOSS] = out[o + ECE] = NaN;
  }
  // Operating points: the threshold cut is a fixed number of groups; the top-K cut is the first
  // group at which the cumulative weight reaches n_target (ties at the cut all flagged).
  writeRates(out, o + THR, thrTp, thrFp, P, N);
  writeRates(out, o + TOPK, topTp, topFp, P, N);
}

function permuted(x: Int32Array, order: Uint32Array): Int32Array {
  if (x.length !== order.length) {
    throw new AppFailure({ code: 'length-mismatch', message: `clusters (${x.length}) and labels (${order.length}) differ in length` });
  }
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = x[order[k]];
  return out;
}

function writeRates(out: Float64Array, o: number, tp: number, fp: number, P: number, N: number): void {
  out[o] = rate(tp, tp + fp); // precision
  out[o + 1] = rate(tp, P); // recall
  out[o + 2] = rate(fp, N); // fpr
  out[o + 3] = rate(P - tp, P); // fnr
  out[o + 4] = rate(tp + fp, P + N); // flagged rate
}

/** Metrics, operating points and curves of one score vector, with bootstrap intervals.
 *  Throws AppFailure for invalid input (see ranking.ts `scoreInputProblem`) and `Cancelled`
 *  when `opts.cancel` is set during the bootstrap. */
export function evaluateScores(labels: Uint8Array, scores: Float64Array, opts: EvaluateOptions = {}): ScoreEvaluation {
  return runHere(evaluateScoresSteps(labels, scores, opts));
}

/** The replicates [from, to) of a kernel: one weight vector and one fused pass each. */
function scoresRange(K: Kernel, seed: number, sortedClusters: Int32Array | undefined, replicates: number): ReplicateRange {
  // Resample in sorted order (same distribution as resampling cases) so that each replicate
  // reads its weights sequentially instead of gathering them through the sort permutation.
  const sample = weightSampler(K.r.sortedLabels, seed, sortedClusters);
  const w = new Float64Array(K.r.sortedLabels.length);
  const every = Math.max(1, Math.ceil(replicates / 20));
  return (from, to, out, control) => {
    for (let b = from; b < to; b++) {
      if (b % every === 0) {
        throwIfCancelled(control?.cancel);
        if (b > from) control?.onProgress?.(b - from);
      }
      sample(w, b);
      replicateStats(K, w, out, (b - from) * NSTAT);
    }
  };
}

/** A scores job's replicates, for a worker: the same kernel evaluateScores builds. */
export function scoresReplicates(job: ScoresJob): ReplicateRange {
  const K = kernelOf(job.labels, job.scores, job.threshold, job.topPct, job.bins);
  return scoresRange(K, job.seed, job.clusters ? permuted(job.clusters, K.r.order) : undefined, job.replicates);
}

/** evaluateScores as steps: its bootstrap is yielded (replicate-job.ts) so a pool can compute it. */
export function* evaluateScoresSteps(labels: Uint8Array, scores: Float64Array, opts: EvaluateOptions = {}): Bootstrapping<ScoreEvaluation> {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const topPct = opts.topPct ?? DEFAULT_TOP_PCT;
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const nBins = opts.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
  if (Number.isNaN(threshold)) throw new AppFailure({ code: 'invalid-threshold', message: `invalid threshold: ${threshold}` });
  assertTopPct(topPct);
  assertReplicates(replicates);
  assertScoreInputs(labels, scores);

  const K = kernelOf(labels, scores, threshold, topPct, nBins);
  const point = new Float64Array(NSTAT);
  replicateStats(K, new Float64Array(labels.length).fill(1), point, 0);

  const sortedClusters = opts.clusters ? permuted(opts.clusters, K.r.order) : undefined;
  const job: ScoresJob = { kind: 'scores', labels, scores, seed, replicates, width: NSTAT, threshold, topPct, bins: nBins, ...(opts.clusters ? { clusters: opts.clusters } : {}) };
  const table = yield {
    job,
    onProgress: opts.onProgress,
    here: () => {
      const out = new Float64Array(replicates * NSTAT);
      scoresRange(K, seed, sortedClusters, replicates)(0, replicates, out, { cancel: opts.cancel, onProgress: (done) => opts.onProgress?.(done, replicates) });
      opts.onProgress?.(replicates, replicates);
      return out;
    },
  };

  const column = (j: number) => {
    const c = new Float64Array(replicates);
    for (let b = 0; b < replicates; b++) c[b] = table[b * NSTAT + j];
    return c;
  };
  const valueAt = (j: number) => (Number.isNaN(point[j]) ? null : point[j]);
  const est = (j: number): Estimate => bootstrapOrNone(valueAt(j), column(j), replicates);
  const drawsOf = (o: number) => (key: RateKey) => column(o + RATE_INTERVAL_KEYS.indexOf(key));

  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const n = labels.length;
  const minimums = rankingCheck(positives, n);
  const atThreshold = confusionAt(labels, scores, threshold);
  const topK = confusionAtTopK(labels, scores, topPct);
  return {
    n,
    positives,
    minimums,
    calibrationFit: calibrationFit(labels, scores),
    decisionCurve: decisionCurve(labels, scores),
    metrics: {
      averagePrecision: rankingEstimate(valueAt(AP), column(AP), replicates, minimums.enough),
      rocAuc: rankingEstimate(valueAt(AUC), column(AUC), replicates, minimums.enough),
      brier: est(BRIER),
      prevalence: n > 0 ? positives / n : null,
      logLoss: est(LOGLOSS),
      ece: est(ECE),
    },
    atThreshold: { ...atThreshold, intervals: rateIntervals(atThreshold, drawsOf(THR), replicates, opts.clusters !== undefined) },
    topK: { ...topK, intervals: rateIntervals(topK, drawsOf(TOPK), replicates, opts.clusters !== undefined) },
    curves: { pr: precisionRecallCurveOf(K.r), roc: rocCurveOf(K.r), calibration: calibrationCurve(labels, scores, nBins) },
    replicates,
    seed,
  };
}

export type PairedMetric = 'averagePrecision' | 'rocAuc' | 'brier';

export interface PairedOptions {
  metric: PairedMetric;
  replicates?: number;
  seed?: number;
  clusters?: Int32Array;
}

/** Paired bootstrap of a metric difference (model A − model B on the same cases): both score
 *  vectors are reweighted by the same replicate, so shared case difficulty cancels. For Brier
 *  a negative difference means A is better. Null value when either metric is undefined. */
export function pairedDifference(labels: Uint8Array, scoresA: Float64Array, scoresB: Float64Array, opts: PairedOptions): Estimate {
  return runHere(pairedDifferenceSteps(labels, scoresA, scoresB, opts));
}

/** pairedDifference as steps (replicate-job.ts). */
export function* pairedDifferenceSteps(labels: Uint8Array, scoresA: Float64Array, scoresB: Float64Array, opts: PairedOptions): Bootstrapping<Estimate> {
  assertScoreInputs(labels, scoresA);
  assertScoreInputs(labels, scoresB);
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  assertReplicates(replicates);
  const metricOf = pairedMetric(labels, scoresA, scoresB, opts.metric);
  const seed = opts.seed ?? DEFAULT_SEED;
  const values = yield {
    job: { kind: 'statistic', labels, seed, replicates, width: 1, statistic: { of: 'paired', a: scoresA, b: scoresB, metric: opts.metric }, ...(opts.clusters ? { clusters: opts.clusters } : {}) },
    here: () => {
      const out = new Float64Array(replicates);
      statisticRange(labels, metricOf, seed, opts.clusters)(0, replicates, out);
      return out;
    },
  };
  return estimateOf(metricOf(undefined), values);
}

/** The statistic of a paired job, for a worker. */
export function pairedStatistic(labels: Uint8Array, a: Float64Array, b: Float64Array, metric: PairedMetric): (w?: Float64Array) => number | null {
  assertScoreInputs(labels, a);
  assertScoreInputs(labels, b);
  return pairedMetric(labels, a, b, metric);
}

function pairedMetric(labels: Uint8Array, a: Float64Array, b: Float64Array, metric: PairedMetric): (w?: Float64Array) => number | null {
  if (metric === 'brier') {
    if (!isProbability(a) || !isProbability(b)) return () => null;
    const la = brierLosses(labels, a);
    const lb = brierLosses(labels, b);
    return (w) => {
      const x = weightedMean(la, w);
      const y = weightedMean(lb, w);
      return x === null || y === null ? null : x - y;
    };
  }
  if (metric !== 'averagePrecision' && metric !== 'rocAuc') {
    throw new AppFailure({ code: 'invalid-metric', message: `invalid metric: ${String(metric)}` });
  }
  const f = metric === 'averagePrecision' ? averagePrecisionFromSums : rocAucFromSums;
  const ra = rankingOf(labels, a);
  const rb = rankingOf(labels, b);
  const sa = groupSums(ra);
  const sb = groupSums(rb);
  return (w) => {
    const x = f(groupSums(ra, w, sa));
    const y = f(groupSums(rb, w, sb));
    return x === null || y === null ? null : x - y;
  };
}

/** Full-resolution curves in the bundle's point form (for the local report only; disclosure
 *  control summarises them before sharing). */
export function curveSetOf(ev: ScoreEvaluation): CurveSet {
  const { pr, roc, calibration } = ev.curves;
  return {
    pr: Array.from(pr.precision, (p, i) => ({ recall: pr.recall[i], precision: p, threshold: i < pr.thresholds.length ? pr.thresholds[i] : null })),
    roc: Array.from(roc.fpr, (f, i) => ({ fpr: f, tpr: roc.tpr[i], threshold: roc.thresholds[i] })),
    calibration: calibration
      ? Array.from(calibration.count, (c, i) => ({
          lo: calibration.binLo[i],
          hi: calibration.binHi[i],
          n: c,
          positives: Math.round(calibration.probTrue[i] * c),
          meanScore: calibration.probPred[i],
          observed: calibration.probTrue[i],
        }))
      : [],
    grid: false,
  };
}

/** A bundle ModelResult from an evaluation (subgroups and verdict are filled by their owners). */
export function modelResultOf(ev: ScoreEvaluation, model: ModelResult['model'], features: ModelResult['features']): ModelResult {
  return { model, features, metrics: ev.metrics, atThreshold: ev.atThreshold, topK: ev.topK, subgroups: [], verdict: null, curves: curveSetOf(ev), minimums: ev.minimums,
    ...(ev.calibrationFit ? { calibrationFit: ev.calibrationFit } : {}), ...(ev.decisionCurve ? { decisionCurve: ev.decisionCurve } : {}) };
}
