/**
 * L2-penalised logistic regression with `C` exactly as scikit-learn means it:
 *   minimise  sum_i [log(1 + e^{z_i}) - y_i z_i] + ||w||^2 / (2C),   z_i = b + x_i.w (+ text_i.v)
 * with the intercept b not penalised. Solved deterministically to convergence: L-BFGS on typed
 * arrays in centred and scaled coordinates (`conditioning`), then (dense designs) Newton steps with
 * the exact Hessian, which finish at the optimum to machine precision and give the coefficient
 * standard errors sqrt(diag(H^-1)). (scikit-learn's default lbfgs stops a little short of it; see
 * test/golden/models.py and logistic-bench.py.) Where the time goes (bench/RESULTS.md, logistic):
 * passes over the rows, so each pass reads a compact layout of the rows (`RowLayout`), L-BFGS
 * needs few of them in good coordinates, and the Hessian (the costliest pass) is usually formed
 * once.
 *
 * Typed arrays are the default engine: at council sizes per-op overhead makes tfjs an order of
 * magnitude slower on CPU/WASM (PLATFORM.md; bench/train.bench.ts measures it again). The tfjs
 * engine (`logistic-tfjs.ts`) computes the same objective's gradient on tensors.
 */
import { type CancelToken, throwIfCancelled } from '../errors.ts';
import type { Design } from '../features/pipeline.ts';
import type { CsrMatrix } from '../features/text-hash.ts';
import { addScaled, dotAt } from './kernels.ts';
import { type LossGrad, minimizeLbfgs } from './lbfgs.ts';

export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn; default 1. */
  C?: number;
  maxIter?: number;
  /** Report standard errors (from the Hessian the Newton steps use). Default: when n p^2 <= 2e10 and there is no text block. */
  standardErrors?: boolean;
  cancel?: CancelToken;
  onIteration?: (iter: number, loss: number) => void;
  /** A gradient computed elsewhere (the tfjs engine) for the same packed parameters; used for the
   *  L-BFGS phase, while the Newton finish (float64) stays on typed arrays. */
  lossGrad?: LossGrad;
}

export interface LogisticFit {
  /** Coefficients of the dense design columns (p). */
  coef: Float64Array;
  intercept: number;
  /** Coefficients of the hashed text columns, when the design had text. */
  textCoef: Float64Array | null;
  /** Standard errors of `coef` and of the intercept from the inverse Hessian; null when not computed. */
  se: Float64Array | null;
  interceptSe: number | null;
  names: string[];
  C: number;
  iterations: number;
  converged: boolean;
  /** Max |gradient| of the summed objective at the solution. */
  gradMax: number;
  /** Objective per training row at each iteration. */
  curve: { step: number; loss: number }[];
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Packed parameters: [dense coefficients (p), text coefficients (q), intercept]. */
function packedSize(d: Design): number {
  return d.p + (d.text ? d.text.cols : 0) + 1;
}

/** Linear predictor z = b + X w (+ text v) for every row of `d`. */
function linearPredictor(d: Design, theta: Float64Array, out: Float64Array): void {
  const { n, p, X } = d;
  const b = theta[theta.length - 1];
  for (let i = 0; i < n; i++) out[i] = b + dotAt(X, i * p, theta, p);
  const t = d.text;
  if (t) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) s += t.values[k] * theta[p + t.indices[k]];
      out[i] += s;
    }
  }
}

/**
 * The dense block laid out for the passes over rows. Columns holding only 0 and 1 (one-hot
 * levels, flags) are kept as each row's list of ones: a pass adds their weights without a multiply
 * and reads two bytes per one instead of eight per cell. The other columns stay a row-major
 * Float64 block. The same numbers, so every pass computes the same sums as on the design itself.
 */
export interface RowLayout {
  n: number;
  /** Design columns kept as numbers (ascending), and their values row by row (n x dense.length). */
  dense: Int32Array;
  values: Float64Array;
  /** Design columns holding only 0 and 1 (ascending); row i's ones are the positions in this list
   *  `ones[ptr[i]] < ... < ones[ptr[i + 1] - 1]`. */
  binary: Int32Array;
  ptr: Int32Array;
  ones: Uint16Array | Int32Array;
  /** Per dense column its mean and sum of squared deviations; per 0/1 column its number of ones
   *  (counted during the copy, for `conditioning`). */
  denseMean: Float64Array;
  denseSS: Float64Array;
  onesCount: Float64Array;
}

/** `RowLayout` of the dense block of `d`, in one pass over X when a sample of rows tells the 0/1
 *  columns correctly (the pass checks it; if a column guessed 0/1 holds another value, every row
 *  is classified and the copy done again). */
