import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { trainModel, permutationImportance, trainTextAblation, chooseLogisticEngine, type TrainedModel } from '../../src/lib/models/train.ts';
import { fitPipeline, transform, type Design } from '../../src/lib/features/pipeline.ts';
import { rng } from '../../src/lib/random.ts';
import { ap, tableOf, golden, range } from '../features/helpers.ts';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** Cases with one weak structured risk factor and case notes whose words carry most of the signal. */
function textCases(n: number, seed: number) {
  const r = rng(seed);
  const risky = ['domestic abuse reported', 'neglect concerns raised', 'police attended incident', 'missing from school'];
  const calm = ['family engaged well', 'no further action', 'support offered and accepted', 'attendance good'];
  const common = ['home visit', 'spoke with parent', 'school contacted', 'health visitor'];
  const cols = { age: [] as number[], area: [] as string[], notes: [] as (string | null)[] };
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const hidden = r.next() < 0.25; // the latent risk the notes reveal
    const area = r.next() < 0.5 ? 'north' : 'south';
    const z = -2 + (hidden ? 2.5 : 0) + (area === 'north' ? 0.3 : 0);
    y[i] = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const words = [common[r.int(4)], (hidden ? risky : calm)[r.int(4)]];
    if (r.next() < 0.3) words.push((hidden ? calm : risky)[r.int(4)]);
    cols.age.push(Math.round(r.next() * 17));
    cols.area.push(area);
    cols.notes.push(r.next() < 0.05 ? null : words.join('. '));
  }
  return { table: tableOf(cols), y };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainModel', () => {
  const s = golden('models.json').synthetic;
  const table = tableOf(s.columns);
  const y = Uint8Array.from(s.y);
  const trainRows = range(0, s.nTrain);
  const testRows = range(s.nTrain, y.length);
  const pipe = unwrap(fitPipeline(table, trainRows, { numeric: s.numeric, categorical: s.categorical, text: [] }));
  const tr = unwrap(transform(pipe, table, trainRows));
  const te = unwrap(transform(pipe, table, testRows));
  const yTr = y.subarray(0, s.nTrain);
  const yTe = y.subarray(s.nTrain);

  it('baseline predicts the training prevalence', async () => {
    const m = await trainModel('baseline', tr, yTr, { seed: 1 });
    const prev = yTr.reduce((a, b) => a + b, 0) / yTr.length;
    expect(Array.from(m.predict(te).subarray(0, 3))).toEqual([prev, prev, prev]);
    expect(m.engine).toBe('typed-arrays');
  });

  it('logistic: typed arrays by default, tfjs engine gives the same model', async () => {
    const a = await trainModel('logistic', tr, yTr, { seed: 1 });
    expect(a.engine).toBe('typed-arrays');
    const before = tf.memory().numTensors;
    const b = await trainModel('logistic', tr, yTr, { seed: 1, logisticEngine: 'tfjs' });
    expect(tf.memory().numTensors).toBe(before);
    expect(b.engine).toBe('tfjs-cpu');
    const ca = (a.details as { coef: Float64Array }).coef;
    const cb = (b.details as { coef: Float64Array }).coef;
    for (let j = 0; j < ca.length; j++) expect(Math.abs(ca[j] - cb[j])).toBeLessThan(1e-6);
    expect(Math.abs(ap(yTe, a.predict(te)) - s.apDefault)).toBeLessThan(0.002);
  });

  it('gbdt trains on a forTrees design and predicts probabilities', async () => {
    const tp = unwrap(fitPipeline(table, trainRows, { numeric: s.numeric, categorical: s.categorical, text: [] }, { forTrees: true }));
    const m = await trainModel('gbdt', unwrap(transform(tp, table, trainRows)), yTr, { seed: 1 });
    const scores = m.predict(unwrap(transform(tp, table, testRows)));
    expect(scores.every((v) => v > 0 && v < 1)).toBe(true);
    expect(ap(yTe, scores)).toBeGreaterThan(0.4);
    expect(m.curve.length).toBeGreaterThan(1);
  });

  it('mlp reports its engine and curve, progress is throttled', async () => {
    const calls: number[] = [];
    const m = await trainModel('mlp', tr, yTr, { seed: 2, mlp: { maxEpochs: 8 }, onProgress: (p) => calls.push(p.step) });
    // Without a GPU backend the MLP trains on plain typed arrays (faster than tfjs-cpu at this size).
    expect(m.engine).toBe('typed-arrays');
    const t = await trainModel('mlp', tr, yTr, { seed: 2, mlp: { maxEpochs: 2, engine: 'tfjs' } });
    expect(t.engine).toBe('tfjs-cpu');
    expect(m.curve.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(m.curve.length);
    expect(calls[calls.length - 1]).toBe(m.curve.length);
  });

  it('rejects labels of the wrong length', async () => {
    await expect(trainModel('baseline', tr, new Uint8Array(3), { seed: 1 })).rejects.toThrow(/labels/);
  });

  it('chooses typed arrays on CPU/WASM, tfjs only for a large design on a GPU backend', () => {
    const big: Design = { n: 1_000_000, p: 100, X: new Float64Array(0), names: [], sources: [] };
    expect(chooseLogisticEngine(big, 'wasm')).toBe('typed-arrays');
    expect(chooseLogisticEngine(big, 'webgpu')).toBe('tfjs');
    expect(chooseLogisticEngine({ ...big, n: 1000 }, 'webgpu')).toBe('typed-arrays');
  });
});

