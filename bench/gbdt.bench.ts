/**
 * Gradient-boosted trees: fitGbdt against scikit-learn's HistGradientBoostingClassifier()
 * on the same synthetic design, in the same run, at 24k, 200k and 1M training rows.
 *
 *   npx tsx bench/gbdt.bench.ts [--single-thread-only] [rows ...]   (default: 24000 200000 1000000)
 *
 * scikit-learn runs twice: with its default OpenMP threads and with OMP_NUM_THREADS=1.
 * On a crowded machine OpenMP's spinning threads can make the first run tens of times
 * slower; `--single-thread-only` skips it.
 *
 * The design looks like the default encoded extract: 10 standardised numeric columns (two
 * with missing values), 10 missing-indicator columns and 13 categoricals one-hot encoded
 * with 10 levels each (150 features). Values are float32-exact so that the file handed to
 * Python holds exactly what JavaScript fitted on. Times are wall-clock fit times; both sides
 * also predict 10,000 held-out rows and report their average precision.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fitGbdt } from '../src/lib/models/gbdt.ts';
import { rng } from '../src/lib/random.ts';

const NUMERIC = 10;
const INDICATORS = 10;
const CATEGORICALS = 13;
const LEVELS = 10;
const P = NUMERIC + INDICATORS + CATEGORICALS * LEVELS;
const TEST_ROWS = 10_000;

function design(n: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const r = rng(seed);
  const X = new Float64Array(n * P);
  const y = new Uint8Array(n);
  const effect = new Float64Array(CATEGORICALS * LEVELS);
  const er = rng(12345);
  for (let k = 0; k < effect.length; k++) effect[k] = er.normal() * 0.4;
  for (let i = 0; i < n; i++) {
    const o = i * P;
    let logit = -1.6;
    for (let j = 0; j < NUMERIC; j++) X[o + j] = Math.fround(r.normal());
    logit += 0.8 * X[o] - 0.6 * X[o + 1] + 0.5 * X[o + 2] * X[o + 3] + 0.4 * Math.abs(X[o + 4]);
    for (let j = 0; j < INDICATORS; j++) {
      const miss = r.next() < 0.05 + 0.02 * j;
      X[o + NUMERIC + j] = miss ? 1 : 0;
      if (miss && j < 2) {
        logit += 0.7;
        X[o + j] = NaN;
      }
    }
    for (let c = 0; c < CATEGORICALS; c++) {
      // Skewed levels, as real categories are.
      const level = Math.min(LEVELS - 1, Math.floor(-Math.log(1 - r.next()) * 2.5));
      X[o + NUMERIC + INDICATORS + c * LEVELS + level] = 1;
      logit += effect[c * LEVELS + level];
    }
    y[i] = r.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { X, y };
}

function averagePrecision(y: Uint8Array, s: Float64Array): number {
  const order = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
  let positives = 0;
  for (const v of y) positives += v;
  let tp = 0;
  let fp = 0;
  let prev = 0;
  let ap = 0;
  for (let i = 0; i < order.length; i++) {
    tp += y[order[i]];
    fp += 1 - y[order[i]];
    if (i + 1 < order.length && s[order[i + 1]] === s[order[i]]) continue;
    ap += (tp / positives - prev) * (tp / (tp + fp));
    prev = tp / positives;
  }
  return ap;
}

const PYTHON = `
import sys, json, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
import sklearn
path, n, m, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(path + '.x', dtype=np.float32).reshape(n + m, p).astype(np.float64)
y = np.fromfile(path + '.y', dtype=np.uint8)
t0 = time.perf_counter()
c0 = time.process_time()
model = HistGradientBoostingClassifier(random_state=0).fit(X[:n], y[:n])
fit = time.perf_counter() - t0
cpu = time.process_time() - c0
ap = average_precision_score(y[n:], model.predict_proba(X[n:])[:, 1])
print(json.dumps({"fitSeconds": fit, "cpuSeconds": cpu, "ap": ap, "iterations": int(model.n_iter_), "version": sklearn.__version__}))
`;

interface SkRun {
  fitSeconds: number;
  cpuSeconds: number;
  ap: number;
  iterations: number;
  version: string;
}

interface Row {
  rows: number;
  jsSeconds: number;
  jsCpuSeconds: number;
  jsIterations: number;
  jsAp: number;
  /** scikit-learn with its default OpenMP threads (all cores); null when skipped. */
  sk: SkRun | null;
  /** scikit-learn with OMP_NUM_THREADS=1, like single-threaded JavaScript. */
  sk1: SkRun;
  ratio: number | null;
  ratio1: number;
}