export function rowLayout(d: Design): RowLayout {
  const { n, p, X } = d;
  const isBinary = new Uint8Array(p).fill(1);
  const step = Math.max(1, Math.floor(n / 512));
  let sampled = 0;
  let sampleOnes = 0;
  for (let i = 0; i < n; i += step, sampled++) {
    for (let j = 0; j < p; j++) {
      const v = X[i * p + j];
      if (v === 1) sampleOnes++;
      else if (v !== 0) isBinary[j] = 0;
    }
  }
  const guess = copyRows(d, isBinary, Math.ceil((1.25 * sampleOnes * n) / Math.max(sampled, 1)) + 16);
  if (guess) return guess;
  isBinary.fill(1);
  let ones = 0;
  for (let k = 0; k < n * p; k++) {
    const v = X[k];
    if (v === 1) ones++;
    else if (v !== 0) isBinary[k % p] = 0;
  }
  return copyRows(d, isBinary, ones)!;
}

/** The layout with the columns flagged in `isBinary` as lists of ones (room for `capacity` of them
 *  to start with), or null if one of those columns holds a value other than 0 and 1. */
function copyRows(d: Design, isBinary: Uint8Array, capacity: number): RowLayout | null {
  const { n, p, X } = d;
  const dense: number[] = [];
  const bin: number[] = [];
  for (let j = 0; j < p; j++) (isBinary[j] ? bin : dense).push(j);
  const pd = dense.length;
  const nb = bin.length;
  const di = Int32Array.from(dense);
  const bi = Int32Array.from(bin);
  const values = new Float64Array(n * pd);
  const ptr = new Int32Array(n + 1);
  const wide = nb > 0xffff;
  let ones: Uint16Array | Int32Array = wide ? new Int32Array(capacity) : new Uint16Array(capacity);
  // Sums of x - x_0 and its squares (deviations from the first row: no cancellation when a column
  // is far from zero and narrow).
  const shift = Float64Array.from(di, (j) => (n > 0 ? X[j] : 0));
  const sum = new Float64Array(pd);
  const sq = new Float64Array(pd);
  const count = new Float64Array(nb);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const od = i * pd;
    for (let a = 0; a < pd; a++) {
      const v = X[o + di[a]];
      values[od + a] = v;
      const e = v - shift[a];
      sum[a] += e;
      sq[a] += e * e;
    }
    if (q + nb > ones.length) {
      const more: Uint16Array | Int32Array = wide ? new Int32Array(2 * ones.length + nb) : new Uint16Array(2 * ones.length + nb);
      more.set(ones.subarray(0, q));
      ones = more;
    }
    for (let b = 0; b < nb; b++) {
      const v = X[o + bi[b]];
      if (v !== 0) {
        if (v !== 1) return null;
        ones[q++] = b;
        count[b]++;
      }
    }
    ptr[i + 1] = q;
  }
  const nn = Math.max(n, 1);
  const denseMean = Float64Array.from(shift, (k, a) => k + sum[a] / nn);
  const denseSS = Float64Array.from(sq, (s2, a) => Math.max(s2 - (sum[a] * sum[a]) / nn, 0));
  return { n, dense: di, values, binary: bi, ptr, ones: ones.length === q ? ones : ones.slice(0, q), denseMean, denseSS, onesCount: count };
}

/** The text block's part of each row's linear predictor, z_i += t_i . theta_text. */
function addText(t: CsrMatrix, theta: Float64Array, p: number, z: Float64Array): void {
  for (let i = 0; i < t.rows; i++) {
    let s = 0;
    for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) s += t.values[k] * theta[p + t.indices[k]];
    z[i] += s;
  }
}

/** The objective and its gradient on typed arrays: one fused pass per row (predictor, residual,
 *  gradient update) so each row is read from memory once per evaluation, with one exponential
 *  and one logarithm per row. A text block adds its share of the predictors before the pass and
 *  takes its gradient from the residuals after it. */
export function logisticLossGrad(d: Design, y: Uint8Array, C: number, layout: RowLayout = rowLayout(d)): LossGrad {
  return lossGradKeepingPredictors(d, y, C, layout).fg;
}

/** `logisticLossGrad`, keeping the linear predictors z (n) of its last evaluation, so the Hessian
 *  there and the check of how far the predictors moved need no pass over the rows of their own. */
