/**
 * The subgroup audit: for each attribute and group, how one global policy (a score
 * threshold, and the top K% of all cases) treats that group, how sure we are, and —
 * against a reference group — whether any difference exceeds a tolerance.
 *
 * Uncertainty comes from one stratified bootstrap over all cases: replicate r gives
 * every case a multiplicity w_r(i), and every group's metrics in replicate r use the
 * same w_r. So a group's metric and the reference's metric move together across
 * replicates and the interval of their ratio is a paired one. The policies are global:
 * the threshold is one number for everyone; the top-K% cut is computed on all cases (in
 * each replicate, on that replicate's resampled cases, as evaluateScores does, since the
 * policy is "review the top K%", not "review above this score") and then applied to
 * every group.
 */
import type { Disparity, DisparityMetric, Estimate, OperatingPointResult, SubgroupResult, TopKResult } from '../bundle/schema.ts';
import { AppFailure, throwIfCancelled, type CancelToken } from '../errors.ts';
import { averagePrecision, rocAuc } from '../evaluate/metrics.ts';
import { confusionAt, operatingPointFromCounts, topKTarget, topKThreshold } from '../evaluate/operating-point.ts';
import { weightSampler } from '../evaluate/bootstrap.ts';
import { runHere, type AuditJob, type Bootstrapping, type ReplicateRange } from '../evaluate/replicate-job.ts';
import { katzLogRatio, rankingEstimate, rateIntervals, trustedPercentile, Z95 } from '../evaluate/intervals.ts';
import { casesForCounts, MINIMUMS, rankingCheck } from '../evaluate/minimums.ts';
import { calibrationBinsWithIntervals, calibrationFit, decisionCurve } from '../evaluate/decision-curve.ts';
import { averagePrecisionFromSums, groupSumsSorted, groupsAtOrAbove, rankingOf, rocAucFromSums, type GroupSums, type Ranking } from '../evaluate/ranking.ts';
import { differenceOf, rateOf, ratioOf, referenceGroup } from './disparity.ts';
import { groupVector, isSmallGroup, DEFAULT_SMALL_CELL, type SmallCellRule } from './groups.ts';
import { DEFAULT_TOLERANCE, casesNeeded, checkTolerance, seOfLogRatio, verdictFor, type Tolerance } from './power.ts';

/** One attribute to audit: a value per case (n); blanks form the "Missing" group. */
export interface AuditAttribute {
  attribute: string;
  values: ArrayLike<string | null | undefined>;
  /** The reference group for disparities; default the largest group. */
  reference?: string;
}

export interface SubgroupAuditOptions {
  /** Global score threshold (flag when score >= threshold). */
  threshold: number;
  /** Global top-K% policy; its cut is computed on all cases. Default 10. */
  topPct?: number;
  /** Bootstrap replicates (default 1000; 0 = point estimates only, all intervals null). */
  replicates?: number;
  seed?: number;
  /** Cluster code per case, Int32Array (n), e.g. a coded child ID, so a child's cases are resampled together. */
  clusters?: Int32Array;
  tolerance?: Tolerance;
  smallCell?: SmallCellRule;
  cancel?: CancelToken;
  /** Called after each replicate (done of total); the caller throttles. */
  onProgress?: (done: number, total: number) => void;
}

/** A disparity with the paired interval of the difference too, and how many replicates defined the ratio. */
export interface DisparityDetail extends Disparity {
  differenceLo: number | null;
  differenceHi: number | null;
  /** Replicates in which both the group's and the reference's metric were defined. */
  replicatesDefined: number;
}

export const DISPARITY_METRICS: readonly DisparityMetric[] = ['fpr', 'fnr', 'precision', 'flaggedRate', 'averagePrecision'];

type RateKey = 'precision' | 'recall' | 'fpr' | 'fnr' | 'flaggedRate' | 'falseOmissionRate';
const RATE_KEYS: readonly RateKey[] = ['precision', 'recall', 'fpr', 'fnr', 'flaggedRate', 'falseOmissionRate'];

