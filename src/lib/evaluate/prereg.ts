/**
 * Pre-registration: success criteria stated, as data, before any result is shown; locked with
 * a timestamp and a SHA-256 over the criteria, the data fingerprint and the configuration;
 * judged afterwards against bootstrap intervals. A criterion is "met" only when its whole 95%
 * interval clears the bar, "not met" when the whole interval misses it, and "inconclusive"
 * otherwise. Criteria added after results were seen carry `postHoc: true` and are labelled
 * "post hoc" in every sentence about them.
 */
import type { Estimate } from '../bundle/schema.ts';
import { AppFailure, type AppError } from '../errors.ts';
import { bootstrapEstimateSteps, type BootstrapEstimateOptions } from './bootstrap.ts';
import { runHere, type Bootstrapping } from './replicate-job.ts';
import { brierLosses, isProbability, weightedMean } from './metrics.ts';
import { assertScoreInputs, averagePrecisionFromSums, groupsAtOrAbove, groupSums, rankingOf, rocAucFromSums, type GroupSums } from './ranking.ts';
import { topKTarget } from './operating-point.ts';

export type RankingMetric = 'averagePrecision' | 'rocAuc' | 'brier';
export type RateMetric = 'precision' | 'recall' | 'fpr' | 'fnr' | 'flaggedRate' | 'falseOmissionRate';
export type CriterionMetric = RankingMetric | RateMetric;

export interface Criterion {
  metric: CriterionMetric;
  /** Required for rate metrics: exactly one operating point. `recall: r` means the highest
   *  score threshold whose recall reaches r (scikit-learn's curve point, not the interpolated
   *  best precision at recall >= r); `topPct` and `threshold` follow DESIGN.md. */
  at?: { recall?: number; topPct?: number; threshold?: number };
  op: '>=' | '<=';
  value: number;
  /** Added after results were seen. */
  postHoc?: boolean;
}

export interface PreregistrationLock {
  criteria: Criterion[];
  /** Hex SHA-256 of canonicalJson({criteria, dataFingerprint, config}). */
  sha256: string;
  /** ISO 8601 time of locking. */
  lockedAt: string;
  dataFingerprint: string;
  config: unknown;
}

export type CriterionStatus = 'met' | 'not met' | 'inconclusive';

export interface Judgement {
  criterion: Criterion;
  estimate: Estimate;
  status: CriterionStatus;
  postHoc: boolean;
  /** For inconclusive: rough number of cases for the interval to clear or miss the bar (null if unknown). */
  casesNeeded: number | null;
  /** One sentence saying what was decided and why, naming the interval. */
  text: string;
}

const RANKING: readonly string[] = ['averagePrecision', 'rocAuc', 'brier'];
const RATES: readonly string[] = ['precision', 'recall', 'fpr', 'fnr', 'flaggedRate', 'falseOmissionRate'];

const NAMES: Record<CriterionMetric, string> = {
  averagePrecision: 'average precision',
  rocAuc: 'ROC AUC',
  brier: 'Brier score',
  precision: 'precision',
  recall: 'recall',
  fpr: 'false positive rate',
  fnr: 'share of positives missed (FNR)',
  flaggedRate: 'share flagged',
  falseOmissionRate: 'false omission rate',
};

/** What is wrong with a criterion, or null. */
export function criterionProblem(c: Criterion): AppError | null {
  const bad = (message: string): AppError => ({ code: 'invalid-criterion', message });
  if (!c || typeof c !== 'object') return bad('a criterion must be an object');
  if (!RANKING.includes(c.metric) && !RATES.includes(c.metric)) return bad(`unknown metric: ${String(c.metric)}`);
  if (c.op !== '>=' && c.op !== '<=') return bad(`invalid comparison: ${String(c.op)}`);
  if (typeof c.value !== 'number' || !Number.isFinite(c.value)) return bad(`invalid value: ${String(c.value)}`);
  const keys = c.at ? (Object.keys(c.at) as (keyof NonNullable<Criterion['at']>)[]).filter((k) => c.at![k] !== undefined) : [];
  if (RANKING.includes(c.metric)) {
    if (keys.length > 0) return bad(`${c.metric} takes no operating point`);
    return null;
  }
  if (keys.length !== 1) return bad(`${c.metric} needs exactly one operating point (recall, topPct or threshold)`);
  const k = keys[0];
  const v = c.at![k]!;
  if (k === 'recall' && !(v > 0 && v <= 1)) return bad(`invalid recall: ${v}`);
  if (k === 'topPct' && !(v > 0 && v <= 100)) return bad(`invalid top percentage: ${v}`);
  if (k === 'threshold' && Number.isNaN(v)) return bad(`invalid threshold: ${v}`);
  if (k === 'recall' && (c.metric === 'recall' || c.metric === 'fnr')) return bad(`${c.metric} at a fixed recall is fixed by definition`);
  if (!['recall', 'topPct', 'threshold'].includes(k)) return bad(`unknown operating point: ${k}`);
  return null;
}

