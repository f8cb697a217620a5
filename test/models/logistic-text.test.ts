import { describe, it, expect } from 'vitest';
import type { Design } from '../../src/lib/features/pipeline.ts';
import { fitTfidf, transformTfidf } from '../../src/lib/features/text-hash.ts';
import { compactText, fitLogistic, logisticLossGrad } from '../../src/lib/models/logistic.ts';
import { minimizeLbfgs } from '../../src/lib/models/lbfgs.ts';
import { rng } from '../../src/lib/random.ts';

/** A small design: two numbers and notes where one word carries the outcome. */
function textDesign(n: number, seed: number): { d: Design; y: Uint8Array } {
  const r = rng(seed);
  const words = ['bruising', 'school', 'neglect', 'visit', 'housing', 'police', 'health', 'missed'];
  const X = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    X[2 * i] = r.normal();
    X[2 * i + 1] = r.normal();
    const risky = r.next() < 0.3;
    const doc = Array.from({ length: 4 }, () => words[r.int(words.length)]);
    if (risky) doc.push('injury');
    docs.push(doc.join(' '));
    y[i] = r.next() < 1 / (1 + Math.exp(-(-1.5 + 0.8 * X[2 * i] + (risky ? 2 : 0)))) ? 1 : 0;
  }
  const text = transformTfidf(fitTfidf(docs, { bits: 12 }), docs);
  return { d: { n, p: 2, X, names: ['a', 'b'], sources: ['a', 'b'], text, textSources: ['note'] }, y };
}

describe('logistic regression with a hashed text block', () => {
  it('compactText keeps exactly the touched columns, in order', () => {
    const { d } = textDesign(200, 3);
    const { text, used } = compactText(d.text!);
    const touched = [...new Set(d.text!.indices)].sort((a, b) => a - b);
    expect(Array.from(used)).toEqual(touched);
    for (let k = 0; k < text.indices.length; k++) expect(used[text.indices[k]]).toBe(d.text!.indices[k]);
    expect(text.values).toBe(d.text!.values);
  });

  it('solves the full-width objective: same optimum, untouched columns exactly zero', () => {
    const { d, y } = textDesign(400, 5);
    const fit = fitLogistic(d, y, { C: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.textCoef!.length).toBe(d.text!.cols);
    const touched = new Set(d.text!.indices);
    for (let j = 0; j < d.text!.cols; j++) if (!touched.has(j)) expect(fit.textCoef![j]).toBe(0);
    // Reference: L-BFGS on all 2^12 + 3 parameters, to a tight tolerance.
    const fg = logisticLossGrad(d, y, 1);
    const ref = minimizeLbfgs(fg, new Float64Array(d.p + d.text!.cols + 1), { gtol: 1e-9 * d.n, maxIter: 5000 });
    const theta = new Float64Array(ref.w.length);
    theta.set(fit.coef, 0);
    theta.set(fit.textCoef!, d.p);
    theta[theta.length - 1] = fit.intercept;
    const g = new Float64Array(theta.length);
    const f = fg(theta, g);
    expect(Math.abs(f - ref.f) / ref.f).toBeLessThan(1e-10);
    for (let j = 0; j < theta.length; j++) expect(theta[j]).toBeCloseTo(ref.w[j], 5);
    // The planted word ('injury') gets the largest positive text weight.
    const top = fit.textCoef!.reduce((best, v, j, a) => (Math.abs(v) > Math.abs(a[best]) ? j : best), 0);
    expect(Math.abs(fit.textCoef![top])).toBeGreaterThan(0.5);
  });
});