interface GroupData {
  group: string;
  index: Uint32Array;
  labels: Uint8Array;
  scores: Float64Array;
  /** The group's cases sorted once by score; replicates only reweight it. */
  ranking: Ranking;
  /** Position in the ranking of all cases of the group's k-th case in score order (where a
   *  replicate's weight of that case is; increasing, since both orders follow the score). */
  sortedIndex: Uint32Array;
  /** Number of leading tied-score groups flagged at the threshold, and at the current replicate's top-K% cut. */
  cutThr: number;
  cutTop: number;
  /** replicate values (NaN = undefined) by metric name. */
  draws: Record<string, Float64Array>;
}

function pick(values: Float64Array, index: Uint32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]];
  return out;
}

/** The top-K% cut score of one replicate: the score at which the cumulative (weighted)
 *  count of cases, highest first, reaches n_target (ties at the cut all flagged). */
function topKCutOf(all: Ranking, sums: GroupSums, topPct: number): number {
  let total = 0;
  for (let k = 0; k < sums.tp.length; k++) total += sums.tp[k] + sums.fp[k];
  const nTarget = topKTarget(total, topPct);
  if (nTarget === 0) return Infinity;
  let cum = 0;
  for (let k = 0; k < sums.tp.length; k++) {
    cum += sums.tp[k] + sums.fp[k];
    // Tolerance for weights summing to n_target up to rounding.
    if (cum >= nTarget - 1e-9) return all.groupScore[k];
  }
  return all.groupScore[all.groupScore.length - 1];
}

/** Confusion when the first `cut` tied-score groups of a ranking are flagged. */
function confusionFromSums(s: GroupSums, cut: number, threshold: number): OperatingPointResult {
  let tp = 0;
  let fp = 0;
  let P = 0;
  let N = 0;
  for (let k = 0; k < s.tp.length; k++) {
    if (k < cut) {
      tp += s.tp[k];
      fp += s.fp[k];
    }
    P += s.tp[k];
    N += s.fp[k];
  }
  return operatingPointFromCounts(threshold, tp, fp, P - tp, N - fp);
}

function nanIfNull(x: number | null | undefined): number {
  return x === null || x === undefined ? NaN : x;
}

/** Percentile interval of the defined draws, or nulls when the bootstrap is degenerate (see intervals.ts). */
function intervalOf(draws: Float64Array | undefined, replicates: number): { lo: number | null; hi: number | null; defined: number } {
  let defined = 0;
  if (draws) for (let r = 0; r < replicates; r++) if (Number.isFinite(draws[r])) defined++;
  const b = trustedPercentile(draws, replicates);
  return b ? { lo: b.lo, hi: b.hi, defined } : { lo: null, hi: null, defined };
}

function metricKey(metric: DisparityMetric, prefix: 'thr' | 'top'): string {
  return metric === 'averagePrecision' ? 'ap' : `${prefix}.${metric}`;
}

function metricValue(metric: DisparityMetric, s: SubgroupResult, op: OperatingPointResult): number | null {
  if (metric === 'averagePrecision') return s.averagePrecision.value;
  return op[metric] ?? null;
}

/** The count and denominator of a rate at an operating point (null for average precision). */
function countsOf(metric: DisparityMetric, op: OperatingPointResult): { x: number; d: number } | null {
  const { tp, fp, fn, tn } = op;
  if (tp === null || fp === null || fn === null || tn === null) return null;
  switch (metric) {
    case 'fpr': return { x: fp, d: fp + tn };
    case 'fnr': return { x: fn, d: tp + fn };
    case 'precision': return { x: tp, d: tp + fp };
    case 'flaggedRate': return { x: tp + fp, d: tp + fp + fn + tn };
    case 'averagePrecision': return null;
  }
}

