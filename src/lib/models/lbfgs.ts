/**
 * Limited-memory BFGS on Float64Arrays, deterministic (no randomness, fixed operation order), for
 * smooth convex objectives such as penalised logistic regression. The objective is a callback so
 * the gradient can come from typed-array kernels or from TensorFlow.js alike.
 */
import { type CancelToken, throwIfCancelled } from '../errors.ts';

/** Writes the gradient at `w` into `grad` and returns the objective value. */
export type LossGrad = (w: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when the gradient's size (`gradSize`) <= gtol. */
  gtol: number;
  /** The size of a gradient the stopping rule compares with gtol; default max |g_i|. (A caller
   *  minimising in transformed coordinates measures the gradient in the original ones.) */
  gradSize?: (g: Float64Array) => number;
  /** Stop when the relative decrease of the objective falls below ftol (scikit-learn passes 64 eps). */
  ftol?: number;
  maxIter?: number;
  /** Try a step of 1 along -g first (for coordinates in which the Hessian is near the identity);
   *  by default the first step is of unit length. */
  unitFirstStep?: boolean;
  /** Pairs kept (scikit-learn/scipy: 10). */
  memory?: number;
  cancel?: CancelToken;
  onIteration?: (iter: number, f: number, gradMax: number) => void;
  /** Stop (as converged) when this says so after an iteration: the caller has a better way on. */
  handOver?: (iter: number, f: number, gradMax: number) => boolean;
}

export interface LbfgsResult {
  w: Float64Array;
  f: number;
  /** The gradient at `w`, and its size (`gradSize`). */
  grad: Float64Array;
  gradMax: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s0 = 0, s1 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < n) s0 += a[i] * b[i];
  return s0 + s1;
}

/** y += a x */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function absMax(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** Minimise `fg` from `w0` (not modified). */
export function minimizeLbfgs(fg: LossGrad, w0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const d = w0.length;
  const m = opts.memory ?? 10;
  const maxIter = opts.maxIter ?? 1000;
  const ftol = opts.ftol ?? 64 * 2.220446049250313e-16;
  const size = opts.gradSize ?? absMax;
  const w = Float64Array.from(w0);
  const g = new Float64Array(d);
  const wNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  const dir = new Float64Array(d);
  // Curvature pairs in m + 1 vectors reused throughout: no allocation per iteration (this VM first
  // touches new memory slowly, and wide text designs make each vector a megabyte).
  // `order` lists the buffers holding pairs, oldest first; one spare buffer takes each new pair
  // and only joins `order` if the pair is kept.
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho = new Float64Array(m + 1);
  const sy = new Float64Array(m + 1);
  const alpha = new Float64Array(m + 1);
  const order: number[] = [];
  let f = fg(w, g);
  let evaluations = 1;
  let gmax = size(g);
  let iter = 0;
  let converged = gmax <= opts.gtol;
  while (!converged && iter < maxIter) {
    throwIfCancelled(opts.cancel);
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    const k = order.length;
    for (let j = k - 1; j >= 0; j--) {
      const s = order[j];
      const a = rho[s] * dot(S[s], dir);
      alpha[s] = a;
      axpy(-a, Y[s], dir);
    }
    if (k > 0) {
      const s = order[k - 1];
      const gamma = sy[s] / dot(Y[s], Y[s]);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const s = order[j];
      const beta = rho[s] * dot(Y[s], dir);
      axpy(alpha[s] - beta, S[s], dir);
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      order.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    // Backtracking line search with the Armijo condition; first iteration starts from a unit-length step.
    let step = k === 0 && !opts.unitFirstStep ? Math.min(1, 1 / Math.max(Math.sqrt(-slope), 1e-300)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < d; i++) wNew[i] = w[i] + step * dir[i];
      fNew = fg(wNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    // Curvature pair, written into a buffer not in use; kept only when it preserves positive
    // definiteness (the oldest pair then makes way when memory is full).
    let next = 0;
    while (order.includes(next)) next++;
    if (S.length <= next) {
      S.push(new Float64Array(d));
      Y.push(new Float64Array(d));
    }
    const s = S[next];
    const y = Y[next];
    for (let i = 0; i < d; i++) {
      s[i] = wNew[i] - w[i];
      y[i] = gNew[i] - g[i];
    }
    const sty = dot(s, y);
    if (sty > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (order.length === m) order.shift();
      order.push(next);
      sy[next] = sty;
      rho[next] = 1 / sty;
    }
    const fOld = f;
    w.set(wNew);
    g.set(gNew);
    f = fNew;
    gmax = size(g);
    iter++;
    opts.onIteration?.(iter, f, gmax);
    if (gmax <= opts.gtol || opts.handOver?.(iter, f, gmax)) converged = true;
    else if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) converged = true;
  }
  return { w, f, grad: g, gradMax: gmax, iterations: iter, evaluations, converged };
}