/** JSON with object keys sorted at every level and no whitespace, so equal content gives equal
 *  bytes (and hash) whatever order the keys were written in. undefined members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new AppFailure({ code: 'invalid-json', message: `cannot encode ${value}` });
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** Hex SHA-256 of the UTF-8 bytes of a string (Web Crypto: Node 20 and browsers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The exact text that is hashed when locking. */
export function lockedText(criteria: Criterion[], dataFingerprint: string, config: unknown): string {
  return canonicalJson({ criteria, dataFingerprint, config });
}

/** Locks the criteria. Throws AppFailure for an invalid criterion or none at all. Criteria
 *  marked postHoc cannot be locked (they are, by definition, not pre-registered). */
export async function lockPreregistration(
  criteria: Criterion[],
  dataFingerprint: string,
  config: unknown,
  now: Date = new Date(),
): Promise<PreregistrationLock> {
  if (!Array.isArray(criteria) || criteria.length === 0) throw new AppFailure({ code: 'invalid-criterion', message: 'at least one criterion is needed' });
  criteria.forEach((c, i) => {
    const p = criterionProblem(c);
    if (p) throw new AppFailure({ ...p, message: `criterion ${i + 1}: ${p.message}` });
    if (c.postHoc) throw new AppFailure({ code: 'invalid-criterion', message: `criterion ${i + 1} is post hoc and cannot be pre-registered` });
  });
  const copy = criteria.map((c) => JSON.parse(JSON.stringify(c)) as Criterion);
  return { criteria: copy, sha256: await sha256Hex(lockedText(copy, dataFingerprint, config)), lockedAt: now.toISOString(), dataFingerprint, config };
}

/** True when the lock's hash matches its criteria, fingerprint and configuration. */
export async function verifyPreregistration(lock: Pick<PreregistrationLock, 'criteria' | 'sha256' | 'dataFingerprint' | 'config'>): Promise<boolean> {
  return (await sha256Hex(lockedText(lock.criteria, lock.dataFingerprint, lock.config))) === lock.sha256;
}

/** Marks criteria written after results were seen. */
export function postHoc(criterion: Criterion): Criterion {
  return { ...criterion, postHoc: true };
}

/** The criterion's statistic for case weights (undefined = all 1); null when undefined. */
export function criterionStatistic(labels: Uint8Array, scores: Float64Array, c: Criterion): (weights?: Float64Array) => number | null {
  const p = criterionProblem(c);
  if (p) throw new AppFailure(p);
  assertScoreInputs(labels, scores);
  if (c.metric === 'brier') {
    if (!isProbability(scores)) return () => null;
    const losses = brierLosses(labels, scores);
    return (w) => weightedMean(losses, w);
  }
  const r = rankingOf(labels, scores);
  const sums: GroupSums = groupSums(r);
  if (c.metric === 'averagePrecision') return (w) => averagePrecisionFromSums(groupSums(r, w, sums));
  if (c.metric === 'rocAuc') return (w) => rocAucFromSums(groupSums(r, w, sums));
  const at = c.at!;
  const metric = c.metric as RateMetric;
  return (w) => {
    const { tp, fp } = groupSums(r, w, sums);
    const G = tp.length;
    let P = 0;
    let N = 0;
    for (let g = 0; g < G; g++) (P += tp[g]), (N += fp[g]);
    // Number of leading groups flagged at this operating point.
    let cut: number;
    if (at.threshold !== undefined) cut = groupsAtOrAbove(r, at.threshold);
    else {
      // top K%: first group where the cumulative weight reaches n_target; recall r: first group
      // where recall reaches r (the highest threshold achieving it).
      const target = at.topPct !== undefined ? topKTarget(P + N, at.topPct) : at.recall! * P;
      if (at.recall !== undefined && !(P > 0)) return null;
      cut = 0;
      let cum = 0;
      if (target > 0) {
        for (let g = 0; g < G; g++) {
          cum += at.topPct !== undefined ? tp[g] + fp[g] : tp[g];
          cut = g + 1;
          if (cum >= target * (1 - 1e-12)) break;
        }
      }
    }
    let TP = 0;
    let FP = 0;
    for (let g = 0; g < cut; g++) (TP += tp[g]), (FP += fp[g]);
    return rateOf(metric, TP, FP, P - TP, N - FP);
  };
}

function rateOf(metric: RateMetric, tp: number, fp: number, fn: number, tn: number): number | null {
  const div = (a: number, b: number) => (b > 0 ? a / b : null);
  switch (metric) {
    case 'precision': return div(tp, tp + fp);
    case 'recall': return div(tp, tp + fn);
    case 'fpr': return div(fp, fp + tn);
    case 'fnr': return div(fn, tp + fn);
    case 'flaggedRate': return div(tp + fp, tp + fp + fn + tn);
    case 'falseOmissionRate': return div(fn, fn + tn);
  }
}