function disparityOf(
  metric: DisparityMetric,
  prefix: 'thr' | 'top',
  g: GroupData,
  ref: GroupData,
  gResult: SubgroupResult,
  refResult: SubgroupResult,
  replicates: number,
  tolerance: Tolerance,
  clustered: boolean,
): DisparityDetail {
  const op = prefix === 'thr' ? gResult.atThreshold : gResult.topK;
  const refOp = prefix === 'thr' ? refResult.atThreshold : refResult.topK;
  const a = metricValue(metric, gResult, op);
  const b = metricValue(metric, refResult, refOp);
  const ratio = ratioOf(a, b);
  const difference = differenceOf(a, b);
  const key = metricKey(metric, prefix);
  const ga = g.draws[key];
  const rb = ref.draws[key];
  const ratios = new Float64Array(replicates);
  const diffs = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    ratios[r] = rb[r] === 0 ? NaN : ga[r] / rb[r];
    diffs[r] = ga[r] - rb[r];
  }
  const n = g.index.length;
  const gc = countsOf(metric, op);
  const rc = countsOf(metric, refOp);
  const nRef = ref.index.length;

  // Minimums: a group below the disclosure threshold gets no verdict at all; one whose rate has
  // too small a denominator (here or in the reference) is "too few to tell", never a verdict.
  let tooFew = n < MINIMUMS.groupCases;
  let neededForMinimums: number | null = null;
  if (metric === 'averagePrecision') {
    const gm = gResult.minimums ?? rankingCheck(gResult.positives ?? 0, n);
    const rm = refResult.minimums ?? rankingCheck(refResult.positives ?? 0, nRef);
    if (!gm.enough || !rm.enough) tooFew = true;
    if (tooFew) {
      const refPrev = nRef > 0 ? (refResult.positives ?? 0) / nRef : null;
      neededForMinimums = casesForCounts(n, [
        [gResult.positives ?? 0, MINIMUMS.rankingPositives, refPrev],
        [n - (gResult.positives ?? 0), MINIMUMS.rankingNegatives, refPrev === null ? null : 1 - refPrev],
        [n, MINIMUMS.groupCases],
      ]);
    }
  } else if (gc && rc) {
    if (gc.d < MINIMUMS.rateDenominator || rc.d < MINIMUMS.rateDenominator) tooFew = true;
    if (tooFew) neededForMinimums = casesForCounts(n, [[gc.d, MINIMUMS.rateDenominator, nRef > 0 ? rc.d / nRef : null], [n, MINIMUMS.groupCases]]);
  }

  // The interval: Katz for a ratio of two rates (groups are disjoint, so the rates are
  // independent); with clusters the paired cluster bootstrap unless it is degenerate or a count is small.
  let ri = intervalOf(ratios, replicates);
  let method: Disparity['method'] = ri.lo === null ? 'none' : 'bootstrap';
  if (gc && rc && ratio !== null && replicates > 0) {
    const small = Math.min(gc.x, gc.d - gc.x, rc.x, rc.d - rc.x) < MINIMUMS.bootstrapEvents;
    if (!clustered || small || ri.lo === null) {
      const k = katzLogRatio(gc.x, gc.d, rc.x, rc.d);
      ri = { lo: k.lo, hi: k.hi, defined: ri.defined };
      method = k.lo === null ? 'none' : 'katz-log';
    }
  }
  const di = intervalOf(diffs, replicates);
  let verdict: Disparity['verdict'] = ratio === null ? null : verdictFor(ri.lo, ri.hi, tolerance);
  if (n < MINIMUMS.groupCases) verdict = null;
  else if (tooFew && verdict !== null) verdict = 'inconclusive';
  let needed: number | null = null;
  if (verdict === 'inconclusive' || tooFew) {
    const se = method === 'katz-log' && ri.lo !== null && ri.hi !== null ? (Math.log(ri.hi) - Math.log(ri.lo)) / (2 * Z95) : seOfLogRatio(ratios);
    const power = ratio === null ? null : casesNeeded(ratio, se, n, tolerance);
    needed = tooFew ? (neededForMinimums === null ? power : Math.max(neededForMinimums, power ?? 0)) : power;
  }
  return {
    reference: ref.group,
    difference,
    ratio,
    lo: ri.lo,
    hi: ri.hi,
    verdict,
    casesNeeded: needed,
    method,
    ...(tooFew ? { tooFew: true } : {}),
    differenceLo: di.lo,
    differenceHi: di.hi,
    replicatesDefined: ri.defined,
  };
}

