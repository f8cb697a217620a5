/**
 * One way to train any model, for the app's worker, the CLI and the benchmarks:
 * `trainModel(kind, design, y, opts)` returns a `TrainedModel` that predicts probabilities for
 * any design built by the same fitted pipeline, reports its training curve and which engine ran.
 *
 * Design conventions: 'baseline', 'logistic' and 'mlp' take the default (imputed, scaled)
 * design; 'gbdt' takes a `{ forTrees: true }` design (raw numbers, NaN for missing). Only the
 * logistic regression uses a hashed text block; the others ignore it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CancelToken } from '../errors.ts';
import { type Design } from '../features/pipeline.ts';
import { csrRows } from '../features/text-hash.ts';
import { rng } from '../random.ts';
import { fitBaseline, predictBaseline } from './baseline.ts';
import { fitLogistic, predictLogistic, type LogisticOptions } from './logistic.ts';
import { tfjsLogisticLossGrad } from './logistic-tfjs.ts';
import { ensureBackend, fitMlp, predictMlp, type MlpOptions } from './mlp.ts';
import { fitGbdt, type GbdtOptions } from './gbdt.ts';

export type ModelKind = 'baseline' | 'logistic' | 'gbdt' | 'mlp';
export const MODEL_KINDS: readonly ModelKind[] = ['baseline', 'logistic', 'gbdt', 'mlp'];

export interface TrainProgress {
  model: ModelKind;
  step: number;
  total: number;
  loss?: number;
  valLoss?: number;
}

export interface TrainOptions {
  seed: number;
  cancel?: CancelToken;
  /** Throttled to a few calls a second (plus the last one). */
  onProgress?: (p: TrainProgress) => void;
  /** 'auto' (default) picks typed arrays unless a hardware GPU backend is active and the design is large. */
  logisticEngine?: 'auto' | 'typed-arrays' | 'tfjs';
  logistic?: Omit<LogisticOptions, 'cancel' | 'onIteration' | 'lossGrad'>;
  mlp?: Omit<MlpOptions, 'seed' | 'cancel' | 'onEpoch'>;
  gbdt?: Omit<GbdtOptions, 'seed' | 'cancel' | 'onProgress'>;
}

export interface TrainedModel {
  kind: ModelKind;
  /** What computed it: 'typed-arrays', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-webgl', 'tfjs-webgpu'. */
  engine: string;
  predict(d: Design): Float64Array;
  curve: { step: number; loss: number; valLoss?: number }[];
  fitMs: number;
  /** Model-specific: LogisticFit (coefficients, standard errors), MlpFit, the GbdtModel, BaselineFit. */
  details?: unknown;
}

/** Rows x columns above which a hardware GPU backend is worth its per-op overhead for the logistic gradient. */
const GPU_LOGISTIC_MIN_CELLS = 5e7;

/** Which engine computes the logistic regression gradient, by the measurements in bench/train.bench.ts. */
export function chooseLogisticEngine(d: Design, backend: string | null, requested: TrainOptions['logisticEngine'] = 'auto'): 'typed-arrays' | 'tfjs' {
  if (requested === 'typed-arrays' || d.text) return 'typed-arrays';
  if (requested === 'tfjs') return 'tfjs';
  // CPU and WASM lose to typed arrays at every size measured; a real GPU may win at large n.
  return (backend === 'webgpu' || backend === 'webgl') && d.n * d.p >= GPU_LOGISTIC_MIN_CELLS ? 'tfjs' : 'typed-arrays';
}

function throttle(fn: ((p: TrainProgress) => void) | undefined, everyMs = 250) {
  let last = -Infinity;
  let pending: TrainProgress | null = null;
  return {
    emit(p: TrainProgress) {
      if (!fn) return;
      const now = performance.now();
      if (now - last >= everyMs) {
        last = now;
        pending = null;
        fn(p);
      } else pending = p;
    },
    flush() {
      if (fn && pending) fn(pending);
      pending = null;
    },
  };
}

