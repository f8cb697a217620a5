import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppFailure, Cancelled } from '../../src/lib/errors.ts';
import { rng } from '../../src/lib/random.ts';
import { binRows, fitBinMapper } from '../../src/lib/models/gbdt-binning.ts';
import { fitGbdt } from '../../src/lib/models/gbdt.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const gold = JSON.parse(readFileSync(path.join(repoRoot, 'test/golden/gbdt.json'), 'utf8'));

/** Step-wise average precision as scikit-learn's average_precision_score (ties form one threshold). */
function averagePrecision(y: Uint8Array, s: Float64Array): number {
  const order = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
  let positives = 0;
  for (const v of y) positives += v;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length; i++) {
    tp += y[order[i]];
    fp += 1 - y[order[i]];
    if (i + 1 < order.length && s[order[i + 1]] === s[order[i]]) continue;
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

const toX = (a: (number | null)[]): Float64Array => Float64Array.from(a, (v) => (v === null ? NaN : v));

/** A planted problem: y depends on x0 and x1 only; x2 is pure noise. Row-major n x 3. */
function planted(n: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const r = rng(seed);
  const X = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = r.normal();
    const x1 = r.normal();
    X[i * 3] = x0;
    X[i * 3 + 1] = x1;
    X[i * 3 + 2] = r.normal();
    y[i] = r.bernoulli(1 / (1 + Math.exp(-(2 * x0 - 1.5 * x1)))) ? 1 : 0;
  }
  return { X, y };
}