// One group's statistics in a replicate, in this order: AP, AUC, then the rates at the threshold and at the top-K% cut.
const DRAW_KEYS: readonly string[] = ['ap', 'auc', ...RATE_KEYS.map((k) => `thr.${k}`), ...RATE_KEYS.map((k) => `top.${k}`)];
const STATS_PER_GROUP = DRAW_KEYS.length;

/** Position of each case in the ranking of all cases (the inverse of `all.order`). */
function positionsOf(all: Ranking): Uint32Array {
  const pos = new Uint32Array(all.order.length);
  for (let k = 0; k < all.order.length; k++) pos[all.order[k]] = k;
  return pos;
}

/** The groups of one attribute (codes 0 .. levels − 1 per case), each sorted once by score.
 *  `pos` is each case's position in the ranking of all cases (positionsOf; null without replicates). */
function groupsOf(labels: Uint8Array, scores: Float64Array, pos: Uint32Array | null, codes: Int32Array, levels: readonly string[], threshold: number, topThreshold: number, replicates: number): GroupData[] {
  const members: number[][] = levels.map(() => []);
  for (let i = 0; i < codes.length; i++) members[codes[i]].push(i);
  return levels.map((group, k) => {
    const index = Uint32Array.from(members[k]);
    const draws: Record<string, Float64Array> = {};
    for (const key of DRAW_KEYS) draws[key] = new Float64Array(replicates);
    const gl = new Uint8Array(index.length);
    for (let j = 0; j < index.length; j++) gl[j] = labels[index[j]];
    const gs = pick(scores, index);
    const ranking = rankingOf(gl, gs);
    const sortedIndex = pos ? Uint32Array.from(ranking.order, (k) => pos[index[k]]) : new Uint32Array(0);
    return { group, index, labels: gl, scores: gs, ranking, sortedIndex, cutThr: groupsAtOrAbove(ranking, threshold), cutTop: groupsAtOrAbove(ranking, topThreshold), draws };
  });
}

function writeRates(out: Float64Array, o: number, op: OperatingPointResult): number {
  for (const key of RATE_KEYS) out[o++] = nanIfNull(op[key]);
  return o;
}

/** The replicates [from, to) of the audit: every group's statistics under one weight vector per
 *  replicate, drawn in the order of `all` (the ranking of all cases) as evaluateScores draws them,
 *  so overall and group metrics of replicate b reweight the same resample. */