function sklearnRun(file: string, n: number, threads?: number): SkRun {
  const env = { ...process.env };
  if (threads) env.OMP_NUM_THREADS = String(threads);
  const py = spawnSync('/usr/bin/python3', ['-c', PYTHON, file, String(n), String(TEST_ROWS), String(P)], { encoding: 'utf8', env });
  if (py.status !== 0) throw new Error(`scikit-learn run failed: ${py.stderr}`);
  return JSON.parse(py.stdout.trim().split('\n').at(-1)!) as SkRun;
}

function benchOne(n: number, dir: string, singleThreadOnly: boolean): Row {
  const { X, y } = design(n + TEST_ROWS, n);
  const file = path.join(dir, `gbdt-${n}`);
  writeFileSync(`${file}.x`, new Uint8Array(Float32Array.from(X).buffer));
  writeFileSync(`${file}.y`, y);
  const Xtrain = X.subarray(0, n * P);
  const ytrain = y.subarray(0, n);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = fitGbdt(Xtrain, n, P, ytrain, { seed: 0 });
  const jsSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const jsAp = averagePrecision(y.subarray(n), model.predictProba(X.subarray(n * P), TEST_ROWS));
  const sk = singleThreadOnly ? null : sklearnRun(file, n);
  const sk1 = sklearnRun(file, n, 1);
  rmSync(`${file}.x`);
  rmSync(`${file}.y`);
  return {
    rows: n,
    jsSeconds,
    jsCpuSeconds: (cpu.user + cpu.system) / 1e6,
    jsIterations: model.iterations,
    jsAp,
    sk,
    sk1,
    ratio: sk ? jsSeconds / sk.fitSeconds : null,
    ratio1: jsSeconds / sk1.fitSeconds,
  };
}

const args = process.argv.slice(2);
const singleThreadOnly = args.includes('--single-thread-only');
const sizes = args.map(Number).filter((v) => v > 0);
const dir = mkdtempSync(path.join(tmpdir(), 'candour-gbdt-'));
try {
  const rows: Row[] = [];
  console.log(`| training rows | features | fitGbdt s (cpu s) | trees | AP | sklearn s (cpu s) | sklearn 1 thread s (cpu s) | trees | AP | ratio JS/sklearn | ratio JS/sklearn 1 thread |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const n of sizes.length ? sizes : [24_000, 200_000, 1_000_000]) {
    const r = benchOne(n, dir, singleThreadOnly);
    const sk = r.sk ? `${r.sk.fitSeconds.toFixed(2)} (${r.sk.cpuSeconds.toFixed(2)})` : 'skipped';
    rows.push(r);
    console.log(
      `| ${n.toLocaleString('en-GB')} | ${P} | ${r.jsSeconds.toFixed(2)} (${r.jsCpuSeconds.toFixed(2)}) | ${r.jsIterations} | ${r.jsAp.toFixed(4)} | ` +
        `${sk} | ${r.sk1.fitSeconds.toFixed(2)} (${r.sk1.cpuSeconds.toFixed(2)}) | ${r.sk1.iterations} | ${r.sk1.ap.toFixed(4)} | ${r.ratio === null ? '—' : r.ratio.toFixed(2)} | ${r.ratio1.toFixed(2)} |`,
    );
  }
  console.log(JSON.stringify({ bench: 'gbdt', node: process.version, results: rows }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