describe('fitGbdt parity with scikit-learn HistGradientBoostingClassifier()', () => {
  it('golden file records the versions that produced it', () => {
    expect(gold.sklearn).toMatch(/^\d+\.\d+/);
  });

  const s = gold.synthetic;
  const Xtr = toX(s.trainX);
  const Xte = toX(s.testX);
  const ytr = Uint8Array.from(s.trainY);
  const yte = Uint8Array.from(s.testY);

  it('finds the same bin thresholds (percentiles and midpoints)', () => {
    const rows = Int32Array.from(ytr.keys());
    const mapper = fitBinMapper(Xtr, s.p, rows, 255, 200_000, rng(0));
    expect(Array.from(mapper.thresholds[4])).toEqual(s.binThresholdsX4);
    expect(Array.from(mapper.thresholds[3])).toEqual(s.binThresholdsX3);
    expect(mapper.nBinsNonMissing[4]).toBe(255);
  });

  it('fits the same model on synthetic data with missing values (no early stopping below 10,000 rows)', () => {
    const model = fitGbdt(Xtr, ytr.length, s.p, ytr, { seed: 1 });
    expect(model.iterations).toBe(s.iterations);
    const proba = model.predictProba(Xte, yte.length);
    let maxDiff = 0;
    for (let i = 0; i < proba.length; i++) maxDiff = Math.max(maxDiff, Math.abs(proba[i] - s.testProba[i]));
    expect(maxDiff).toBeLessThan(1e-9);
    const ap = averagePrecision(yte, proba);
    expect(ap).toBeGreaterThanOrEqual(s.testAveragePrecision - 0.01);
    // Missingness carries signal here: the fitted model must beat one where it carries none.
    expect(ap).toBeGreaterThan(s.testAveragePrecisionRandomImputed);
  });

  it('is no worse on Adult (official split) than scikit-learn by more than 0.01 in test AP', () => {
    const NUMERIC = ['age', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week'];
    const CATEGORICAL = ['workclass', 'marital_status', 'occupation', 'relationship', 'race', 'sex', 'native_country'];
    const text = readFileSync(path.resolve(repoRoot, '../shared/data/adult/adult.csv'), 'utf8');
    const lines = text.trim().split('\n');
    const head = lines[0].split(',');
    const at = (name: string): number => head.indexOf(name);
    const rows = lines.slice(1).map((l) => l.split(','));
    const train = rows.filter((r) => r[at('split')] === 'train');
    const test = rows.filter((r) => r[at('split')] === 'test');
    const levels = CATEGORICAL.map((c) => [...new Set(train.map((r) => r[at(c)]))].sort());
    const p = NUMERIC.length + levels.reduce((a, l) => a + l.length, 0);
    expect(p).toBe(gold.adult.features);
    const design = (part: string[][]): Float64Array => {
      const X = new Float64Array(part.length * p);
      part.forEach((r, i) => {
        let k = i * p;
        for (const c of NUMERIC) X[k++] = Number(r[at(c)]);
        CATEGORICAL.forEach((c, ci) => {
          for (const level of levels[ci]) X[k++] = r[at(c)] === level ? 1 : 0;
        });
      });
      return X;
    };
    const y = (part: string[][]): Uint8Array => Uint8Array.from(part, (r) => Number(r[at('income_gt_50k')]));
    const ytrA = y(train);
    const yteA = y(test);
    expect(ytrA.length).toBe(gold.adult.trainRows);
    const model = fitGbdt(design(train), ytrA.length, p, ytrA, { seed: 0 });
    const ap = averagePrecision(yteA, model.predictProba(design(test), yteA.length));
    const reference = gold.adult.testAveragePrecision as number[];
    const mean = reference.reduce((a, b) => a + b, 0) / reference.length;
    expect(ap).toBeGreaterThanOrEqual(mean - 0.01);
    // Early stopping is on above 10,000 rows: the curve carries validation losses.
    expect(model.curve[model.iterations].valLoss).toBeTypeOf('number');
  });
});

describe('binning', () => {
  it('uses midpoints between distinct values and codes missing values after the last bin', () => {
    // Two features, row-major: f0 = 1, 2, 2, 3, NaN; f1 = 0, -0, 7, NaN, 0.
    const X = Float64Array.from([1, 0, 2, -0, 2, 7, 3, NaN, NaN, 0]);
    const rows = Int32Array.from([0, 1, 2, 3, 4]);
    const mapper = fitBinMapper(X, 2, rows, 255, 200_000, rng(0));
    expect(Array.from(mapper.thresholds[0])).toEqual([1.5, 2.5]);
    expect(Array.from(mapper.thresholds[1])).toEqual([3.5]);
    expect(Array.from(mapper.nBinsNonMissing)).toEqual([3, 2]);
    // Column-major codes; the missing code is the feature's nBinsNonMissing.
    expect(Array.from(binRows(X, 2, rows, mapper))).toEqual([0, 1, 1, 2, 3, 0, 0, 1, 2, 0]);
  });

  it('takes a uniform subsample of rows when there are more than the limit', () => {
    const n = 1000;
    const X = Float64Array.from({ length: n }, (_, i) => i);
    const rows = Int32Array.from(X.keys());
    const mapper = fitBinMapper(X, 1, rows, 4, 100, rng(3));
    const thr = Array.from(mapper.thresholds[0]);
    expect(thr).toHaveLength(3);
    // Quartiles of 0..999 from 100 random rows: near 250, 500, 750.
    thr.forEach((t, k) => expect(Math.abs(t - 250 * (k + 1))).toBeLessThan(120));
  });

  it('can split on missing alone (a column that is constant when present)', () => {
    const n = 400;
    const X = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? NaN : 5));
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const [pMissing, pPresent] = fitGbdt(X, n, 1, y, { seed: 1 }).predictProba(Float64Array.from([NaN, 5]), 2);
    expect(pMissing).toBeGreaterThan(0.95);
    expect(pPresent).toBeLessThan(0.05);
  });
});

