/**
 * Sort once, reweight many times. Every ranking metric (AP, AUC, curves, operating
 * points) only needs, for each distinct score from the highest down, the (weighted)
 * number of positives and negatives holding it. The sort is the expensive part, so
 * a bootstrap sorts once and recomputes these group sums per replicate.
 */
import { AppFailure } from '../errors.ts';

export interface Ranking {
  n: number;
  /** Case indices, highest score first (n). */
  order: Uint32Array;
  /** labels[order[k]] (n). */
  sortedLabels: Uint8Array;
  /** Exclusive end position in `order` of each tied-score group (groups). */
  groupEnd: Uint32Array;
  /** The score shared by each group, strictly decreasing (groups). */
  groupScore: Float64Array;
}

/** Per-group (weighted) counts of positives and negatives, not cumulative. */
export interface GroupSums {
  tp: Float64Array;
  fp: Float64Array;
}

/**
 * Throws (a caller's bug, not bad data: the loader must have validated) when the arrays
 * differ in length, a label is not 0/1, a score is NaN or a weight is negative or NaN.
 * Use `scoreInputProblem` first to turn bad data into an AppError.
 */
export function assertScoreInputs(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): void {
  const problem = scoreInputProblem(labels, scores, weights);
  if (problem) throw new AppFailure(problem);
}

/** The first problem with a label/score/weight triple, or null; `row` is the 1-based case number. */
export function scoreInputProblem(
  labels: Uint8Array,
  scores: Float64Array,
  weights?: Float64Array,
): { code: string; message: string; row?: number } | null {
  if (labels.length !== scores.length) {
    return { code: 'length-mismatch', message: `labels (${labels.length}) and scores (${scores.length}) differ in length` };
  }
  if (weights && weights.length !== labels.length) {
    return { code: 'length-mismatch', message: `weights (${weights.length}) and labels (${labels.length}) differ in length` };
  }
  let nanCount = 0;
  let firstNan = -1;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 1) return { code: 'not-binary', message: `label ${labels[i]} is not 0 or 1`, row: i + 1 };
    if (Number.isNaN(scores[i])) {
      if (firstNan < 0) firstNan = i;
      nanCount++;
    }
    if (weights && !(weights[i] >= 0)) return { code: 'invalid-weight', message: `weight ${weights[i]} is not a non-negative number`, row: i + 1 };
  }
  if (nanCount > 0) return { code: 'missing-score', message: `${nanCount} score(s) are missing (NaN)`, row: firstNan + 1 };
  return null;
}

/** Sorts the cases by score, highest first, and finds the tied-score groups. */
export function rankingOf(labels: Uint8Array, scores: Float64Array): Ranking {
  assertScoreInputs(labels, scores);
  const n = labels.length;
  const order = orderByScoreDescending(scores);
  const sortedLabels = new Uint8Array(n);
  const ends: number[] = [];
  for (let k = 0; k < n; k++) {
    sortedLabels[k] = labels[order[k]];
    if (k + 1 === n || scores[order[k + 1]] !== scores[order[k]]) ends.push(k + 1);
  }
  const groupEnd = Uint32Array.from(ends);
  const groupScore = new Float64Array(groupEnd.length);
  for (let g = 0; g < groupEnd.length; g++) groupScore[g] = scores[order[groupEnd[g] - 1]];
  return { n, order, sortedLabels, groupEnd, groupScore };
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
const RADIX_FROM = 2048;

/**
 * Case indices by score, highest first, ties in index order (a stable sort). Large inputs use
 * an LSD radix sort on the IEEE-754 bits (4 passes of 16 bits, skipping passes whose digit is
 * constant, e.g. the low bits of integer deciles): about 10× faster than a comparator sort at
 * a million scores. Scores must not be NaN.
 */
export function orderByScoreDescending(scores: Float64Array): Uint32Array {
  const n = scores.length;
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n < RADIX_FROM || !LITTLE_ENDIAN) return idx.sort((a, b) => scores[b] - scores[a] || a - b);
  // Keys whose unsigned order is descending score order: flip to the sortable form (negative:
  // all bits; positive: the sign bit), then complement for descending. −0 is taken as +0.
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = scores[i] === 0 ? 0 : scores[i];
  const bits = new Uint32Array(f.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = bits[2 * i + 1];
    let l = bits[2 * i];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h ^= 0x80000000;
    hi[i] = ~h >>> 0;
    lo[i] = ~l >>> 0;
  }
  let idx2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(word[i] >>> shift) & 0xffff]++;
    if (count[(word[0] >>> shift) & 0xffff] === n) continue; // one digit value: order unchanged
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = count[(word[i] >>> shift) & 0xffff]++;
      idx2[j] = idx[i];
      lo2[j] = lo[i];
      hi2[j] = hi[i];
    }
    [idx, idx2] = [idx2, idx];
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  return idx;
}