function lossGradKeepingPredictors(d: Design, y: Uint8Array, C: number, layout: RowLayout): {
  fg: LossGrad;
  /** z at theta if theta is the point last evaluated (a copy), else null. */
  predictorsAt: (theta: Float64Array) => Float64Array | null;
} {
  const { n, p } = d;
  const { dense, binary } = layout;
  const pd = dense.length;
  const nb = binary.length;
  const t = d.text;
  const invC = 1 / C;
  const wd = new Float64Array(pd);
  const wb = new Float64Array(nb);
  const gd = new Float64Array(pd);
  const gbin = new Float64Array(nb);
  // Per row: the predictor's text share going in (zero without text), the residual coming out.
  const zt = new Float64Array(n);
  const res = new Float64Array(n);
  const zs = new Float64Array(n);
  const sums = new Float64Array(2);
  let lastTheta: Float64Array | null = null;
  const fg: LossGrad = (theta, grad) => {
    const last = theta.length - 1;
    lastTheta = Float64Array.from(theta);
    for (let a = 0; a < pd; a++) wd[a] = theta[dense[a]];
    for (let k = 0; k < nb; k++) wb[k] = theta[binary[k]];
    if (t) {
      zt.fill(0);
      addText(t, theta, p, zt);
    }
    rowPass(layout, y, theta[last], wd, wb, zt, gd, gbin, res, zs, sums);
    for (let a = 0; a < pd; a++) grad[dense[a]] = gd[a];
    for (let k = 0; k < nb; k++) grad[binary[k]] = gbin[k];
    if (t) {
      for (let j = p; j < last; j++) grad[j] = 0;
      for (let i = 0; i < n; i++) {
        const r = res[i];
        for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) grad[p + t.indices[k]] += r * t.values[k];
      }
    }
    let pen = 0;
    for (let j = 0; j < last; j++) {
      pen += theta[j] * theta[j];
      grad[j] += theta[j] * invC;
    }
    grad[last] = sums[1];
    return sums[0] + 0.5 * pen * invC;
  };
  const predictorsAt = (theta: Float64Array) => {
    if (!lastTheta || lastTheta.length !== theta.length) return null;
    for (let j = 0; j < theta.length; j++) if (!Object.is(lastTheta[j], theta[j])) return null;
    return zs.slice();
  };
  return { fg, predictorsAt };
}

/**
 * The pass over the rows behind `logisticLossGrad`: predictor z_i = b + zt_i + x_i . w, then the
 * log-loss summed into sums[0], predictors into zs, residuals s_i - y_i into res, their sum into sums[1], and the
 * gradient of the dense coefficients into gd (numbers) and gbin (0/1 columns). A function of its
 * own, so the engine optimises it whole from its second call on (a loop optimised while it runs
 * leaves the code after it without type feedback, and falls back to the interpreter there).
 */
function rowPass(
  layout: RowLayout,
  y: Uint8Array,
  b: number,
  wd: Float64Array,
  wb: Float64Array,
  zt: Float64Array,
  gd: Float64Array,
  gbin: Float64Array,
  res: Float64Array,
  zs: Float64Array,
  sums: Float64Array,
): void {
  const { n, values, ptr, ones } = layout;
  const pd = wd.length;
  gd.fill(0);
  gbin.fill(0);
  let loss = 0;
  let gb = 0;
  for (let i = 0; i < n; i++) {
    const o = i * pd;
    // The loops are written out here rather than called (dotAt, addScaled): through calls this
    // pass took 40% longer on Node 20.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let a = 0;
    for (; a + 3 < pd; a += 4) {
      s0 += values[o + a] * wd[a];
      s1 += values[o + a + 1] * wd[a + 1];
      s2 += values[o + a + 2] * wd[a + 2];
      s3 += values[o + a + 3] * wd[a + 3];
    }
    for (; a < pd; a++) s0 += values[o + a] * wd[a];
    const e0 = ptr[i];
    const e1 = ptr[i + 1];
    let k = e0;
    for (; k + 1 < e1; k += 2) {
      s1 += wb[ones[k]];
      s3 += wb[ones[k + 1]];
    }
    if (k < e1) s1 += wb[ones[k]];
    const zi = b + zt[i] + (s0 + s1) + (s2 + s3);
    zs[i] = zi;
    // softplus(z) = max(z, 0) + log1p(e^-|z|); sigmoid(z) from the same exponential.
    const ez = Math.exp(-Math.abs(zi));
    const yi = y[i];
    loss += (zi > 0 ? zi : 0) + Math.log1p(ez) - yi * zi;
    const r = (zi >= 0 ? 1 : ez) / (1 + ez) - yi;
    gb += r;
    res[i] = r;
    for (a = 0; a + 3 < pd; a += 4) {
      gd[a] += r * values[o + a];
      gd[a + 1] += r * values[o + a + 1];
      gd[a + 2] += r * values[o + a + 2];
      gd[a + 3] += r * values[o + a + 3];
    }
    for (; a < pd; a++) gd[a] += r * values[o + a];
    for (k = e0; k + 3 < e1; k += 4) {
      gbin[ones[k]] += r;
      gbin[ones[k + 1]] += r;
      gbin[ones[k + 2]] += r;
      gbin[ones[k + 3]] += r;
    }
    for (; k < e1; k++) gbin[ones[k]] += r;
  }
  sums[0] = loss;
  sums[1] = gb;
}

