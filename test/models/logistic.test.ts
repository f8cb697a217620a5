import { describe, it, expect } from 'vitest';
import { fitPipeline, transform, type Design } from '../../src/lib/features/pipeline.ts';
import { fitLogistic, predictLogistic } from '../../src/lib/models/logistic.ts';
import { golden, tableOf, range, loadAdult, ap } from '../features/helpers.ts';
import { rng } from '../../src/lib/random.ts';

const G = golden('models.json');

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function designs(table: Parameters<typeof fitPipeline>[0], train: Int32Array, test: Int32Array, numeric: string[], categorical: string[]) {
  const pipe = unwrap(fitPipeline(table, train, { numeric, categorical, text: [] }));
  return { tr: unwrap(transform(pipe, table, train)), te: unwrap(transform(pipe, table, test)) };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
};

function checkParity(ref: any, tr: Design, yTr: Uint8Array, te: Design, yTe: Uint8Array) {
  const fit = fitLogistic(tr, yTr, { C: 1 });
  expect(fit.converged).toBe(true);
  expect(fit.names.map((s) => s.replace('(missing)', 'nan'))).toEqual(ref.names);
  // The optimum itself (scikit-learn newton-cg, confirmed by Newton in numpy).
  expect(maxAbsDiff(fit.coef, ref.coef)).toBeLessThan(1e-6);
  expect(Math.abs(fit.intercept - ref.intercept)).toBeLessThan(1e-6);
  // Default lbfgs stops early along weakly curved directions; it is still close.
  expect(maxAbsDiff(fit.coef, ref.coefDefault)).toBeLessThan(5e-3);
  const relSe = Array.from(fit.se!, (v, j) => Math.abs(v - ref.se[j]) / ref.se[j]);
  expect(Math.max(...relSe)).toBeLessThan(1e-5);
  const apTest = ap(yTe, predictLogistic(fit, te));
  expect(Math.abs(apTest - ref.apDefault)).toBeLessThan(0.002);
  expect(Math.abs(apTest - ref.apExact)).toBeLessThan(1e-6);
  return fit;
}

describe('logistic regression parity with scikit-learn LogisticRegression(C=1)', () => {
  it('synthetic table (missing numbers, missing and rare categories)', () => {
    const s = G.synthetic;
    const table = tableOf(s.columns);
    const n = s.y.length;
    const y = Uint8Array.from(s.y);
    const { tr, te } = designs(table, range(0, s.nTrain), range(s.nTrain, n), s.numeric, s.categorical);
    checkParity(s, tr, y.subarray(0, s.nTrain), te, y.subarray(s.nTrain));
  });

  it('UCI adult, first 10,000 official training rows, official test rows', () => {
    const a = G.adult;
    const { table, split, y } = loadAdult();
    const trainAll: number[] = [];
    const test: number[] = [];
    split.forEach((s, i) => (s === 'train' ? trainAll : test).push(i));
    const train = Int32Array.from(trainAll.slice(0, a.trainRows));
    const testRows = Int32Array.from(test);
    expect(testRows.length).toBe(a.nTest);
    const { tr, te } = designs(table, train, testRows, a.numeric, a.categorical);
    const pick = (rows: Int32Array) => Uint8Array.from(rows, (i) => y[i]);
    checkParity(a, tr, pick(train), te, pick(testRows));
  });
});