/** Fills (or allocates) per-group sums; weights are indexed by case, absent = all 1. */
export function groupSums(r: Ranking, weights?: Float64Array, out?: GroupSums): GroupSums {
  const G = r.groupEnd.length;
  const tp = out?.tp ?? new Float64Array(G);
  const fp = out?.fp ?? new Float64Array(G);
  const { order, sortedLabels, groupEnd } = r;
  let k = 0;
  for (let g = 0; g < G; g++) {
    let t = 0;
    let f = 0;
    const end = groupEnd[g];
    if (weights) {
      for (; k < end; k++) {
        const w = weights[order[k]];
        if (sortedLabels[k] === 1) t += w;
        else f += w;
      }
    } else {
      for (; k < end; k++) {
        if (sortedLabels[k] === 1) t += 1;
        else f += 1;
      }
    }
    tp[g] = t;
    fp[g] = f;
  }
  return { tp, fp };
}

/** As `groupSums`, with weights indexed by sorted position (weightsSorted[k] belongs to
 *  case order[k]): a sequential pass, used by the bootstrap. */
export function groupSumsSorted(r: Ranking, weightsSorted: Float64Array, out: GroupSums): GroupSums {
  const { tp, fp } = out;
  const { sortedLabels, groupEnd } = r;
  let k = 0;
  for (let g = 0; g < groupEnd.length; g++) {
    let t = 0;
    let all = 0;
    const end = groupEnd[g];
    for (; k < end; k++) {
      const w = weightsSorted[k];
      all += w;
      t += w * sortedLabels[k];
    }
    tp[g] = t;
    fp[g] = all - t;
  }
  return out;
}

/** AP = (1/P) Σ_g tp_g · precision_g (scikit-learn's step-wise sum); null without positives. */
export function averagePrecisionFromSums(s: GroupSums): number | null {
  let P = 0;
  for (let g = 0; g < s.tp.length; g++) P += s.tp[g];
  if (!(P > 0)) return null;
  let cumTp = 0;
  let cumFp = 0;
  let ap = 0;
  for (let g = 0; g < s.tp.length; g++) {
    const t = s.tp[g];
    cumTp += t;
    cumFp += s.fp[g];
    if (t > 0) ap += (t / P) * (cumTp / (cumTp + cumFp));
  }
  return ap;
}

/** Trapezoidal ROC area, ties counted half; null without both classes. */
export function rocAucFromSums(s: GroupSums): number | null {
  let P = 0;
  let N = 0;
  for (let g = 0; g < s.tp.length; g++) {
    P += s.tp[g];
    N += s.fp[g];
  }
  if (!(P > 0) || !(N > 0)) return null;
  let cumTp = 0;
  let area = 0;
  for (let g = 0; g < s.tp.length; g++) {
    const t = s.tp[g];
    area += s.fp[g] * (cumTp + t / 2);
    cumTp += t;
  }
  return area / P / N;
}

/** Number of leading groups whose score is >= threshold (they are the flagged ones). */
export function groupsAtOrAbove(r: Ranking, threshold: number): number {
  // groupScore is strictly decreasing: binary search for the first group below the threshold.
  let lo = 0;
  let hi = r.groupScore.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r.groupScore[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
