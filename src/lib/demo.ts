/**
 * The smallest honest demonstration of the whole idea, on made-up cases: a risk score that
 * knows something but not everything, an outcome drawn from the true risk, and the question
 * "if we flag the top 10%, how many flags are false alarms and how many children are missed?".
 * The full synthetic generator and evaluation replace this in the app's real runs.
 */
import { rng } from './random.ts';
import { throwIfCancelled, type CancelToken } from './errors.ts';

export interface DemoOptions {
  seed: number;
  topPct?: number;
  cancel?: CancelToken;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
  rows: number;
  positives: number;
  topPct: number;
  flagged: number;
  truePositives: number;
  precision: number | null;
  recall: number | null;
  backend: string;
  ms: number;
}

export function demoRun(rows: number, opts: DemoOptions, backend: string): DemoResult {
  const t0 = Date.now();
  const r = rng(opts.seed);
  const topPct = opts.topPct ?? 10;
  const labels = new Uint8Array(rows);
  const scores = new Float64Array(rows);
  const chunk = 10_000;
  for (let start = 0; start < rows; start += chunk) {
    throwIfCancelled(opts.cancel);
    const end = Math.min(rows, start + chunk);
    for (let i = start; i < end; i++) {
      const latent = r.normal();
      const risk = 1 / (1 + Math.exp(-(-2.6 + 1.1 * latent)));
      labels[i] = r.bernoulli(risk) ? 1 : 0;
      scores[i] = latent + 0.9 * r.normal();
    }
    opts.onProgress?.(end, rows);
  }
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const nTarget = Math.max(1, Math.ceil((rows * topPct) / 100));
  const cut = scores[order[nTarget - 1]];
  let flagged = 0;
  let tp = 0;
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    positives += labels[i];
    if (scores[i] >= cut) {
      flagged++;
      tp += labels[i];
    }
  }
  return {
    rows,
    positives,
    topPct,
    flagged,
    truePositives: tp,
    precision: flagged ? tp / flagged : null,
    recall: positives ? tp / positives : null,
    backend,
    ms: Date.now() - t0,
  };
}