function auditRange(
  all: Ranking,
  clusters: Int32Array | undefined,
  seed: number,
  threshold: number,
  topPct: number,
  perAttribute: readonly { groups: GroupData[] }[],
  width: number,
): ReplicateRange {
  const sortedClusters = clusters ? Int32Array.from(all.order, (i) => clusters[i]) : undefined;
  const sample = weightSampler(all.sortedLabels, seed, sortedClusters);
  const w = new Float64Array(all.n);
  const allSums: GroupSums = { tp: new Float64Array(all.groupEnd.length), fp: new Float64Array(all.groupEnd.length) };
  const fused = perAttribute.map((a) => fusedSums(all.n, a.groups));
  const labelsSorted = all.sortedLabels;
  return (from, to, out, control) => {
    for (let b = from; b < to; b++) {
      throwIfCancelled(control?.cancel);
      sample(w, b);
      groupSumsSorted(all, w, allSums);
      const cut = topKCutOf(all, allSums, topPct);
      let o = (b - from) * width;
      for (let a = 0; a < perAttribute.length; a++) {
        // One pass over all cases in score order adds each case's weight to its group's tied-score
        // group: the same sums as groupSumsSorted on each group's reweighted cases (integer weights,
        // added in the same order), without gathering the weights group by group.
        const { bucket, tp, fp } = fused[a];
        tp.fill(0);
        fp.fill(0);
        for (let k = 0; k < bucket.length; k++) {
          const x = w[k];
          const t = x * labelsSorted[k];
          const q = bucket[k];
          tp[q] += t;
          fp[q] += x - t;
        }
        const groups = perAttribute[a].groups;
        for (let j = 0; j < groups.length; j++) {
          const g = groups[j];
          const sums = fused[a].sums[j];
          g.cutTop = groupsAtOrAbove(g.ranking, cut);
          // Same values as averagePrecision/rocAuc on the group with these weights, without re-sorting per replicate.
          out[o++] = nanIfNull(averagePrecisionFromSums(sums));
          out[o++] = nanIfNull(rocAucFromSums(sums));
          // Same as confusionAt(g.labels, g.scores, t, wg): the flagged cases are the leading tied-score groups.
          o = writeRates(out, o, confusionFromSums(sums, g.cutThr, threshold));
          o = writeRates(out, o, confusionFromSums(sums, g.cutTop, cut));
        }
      }
      control?.onProgress?.(b - from + 1);
    }
  };
}

/** One attribute's groups' tied-score sums side by side: `bucket[k]` is where the case at position
 *  k of the ranking of all cases adds its weight; `sums[j]` views group j's part. */
function fusedSums(n: number, groups: readonly GroupData[]): { bucket: Uint32Array; tp: Float64Array; fp: Float64Array; sums: GroupSums[] } {
  const bucket = new Uint32Array(n);
  let total = 0;
  const offsets = groups.map((g) => {
    const off = total;
    total += g.ranking.groupEnd.length;
    return off;
  });
  const tp = new Float64Array(total);
  const fp = new Float64Array(total);
  groups.forEach((g, j) => {
    const { groupEnd } = g.ranking;
    for (let k = 0, t = 0; k < g.sortedIndex.length; k++) {
      while (k >= groupEnd[t]) t++;
      bucket[g.sortedIndex[k]] = offsets[j] + t;
    }
  });
  const sums = groups.map((g, j) => {
    const end = offsets[j] + g.ranking.groupEnd.length;
    return { tp: tp.subarray(offsets[j], end), fp: fp.subarray(offsets[j], end) };
  });
  return { bucket, tp, fp, sums };
}

/** An audit job's replicates, for a worker: the same groups and kernel subgroupAudit builds. */
export function auditReplicates(job: AuditJob): ReplicateRange {
  const top = job.labels.length > 0 ? topKThreshold(job.scores, job.topPct) : { threshold: Infinity };
  const all = rankingOf(job.labels, job.scores);
  const pos = positionsOf(all);
  const perAttribute = job.attributes.map((a) => ({
    groups: groupsOf(job.labels, job.scores, pos, a.codes, Array.from({ length: a.levels }, (_, k) => String(k)), job.threshold, top.threshold, 0),
  }));
  return auditRange(all, job.clusters, job.seed, job.threshold, job.topPct, perAttribute, job.width);
}

/**
 * Subgroup results for every attribute and group, in attribute order then first-seen
 * group order. Each has: n, positives, prevalence; AP and AUC within the group with
 * intervals; the global threshold and top-K% policies applied to the group (with rate
 * intervals); calibration in the large; `small` per the small-cell rule (flagged, never
 * hidden); `disparity` at the threshold and `disparityTopK` at the top-K% cut against
 * the attribute's reference group (the reference's own entries are empty and it has
 * `isReference: true`). Throws `Cancelled` when cancelled, AppFailure for bad input.
 */