/** A criterion's point estimate with its bootstrap interval (default 1000 replicates, seed 1). */
export function estimateCriterion(labels: Uint8Array, scores: Float64Array, c: Criterion, opts: BootstrapEstimateOptions = {}): Estimate {
  return runHere(estimateCriterionSteps(labels, scores, c, opts));
}

/** estimateCriterion as steps (replicate-job.ts). */
export function estimateCriterionSteps(labels: Uint8Array, scores: Float64Array, c: Criterion, opts: BootstrapEstimateOptions = {}): Bootstrapping<Estimate> {
  return bootstrapEstimateSteps(labels, criterionStatistic(labels, scores, c), opts, { of: 'criterion', scores, criterion: c });
}

const fmt = (x: number) => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(2) : x.toPrecision(2));

/** A criterion in words, e.g. "precision at recall 0.5 at least 0.5". */
export function describeCriterion(c: Criterion): string {
  const at = c.at?.recall !== undefined ? ` at recall ${c.at.recall}` : c.at?.topPct !== undefined ? ` when the top ${c.at.topPct}% are flagged` : c.at?.threshold !== undefined ? ` at threshold ${c.at.threshold}` : '';
  return `${NAMES[c.metric]}${at} ${c.op === '>=' ? 'at least' : 'at most'} ${c.value}`;
}

/** Met / not met / inconclusive from an estimate: met only when the whole interval clears the
 *  bar. `n` (cases evaluated) lets an inconclusive verdict say roughly how many cases would
 *  settle it, assuming the interval narrows as 1/√n around the same estimate. */
export function judgeEstimate(c: Criterion, estimate: Estimate, n?: number): Judgement {
  const postHocLabel = c.postHoc ? 'Post hoc (set after results were seen): ' : '';
  const what = describeCriterion(c);
  const { value, lo, hi } = estimate;
  if (value === null || lo === null || hi === null) {
    return {
      criterion: c, estimate, status: 'inconclusive', postHoc: !!c.postHoc, casesNeeded: null,
      text: `${postHocLabel}${what}: inconclusive, because the ${NAMES[c.metric]} or its 95% interval could not be computed on these data.`,
    };
  }
  const clears = c.op === '>=' ? lo >= c.value : hi <= c.value;
  const misses = c.op === '>=' ? hi < c.value : lo > c.value;
  const range = `${fmt(value)} (95% interval ${fmt(lo)} to ${fmt(hi)})`;
  let status: CriterionStatus;
  let why: string;
  let casesNeeded: number | null = null;
  if (clears) {
    status = 'met';
    why = `the whole 95% interval is ${c.op === '>=' ? 'at or above' : 'at or below'} ${c.value}`;
  } else if (misses) {
    status = 'not met';
    why = `the whole 95% interval is ${c.op === '>=' ? 'below' : 'above'} ${c.value}`;
  } else {
    status = 'inconclusive';
    why = `the 95% interval includes ${c.value}, so these data cannot tell whether the bar is cleared`;
    const gap = Math.abs(value - c.value);
    const half = (hi - lo) / 2;
    if (n !== undefined && n > 0 && gap > 0 && half > 0) {
      casesNeeded = Math.ceil(n * (half / gap) ** 2);
      why += `; roughly ${casesNeeded.toLocaleString('en-GB')} cases in all (now ${n.toLocaleString('en-GB')}) would settle it if the estimate held`;
    } else if (gap === 0) {
      why += '; the estimate sits exactly on the bar, so no number of cases can be promised to settle it';
    }
  }
  return { criterion: c, estimate, status, postHoc: !!c.postHoc, casesNeeded, text: `${postHocLabel}${what}: ${status}. Estimate ${range}; ${why}.` };
}

/** Judges each criterion on a score vector (bootstrap intervals, default 1000 replicates). */
export function judgeCriteria(criteria: Criterion[], labels: Uint8Array, scores: Float64Array, opts: BootstrapEstimateOptions = {}): Judgement[] {
  return criteria.map((c) => judgeEstimate(c, estimateCriterion(labels, scores, c, opts), labels.length));
}

/** The bundle's per-model verdict: null without pre-registered criteria; "met" only when every
 *  pre-registered criterion is met (inconclusive is not success); post-hoc criteria never count. */
export function overallVerdict(judgements: Judgement[]): 'met' | 'not met' | null {
  const pre = judgements.filter((j) => !j.postHoc);
  if (pre.length === 0) return null;
  return pre.every((j) => j.status === 'met') ? 'met' : 'not met';
}
