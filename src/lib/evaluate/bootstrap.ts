/**
 * Bootstrap replicates as case-weight vectors (multiplicities), so a metric is recomputed
 * by reweighting data sorted once rather than by resampling and re-sorting.
 *
 * Stratified by label: each replicate draws, with replacement, as many positives as there
 * are positives and as many negatives as negatives, so the prevalence is fixed and a rare
 * outcome never vanishes from a replicate. With clusters (e.g. child IDs, so a child's
 * several referrals move together) whole clusters are drawn instead, stratified by whether
 * the cluster holds any positive; the number of cases then varies between replicates.
 *
 * Replicate b draws from its own stream, seeded by (seed, b) (`replicateState`), not from one
 * stream shared by all replicates: any range of replicates can then be computed on its own, in
 * any order and by any number of workers, and replicate b is the same everywhere.
 */
import type { Estimate } from '../bundle/schema.ts';
import { AppFailure, throwIfCancelled } from '../errors.ts';
import { rng } from '../random.ts';
import { runHere, type Bootstrapping, type ReplicateRange, type StatisticJob } from './replicate-job.ts';

export const DEFAULT_REPLICATES = 1000;
export const DEFAULT_SEED = 1;
export const DEFAULT_LEVEL = 0.95;

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** Cluster code per case (any integers; equal codes = one cluster), Int32Array (n). */
  clusters?: Int32Array;
  /** Yield the same buffer every time (faster; valid only until the next step). Default false. */
  reuseBuffer?: boolean;
}

/** Fills a weight vector (n) with the multiplicities of replicate `replicate` (0-based). */
export type WeightSampler = (out: Float64Array, replicate: number) => void;

export function assertReplicates(replicates: number): void {
  if (!Number.isInteger(replicates) || replicates < 0 || replicates > 1_000_000) {
    throw new AppFailure({ code: 'invalid-replicates', message: `invalid number of replicates: ${replicates}` });
  }
}

/** splitmix32's finaliser: a well-mixed 32-bit hash of a 32-bit integer. */
function mix32(x: number): number {
  let t = (x + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) | 0;
}

/**
 * The sfc32 state [a, b, c, d] of replicate `replicate`'s stream for a run seed: the seed and the
 * replicate number are hashed into the state (distinct pairs give distinct states), then 12
 * rounds are discarded, as `rng` does, so neighbouring replicates' streams are unrelated.
 */
export function replicateState(seed: number, replicate: number): [number, number, number, number] {
  const s = Math.trunc(seed) | 0;
  let a = mix32(s), b = mix32(replicate ^ 0x5bd1e995), c = mix32(a ^ replicate), d = 1;
  for (let i = 0; i < 12; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
  }
  return [a, b, c, d];
}

/**
 * Uniform integers in [0, m) from sfc32 streams, one per replicate (`start(b)` switches to
 * replicate b's stream). Inlined (not `rng().int`) because a bootstrap of 24,000 cases × 1000
 * replicates draws 24 million of them and the call overhead dominated.
 */
function indexDrawer(seed: number): {
  /** Starts replicate b's stream. */
  start: (replicate: number) => void;
  /** w[targets[u]] += 1 for targets.length uniform draws u (one stratum's resample). */
  scatter: (targets: Uint32Array, w: Float64Array) => void;
} {
  let a = 0, b = 0, c = 0, d = 0;
  const start = (replicate: number) => {
    [a, b, c, d] = replicateState(seed, replicate);
  };
  // The loop inlines sfc32 with the state in locals so it stays in registers.
  const scatter = (targets: Uint32Array, w: Float64Array) => {
    const m = targets.length;
    const scale = m / 4294967296;
    let A = a, B = b, C = c, D = d;
    for (let j = 0; j < m; j++) {
      const t = (((A + B) | 0) + D) | 0;
      D = (D + 1) | 0;
      A = B ^ (B >>> 9);
      B = (C + (C << 3)) | 0;
      C = (C << 21) | (C >>> 11);
      C = (C + t) | 0;
      w[targets[((t >>> 0) * scale) | 0]] += 1;
    }
    a = A; b = B; c = C; d = D;
  };
  return { start, scatter };
}