describe('fitGbdt properties', () => {
  it('is deterministic for a seed', () => {
    const { X, y } = planted(12_000, 3);
    const a = fitGbdt(X, 12_000, 3, y, { seed: 7, maxIter: 15 });
    const b = fitGbdt(X, 12_000, 3, y, { seed: 7, maxIter: 15 });
    expect(a.curve).toEqual(b.curve);
    expect(a.predictProba(X, 12_000)).toEqual(b.predictProba(X, 12_000));
  });

  it('training loss never increases, starting from the log-loss of the prevalence', () => {
    const { X, y } = planted(3000, 4);
    const model = fitGbdt(X, 3000, 3, y, { seed: 1, maxIter: 40 });
    let pos = 0;
    for (const v of y) pos += v;
    const prev = pos / 3000;
    expect(model.curve[0].loss).toBeCloseTo(-(prev * Math.log(prev) + (1 - prev) * Math.log(1 - prev)), 12);
    for (let k = 1; k < model.curve.length; k++) expect(model.curve[k].loss).toBeLessThanOrEqual(model.curve[k - 1].loss + 1e-12);
    expect(model.curve.at(-1)!.loss).toBeLessThan(model.curve[0].loss * 0.8);
    expect(model.curve).toHaveLength(41);
  });

  it('gives a pure-noise feature little gain', () => {
    const { X, y } = planted(5000, 5);
    // Twenty trees: enough to learn the signal, before 31-leaf trees start fitting noise.
    const { featureGain } = fitGbdt(X, 5000, 3, y, { seed: 1, maxIter: 20 });
    const total = featureGain[0] + featureGain[1] + featureGain[2];
    expect(featureGain[2] / total).toBeLessThan(0.05);
    expect(featureGain[0]).toBeGreaterThan(featureGain[2] * 10);
    expect(featureGain[1]).toBeGreaterThan(featureGain[2] * 10);
  });

  it('routes missing values to the side they resemble (planted: missing means positive)', () => {
    // y = 1 exactly when x > 0.5 or x is missing; the other feature is noise.
    const r = rng(11);
    const n = 2000;
    const X = new Float64Array(n * 2);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const miss = r.next() < 0.15;
      const x = r.next();
      X[i * 2] = miss ? NaN : x;
      X[i * 2 + 1] = r.normal();
      y[i] = miss || x > 0.5 ? 1 : 0;
    }
    const model = fitGbdt(X, n, 2, y, { seed: 1 });
    const probe = Float64Array.from([NaN, 0, 0.2, 0, 0.8, 0]);
    const [pMissing, pLow, pHigh] = model.predictProba(probe, 3);
    expect(pMissing).toBeGreaterThan(0.9);
    expect(pHigh).toBeGreaterThan(0.9);
    expect(pLow).toBeLessThan(0.1);
  });

  it('routes missing values to the low side when that is where they belong', () => {
    const r = rng(12);
    const n = 2000;
    const X = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const miss = r.next() < 0.15;
      const x = r.next();
      X[i] = miss ? NaN : x;
      y[i] = !miss && x > 0.5 ? 1 : 0;
    }
    const [pMissing, pLow, pHigh] = fitGbdt(X, n, 1, y, { seed: 1 }).predictProba(Float64Array.from([NaN, 0.2, 0.8]), 3);
    expect(pMissing).toBeLessThan(0.1);
    expect(pLow).toBeLessThan(0.1);
    expect(pHigh).toBeGreaterThan(0.9);
  });

  it('sends missing values to the larger child when training had none', () => {
    // 80% of rows have x <= 0.8 and are negative: an unseen missing value follows them.
    const r = rng(13);
    const n = 2000;
    const X = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      X[i] = r.next();
      y[i] = X[i] > 0.8 ? 1 : 0;
    }
    const [pMissing] = fitGbdt(X, n, 1, y, { seed: 1 }).predictProba(Float64Array.from([NaN]), 1);
    expect(pMissing).toBeLessThan(0.1);
  });

  it('stops early on a validation split above 10,000 rows and not below, unless told', () => {
    const { X, y } = planted(12_000, 6);
    const auto = fitGbdt(X, 12_000, 3, y, { seed: 1, maxIter: 300, learningRate: 0.5 });
    expect(auto.iterations).toBeLessThan(300);
    expect(auto.curve.every((c) => typeof c.valLoss === 'number')).toBe(true);
    const off = fitGbdt(X, 12_000, 3, y, { seed: 1, maxIter: 20, earlyStopping: false });
    expect(off.iterations).toBe(20);
    expect(off.curve[20].valLoss).toBeUndefined();
    const small = planted(2000, 6);
    const on = fitGbdt(small.X, 2000, 3, small.y, { seed: 1, maxIter: 300, learningRate: 0.5, earlyStopping: true });
    expect(on.iterations).toBeLessThan(300);
  });

  it('reports progress once per tree and stops when cancelled between trees', () => {
    const { X, y } = planted(1000, 8);
    const seen: number[] = [];
    const token = { cancelled: false };
    expect(() =>
      fitGbdt(X, 1000, 3, y, {
        seed: 1,
        maxIter: 50,
        cancel: token,
        onProgress: (p) => {
          seen.push(p.iteration);
          expect(p.total).toBe(50);
          expect(p.loss).toBeGreaterThan(0);
          if (p.iteration === 3) token.cancelled = true;
        },
      }),
    ).toThrow(Cancelled);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('predicts probabilities strictly inside (0, 1) for any small data set, deterministically', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 160 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (n, p, seed, missingRate) => {
          const r = rng(seed);
          const X = new Float64Array(n * p);
          for (let k = 0; k < X.length; k++) X[k] = r.next() < missingRate ? NaN : Math.round(r.normal() * 4) / 4;
          const y = new Uint8Array(n);
          for (let i = 0; i < n; i++) y[i] = i % 3 === 0 || r.next() < 0.2 ? 1 : 0;
          const a = fitGbdt(X, n, p, y, { seed, maxIter: 20, minSamplesLeaf: 5 });
          const pa = a.predictProba(X, n);
          for (const v of pa) if (!(v > 0 && v < 1)) return false;
          const pb = fitGbdt(X, n, p, y, { seed, maxIter: 20, minSamplesLeaf: 5 }).predictProba(X, n);
          return pa.every((v, i) => v === pb[i]);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });
});

