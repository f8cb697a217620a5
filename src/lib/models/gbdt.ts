/**
 * Histogram gradient-boosted trees for a binary outcome, behaving as scikit-learn's
 * `HistGradientBoostingClassifier()` with its defaults: half binomial log-loss, 255 quantile
 * bins plus one for missing values (thresholds from up to 200,000 training rows), leaf-wise
 * trees of at most 31 leaves and at least 20 samples per leaf, Newton leaf values shrunk by
 * the learning rate, and early stopping on the validation loss when there are more than
 * 10,000 rows. Tight typed-array code: at council sizes it is far faster than tensor ops.
 */
import { AppFailure, throwIfCancelled, type CancelToken } from '../errors.ts';
import { rng, type Rng } from '../random.ts';
import { binRows, fitBinMapper } from './gbdt-binning.ts';
import { TreeGrower, type Tree } from './gbdt-tree.ts';

export interface GbdtOptions {
  seed: number;
  learningRate?: number;
  maxIter?: number;
  maxLeafNodes?: number;
  minSamplesLeaf?: number;
  l2?: number;
  maxBins?: number;
  earlyStopping?: 'auto' | boolean;
  validationFraction?: number;
  nIterNoChange?: number;
  cancel?: CancelToken;
  onProgress?: (p: { iteration: number; total: number; loss: number; valLoss?: number }) => void;
}

export interface GbdtModel {
  /** Probability of the positive class for each row of row-major X (n x p), NaN = missing. */
  predictProba(X: Float64Array, n: number): Float64Array;
  /** Mean log-loss after each step (step 0 = the baseline), on the training and validation rows. */
  curve: { step: number; loss: number; valLoss?: number }[];
  /** Number of trees. */
  iterations: number;
  /** Total split gain per feature (scikit-learn's gain units, before shrinkage). */
  featureGain: Float64Array;
  /** The fitted trees and the starting raw prediction (log-odds of the training prevalence): what a model file carries. */
  trees: Tree[];
  baseline: number;
  /** Design columns. */
  p: number;
  /** The minimum number of training cases in a leaf the trees were grown with. */
  minSamplesLeaf: number;
}

/** A predictor from trees and a baseline (e.g. read back from a model file): the same arithmetic as the fitted model's. */
export function gbdtPredictor(trees: Tree[], baseline: number, p: number): (X: Float64Array, n: number) => Float64Array {
  return (X, n) => predictProba(trees, baseline, p, X, n);
}

