/**
 * The logistic regression objective and gradient computed on TensorFlow.js tensors (float32), for
 * backends where tensor ops beat typed arrays (real GPUs at large n). The L-BFGS iteration itself
 * stays in float64 JavaScript; `fitLogistic` then finishes with float64 Newton steps, so the
 * solution and its standard errors do not depend on the backend's precision.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Design } from '../features/pipeline.ts';
import type { LossGrad } from './lbfgs.ts';

export interface TensorLossGrad {
  lossGrad: LossGrad;
  /** Frees the design tensors; call in `finally`. */
  dispose(): void;
}

/** Dense designs only (the hashed text block stays on typed arrays). */
export function tfjsLogisticLossGrad(d: Design, y: Uint8Array, C: number): TensorLossGrad {
  if (d.text) throw new RangeError('the tfjs logistic engine takes dense designs only');
  const { n, p } = d;
  const X = tf.tensor2d(Float32Array.from(d.X), [n, p]);
  const Y = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const invC = 1 / C;
  const lossGrad: LossGrad = (theta, grad) => {
    const [loss, g, gb] = tf.tidy(() => {
      const w = tf.tensor2d(Float32Array.from(theta.subarray(0, p)), [p, 1]);
      const z = tf.add(tf.matMul(X, w), tf.scalar(theta[p]));
      const l = tf.sum(tf.sub(tf.softplus(z), tf.mul(Y, z)));
      const r = tf.sub(tf.sigmoid(z), Y);
      return [l, tf.matMul(X, r, true, false), tf.sum(r)];
    });
    const gv = g.dataSync();
    const lv = loss.dataSync()[0];
    const gbv = gb.dataSync()[0];
    loss.dispose();
    g.dispose();
    gb.dispose();
    let pen = 0;
    for (let j = 0; j < p; j++) {
      grad[j] = gv[j] + theta[j] * invC;
      pen += theta[j] * theta[j];
    }
    grad[p] = gbv;
    return lv + 0.5 * pen * invC;
  };
  return {
    lossGrad,
    dispose: () => {
      X.dispose();
      Y.dispose();
    },
  };
}