/** A sampler for stratified (optionally clustered) bootstrap weights: replicate b's weights depend only on (seed, b). */
export function weightSampler(labels: Uint8Array, seed: number, clusters?: Int32Array): WeightSampler {
  const { start: startReplicate, scatter } = indexDrawer(seed);
  const n = labels.length;
  if (!clusters) {
    let nPos = 0;
    for (let i = 0; i < n; i++) nPos += labels[i];
    const pos = new Uint32Array(nPos);
    const neg = new Uint32Array(n - nPos);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (labels[i] === 1) pos[a++] = i;
      else neg[b++] = i;
    }
    return (w, replicate) => {
      startReplicate(replicate);
      w.fill(0);
      scatter(pos, w);
      scatter(neg, w);
    };
  }
  if (clusters.length !== n) {
    throw new AppFailure({ code: 'length-mismatch', message: `clusters (${clusters.length}) and labels (${n}) differ in length` });
  }
  // Dense cluster ids in order of first appearance.
  const dense = new Map<number, number>();
  const id = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let c = dense.get(clusters[i]);
    if (c === undefined) dense.set(clusters[i], (c = dense.size));
    id[i] = c;
  }
  const C = dense.size;
  const hasPos = new Uint8Array(C);
  for (let i = 0; i < n; i++) if (labels[i] === 1) hasPos[id[i]] = 1;
  let nPosC = 0;
  for (let c = 0; c < C; c++) nPosC += hasPos[c];
  const posC = new Uint32Array(nPosC);
  const negC = new Uint32Array(C - nPosC);
  for (let c = 0, a = 0, b = 0; c < C; c++) {
    if (hasPos[c]) posC[a++] = c;
    else negC[b++] = c;
  }
  // A replicate counts how often each cluster is drawn, then gives every case its cluster's count:
  // the scattered writes go to the (smaller) cluster array and the case weights are written in order.
  const drawn = new Float64Array(C);
  return (w, replicate) => {
    startReplicate(replicate);
    drawn.fill(0);
    scatter(posC, drawn);
    scatter(negC, drawn);
    for (let i = 0; i < n; i++) w[i] = drawn[id[i]];
  };
}

/** Replicate weight vectors (multiplicities, Float64Array (n)) of a bootstrap stratified by
 *  label; with clusters whole clusters are resampled. Deterministic for a seed. Each yielded
 *  array is fresh unless `reuseBuffer` is set. */
export function* bootstrapWeights(
  labels: Uint8Array,
  opts: BootstrapOptions,
): Generator<Float64Array, void, undefined> {
  assertReplicates(opts.replicates);
  const sample = weightSampler(labels, opts.seed, opts.clusters);
  let buf = new Float64Array(labels.length);
  for (let b = 0; b < opts.replicates; b++) {
    if (!opts.reuseBuffer && b > 0) buf = new Float64Array(labels.length);
    sample(buf, b);
    yield buf;
  }
}

/** Percentile interval (numpy's default linear interpolation) of the usable replicate values:
 *  null, NaN and infinities are skipped. Nulls when fewer than 2 values are usable. */
export function percentileInterval(
  values: ArrayLike<number | null>,
  level: number = DEFAULT_LEVEL,
): { lo: number | null; hi: number | null } {
  if (!(level > 0 && level < 1)) throw new AppFailure({ code: 'invalid-level', message: `invalid interval level: ${level}` });
  const usable: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && Number.isFinite(v)) usable.push(v);
  }
  if (usable.length < 2) return { lo: null, hi: null };
  const sorted = Float64Array.from(usable).sort();
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const f = Math.floor(h);
    const c = Math.min(f + 1, sorted.length - 1);
    return sorted[f] + (h - f) * (sorted[c] - sorted[f]);
  };
  const a = (1 - level) / 2;
  return { lo: q(a), hi: q(1 - a) };
}

/** A point estimate with the percentile interval of its replicates. */
export function estimateOf(value: number | null, replicateValues: ArrayLike<number | null>, level?: number): Estimate {
  const { lo, hi } = percentileInterval(replicateValues, level);
  return { value, lo: value === null ? null : lo, hi: value === null ? null : hi };
}

export interface BootstrapEstimateOptions {
  replicates?: number;
  seed?: number;
  clusters?: Int32Array;
  level?: number;
}

/** Generic bootstrap of any statistic of case weights: `statistic(undefined)` is the point
 *  estimate, `statistic(w)` a replicate (return null when undefined for that replicate). */
export function bootstrapEstimate(
  labels: Uint8Array,
  statistic: (weights?: Float64Array) => number | null,
  opts: BootstrapEstimateOptions = {},
): Estimate {
  return runHere(bootstrapEstimateSteps(labels, statistic, opts, null));
}

/** The replicates [from, to) of a statistic of case weights (NaN where it is undefined). */
export function statisticRange(
  labels: Uint8Array,
  statistic: (weights?: Float64Array) => number | null,
  seed: number,
  clusters?: Int32Array,
): ReplicateRange {
  const sample = weightSampler(labels, seed, clusters);
  const w = new Float64Array(labels.length);
  return (from, to, out, control) => {
    for (let b = from; b < to; b++) {
      throwIfCancelled(control?.cancel);
      sample(w, b);
      out[b - from] = statistic(w) ?? NaN;
    }
  };
}

/** bootstrapEstimate as steps (replicate-job.ts); `job` names the statistic for a worker (null: it can only run here). */
export function* bootstrapEstimateSteps(
  labels: Uint8Array,
  statistic: (weights?: Float64Array) => number | null,
  opts: BootstrapEstimateOptions,
  job: StatisticJob['statistic'] | null,
): Bootstrapping<Estimate> {
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  assertReplicates(replicates);
  const seed = opts.seed ?? DEFAULT_SEED;
  const here = () => {
    const out = new Float64Array(replicates);
    statisticRange(labels, statistic, seed, opts.clusters)(0, replicates, out);
    return out;
  };
  const values = job ? yield { job: { kind: 'statistic', labels, seed, replicates, width: 1, statistic: job, ...(opts.clusters ? { clusters: opts.clusters } : {}) }, here } : here();
  return estimateOf(statistic(undefined), values, opts.level);
}