/** Hessian of the objective over [dense coefficients, intercept], (p+1) x (p+1) row-major:
 *  the sum over rows of w_i x_i x_i^T, w_i = s_i (1 - s_i). Per row the number x number block
 *  costs pd^2 / 2 multiply-adds (two rows at a time), each one's row of the one x number block pd
 *  additions, and the one x one block one addition per pair of ones: nothing is spent on zeros.
 *  (A text block enters the weights only.) */
export function logisticHessian(
  d: Design,
  theta: Float64Array,
  C: number,
  layout: RowLayout = rowLayout(d),
  /** The linear predictors at theta, when already known (n). */
  z: Float64Array | null = null,
): Float64Array {
  const { n, p } = d;
  const { dense, values, binary, ptr, ones } = layout;
  const pd = dense.length;
  const nb = binary.length;
  const last = theta.length - 1;
  // The weights first: w_i = s (1 - s) = e^-|z| / (1 + e^-|z|)^2.
  const W = new Float64Array(n);
  if (z) W.set(z);
  else {
    if (d.text) addText(d.text, theta, p, W);
    for (let i = 0; i < n; i++) {
      const o = i * pd;
      let zi = theta[last] + W[i];
      for (let a = 0; a < pd; a++) zi += values[o + a] * theta[dense[a]];
      for (let k = ptr[i]; k < ptr[i + 1]; k++) zi += theta[binary[ones[k]]];
      W[i] = zi;
    }
  }
  for (let i = 0; i < n; i++) {
    const ez = Math.exp(-Math.abs(W[i]));
    W[i] = ez / ((1 + ez) * (1 + ez));
  }
  // Blocks in layout order: DD (pd x pd, upper), BD (nb x pd: row k = one k against the numbers),
  // BB (nb x nb, upper), and the intercept's row (sums of w x).
  const DD = new Float64Array(pd * pd);
  const BD = new Float64Array(nb * pd);
  const BB = new Float64Array(nb * nb);
  const sD = new Float64Array(pd);
  const sB = new Float64Array(nb);
  let sW = 0;
  for (let i = 0; i < n; i += 2) {
    // Rows i and i + 1 together in DD (the second with weight 0 past the end).
    const o = i * pd;
    const w = W[i];
    const i2 = i + 1 < n ? i + 1 : i;
    const o2 = i2 * pd;
    const w2 = i + 1 < n ? W[i + 1] : 0;
    for (let a = 0; a < pd; a++) {
      const va = w * values[o + a];
      const vb = w2 * values[o2 + a];
      sD[a] += va + vb;
      const row = a * pd;
      for (let c = a; c < pd; c++) DD[row + c] += va * values[o + c] + vb * values[o2 + c];
    }
    sW += w + w2;
    for (let r = i; r <= i2; r++) {
      const wr = W[r];
      if (wr === 0) continue;
      const or = r * pd;
      const e1 = ptr[r + 1];
      for (let k = ptr[r]; k < e1; k++) {
        const j = ones[k];
        sB[j] += wr;
        addScaled(BD, j * pd, values, or, wr, pd);
        const rb = j * nb;
        let k2 = k;
        for (; k2 + 3 < e1; k2 += 4) {
          BB[rb + ones[k2]] += wr;
          BB[rb + ones[k2 + 1]] += wr;
          BB[rb + ones[k2 + 2]] += wr;
          BB[rb + ones[k2 + 3]] += wr;
        }
        for (; k2 < e1; k2++) BB[rb + ones[k2]] += wr;
      }
    }
  }
  // Upper triangles and blocks into H (row-major, p + 1 wide), then mirrored.
  const m = p + 1;
  const H = new Float64Array(m * m);
  for (let a = 0; a < pd; a++) {
    const r = dense[a] * m;
    for (let c = a; c < pd; c++) H[r + dense[c]] = DD[a * pd + c];
    H[p * m + dense[a]] = sD[a];
  }
  for (let j = 0; j < nb; j++) {
    const r = binary[j] * m;
    for (let a = 0; a < pd; a++) H[r + dense[a]] = BD[j * pd + a];
    for (let k = j; k < nb; k++) H[r + binary[k]] = BB[j * nb + k];
    H[p * m + binary[j]] = sB[j];
  }
  // Each pair was written once, on one side of the diagonal: copy it to the other.
  for (let r = 0; r < m; r++) {
    for (let c = r + 1; c < m; c++) {
      const v = H[r * m + c] + H[c * m + r];
      H[r * m + c] = v;
      H[c * m + r] = v;
    }
  }
  H[p * m + p] = sW;
  for (let j = 0; j < p; j++) H[j * m + j] += 1 / C;
  return H;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive definite matrix, or null if it is not. */
export function cholesky(A: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j];
    }
  }
  return L;
}

/** Solve L L^T x = b in place. */
function cholSolve(L: Float64Array, m: number, b: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * m + k] * b[k];
    b[i] = s / L[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < m; k++) s -= L[k * m + i] * b[k];
    b[i] = s / L[i * m + i];
  }
}