describe('permutationImportance', () => {
  it('ranks the planted effect first and an unused column near zero', async () => {
    const r = rng(4);
    const n = 2000;
    const cols = { strong: [] as number[], noise: [] as number[], kind: [] as string[] };
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = r.normal();
      cols.strong.push(a);
      cols.noise.push(r.normal());
      cols.kind.push(r.next() < 0.5 ? 'p' : 'q');
      y[i] = r.next() < 1 / (1 + Math.exp(-(2 * a - 1))) ? 1 : 0;
    }
    const table = tableOf(cols);
    const rows = range(0, n);
    const pipe = unwrap(fitPipeline(table, rows, { numeric: ['strong', 'noise'], categorical: ['kind'], text: [] }));
    const d = unwrap(transform(pipe, table, rows));
    const m: TrainedModel = await trainModel('logistic', d, y, { seed: 1 });
    const imp = permutationImportance(m, d, y, ap, { repeats: 3, seed: 7 });
    expect(imp.map((g) => g.group)[0]).toBe('strong');
    expect(imp[0].drop).toBeGreaterThan(0.2);
    expect(Math.abs(imp.find((g) => g.group === 'noise')!.drop)).toBeLessThan(0.02);
    expect(imp.find((g) => g.group === 'kind')!.columns).toBe(2);
  });
});

describe('text', () => {
  it('adding informative case-note text improves test AP (same split, same model)', async () => {
    const { table, y } = textCases(3000, 11);
    const trainRows = range(0, 2000);
    const testRows = range(2000, 3000);
    const pipe = unwrap(fitPipeline(table, trainRows, { numeric: ['age'], categorical: ['area'], text: ['notes'] }, { textBits: 12 }));
    const tr = unwrap(transform(pipe, table, trainRows));
    const te = unwrap(transform(pipe, table, testRows));
    const yTe = y.subarray(2000);
    const abl = await trainTextAblation('logistic', tr, te, y.subarray(0, 2000), { seed: 1 });
    const withText = ap(yTe, abl.withText.scores);
    const without = ap(yTe, abl.withoutText.scores);
    expect(withText - without).toBeGreaterThan(0.15);
    expect((abl.withText.model.details as { textCoef: Float64Array | null }).textCoef).not.toBeNull();
    const imp = permutationImportance(abl.withText.model, te, yTe, ap, { repeats: 2, seed: 3 });
    expect(imp[0].group).toBe('notes');
  });

  it('the ablation needs a text block', async () => {
    const d: Design = { n: 2, p: 1, X: Float64Array.of(0, 1), names: ['a'], sources: ['a'] };
    await expect(trainTextAblation('logistic', d, d, Uint8Array.of(0, 1), { seed: 1 })).rejects.toThrow(/text/);
  });
});