/** Rows above which 'auto' early stopping switches on (scikit-learn's rule). */
const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** Rows used to find bin thresholds (scikit-learn's `_BinMapper` subsample). */
const BIN_SUBSAMPLE = 200_000;
/** Minimum improvement of the validation loss that counts (scikit-learn's `tol`). */
const TOL = 1e-7;

/** X: row-major n x p, NaN = missing. y: 0/1. */
export function fitGbdt(X: Float64Array, n: number, p: number, y: Uint8Array, opts: GbdtOptions): GbdtModel {
  const learningRate = opts.learningRate ?? 0.1;
  const maxIter = opts.maxIter ?? 100;
  const maxLeafNodes = opts.maxLeafNodes ?? 31;
  const minSamplesLeaf = opts.minSamplesLeaf ?? 20;
  const l2 = opts.l2 ?? 0;
  const maxBins = opts.maxBins ?? 255;
  const validationFraction = opts.validationFraction ?? 0.1;
  const nIterNoChange = opts.nIterNoChange ?? 10;
  checkOptions({ learningRate, maxIter, maxLeafNodes, minSamplesLeaf, l2, maxBins, validationFraction, nIterNoChange });
  checkInput(X, n, p, y);

  const random = rng(opts.seed);
  const splitRandom = random.fork();
  const binRandom = random.fork();
  const earlyStopping = opts.earlyStopping === 'auto' || opts.earlyStopping === undefined ? n > AUTO_EARLY_STOPPING_ROWS : opts.earlyStopping;

  let trainRows: Int32Array;
  let valRows: Int32Array | null = null;
  if (earlyStopping) {
    [trainRows, valRows] = stratifiedSplit(y, n, validationFraction, splitRandom);
  } else {
    trainRows = new Int32Array(n);
    for (let i = 0; i < n; i++) trainRows[i] = i;
  }
  const nTrain = trainRows.length;
  const nVal = valRows ? valRows.length : 0;
  const yTrain = new Uint8Array(nTrain);
  for (let i = 0; i < nTrain; i++) yTrain[i] = y[trainRows[i]];
  const yVal = new Uint8Array(nVal);
  for (let i = 0; i < nVal; i++) yVal[i] = y[valRows![i]];

  let positives = 0;
  for (let i = 0; i < nTrain; i++) positives += yTrain[i];
  if (positives === 0 || positives === nTrain) {
    throw new AppFailure({ code: 'one-class', message: `the outcome has only one class among the ${nTrain} training rows` });
  }

  const mapper = fitBinMapper(X, p, trainRows, maxBins, BIN_SUBSAMPLE, binRandom);
  const codes = binRows(X, p, trainRows, mapper);
  const valCodes = valRows ? binRows(X, p, valRows, mapper) : new Uint8Array(0);
  const hasMissing = new Uint8Array(p);
  for (let f = 0; f < p; f++) {
    const miss = mapper.nBinsNonMissing[f];
    const base = f * nTrain;
    for (let i = 0; i < nTrain; i++) {
      if (codes[base + i] === miss) {
        hasMissing[f] = 1;
        break;
      }
    }
  }

  const prevalence = positives / nTrain;
  const baseline = Math.log(prevalence / (1 - prevalence));
  const raw = new Float64Array(nTrain).fill(baseline);
  const rawVal = new Float64Array(nVal).fill(baseline);
  const g = new Float32Array(nTrain);
  const h = new Float32Array(nTrain);
  const featureGain = new Float64Array(p);
  const grower = new TreeGrower(codes, nTrain, {
    p,
    maxLeafNodes,
    minSamplesLeaf,
    l2,
    learningRate,
    nBinsNonMissing: mapper.nBinsNonMissing,
    hasMissing,
    thresholds: mapper.thresholds,
  });

  const trees: Tree[] = [];
  const curve: { step: number; loss: number; valLoss?: number }[] = [];
  const valScores: number[] = [];
  let loss = gradientsAndLoss(raw, yTrain, g, h);
  let valLoss = valRows ? meanLogLoss(rawVal, yVal) : undefined;
  curve.push(valLoss === undefined ? { step: 0, loss } : { step: 0, loss, valLoss });
  if (valLoss !== undefined) valScores.push(-valLoss);

  for (let iteration = 1; iteration <= maxIter; iteration++) {
    throwIfCancelled(opts.cancel);
    const tree = grower.grow(g, h, raw, featureGain);
    trees.push(tree);
    loss = gradientsAndLoss(raw, yTrain, g, h);
    if (valRows) {
      addBinnedPredictions(tree, valCodes, nVal, mapper.nBinsNonMissing, rawVal);
      valLoss = meanLogLoss(rawVal, yVal);
      valScores.push(-valLoss);
    }
    curve.push(valLoss === undefined ? { step: iteration, loss } : { step: iteration, loss, valLoss });
    opts.onProgress?.(valLoss === undefined ? { iteration, total: maxIter, loss } : { iteration, total: maxIter, loss, valLoss });
    if (valRows && shouldStop(valScores, nIterNoChange)) break;
  }

  return {
    predictProba: (Xnew, m) => predictProba(trees, baseline, p, Xnew, m),
    curve,
    iterations: trees.length,
    featureGain,
    trees,
    baseline,
    p,
    minSamplesLeaf,
  };
}

function checkOptions(o: Record<string, number>): void {
  const bad = (name: string, v: number): never => {
    throw new AppFailure({ code: 'invalid-option', message: `invalid ${name}: ${v}` });
  };
  if (!(o.learningRate > 0)) bad('learning rate', o.learningRate);
  if (!(Number.isInteger(o.maxIter) && o.maxIter >= 1)) bad('maximum iterations', o.maxIter);
  if (!(Number.isInteger(o.maxLeafNodes) && o.maxLeafNodes >= 2)) bad('maximum leaf nodes', o.maxLeafNodes);
  if (!(Number.isInteger(o.minSamplesLeaf) && o.minSamplesLeaf >= 1)) bad('minimum samples per leaf', o.minSamplesLeaf);
  if (!(o.l2 >= 0)) bad('l2 regularisation', o.l2);
  if (!(Number.isInteger(o.maxBins) && o.maxBins >= 2 && o.maxBins <= 255)) bad('maximum bins', o.maxBins);
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) bad('validation fraction', o.validationFraction);
  if (!(Number.isInteger(o.nIterNoChange) && o.nIterNoChange >= 1)) bad('iterations without change', o.nIterNoChange);
}

function checkInput(X: Float64Array, n: number, p: number, y: Uint8Array): void {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(p) && p >= 1)) {
    throw new AppFailure({ code: 'invalid-shape', message: `invalid design shape: ${n} rows x ${p} features` });
  }
  if (X.length !== n * p) {
    throw new AppFailure({ code: 'invalid-shape', message: `design has ${X.length} values, expected ${n} x ${p} = ${n * p}` });
  }
  if (y.length !== n) {
    throw new AppFailure({ code: 'invalid-shape', message: `outcome has ${y.length} values, expected ${n}` });
  }
  let badY = 0;
  let firstBadY = -1;
  for (let i = 0; i < n; i++) {
    if (y[i] > 1) {
      if (badY++ === 0) firstBadY = i;
    }
  }
  if (badY > 0) {
    throw new AppFailure({
      code: 'not-binary',
      message: `outcome must be 0 or 1; ${badY} rows are not (first: row ${firstBadY + 1}, value ${y[firstBadY]})`,
      row: firstBadY + 1,
    });
  }
  // Infinite values cannot be binned meaningfully (scikit-learn rejects them too); count them all.
  let badX = 0;
  let firstBadX = -1;
  for (let k = 0; k < X.length; k++) {
    const v = X[k];
    if (v === Infinity || v === -Infinity) {
      if (badX++ === 0) firstBadX = k;
    }
  }
  if (badX > 0) {
    const row = Math.floor(firstBadX / p) + 1;
    const col = firstBadX % p;
    throw new AppFailure({
      code: 'non-finite',
      message: `design has ${badX} infinite values (first: row ${row}, feature ${col})`,
      row,
      column: `feature ${col}`,
    });
  }
}