/** Diagonal of A^-1 from its Cholesky factor: A^-1 = L^-T L^-1, so (A^-1)_jj is the sum of
 *  squares of column j of L^-1, found by forward substitution (m^3 / 6 multiply-adds in all). */
function inverseDiagonal(L: Float64Array, m: number): Float64Array {
  const diag = new Float64Array(m);
  const x = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    x[j] = 1 / L[j * m + j];
    let acc = x[j] * x[j];
    for (let i = j + 1; i < m; i++) {
      let s = 0;
      const row = i * m;
      for (let k = j; k < i; k++) s += L[row + k] * x[k];
      x[i] = -s / L[row + i];
      acc += x[i] * x[i];
    }
    diag[j] = acc;
  }
  return diag;
}

/**
 * The text block restricted to the hashed columns that hold a value in some row, renumbered
 * 0..used-1, with `used` mapping each back to its hashed column. A column no training row touches
 * has gradient theta_j / C from a zero start, so every optimiser keeps it at exactly zero: dropping
 * it changes no iterate, and saves carrying 2^16-wide vectors through each L-BFGS step.
 */
export function compactText(t: CsrMatrix): { text: CsrMatrix; used: Int32Array } {
  const map = new Int32Array(t.cols).fill(-1);
  for (let k = 0; k < t.indices.length; k++) map[t.indices[k]] = 0;
  let q = 0;
  for (let j = 0; j < t.cols; j++) if (map[j] === 0) map[j] = q++;
  const used = new Int32Array(q);
  for (let j = 0; j < t.cols; j++) if (map[j] >= 0) used[map[j]] = j;
  const indices = new Int32Array(t.indices.length);
  for (let k = 0; k < indices.length; k++) indices[k] = map[t.indices[k]];
  return { text: { rows: t.rows, cols: q, indptr: t.indptr, indices, values: t.values }, used };
}

/**
 * Coordinates in which the objective is close to round, for L-BFGS. With centred columns and
 * unit curvature along each axis at the start: u_j = s_j w_j, u_b = s_b (b + mu . w), where mu_j is
 * column j's mean and s_j^2 = q sum_i (x_ij - mu_j)^2 + 1/C (q = pi (1 - pi), the curvature of the
 * log-loss at the prevalence pi), s_b^2 = q n. In the design's own coordinates the intercept and the
 * one-hot columns (means 0.05-0.35) are strongly correlated, and a column's curvature grows with its
 * spread: L-BFGS needs several times as many passes over the rows there to reach the same point.
 * The change is linear and invertible, so the optimum is the same one.
 */
interface Conditioning {
  /** Column means (0 for the intercept's slot) and scales s (packed like the parameters). */
  mu: Float64Array;
  scale: Float64Array;
}

function conditioning(d: Design, layout: RowLayout, prevalence: number, C: number): Conditioning {
  const { n, p } = d;
  const size = packedSize(d);
  const mu = new Float64Array(size);
  const ss = new Float64Array(size);
  const { dense, binary, denseMean, denseSS, onesCount } = layout;
  const nn = Math.max(n, 1);
  for (let a = 0; a < dense.length; a++) {
    mu[dense[a]] = denseMean[a];
    ss[dense[a]] = denseSS[a];
  }
  // 0/1 columns: c ones among n rows give mean c/n and sum of squares c (1 - c/n).
  for (let k = 0; k < binary.length; k++) {
    const c = onesCount[k];
    mu[binary[k]] = c / nn;
    ss[binary[k]] = c * (1 - c / nn);
  }
  const t = d.text;
  if (t) {
    const tsum = new Float64Array(t.cols);
    const tsq = new Float64Array(t.cols);
    for (let k = 0; k < t.indices.length; k++) {
      tsum[t.indices[k]] += t.values[k];
      tsq[t.indices[k]] += t.values[k] * t.values[k];
    }
    for (let j = 0; j < t.cols; j++) {
      mu[p + j] = tsum[j] / nn;
      ss[p + j] = Math.max(tsq[j] - (tsum[j] * tsum[j]) / nn, 0);
    }
  }
  const q = prevalence * (1 - prevalence);
  const scale = new Float64Array(size);
  for (let j = 0; j < size - 1; j++) scale[j] = Math.sqrt(q * ss[j] + 1 / C);
  scale[size - 1] = Math.sqrt(q * nn);
  return { mu, scale };
}

