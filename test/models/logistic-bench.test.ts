import { describe, it, expect } from 'vitest';
import type { Design } from '../../src/lib/features/pipeline.ts';
import { fitLogistic, logisticHessian, logisticLossGrad, rowLayout } from '../../src/lib/models/logistic.ts';
import { golden } from '../features/helpers.ts';

/** test/golden/logistic-bench.py: scikit-learn at the size and shape bench/train.bench.ts times. */
const G = golden('logistic-bench.json');

/** The design of logistic-bench.py, bit for bit (see there). */
function benchDesign(): { d: Design; y: Uint8Array } {
  const { n, p, nNumeric, seed } = G;
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const normal = () => {
    let t = 0;
    for (let k = 0; k < 12; k++) t += next();
    return t - 6;
  };
  const beta = Array.from({ length: p }, (_, j) => (j < nNumeric ? 0.4 * normal() : 0.6 * normal()));
  const rate = Array.from({ length: p }, () => 0.05 + 0.3 * next());
  const X = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -2.2;
    for (let j = 0; j < p; j++) {
      const v = j < nNumeric ? normal() : next() < rate[j] ? 1 : 0;
      X[i * p + j] = v;
      z += beta[j] * v;
    }
    y[i] = next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const names = Array.from({ length: p }, (_, j) => `x${j}`);
  return { d: { n, p, X, names, sources: names }, y };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
};

describe('logistic regression at the benchmark design (24,000 rows x 150 columns)', () => {
  const { d, y } = benchDesign();
  const nTrain = G.nTrain as number;
  const tr: Design = { ...d, n: nTrain, X: d.X.subarray(0, nTrain * d.p) };
  const yTr = y.subarray(0, nTrain);

  it('builds the same design as the golden script', () => {
    let pos = 0;
    for (const v of y) pos += v;
    let ones = 0;
    let sumNumeric = 0;
    for (let i = 0; i < d.n; i++) {
      for (let j = 0; j < d.p; j++) {
        if (j < G.nNumeric) sumNumeric += d.X[i * d.p + j];
        else ones += d.X[i * d.p + j];
      }
    }
    expect(pos).toBe(G.checks.positives);
    expect(ones).toBe(G.checks.ones);
    expect(Math.abs(sumNumeric - G.checks.sumNumeric)).toBeLessThan(1e-9);
  });

  it('reaches scikit-learn optimum within 1e-6, with its standard errors', () => {
    const fit = fitLogistic(tr, yTr, { C: 1 });
    expect(fit.converged).toBe(true);
    expect(maxAbsDiff(fit.coef, G.coef)).toBeLessThan(1e-6);
    expect(Math.abs(fit.intercept - G.intercept)).toBeLessThan(1e-6);
    const relSe = Array.from(fit.se!, (v, j) => Math.abs(v - G.se[j]) / G.se[j]);
    expect(Math.max(...relSe)).toBeLessThan(1e-5);
    // scikit-learn's default solver stops short of it; the difference is what it leaves.
    expect(maxAbsDiff(fit.coef, G.coefDefault)).toBeLessThan(5e-3);
  });

  it('the row layout splits 0/1 columns from numbers and changes no sum', () => {
    // The first 2,000 rows: the plain computation below costs n p^2.
    const tr: Design = { ...d, n: 2000, X: d.X.subarray(0, 2000 * d.p) };
    const yTr = y.subarray(0, 2000);
    const layout = rowLayout(tr);
    expect(Array.from(layout.dense)).toEqual(Array.from({ length: G.nNumeric }, (_, j) => j));
    expect(layout.binary.length).toBe(d.p - G.nNumeric);
    // Gradient and Hessian against a plain dense computation at a point off the optimum.
    const m = d.p + 1;
    const theta = Float64Array.from({ length: m }, (_, j) => 0.05 * Math.sin(j + 1));
    const g = new Float64Array(m);
    const f = logisticLossGrad(tr, yTr, 1, layout)(theta, g);
    const H = logisticHessian(tr, theta, 1, layout);
    let f0 = 0;
    const g0 = new Float64Array(m);
    const H0 = new Float64Array(m * m);
    const x = new Float64Array(m);
    for (let i = 0; i < tr.n; i++) {
      for (let j = 0; j < d.p; j++) x[j] = tr.X[i * d.p + j];
      x[d.p] = 1;
      let z = 0;
      for (let j = 0; j < m; j++) z += x[j] * theta[j];
      const s = 1 / (1 + Math.exp(-z));
      f0 += Math.log(1 + Math.exp(z)) - yTr[i] * z;
      for (let j = 0; j < m; j++) {
        g0[j] += (s - yTr[i]) * x[j];
        for (let k = 0; k < m; k++) H0[j * m + k] += s * (1 - s) * x[j] * x[k];
      }
    }
    for (let j = 0; j < d.p; j++) {
      f0 += 0.5 * theta[j] * theta[j];
      g0[j] += theta[j];
      H0[j * m + j] += 1;
    }
    expect(Math.abs(f - f0) / f0).toBeLessThan(1e-12);
    expect(maxAbsDiff(g, g0)).toBeLessThan(1e-9 * tr.n);
    expect(maxAbsDiff(H, H0)).toBeLessThan(1e-9 * tr.n);
  });

  it('a column that looks 0/1 in the sampled rows but is not stays a number', () => {
    // 5,000 rows: the sample takes every 9th, so row 1 is not in it.
    const n = 5000;
    const X = new Float64Array(n * 3);
    const yy = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      X[i * 3] = i % 3 === 0 ? 1 : 0;
      X[i * 3 + 1] = i % 5 === 0 ? 1 : 0;
      X[i * 3 + 2] = (i % 7) / 7;
      yy[i] = (i * 7919) % 11 < 4 ? 1 : 0;
    }
    X[1 * 3 + 1] = 0.5;
    const dd: Design = { n, p: 3, X, names: ['a', 'b', 'c'], sources: ['a', 'b', 'c'] };
    const layout = rowLayout(dd);
    expect(Array.from(layout.binary)).toEqual([0]);
    expect(Array.from(layout.dense)).toEqual([1, 2]);
    expect(layout.values[1 * 2]).toBe(0.5);
    expect(layout.ptr[n]).toBe(Math.ceil(n / 3));
  });
});