/** Train `kind` on `train` (n rows) with labels y (0/1, n). */
export async function trainModel(kind: ModelKind, train: Design, y: Uint8Array, opts: TrainOptions): Promise<TrainedModel> {
  if (y.length !== train.n) throw new RangeError(`${y.length} labels for ${train.n} rows`);
  const progress = throttle(opts.onProgress);
  const t0 = performance.now();
  const done = (m: Omit<TrainedModel, 'fitMs' | 'kind'>): TrainedModel => {
    progress.flush();
    return { kind, ...m, fitMs: performance.now() - t0 };
  };
  switch (kind) {
    case 'baseline': {
      const fit = fitBaseline(y);
      return done({ engine: 'typed-arrays', predict: (d) => predictBaseline(fit, d.n), curve: [], details: fit });
    }
    case 'logistic': {
      const backend = tf.engine().backendName;
      const engine = chooseLogisticEngine(train, backend, opts.logisticEngine);
      const maxIter = opts.logistic?.maxIter ?? 2000;
      const onIteration = (step: number, loss: number) => progress.emit({ model: kind, step, total: maxIter, loss });
      let fit;
      let engineName = 'typed-arrays';
      if (engine === 'tfjs') {
        engineName = `tfjs-${await ensureBackend()}`;
        const t = tfjsLogisticLossGrad(train, y, opts.logistic?.C ?? 1);
        try {
          fit = fitLogistic(train, y, { ...opts.logistic, cancel: opts.cancel, onIteration, lossGrad: t.lossGrad });
        } finally {
          t.dispose();
        }
      } else fit = fitLogistic(train, y, { ...opts.logistic, cancel: opts.cancel, onIteration });
      const f = fit;
      return done({ engine: engineName, predict: (d) => predictLogistic(f, d), curve: f.curve, details: f });
    }
    case 'mlp': {
      const fit = await fitMlp(train, y, {
        ...opts.mlp,
        seed: opts.seed,
        cancel: opts.cancel,
        onEpoch: (p) => progress.emit({ model: kind, step: p.epoch, total: p.total, loss: p.loss, valLoss: p.valLoss }),
      });
      return done({ engine: fit.engine === 'typed-arrays' ? 'typed-arrays' : `tfjs-${fit.backend}`, predict: (d) => predictMlp(fit, d), curve: fit.curve, details: fit });
    }
    case 'gbdt': {
      const model = fitGbdt(train.X, train.n, train.p, y, {
        ...opts.gbdt,
        seed: opts.seed,
        cancel: opts.cancel,
        onProgress: (p) => progress.emit({ model: kind, step: p.iteration, total: p.total, loss: p.loss, valLoss: p.valLoss }),
      });
      return done({
        engine: 'typed-arrays',
        predict: (d) => {
          if (d.p !== train.p) throw new RangeError(`design has ${d.p} columns, the model ${train.p}`);
          return model.predictProba(d.X, d.n);
        },
        curve: model.curve,
        details: model,
      });
    }
    default: {
      const never: never = kind;
      throw new RangeError(`unknown model: ${String(never)}`);
    }
  }
}

export interface ImportanceResult {
  /** Source column (or the text columns joined by '+'). */
  group: string;
  /** Design columns in the group (for text: the hashed width). */
  columns: number;
  /** metric(original) - mean metric(permuted): how much the model relies on the group. */
  drop: number;
  /** Standard deviation of the drop over repeats. */
  sd: number;
}

/**
 * Permutation importance per feature group (all design columns of one source column move
 * together, so a one-hot column is permuted as a whole): the drop in `metric` (e.g. average
 * precision) when the group's values are shuffled across rows. Seeded; cancellable between groups.
 */
export function permutationImportance(
  model: TrainedModel,
  design: Design,
  y: Uint8Array,
  metric: (y: Uint8Array, scores: Float64Array) => number | null,
  opts: { repeats?: number; seed: number; cancel?: CancelToken },
): ImportanceResult[] {
  const repeats = opts.repeats ?? 5;
  const base = metric(y, model.predict(design));
  if (base === null) return [];
  const r = rng(opts.seed);
  const groups = new Map<string, number[]>();
  design.sources.forEach((s, j) => {
    const g = groups.get(s);
    if (g) g.push(j);
    else groups.set(s, [j]);
  });
  const X = Float64Array.from(design.X);
  const perm = new Int32Array(design.n);
  const shuffle = () => {
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    for (let i = perm.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  };
  const summarise = (group: string, columns: number, scores: number[]): ImportanceResult => {
    const drops = scores.map((s) => base - s);
    const mean = drops.reduce((a, b) => a + b, 0) / Math.max(drops.length, 1);
    const sd = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(drops.length - 1, 1));
    return { group, columns, drop: mean, sd };
  };
  const out: ImportanceResult[] = [];
  const { n, p } = design;
  for (const [group, cols] of groups) {
    if (opts.cancel?.cancelled) break;
    const scores: number[] = [];
    for (let k = 0; k < repeats; k++) {
      shuffle();
      for (const j of cols) for (let i = 0; i < n; i++) X[i * p + j] = design.X[perm[i] * p + j];
      const s = metric(y, model.predict({ ...design, X }));
      if (s !== null) scores.push(s);
    }
    for (const j of cols) for (let i = 0; i < n; i++) X[i * p + j] = design.X[i * p + j];
    out.push(summarise(group, cols.length, scores));
  }
  if (design.text && !opts.cancel?.cancelled) {
    const scores: number[] = [];
    for (let k = 0; k < repeats; k++) {
      shuffle();
      const s = metric(y, model.predict({ ...design, text: csrRows(design.text, perm) }));
      if (s !== null) scores.push(s);
    }
    out.push(summarise((design.textSources ?? ['text']).join('+'), design.text.cols, scores));
  }
  return out.sort((a, b) => b.drop - a.drop);
}

export interface TextAblation {
  withText: { model: TrainedModel; scores: Float64Array };
  withoutText: { model: TrainedModel; scores: Float64Array };
}

/**
 * The study's question "does the case-note text help?": the same model trained on the same
 * split with and without the text block, with test scores for each. The caller compares them
 * with a paired bootstrap of the difference (evaluate-scores.ts `pairedDifference`).
 */
export async function trainTextAblation(kind: ModelKind, train: Design, test: Design, y: Uint8Array, opts: TrainOptions): Promise<TextAblation> {
  if (!train.text || !test.text) throw new RangeError('the text ablation needs designs with a text block');
  const strip = (d: Design): Design => ({ n: d.n, p: d.p, X: d.X, names: d.names, sources: d.sources });
  const withText = await trainModel(kind, train, y, opts);
  const withoutText = await trainModel(kind, strip(train), y, opts);
  return {
    withText: { model: withText, scores: withText.predict(test) },
    withoutText: { model: withoutText, scores: withoutText.predict(strip(test)) },
  };
}