/** The Hessian in the conditioned coordinates, H_u = T^T H T, where theta = T u (`thetaOf`). */
function conditionedHessian(k: Conditioning, H: Float64Array): Float64Array {
  const m = k.scale.length;
  const last = m - 1;
  const { mu, scale } = k;
  // HT = H T, column by column: (H[:, b] - mu_b H[:, last]) / s_b, and H[:, last] / s_last.
  const HT = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const r = i * m;
    const hl = H[r + last];
    for (let b = 0; b < last; b++) HT[r + b] = (H[r + b] - mu[b] * hl) / scale[b];
    HT[r + last] = hl / scale[last];
  }
  // T^T HT, row by row: (HT[a, :] - mu_a HT[last, :]) / s_a, and HT[last, :] / s_last.
  const Hu = new Float64Array(m * m);
  const rl = last * m;
  for (let a = 0; a < last; a++) {
    const r = a * m;
    for (let b = 0; b < m; b++) Hu[r + b] = (HT[r + b] - mu[a] * HT[rl + b]) / scale[a];
  }
  for (let b = 0; b < m; b++) Hu[rl + b] = HT[rl + b] / scale[last];
  return Hu;
}

/** theta (the design's coordinates) from u (the conditioned ones). */
function thetaOf(k: Conditioning, u: Float64Array, theta: Float64Array): void {
  const last = u.length - 1;
  let shift = 0;
  for (let j = 0; j < last; j++) {
    theta[j] = u[j] / k.scale[j];
    shift += k.mu[j] * theta[j];
  }
  theta[last] = u[last] / k.scale[last] - shift;
}

/** u from theta (inverse of `thetaOf`). */
function uOf(k: Conditioning, theta: Float64Array): Float64Array {
  const last = theta.length - 1;
  const u = new Float64Array(theta.length);
  let shift = 0;
  for (let j = 0; j < last; j++) {
    u[j] = theta[j] * k.scale[j];
    shift += k.mu[j] * theta[j];
  }
  u[last] = (theta[last] + shift) * k.scale[last];
  return u;
}

/** The gradient in the design's coordinates from the gradient in u (g_theta = T^-T g_u). */
function thetaGradOf(k: Conditioning, gu: Float64Array, out: Float64Array): void {
  const last = gu.length - 1;
  const gb = gu[last] * k.scale[last];
  for (let j = 0; j < last; j++) out[j] = gu[j] * k.scale[j] + k.mu[j] * gb;
  out[last] = gb;
}

