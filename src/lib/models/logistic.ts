/**
 * L2-penalised logistic regression with `C` exactly as scikit-learn means it:
 *   minimise  sum_i [log(1 + e^{z_i}) - y_i z_i] + ||w||^2 / (2C),   z_i = b + x_i.w (+ text_i.v)
 * with the intercept b not penalised. Solved deterministically to convergence: L-BFGS on typed
 * arrays, then (dense designs) Newton steps with the exact Hessian, which finish at the optimum
 * to machine precision and give the coefficient standard errors sqrt(diag(H^-1)). (scikit-learn's
 * default lbfgs stops a little short of it; see test/golden/models.py.)
 *
 * Typed arrays are the default engine: at council sizes per-op overhead makes tfjs an order of
 * magnitude slower on CPU/WASM (PLATFORM.md; bench/train.bench.ts measures it again). The tfjs
 * engine (`logistic-tfjs.ts`) computes the same objective's gradient on tensors.
 */
import { type CancelToken, throwIfCancelled } from '../errors.ts';
import type { Design } from '../features/pipeline.ts';
import type { CsrMatrix } from '../features/text-hash.ts';
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

/** log(1 + e^z), without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
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
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    for (; j + 3 < p; j += 4) {
      s0 += X[o + j] * theta[j];
      s1 += X[o + j + 1] * theta[j + 1];
      s2 += X[o + j + 2] * theta[j + 2];
      s3 += X[o + j + 3] * theta[j + 3];
    }
    for (; j < p; j++) s0 += X[o + j] * theta[j];
    out[i] = b + (s0 + s1) + (s2 + s3);
  }
  const t = d.text;
  if (t) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) s += t.values[k] * theta[p + t.indices[k]];
      out[i] += s;
    }
  }
}

/** The non-zero entries of a dense row-major n x p matrix, row by row. */
export function nonZeroRows(X: Float64Array, n: number, p: number): CsrMatrix {
  let nnz = 0;
  for (let k = 0; k < n * p; k++) if (X[k] !== 0) nnz++;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const v = X[o + j];
      if (v !== 0) {
        indices[k] = j;
        values[k++] = v;
      }
    }
    indptr[i + 1] = k;
  }
  return { rows: n, cols: p, indptr, indices, values };
}

/** One-hot designs are mostly zeros: below this share of non-zeros, passes read them only. */
const SPARSE_DENSITY = 0.5;

/** The dense block's non-zeros, when sparse enough to be worth reading that way; else null. */
export function sparseDense(d: Design): CsrMatrix | null {
  const { n, p, X } = d;
  const total = n * p;
  if (total === 0) return null;
  // Count on a sample of rows first so a fully dense design costs no extra pass.
  let nz = 0;
  const step = Math.max(1, Math.floor(n / 256));
  let seen = 0;
  for (let i = 0; i < n; i += step, seen++) for (let j = 0; j < p; j++) if (X[i * p + j] !== 0) nz++;
  if (nz > SPARSE_DENSITY * seen * p) return null;
  return nonZeroRows(X, n, p);
}

/** The objective and its gradient on typed arrays: one fused pass per row (predictor, residual,
 *  gradient update) so each row is read from memory once per evaluation. */
export function logisticLossGrad(d: Design, y: Uint8Array, C: number, sp: CsrMatrix | null = sparseDense(d)): LossGrad {
  if (sp) return sparseLossGrad(sp, d, y, C);
  const { n, p, X } = d;
  const t = d.text;
  const invC = 1 / C;
  return (theta, grad) => {
    grad.fill(0);
    const last = theta.length - 1;
    const b = theta[last];
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j + 3 < p; j += 4) {
        s0 += X[o + j] * theta[j];
        s1 += X[o + j + 1] * theta[j + 1];
        s2 += X[o + j + 2] * theta[j + 2];
        s3 += X[o + j + 3] * theta[j + 3];
      }
      for (; j < p; j++) s0 += X[o + j] * theta[j];
      let zi = b + (s0 + s1) + (s2 + s3);
      if (t) for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) zi += t.values[k] * theta[p + t.indices[k]];
      loss += softplus(zi) - y[i] * zi;
      const r = sigmoid(zi) - y[i];
      gb += r;
      for (j = 0; j < p; j++) grad[j] += r * X[o + j];
      if (t) for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) grad[p + t.indices[k]] += r * t.values[k];
    }
    let pen = 0;
    for (let j = 0; j < last; j++) {
      pen += theta[j] * theta[j];
      grad[j] += theta[j] * invC;
    }
    grad[last] = gb;
    return loss + 0.5 * pen * invC;
  };
}

/** `logisticLossGrad` over the non-zeros `sp` of the dense block (same objective, same gradient). */
function sparseLossGrad(sp: CsrMatrix, d: Design, y: Uint8Array, C: number): LossGrad {
  const { n, p } = d;
  const { indptr, indices, values } = sp;
  const t = d.text;
  const tPtr = t ? t.indptr : indptr;
  const tIdx = t ? t.indices : indices;
  const tVal = t ? t.values : values;
  const hasText = !!t;
  const invC = 1 / C;
  return (theta, grad) => {
    grad.fill(0);
    const last = theta.length - 1;
    const b = theta[last];
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const a = indptr[i];
      const e = indptr[i + 1];
      let s0 = 0, s1 = 0;
      let k = a;
      for (; k + 1 < e; k += 2) {
        s0 += values[k] * theta[indices[k]];
        s1 += values[k + 1] * theta[indices[k + 1]];
      }
      if (k < e) s0 += values[k] * theta[indices[k]];
      let zi = b + s0 + s1;
      if (hasText) for (let q = tPtr[i]; q < tPtr[i + 1]; q++) zi += tVal[q] * theta[p + tIdx[q]];
      loss += softplus(zi) - y[i] * zi;
      const r = sigmoid(zi) - y[i];
      gb += r;
      for (k = a; k < e; k++) grad[indices[k]] += r * values[k];
      if (hasText) for (let q = tPtr[i]; q < tPtr[i + 1]; q++) grad[p + tIdx[q]] += r * tVal[q];
    }
    let pen = 0;
    for (let j = 0; j < last; j++) {
      pen += theta[j] * theta[j];
      grad[j] += theta[j] * invC;
    }
    grad[last] = gb;
    return loss + 0.5 * pen * invC;
  };
}