describe('fitGbdt bad input', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof AppFailure) return e.error.code;
      throw e;
    }
    return 'none';
  };
  const X = Float64Array.from([0, 1, 2, 3]);

  it('rejects an outcome that is not 0/1, naming the first row and counting them all', () => {
    try {
      fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 2, 2]), { seed: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppFailure);
      const err = (e as AppFailure).error;
      expect(err.code).toBe('not-binary');
      expect(err.row).toBe(3);
      expect(err.message).toContain('2 rows');
    }
  });

  it('rejects a single class, shapes that do not match, infinities and bad options', () => {
    expect(code(() => fitGbdt(X, 4, 1, Uint8Array.from([1, 1, 1, 1]), { seed: 1 }))).toBe('one-class');
    expect(code(() => fitGbdt(X, 3, 1, Uint8Array.from([0, 1, 0]), { seed: 1 }))).toBe('invalid-shape');
    expect(code(() => fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 0]), { seed: 1 }))).toBe('invalid-shape');
    expect(code(() => fitGbdt(new Float64Array(0), 0, 1, new Uint8Array(0), { seed: 1 }))).toBe('invalid-shape');
    expect(code(() => fitGbdt(Float64Array.from([0, Infinity, 2, 3]), 4, 1, Uint8Array.from([0, 1, 0, 1]), { seed: 1 }))).toBe('non-finite');
    expect(code(() => fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 0, 1]), { seed: 1, learningRate: 0 }))).toBe('invalid-option');
    expect(code(() => fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 0, 1]), { seed: 1, maxBins: 256 }))).toBe('invalid-option');
    const model = fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 0, 1]), { seed: 1 });
    expect(code(() => model.predictProba(X, 3))).toBe('invalid-shape');
  });

  it('fits tiny data (fewer rows than two leaves need) as the prevalence', () => {
    const model = fitGbdt(X, 4, 1, Uint8Array.from([0, 1, 0, 0]), { seed: 1, maxIter: 5 });
    expect(Array.from(model.predictProba(X, 4))).toEqual([0.25, 0.25, 0.25, 0.25].map((v) => expect.closeTo(v, 12)));
  });
});