/** Fit on `d` (n x p, optional text block) with labels y (0/1, length n). */
export function fitLogistic(d: Design, y: Uint8Array, opts: LogisticOptions = {}): LogisticFit {
  const C = opts.C ?? 1;
  if (!(C > 0)) throw new RangeError(`invalid C: ${C}`);
  if (d.text && !opts.lossGrad) {
    const { text, used } = compactText(d.text);
    if (text.cols < d.text.cols) {
      const fit = fitLogistic({ ...d, text }, y, opts);
      const full = new Float64Array(d.text.cols);
      const tc = fit.textCoef!;
      for (let k = 0; k < used.length; k++) full[used[k]] = tc[k];
      return { ...fit, textCoef: full };
    }
  }
  const size = packedSize(d);
  // The dense block laid out once for every gradient and Hessian of this fit.
  const layout = rowLayout(d);
  const kept = lossGradKeepingPredictors(d, y, C, layout);
  const fg = kept.fg;
  const fgFirst = opts.lossGrad ?? fg;
  // Start at the prevalence (intercept = logit of it), which is the optimum of the intercept-only model.
  let pos = 0;
  for (let i = 0; i < d.n; i++) pos += y[i];
  const theta0 = new Float64Array(size);
  const prev = Math.min(Math.max(pos / Math.max(d.n, 1), 1e-6), 1 - 1e-6);
  theta0[size - 1] = Math.log(prev / (1 - prev));
  const curve: { step: number; loss: number }[] = [];
  const nn = Math.max(d.n, 1);
  const m = d.p + 1;
  // Newton needs the (p+1)^2 Hessian: worth it for dense designs of modest width.
  const newton = !d.text && m <= 2000 && d.n * m * m <= 4e10;
  const wantSe = newton && (opts.standardErrors ?? d.n * m * m <= 2e10);
  let iter = 0;
  const record = (f: number) => {
    iter++;
    curve.push({ step: iter, loss: f / nn });
    opts.onIteration?.(iter, f / nn);
  };
  // L-BFGS in conditioned coordinates does the bulk of the work in a few passes over the rows; on
  // dense designs one Hessian then serves Newton steps that finish at the optimum to machine
  // precision (and gives the standard errors), where L-BFGS would crawl along its last digits.
  const k = conditioning(d, layout, prev, C);
  const th = new Float64Array(size);
  const gth = new Float64Array(size);
  const fgu: LossGrad = (u, gu) => {
    thetaOf(k, u, th);
    const f = fgFirst(th, gth);
    const last = size - 1;
    const gb = gth[last];
    for (let j = 0; j < last; j++) gu[j] = (gth[j] - k.mu[j] * gb) / k.scale[j];
    gu[last] = gb / k.scale[last];
    return f;
  };
  const thetaGradMax = (gu: Float64Array) => {
    thetaGradOf(k, gu, gth);
    let mx = 0;
    for (let j = 0; j < size; j++) mx = Math.max(mx, Math.abs(gth[j]));
    return mx;
  };
  const recent = new Float64Array(HANDOVER_WINDOW);
  const res = minimizeLbfgs(fgu, uOf(k, theta0), {
    gtol: (newton ? NEWTON_FROM : 1e-8) * nn,
    gradSize: thetaGradMax,
    unitFirstStep: true,
    // Some designs stay ill-conditioned (one-hot groups that add up to the intercept): when
    // L-BFGS gains less than a factor 10 in HANDOVER_WINDOW iterations, Newton is the faster way on.
    handOver: newton ? (it, _f, gm) => {
      recent[it % HANDOVER_WINDOW] = gm;
      return it >= HANDOVER_WINDOW && gm <= 1e-3 * nn && gm > 0.1 * recent[(it + 1) % HANDOVER_WINDOW];
    } : undefined,
    maxIter: opts.maxIter ?? 2000,
    cancel: opts.cancel,
    onIteration: (_it, f) => record(f),
  });
  let theta = new Float64Array(size);
  thetaOf(k, res.w, theta);
  let gradMax = res.gradMax;
  let converged = res.converged;
  let L: Float64Array | null = null;
  if (newton) {
    const g = new Float64Array(size);
    const gNew = new Float64Array(size);
    const cand = new Float64Array(size);
    const absMax = (v: Float64Array) => v.reduce((acc, x) => Math.max(acc, Math.abs(x)), 0);
    let f: number;
    if (fgFirst === fg) {
      f = res.f;
      thetaGradOf(k, res.grad, g);
    } else f = fg(theta, g);
    gradMax = absMax(g);
    // The Hessian is the expensive part; its factor is reused for further steps while they keep
    // shrinking the gradient fast, and refreshed when they stop doing so. Its weights come from
    // the predictors of the evaluation at the same point when there was one (zH).
    let thetaH: Float64Array = theta;
    let zH: Float64Array | null = null;
    // Factored in the conditioned coordinates, where it is well scaled (a column far from zero and
    // narrow makes H itself nearly singular in floating point).
    const hessianAt = (th: Float64Array) => {
      thetaH = th;
      zH = kept.predictorsAt(th);
      return cholesky(conditionedHessian(k, logisticHessian(d, th, C, layout, zH)), m);
    };
    L = hessianAt(theta);
    // From here the Newton steps decide convergence (L-BFGS may have handed over early).
    converged = false;
    if (!L) {
      // Not positive definite in floating point: L-BFGS carries on alone, to its own tolerance.
      const more = minimizeLbfgs(fgu, res.w, {
        gtol: 1e-8 * nn,
        gradSize: thetaGradMax,
        maxIter: opts.maxIter ?? 2000,
        cancel: opts.cancel,
        onIteration: (_it, fv) => record(fv),
      });
      thetaOf(k, more.w, theta);
      gradMax = more.gradMax;
      converged = more.converged;
    }
    for (let it = 0; it < 50 && L; it++) {
      throwIfCancelled(opts.cancel);
      if (gradMax <= 1e-10 * nn) {
        converged = true;
        break;
      }
      // The Newton step solved in u (g_u = T^T g), brought back to theta (T du).
      const du = new Float64Array(size);
      const gLast = g[size - 1];
      for (let j = 0; j < size - 1; j++) du[j] = (g[j] - k.mu[j] * gLast) / k.scale[j];
      du[size - 1] = gLast / k.scale[size - 1];
      cholSolve(L, m, du);
      const step = new Float64Array(size);
      thetaOf(k, du, step);
      // Near the optimum f no longer resolves the progress (it is known to about eps |f|): a step
      // is also taken when it leaves f equal to rounding and shrinks the gradient.
      const tie = ROUNDING * Math.abs(f);
      let t = 1;
      let fNew = Infinity;
      let gNewMax = Infinity;
      let accepted = false;
      for (let ls = 0; ls < 40 && !accepted; ls++) {
        for (let j = 0; j < size; j++) cand[j] = theta[j] - t * step[j];
        fNew = fg(cand, gNew);
        gNewMax = absMax(gNew);
        accepted = fNew < f || (fNew <= f + tie && gNewMax < gradMax);
        t *= 0.5;
      }
      if (!accepted) {
        if (thetaH !== theta) {
          L = hessianAt(theta);
          continue;
        }
        converged = gradMax <= 1e-6 * nn;
        break;
      }
      theta = Float64Array.from(cand);
      g.set(gNew);
      const decrease = f - fNew;
      f = fNew;
      record(f);
      const before = gradMax;
      gradMax = gNewMax;
      if (gradMax <= 1e-10 * nn) {
        converged = true;
        break;
      }
      if (gradMax > 0.25 * before) {
        // Slow progress: at the limit of rounding, stop; else refresh the Hessian.
        if (decrease <= tie) {
          converged = gradMax <= 1e-6 * nn;
          break;
        }
        L = hessianAt(theta);
      }
    }
    // Standard errors from the Hessian at the solution, or at a point so near it that no row's
    // linear predictor differs by more than SE_SHIFT (see there): the Hessian the Newton steps
    // used often is such a point, and a second one costs as much as the rest of the fit.
    if (wantSe && L && thetaH !== theta) {
      const zNow = kept.predictorsAt(theta);
      const shift = zH && zNow ? maxAbsDiff(zH, zNow) : predictorShift(layout, thetaH, theta);
      if (shift > SE_SHIFT) L = hessianAt(theta);
    }
  }
  let se: Float64Array | null = null;
  let interceptSe: number | null = null;
  if (wantSe && L) {
    // Cov(theta) = T H_u^-1 T^T: coefficient j's row of T is 1/s_j at j; the intercept's row t is
    // (-mu_j / s_j ..., 1 / s_b).
    const diag = inverseDiagonal(L, m);
    se = new Float64Array(d.p);
    for (let j = 0; j < d.p; j++) se[j] = Math.sqrt(diag[j]) / k.scale[j];
    const t = Float64Array.from(k.mu, (mu, j) => (j < d.p ? -mu / k.scale[j] : 1 / k.scale[j]));
    const x = Float64Array.from(t);
    cholSolve(L, m, x);
    let v = 0;
    for (let j = 0; j < m; j++) v += t[j] * x[j];
    interceptSe = Math.sqrt(v);
  }
  return {
    coef: theta.slice(0, d.p),
    intercept: theta[size - 1],
    textCoef: d.text ? theta.slice(d.p, d.p + d.text.cols) : null,
    se,
    interceptSe,
    names: d.names.slice(),
    C,
    iterations: iter,
    converged,
    gradMax,
    curve,
  };
}