/**
 * Stratified shuffle split as scikit-learn's `train_test_split(..., stratify=y)`:
 * ceil(fraction * n) validation rows, shared between the classes in proportion.
 * Row indices come back sorted so that later passes read X in order.
 */
function stratifiedSplit(y: Uint8Array, n: number, fraction: number, random: Rng): [Int32Array, Int32Array] {
  const nVal = Math.ceil(fraction * n);
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += y[i];
  const pos = new Int32Array(nPos);
  const neg = new Int32Array(n - nPos);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i]) pos[a++] = i;
    else neg[b++] = i;
  }
  let valPos = Math.round((nVal * nPos) / n);
  valPos = Math.min(valPos, nPos, nVal);
  const valNeg = Math.min(nVal - valPos, n - nPos);
  const pick = (rows: Int32Array, k: number): void => {
    for (let i = 0; i < k; i++) {
      const j = i + random.int(rows.length - i);
      const t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
    }
  };
  pick(pos, valPos);
  pick(neg, valNeg);
  const isVal = new Uint8Array(n);
  for (let i = 0; i < valPos; i++) isVal[pos[i]] = 1;
  for (let i = 0; i < valNeg; i++) isVal[neg[i]] = 1;
  const train = new Int32Array(n - valPos - valNeg);
  const val = new Int32Array(valPos + valNeg);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isVal[i]) val[b++] = i;
    else train[a++] = i;
  }
  return [train, val];
}

/**
 * Gradients and hessians of the half binomial loss at raw predictions r (written to g, h)
 * and the mean loss, in one pass: loss = log(1 + e^r) - y r, g = sigmoid(r) - y, h = p(1-p).
 */
function gradientsAndLoss(raw: Float64Array, y: Uint8Array, g: Float32Array, h: Float32Array): number {
  const n = raw.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    const e = Math.exp(-Math.abs(r));
    const prob = r >= 0 ? 1 / (1 + e) : e / (1 + e);
    sum += Math.log1p(e) + (r > 0 ? r : 0) - y[i] * r;
    g[i] = prob - y[i];
    h[i] = prob * (1 - prob);
  }
  return sum / n;
}

function meanLogLoss(raw: Float64Array, y: Uint8Array): number {
  const n = raw.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    sum += Math.log1p(Math.exp(-Math.abs(r))) + (r > 0 ? r : 0) - y[i] * r;
  }
  return sum / n;
}

/** scikit-learn's `_should_stop`: stop when none of the last n scores beats the one before them by tol. */
function shouldStop(scores: number[], nIterNoChange: number): boolean {
  const ref = nIterNoChange + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref] + TOL;
  for (let k = scores.length - ref + 1; k < scores.length; k++) if (scores[k] > reference) return false;
  return true;
}

function addBinnedPredictions(tree: Tree, codes: Uint8Array, m: number, missCode: Int32Array, out: Float64Array): void {
  const { feature, binThreshold, missingLeft, left, right, value } = tree;
  for (let i = 0; i < m; i++) {
    let k = 0;
    while (left[k] >= 0) {
      const f = feature[k];
      const c = codes[f * m + i];
      const goLeft = c === missCode[f] ? missingLeft[k] === 1 : c <= binThreshold[k];
      k = goLeft ? left[k] : right[k];
    }
    out[i] += value[k];
  }
}

function predictProba(trees: Tree[], baseline: number, p: number, X: Float64Array, n: number): Float64Array {
  if (!(Number.isInteger(n) && n >= 0) || X.length !== n * p) {
    throw new AppFailure({ code: 'invalid-shape', message: `design has ${X.length} values, expected ${n} x ${p}` });
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * p;
    let r = baseline;
    for (let t = 0; t < trees.length; t++) {
      const { feature, threshold, missingLeft, left, right, value } = trees[t];
      let k = 0;
      while (left[k] >= 0) {
        const x = X[base + feature[k]];
        const goLeft = x !== x ? missingLeft[k] === 1 : x <= threshold[k];
        k = goLeft ? left[k] : right[k];
      }
      r += value[k];
    }
    out[i] = 1 / (1 + Math.exp(-r));
  }
  return out;
}
