import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fitMlp, predictMlp } from '../../src/lib/models/mlp.ts';
import { fitLogistic, predictLogistic } from '../../src/lib/models/logistic.ts';
import type { Design } from '../../src/lib/features/pipeline.ts';
import { rng } from '../../src/lib/random.ts';
import { Cancelled } from '../../src/lib/errors.ts';
import { ap } from '../features/helpers.ts';

/** XOR-like: positive when x1 and x2 have the same sign (90% of the time). */
function xor(n: number, seed: number): { d: Design; y: Uint8Array } {
  const r = rng(seed);
  const X = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * r.next() - 1;
    const b = 2 * r.next() - 1;
    X[2 * i] = a;
    X[2 * i + 1] = b;
    const same = a * b > 0;
    y[i] = (r.next() < 0.9 ? same : !same) ? 1 : 0;
  }
  return { d: { n, p: 2, X, names: ['x1', 'x2'], sources: ['x1', 'x2'] }, y };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MLP', () => {
  const train = xor(1500, 1);
  const test = xor(1000, 2);

  it('learns XOR far better than logistic regression; frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const fit = await fitMlp(train.d, train.y, { seed: 3, hidden: [16], learningRate: 0.01, batchSize: 64, maxEpochs: 60 });
    expect(tf.memory().numTensors).toBe(before);
    const apMlp = ap(test.y, predictMlp(fit, test.d));
    const apLr = ap(test.y, predictLogistic(fitLogistic(train.d, train.y), test.d));
    expect(apLr).toBeLessThan(0.6);
    expect(apMlp).toBeGreaterThan(0.8);
    expect(fit.curve.length).toBe(fit.epochs);
    expect(fit.curve[0].valLoss).toBeGreaterThan(fit.curve[fit.bestEpoch - 1].valLoss!);
    expect(fit.backend).toBe('cpu');
  });

  it('is deterministic for a seed and works with two hidden layers', async () => {
    const small = xor(200, 5);
    const a = await fitMlp(small.d, small.y, { seed: 9, hidden: [8, 4], maxEpochs: 5 });
    const b = await fitMlp(small.d, small.y, { seed: 9, hidden: [8, 4], maxEpochs: 5 });
    expect(a.layers.length).toBe(3);
    expect(Array.from(predictMlp(a, small.d))).toEqual(Array.from(predictMlp(b, small.d)));
  });

  it('stops when cancelled and still frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const token = { cancelled: false };
    const run = fitMlp(train.d, train.y, { seed: 1, maxEpochs: 100, onEpoch: (p) => p.epoch === 2 && (token.cancelled = true), cancel: token });
    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects three hidden layers', async () => {
    await expect(fitMlp(train.d, train.y, { seed: 1, hidden: [4, 4, 4] })).rejects.toThrow(/hidden/);
  });
});