/** Iterations over which L-BFGS must gain a factor 10 in gradient to keep going (see `handOver`). */
const HANDOVER_WINDOW = 6;
/** 64 machine epsilons: the relative rounding allowed in a sum over many rows. */
const ROUNDING = 64 * 2.220446049250313e-16;
/** L-BFGS hands over to Newton when max |gradient| <= NEWTON_FROM n: about where it stops making
 *  progress that f can resolve, and where the Hessian there is close to the optimum's. */
const NEWTON_FROM = 1e-8;
/** Largest change of any row's linear predictor z for which the Hessian is not recomputed for the
 *  standard errors. Each weight s (1 - s) then changes by a factor within e^{+-SE_SHIFT}
 *  (|d log(s (1 - s)) / dz| = |1 - 2s| < 1), so H lies between (1 -+ SE_SHIFT) times the
 *  optimum's and each standard error within a relative SE_SHIFT / 2 (1e-6) of the optimum's. */
const SE_SHIFT = 2e-6;

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < a.length; i++) mx = Math.max(mx, Math.abs(a[i] - b[i]));
  return mx;
}

/** max_i |x_i . (a - b)| over the rows of the layout (dense coefficients and intercept): one pass. */
function predictorShift(layout: RowLayout, a: Float64Array, b: Float64Array): number {
  const { n, dense, values, binary, ptr, ones } = layout;
  const pd = dense.length;
  const last = a.length - 1;
  const dd = Float64Array.from(dense, (j) => a[j] - b[j]);
  const db = Float64Array.from(binary, (j) => a[j] - b[j]);
  const d0 = a[last] - b[last];
  let mx = 0;
  for (let i = 0; i < n; i++) {
    const o = i * pd;
    let z = d0;
    for (let c = 0; c < pd; c++) z += values[o + c] * dd[c];
    for (let k = ptr[i]; k < ptr[i + 1]; k++) z += db[ones[k]];
    if (Math.abs(z) > mx) mx = Math.abs(z);
  }
  return mx;
}

/** Predicted probabilities for the rows of `d` (same columns as the training design). */
export function predictLogistic(fit: LogisticFit, d: Design): Float64Array {
  if (d.p !== fit.coef.length) throw new RangeError(`design has ${d.p} columns, the model ${fit.coef.length}`);
  const theta = new Float64Array(packedSize(d));
  theta.set(fit.coef, 0);
  if (d.text && fit.textCoef) theta.set(fit.textCoef.subarray(0, d.text.cols), d.p);
  theta[theta.length - 1] = fit.intercept;
  const z = new Float64Array(d.n);
  // A design with text given to a model trained without it: the text block is ignored (zero weights).
  linearPredictor(d, theta, z);
  for (let i = 0; i < d.n; i++) z[i] = sigmoid(z[i]);
  return z;
}
