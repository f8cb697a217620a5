import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomEffects, poolBundles, tQuantile, chiSquareSf, normalQuantile, logit, expit, type Study } from '../../src/lib/bundle/pool.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { exampleBundle } from './make-bundle.ts';

const golden = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../golden/pool.json'), 'utf8'));
const studiesOf = (name: string): Study[] => golden.cases[name].y.map((y: number, i: number) => ({ label: `s${i}`, y, se: golden.cases[name].se[i] }));

describe('randomEffects against scipy (test/golden/pool.py)', () => {
  for (const name of ['bcg', 'ap', 'precision']) {
    for (const variant of ['DL', 'REML', 'DL-HK', 'REML-HK']) {
      it(`${name} ${variant}`, () => {
        const r = randomEffects(studiesOf(name), { method: variant.startsWith('REML') ? 'REML' : 'DL', hartungKnapp: variant.endsWith('HK') });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const g = golden.cases[name][variant];
        // REML in Python is a numerical optimum (xatol 1e-13); DL is closed form.
        const tol = variant.startsWith('REML') ? 1e-7 : 1e-10;
        for (const k of ['estimate', 'se', 'lo', 'hi', 'tau2', 'q', 'pQ', 'i2', 'predictionLo', 'predictionHi'] as const) {
          expect(Math.abs((r.value[k] as number) - g[k]), `${k}: ${r.value[k]} vs ${g[k]}`).toBeLessThan(tol * Math.max(1, Math.abs(g[k])));
        }
        r.value.weights.forEach((w, i) => expect(w).toBeCloseTo(g.weights[i], 6));
      });
    }
  }
});

describe('randomEffects: published example', () => {
  // metafor::rma(yi, vi, data = escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)),
  // as printed in the metafor documentation: REML mu = -0.7145 (SE 0.1798), CI -1.0669 to -0.3622,
  // tau^2 = 0.3132, Q(12) = 152.2330; method="DL": mu = -0.7141, tau^2 = 0.3088.
  it('reproduces the BCG vaccine meta-analysis', () => {
    const reml = randomEffects(studiesOf('bcg'), { method: 'REML' });
    const dl = randomEffects(studiesOf('bcg'));
    if (!reml.ok || !dl.ok) throw new Error('failed');
    expect(reml.value.estimate).toBeCloseTo(-0.7145, 4);
    expect(reml.value.se).toBeCloseTo(0.1798, 4);
    expect(reml.value.lo).toBeCloseTo(-1.0669, 4);
    expect(reml.value.hi).toBeCloseTo(-0.3622, 4);
    expect(reml.value.tau2).toBeCloseTo(0.3132, 4);
    expect(reml.value.q).toBeCloseTo(152.233, 3);
    expect(dl.value.estimate).toBeCloseTo(-0.7141, 4);
    expect(dl.value.tau2).toBeCloseTo(0.3088, 4);
  });
});

describe('randomEffects: hand-worked and degenerate cases', () => {
  it('two identical studies: mean is theirs, tau^2 = 0, Q = 0, I^2 = 0, no prediction interval', () => {
    const r = randomEffects([{ label: 'a', y: 1, se: 0.5 }, { label: 'b', y: 1, se: 0.5 }]);
    expect(r.ok && r.value).toMatchObject({ estimate: 1, tau2: 0, q: 0, i2: 0, pQ: 1, predictionLo: null, predictionHi: null });
    // SE = sqrt(1 / (4 + 4)).
    expect(r.ok && r.value.se).toBeCloseTo(Math.sqrt(1 / 8), 15);
  });
  it('fails with fewer than two studies or a bad SE', () => {
    expect(randomEffects([{ label: 'a', y: 1, se: 0.1 }])).toMatchObject({ ok: false, error: { code: 'pool-too-few' } });
    expect(randomEffects([{ label: 'a', y: 1, se: 0 }, { label: 'b', y: 1, se: 1 }])).toMatchObject({ ok: false, error: { code: 'pool-bad-study' } });
  });
  it('has quantiles that match tables', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706204736, 8);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.776445105, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(chiSquareSf(3.841458821, 1)).toBeCloseTo(0.05, 9);
  });
});

function councilBundle(name: string, ap: [number, number, number], tp: number, fp: number, fn: number, tn: number): Bundle {
  const b = exampleBundle();
  const r = b.results[1];
  b.data.name = name;
  r.metrics.averagePrecision = { value: ap[0], lo: ap[1], hi: ap[2] };
  Object.assign(r.atThreshold, { tp, fp, fn, tn, nFlagged: tp + fp, precision: tp / (tp + fp), recall: tp / (tp + fn), fpr: fp / (fp + tn), fnr: fn / (fn + tp) });
  return b;
}

describe('poolBundles', () => {
  const councils = golden.ap.map((ap: [number, number, number], i: number) => {
    const [tp, n] = golden.precision[i] ?? [10, 20];
    return councilBundle(`council ${i + 1}`, ap, tp, n - tp, 30, 800);
  });
  it('pools average precision on the logit scale with SE from the interval width', () => {
    const r = poolBundles(councils, { metric: 'averagePrecision', model: 'logistic' });
    if (!r.ok) throw new Error(r.error.message);
    const g = golden.cases.ap.DL;
    expect(r.value.analysis.estimate).toBeCloseTo(g.estimate, 12);
    expect(r.value.pooled.value).toBeCloseTo(expit(g.estimate), 12);
    expect(r.value.pooled.lo).toBeCloseTo(expit(g.lo), 12);
    expect(r.value.studies.map((s) => s.label)).toEqual(['council 1', 'council 2', 'council 3', 'council 4', 'council 5']);
    expect(r.value.studies[0].source).toBe('interval');
  });
  it('pools precision with SE from counts', () => {
    const r = poolBundles(councils.slice(0, 4), { metric: 'precision', model: 'logistic' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.analysis.estimate).toBeCloseTo(golden.cases.precision.DL.estimate, 12);
    expect(r.value.analysis.se).toBeCloseTo(golden.cases.precision.DL.se, 12);
    expect(r.value.studies[0].source).toBe('counts');
  });
  it('leaves out bundles whose counts are withheld, and says why', () => {
    const bs = councils.slice(0, 4);
    Object.assign(bs[3].results[1].atThreshold, { tp: null, fp: null, nFlagged: null, precision: null, intervals: {} });
    const r = poolBundles(bs, { metric: 'precision', model: 'logistic' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.analysis.k).toBe(3);
    expect(r.value.excluded).toEqual([{ label: 'council 4', reason: 'precision counts are withheld and there is no interval' }]);
  });
  it('asks for a model when bundles hold several', () => {
    const r = poolBundles(councils, { metric: 'averagePrecision' });
    expect(r).toMatchObject({ ok: false, error: { code: 'pool-too-few' } });
    if (!r.ok) expect(r.error.message).toContain('holds several models');
  });
  it('logit and expit are inverses', () => {
    for (const p of [0.001, 0.2, 0.5, 0.93]) expect(expit(logit(p))).toBeCloseTo(p, 14);
  });
});