/** Hessian of the objective over [dense coefficients, intercept], (p+1) x (p+1) row-major.
 *  Each row adds w_i x_i x_i^T over its non-zero entries only: one-hot designs are mostly zeros,
 *  so this costs n nnz^2 / 2 rather than n p^2 / 2. */
export function logisticHessian(d: Design, theta: Float64Array, C: number, sp: CsrMatrix | null = null): Float64Array {
  const { n, p, X } = d;
  const m = p + 1;
  const H = new Float64Array(m * m);
  const z = new Float64Array(n);
  linearPredictor(d, theta, z);
  const nzIdx = new Int32Array(m);
  const nzVal = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const s = sigmoid(z[i]);
    const wgt = s * (1 - s);
    if (wgt === 0) continue;
    let k = 0;
    if (sp) {
      // The non-zeros are already listed (`sparseDense`): no scan of the row.
      for (let q = sp.indptr[i]; q < sp.indptr[i + 1]; q++) {
        nzIdx[k] = sp.indices[q];
        nzVal[k++] = sp.values[q];
      }
    } else {
      const o = i * p;
      for (let j = 0; j < p; j++) {
        const v = X[o + j];
        if (v !== 0) {
          nzIdx[k] = j;
          nzVal[k++] = v;
        }
      }
    }
    nzIdx[k] = p;
    nzVal[k++] = 1;
    // Upper triangle only (indices ascending); mirrored below.
    for (let a = 0; a < k; a++) {
      const va = wgt * nzVal[a];
      const row = nzIdx[a] * m;
      for (let b = a; b < k; b++) H[row + nzIdx[b]] += va * nzVal[b];
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) H[a * m + b] = H[b * m + a];
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

/** Diagonal of A^-1 from its Cholesky factor. */
function inverseDiagonal(L: Float64Array, m: number): Float64Array {
  const diag = new Float64Array(m);
  const e = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    e.fill(0);
    e[j] = 1;
    cholSolve(L, m, e);
    diag[j] = e[j];
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
  // The dense block's non-zeros, listed once for every gradient and Hessian of this fit.
  const sp = sparseDense(d);
  const fg = logisticLossGrad(d, y, C, sp);
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
  // L-BFGS does the cheap early work; on dense designs Newton steps then finish to machine
  // precision in a few iterations (quadratic convergence), where L-BFGS would crawl along the
  // weakly curved directions one-hot columns and the intercept share.
  const res = minimizeLbfgs(fgFirst, theta0, {
    gtol: (newton ? 1e-4 : 1e-8) * nn,
    maxIter: opts.maxIter ?? 2000,
    cancel: opts.cancel,
    onIteration: (_it, f) => record(f),
  });
  let theta = res.w;
  let gradMax = res.gradMax;
  let converged = res.converged;
  let L: Float64Array | null = null;
  if (newton) {
    const g = new Float64Array(size);
    const gNew = new Float64Array(size);
    const cand = new Float64Array(size);
    const absMax = (v: Float64Array) => v.reduce((acc, x) => Math.max(acc, Math.abs(x)), 0);
    let f = fg(theta, g);
    gradMax = absMax(g);
    // The Hessian is the expensive part (n nnz^2 / 2); a factor is reused for further steps while
    // they keep shrinking the gradient fast, and refreshed when they stop doing so.
    L = cholesky(logisticHessian(d, theta, C, sp), m);
    let lIsCurrent = true;
    for (let k = 0; k < 50 && L; k++) {
      throwIfCancelled(opts.cancel);
      if (gradMax <= 1e-10 * nn) {
        converged = true;
        break;
      }
      const step = Float64Array.from(g);
      cholSolve(L, m, step);
      let t = 1;
      let fNew = Infinity;
      for (let ls = 0; ls < 40; ls++) {
        for (let j = 0; j < size; j++) cand[j] = theta[j] - t * step[j];
        fNew = fg(cand, gNew);
        if (fNew <= f) break;
        t *= 0.5;
      }
      if (!(fNew <= f)) {
        if (!lIsCurrent) {
          L = cholesky(logisticHessian(d, theta, C, sp), m);
          lIsCurrent = true;
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
      gradMax = absMax(g);
      lIsCurrent = false;
      if (gradMax <= 1e-10 * nn || decrease <= 1e-15 * Math.abs(f)) {
        converged = true;
        break;
      }
      if (gradMax > 0.25 * before) {
        L = cholesky(logisticHessian(d, theta, C, sp), m);
        lIsCurrent = true;
      }
    }
    // Standard errors from the Hessian at the solution itself.
    if (wantSe && !lIsCurrent) L = cholesky(logisticHessian(d, theta, C, sp), m);
  }
  let se: Float64Array | null = null;
  let interceptSe: number | null = null;
  if (wantSe && L) {
    const diag = inverseDiagonal(L, m);
    se = new Float64Array(d.p);
    for (let j = 0; j < d.p; j++) se[j] = Math.sqrt(diag[j]);
    interceptSe = Math.sqrt(diag[d.p]);
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