export function subgroupAudit(
  labels: Uint8Array,
  scores: Float64Array,
  attributes: readonly AuditAttribute[],
  options: SubgroupAuditOptions,
): SubgroupResult[] {
  return runHere(subgroupAuditSteps(labels, scores, attributes, options));
}

/** subgroupAudit as steps: its bootstrap is yielded (evaluate/replicate-job.ts) so a pool can compute it. */
export function* subgroupAuditSteps(
  labels: Uint8Array,
  scores: Float64Array,
  attributes: readonly AuditAttribute[],
  options: SubgroupAuditOptions,
): Bootstrapping<SubgroupResult[]> {
  const n = labels.length;
  if (scores.length !== n) throw new AppFailure({ code: 'length-mismatch', message: `labels (${n}) and scores (${scores.length}) differ in length` });
  for (const a of attributes) {
    if (a.values.length !== n) {
      throw new AppFailure({ code: 'length-mismatch', message: `group column has ${a.values.length} values for ${n} cases`, column: a.attribute });
    }
  }
  const { threshold } = options;
  if (Number.isNaN(threshold)) throw new AppFailure({ code: 'invalid-threshold', message: `invalid threshold: ${threshold}` });
  const topPct = options.topPct ?? 10;
  const replicates = Math.max(0, Math.floor(options.replicates ?? 1000));
  const seed = options.seed ?? 1;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  checkTolerance(tolerance);
  const smallRule = options.smallCell ?? DEFAULT_SMALL_CELL;
  const top = n > 0 ? topKThreshold(scores, topPct) : { nTarget: 0, threshold: Infinity };

  const all = replicates > 0 && n > 0 ? rankingOf(labels, scores) : null;
  const pos = all ? positionsOf(all) : null;
  const perAttribute = attributes.map((a) => {
    const gv = groupVector(a.attribute, a.values);
    const groups = groupsOf(labels, scores, pos, gv.codes, gv.levels, threshold, top.threshold, replicates);
    const reference = referenceGroup(gv.levels, gv.counts, a.reference);
    if (a.reference !== undefined && reference === null) {
      throw new AppFailure({ code: 'unknown-reference', message: `reference group '${a.reference}' does not occur (groups: ${gv.levels.join(', ')})`, column: a.attribute });
    }
    return { attribute: a.attribute, codes: gv.codes, groups, reference };
  });

  if (all) {
    const width = STATS_PER_GROUP * perAttribute.reduce((k, a) => k + a.groups.length, 0);
    const job: AuditJob = {
      kind: 'audit', labels, scores, seed, replicates, width, threshold, topPct,
      attributes: perAttribute.map((a) => ({ codes: a.codes, levels: a.groups.length })),
      ...(options.clusters ? { clusters: options.clusters } : {}),
    };
    const table = yield {
      job,
      onProgress: options.onProgress,
      here: () => {
        const t = new Float64Array(replicates * width);
        auditRange(all, options.clusters, seed, threshold, topPct, perAttribute, width)(0, replicates, t, {
          cancel: options.cancel,
          onProgress: (done) => options.onProgress?.(done, replicates),
        });
        return t;
      },
    };
    // Each group's draws, by statistic, from the replicate-major table.
    let o = 0;
    for (const a of perAttribute) {
      for (const g of a.groups) {
        for (let j = 0; j < STATS_PER_GROUP; j++) {
          const d = g.draws[DRAW_KEYS[j]];
          for (let r = 0; r < replicates; r++) d[r] = table[r * width + o + j];
        }
        o += STATS_PER_GROUP;
      }
    }
  }

  const clustered = options.clusters !== undefined;
  const out: SubgroupResult[] = [];
  for (const a of perAttribute) {
    const results = a.groups.map((g) => groupResult(a.attribute, g, threshold, top, topPct, replicates, smallRule, clustered));
    const refIndex = a.groups.findIndex((g) => g.group === a.reference);
    a.groups.forEach((g, k) => {
      const res = results[k];
      if (k === refIndex) {
        res.isReference = true;
        return;
      }
      if (refIndex < 0) return;
      const ref = a.groups[refIndex];
      const refRes = results[refIndex];
      const atThr: Partial<Record<DisparityMetric, DisparityDetail>> = {};
      const atTop: Partial<Record<DisparityMetric, DisparityDetail>> = {};
      for (const m of DISPARITY_METRICS) {
        atThr[m] = disparityOf(m, 'thr', g, ref, res, refRes, replicates, tolerance, clustered);
        atTop[m] = disparityOf(m, 'top', g, ref, res, refRes, replicates, tolerance, clustered);
      }
      res.disparity = atThr;
      res.disparityTopK = atTop;
    });
    out.push(...results);
  }
  return out;
}

