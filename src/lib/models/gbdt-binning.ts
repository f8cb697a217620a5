/**
 * Feature binning for histogram gradient boosting, as scikit-learn's `_BinMapper`:
 * per feature, thresholds are the midpoints between distinct values when there are at
 * most `maxBins` of them, else the 'midpoint' percentiles at 1/maxBins .. (maxBins-1)/maxBins
 * of the (sub)sampled column. A value x goes to bin i iff thr[i-1] < x <= thr[i].
 *
 * Unlike scikit-learn, which always puts missing values in bin 255, a missing value is
 * coded here as the feature's own `nBinsNonMissing`: the code is then also the slot of
 * the missing bin in a compact per-feature histogram, so the histogram loop needs no branch.
 */
import type { Rng } from '../random.ts';

/** Values above this are clipped so that +Infinity is reserved for "split on missing". */
const ALMOST_INF = 1e300;

export interface BinMapper {
  /** thresholds[f]: increasing Float64Array, length nBinsNonMissing[f] - 1. */
  thresholds: Float64Array[];
  /** Bins holding non-missing values, per feature (1..maxBins). Also the missing code. */
  nBinsNonMissing: Int32Array;
}

/**
 * Thresholds for every feature of the rows `rows` of row-major X (n x p).
 * When more than `subsample` rows are given, a uniform subsample without replacement
 * (drawn from `random`) is used, as scikit-learn does with 200,000.
 */
export function fitBinMapper(
  X: Float64Array,
  p: number,
  rows: Int32Array,
  maxBins: number,
  subsample: number,
  random: Rng,
): BinMapper {
  let use = rows;
  if (rows.length > subsample) {
    // Partial Fisher-Yates: the first `subsample` entries become a uniform sample.
    const perm = Int32Array.from(rows);
    for (let i = 0; i < subsample; i++) {
      const j = i + random.int(perm.length - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    use = perm.subarray(0, subsample).sort();
  }
  const m = use.length;
  const thresholds: Float64Array[] = new Array(p);
  const nBinsNonMissing = new Int32Array(p);
  const distinct = new Set<number>();
  // Columns are copied out BLOCK at a time so that each pass over the rows reads whole
  // cache lines of X instead of one value per line.
  const BLOCK = 8;
  const block = new Float64Array(BLOCK * m);
  const fill = new Int32Array(BLOCK);
  for (let f0 = 0; f0 < p; f0 += BLOCK) {
    const bw = Math.min(BLOCK, p - f0);
    fill.fill(0);
    for (let i = 0; i < m; i++) {
      const rowBase = use[i] * p + f0;
      for (let b = 0; b < bw; b++) {
        const v = X[rowBase + b];
        if (v === v) block[b * m + fill[b]++] = v === 0 ? 0 : v; // -0 and 0 are one value
      }
    }
    for (let b = 0; b < bw; b++) {
      const f = f0 + b;
      const k = fill[b];
      const col = block.subarray(b * m, b * m + k);
      fitFeature(col, k, f);
    }
  }
  return { thresholds, nBinsNonMissing };

  function fitFeature(col: Float64Array, k: number, f: number): void {
    // Most encoded columns (one-hot, counts) have few distinct values: find them without
    // a full sort and stop counting once there are more than maxBins.
    distinct.clear();
    // Two-valued columns (one-hot, indicators) are most of a typical design: a plain scan
    // decides them far faster than a Set.
    let a = k > 0 ? col[0] : 0;
    let b = a;
    let i2 = 1;
    for (; i2 < k; i2++) {
      const v = col[i2];
      if (v === a || v === b) continue;
      if (a === b) b = v;
      else break;
    }
    if (i2 >= k) {
      if (k > 0) distinct.add(a).add(b);
    } else {
      for (let i = 0; i < k && distinct.size <= maxBins; i++) distinct.add(col[i]);
    }
    let thr: Float64Array;
    if (distinct.size <= maxBins) {
      const d = Float64Array.from(distinct).sort();
      thr = new Float64Array(Math.max(0, d.length - 1));
      for (let i = 0; i < thr.length; i++) thr[i] = (d[i] + d[i + 1]) * 0.5;
    } else {
      const sorted = col.sort();
      thr = new Float64Array(maxBins - 1);
      // np.linspace(0, 100, maxBins + 1)[1:-1] is j * step, step = 100 / maxBins.
      const step = 100 / maxBins;
      for (let j = 1; j < maxBins; j++) thr[j - 1] = midpointPercentile(sorted, j * step);
    }
    for (let i = 0; i < thr.length; i++) if (thr[i] > ALMOST_INF) thr[i] = ALMOST_INF;
    thresholds[f] = thr;
    nBinsNonMissing[f] = thr.length + 1;
  }
}

/**
 * numpy.percentile(sorted, q, method='midpoint') with numpy's own floating-point steps
 * (virtual index n*q + (1 - q) - 1, lerp written as b - (b - a) * 0.5), so thresholds
 * match scikit-learn's bit for bit.
 */
function midpointPercentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const quant = q / 100;
  const virtual = n * quant + (1 + quant * (1 - 1 - 1)) - 1;
  const lo = Math.floor(virtual);
  const hi = Math.ceil(virtual);
  const index = 0.5 * (lo + hi);
  const below = Math.max(0, Math.min(Math.floor(index), n - 1));
  if (index === below) return sorted[below];
  const a = sorted[below];
  const b = sorted[Math.min(below + 1, n - 1)];
  return b - (b - a) * 0.5;
}

/** Bin code of x: number of thresholds below x, or nBinsNonMissing for NaN. */
export function binOf(thr: Float64Array, x: number): number {
  if (x !== x) return thr.length + 1;
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= thr[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Column-major codes (p x rows.length) of the rows `rows` of row-major X.
 * `out` is reused when given and large enough (fresh memory is slow to touch).
 */
export function binRows(X: Float64Array, p: number, rows: Int32Array, mapper: BinMapper, out?: Uint8Array): Uint8Array {
  const m = rows.length;
  const codes = out && out.length >= m * p ? out : new Uint8Array(m * p);
  const { thresholds } = mapper;
  // Rows outer: X is read once, sequentially; the p write streams stay in cache.
  for (let i = 0; i < m; i++) {
    const rowBase = rows[i] * p;
    for (let f = 0; f < p; f++) {
      const x = X[rowBase + f];
      const thr = thresholds[f];
      const nt = thr.length;
      let lo = 0;
      if (x !== x) lo = nt + 1;
      else {
        let hi = nt;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (x <= thr[mid]) hi = mid;
          else lo = mid + 1;
        }
      }
      codes[f * m + i] = lo;
    }
  }
  return codes;
}