describe('logistic regression on planted effects', () => {
  it('recovers the signs of two risk factors and one protective factor', () => {
    // Seeded generator: logit = -1.5 + 1.2 f1 + 0.8 f2 - 1.0 f3.
    let s = 12345;
    const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const n = 4000;
    const cols = { f1: [] as string[], f2: [] as string[], f3: [] as string[] };
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const f = [u() < 0.4, u() < 0.3, u() < 0.5];
      const z = -1.5 + 1.2 * +f[0] + 0.8 * +f[1] - 1.0 * +f[2];
      y[i] = u() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      cols.f1.push(f[0] ? 'yes' : 'no');
      cols.f2.push(f[1] ? 'yes' : 'no');
      cols.f3.push(f[2] ? 'yes' : 'no');
    }
    const table = tableOf(cols);
    const { tr } = designs(table, range(0, n), range(0, 1), [], ['f1', 'f2', 'f3']);
    const fit = fitLogistic(tr, y);
    const coef = (name: string) => fit.coef[fit.names.indexOf(name)];
    // With both one-hot levels present the effect is the difference yes - no.
    expect(coef('cat__f1_yes') - coef('cat__f1_no')).toBeGreaterThan(0.5);
    expect(coef('cat__f2_yes') - coef('cat__f2_no')).toBeGreaterThan(0.3);
    expect(coef('cat__f3_yes') - coef('cat__f3_no')).toBeLessThan(-0.5);
    // Standard errors are positive and their intervals contain the estimate's sign here.
    const j = fit.names.indexOf('cat__f1_yes');
    expect(fit.se![j]).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const s = G.synthetic;
    const table = tableOf(s.columns);
    const { tr } = designs(table, range(0, 500), range(0, 1), s.numeric, s.categorical);
    const y = Uint8Array.from(s.y.slice(0, 500));
    expect(Array.from(fitLogistic(tr, y).coef)).toEqual(Array.from(fitLogistic(tr, y).coef));
  });

  it('one class only: converges to extreme intercept without NaN', () => {
    const d: Design = { n: 4, p: 1, X: Float64Array.of(1, -1, 2, 0), names: ['a'], sources: ['a'] };
    const fit = fitLogistic(d, new Uint8Array(4));
    const p = predictLogistic(fit, d);
    for (const v of p) expect(v).toBeLessThan(0.2);
    expect(Number.isFinite(fit.intercept)).toBe(true);
  });

  it('a Hessian that is not positive definite in floating point: L-BFGS finishes alone, without standard errors', () => {
    // Two identical columns and a third that adds up with them to the intercept, almost no penalty.
    const n = 400;
    const X = new Float64Array(n * 3);
    const y = new Uint8Array(n);
    let s = 1;
    const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < n; i++) {
      const a = u() < 0.3 ? 1 : 0;
      X.set([a, a, 1 - a], i * 3);
      y[i] = u() < (a ? 0.6 : 0.2) ? 1 : 0;
    }
    const d: Design = { n, p: 3, X, names: ['a', 'b', 'c'], sources: ['a', 'b', 'c'] };
    const fit = fitLogistic(d, y, { C: 1e20 });
    expect(fit.se).toBeNull();
    expect(fit.converged).toBe(true);
    expect(fit.gradMax).toBeLessThanOrEqual(1e-8 * n);
    // The fitted probabilities are the two groups' rates.
    const pr = predictLogistic(fit, d);
    let n1 = 0, y1 = 0, n0 = 0, y0 = 0;
    for (let i = 0; i < n; i++) {
      if (X[i * 3]) (n1++, (y1 += y[i]));
      else (n0++, (y0 += y[i]));
    }
    for (let i = 0; i < n; i++) expect(pr[i]).toBeCloseTo(X[i * 3] ? y1 / n1 : y0 / n0, 5);
  });

  it('columns far from zero and narrow (x + 1000): the same slopes as x, the shift taken by the intercept', () => {
    // The intercept is not penalised, so adding a constant to columns changes only the intercept;
    // such columns are nearly collinear with it, which the solver must not mind.
    const n = 20000;
    const p = 30;
    const off = 10;
    const r = rng(11);
    const X = new Float64Array(n * p);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let z = -1;
      for (let j = 0; j < p; j++) {
        const v = j < off ? 0.01 * r.normal() : r.next() < 0.2 ? 1 : 0;
        X[i * p + j] = v;
        z += (j % 3 === 0 ? 0.8 : -0.3) * (j < off ? 100 * v : v);
      }
      y[i] = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const shifted = Float64Array.from(X, (v, k) => (k % p < off ? v + 1000 : v));
    const names = Array.from({ length: p }, (_, j) => `x${j}`);
    const plain = fitLogistic({ n, p, X, names, sources: names }, y, { C: 1 });
    const far = fitLogistic({ n, p, X: shifted, names, sources: names }, y, { C: 1 });
    expect(far.converged).toBe(true);
    for (let j = 0; j < p; j++) expect(Math.abs(far.coef[j] - plain.coef[j])).toBeLessThan(1e-7);
    // The Hessian is summed in the design's own coordinates, where the shifted columns' products
    // (about 1e6) carry the information in their last digits: standard errors agree to 1e-4.
    for (let j = 0; j < p; j++) expect(Math.abs(far.se![j] / plain.se![j] - 1)).toBeLessThan(1e-4);
  });
});