/** One group's result. Its topK carries the global policy's cut: `threshold` and `nTarget`
 *  are those computed on all cases; `nFlagged` is how many of this group the cut flags. */
function groupResult(
  attribute: string,
  g: GroupData,
  threshold: number,
  top: { nTarget: number; threshold: number },
  topPct: number,
  replicates: number,
  smallRule: SmallCellRule,
  clustered: boolean,
): SubgroupResult {
  const n = g.index.length;
  let positives = 0;
  let scoreSum = 0;
  for (let k = 0; k < n; k++) {
    positives += g.labels[k];
    scoreSum += g.scores[k];
  }
  const atThreshold = withIntervals(confusionAt(g.labels, g.scores, threshold), g.draws, 'thr', replicates, clustered);
  const topOp = withIntervals(confusionAt(g.labels, g.scores, top.threshold), g.draws, 'top', replicates, clustered);
  const minimums = rankingCheck(positives, n);
  const topK: TopKResult = { ...topOp, threshold: Number.isFinite(top.threshold) ? top.threshold : null, topPct, nTarget: top.nTarget };
  const meanScore = rateOf(scoreSum, n);
  const outcomeRate = rateOf(positives, n);
  return {
    attribute,
    group: g.group,
    n,
    positives,
    prevalence: outcomeRate,
    averagePrecision: rankingEstimate(averagePrecision(g.labels, g.scores), g.draws.ap, replicates, minimums.enough),
    rocAuc: rankingEstimate(rocAuc(g.labels, g.scores), g.draws.auc, replicates, minimums.enough),
    minimums,
    atThreshold,
    topK,
    suppressed: false,
    small: isSmallGroup(n, positives, smallRule),
    ...groupCalibration(g.labels, g.scores),
    // Calibration in the large: mean score against the outcome rate (meaningful when scores are probabilities).
    calibration: {
      meanScore,
      outcomeRate,
      difference: differenceOf(meanScore, outcomeRate),
      observedToExpected: ratioOf(outcomeRate, meanScore),
    },
    disparity: {},
  };
}

/** Calibration intercept and slope, reliability bins with intervals, and net benefit within a group (probability scores only). */
function groupCalibration(labels: Uint8Array, scores: Float64Array): Pick<SubgroupResult, 'calibrationFit' | 'calibrationCurve' | 'decisionCurve'> {
  const fit = calibrationFit(labels, scores);
  if (!fit) return {};
  const bins = calibrationBinsWithIntervals(labels, scores);
  const curve = decisionCurve(labels, scores);
  return { calibrationFit: fit, ...(bins ? { calibrationCurve: bins } : {}), ...(curve ? { decisionCurve: curve } : {}) };
}

function withIntervals(op: OperatingPointResult, draws: Record<string, Float64Array>, prefix: string, replicates: number, clustered: boolean): OperatingPointResult {
  return { ...op, intervals: rateIntervals(op, (key) => draws[`${prefix}.${key}`], replicates, clustered) };
}
