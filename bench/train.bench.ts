/**
 * Training time of baseline, logistic regression and MLP in Node, next to scikit-learn on the
 * same data in the same run, as ratios (ours / scikit-learn; below 1 = faster).
 *
 * Run: npx tsx bench/train.bench.ts [--sizes 24000,200000,1000000] [--p 150]
 *        [--models baseline,logistic,logistic-tfjs,mlp] [--backend cpu|wasm] [--mlp-epochs 20]
 * Prints JSON. Data: seeded synthetic design (20 standardised numbers + binary one-hot-like
 * columns), 70% train / 30% test, planted logistic effects (prevalence ~0.2). scikit-learn gets the
 * identical matrices through a raw float64 file (spawned /usr/bin/python3).
 *
 * Settings matched on both sides: LogisticRegression(C=1) (lbfgs, max_iter=1000); MLP with one
 * hidden layer of 64, Adam lr 1e-3, batch 256, alpha 1e-4, and a fixed number of epochs
 * (--mlp-epochs, no early stopping) so the time per epoch is compared like for like.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { trainModel, type ModelKind } from '../src/lib/models/train.ts';
import { initBackend, type BackendName } from '../src/lib/models/tf-backend.ts';
import type { Design } from '../src/lib/features/pipeline.ts';
import { rng } from '../src/lib/random.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const sizes = flag('sizes', '24000,200000').split(',').map(Number);
const p = Number(flag('p', '150'));
const models = flag('models', 'baseline,logistic,mlp').split(',');
const backend = flag('backend', 'wasm') as BackendName;
const mlpEpochs = Number(flag('mlp-epochs', '20'));

function synthetic(n: number, seed: number): { d: Design; y: Uint8Array } {
  const r = rng(seed);
  const nNum = Math.min(20, p);
  const beta = Float64Array.from({ length: p }, (_, j) => (j < nNum ? 0.4 * r.normal() : 0.6 * r.normal()));
  const rate = Float64Array.from({ length: p }, () => 0.05 + 0.3 * r.next());
  const X = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -2.2;
    for (let j = 0; j < p; j++) {
      const v = j < nNum ? r.normal() : r.next() < rate[j] ? 1 : 0;
      X[i * p + j] = v;
      z += beta[j] * v;
    }
    y[i] = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const names = Array.from({ length: p }, (_, j) => `x${j}`);
  return { d: { n, p, X, names, sources: names }, y };
}

function rowsOf(d: Design, y: Uint8Array, from: number, to: number): { d: Design; y: Uint8Array } {
  return { d: { ...d, n: to - from, X: d.X.subarray(from * d.p, to * d.p) }, y: y.subarray(from, to) };
}

function averagePrecision(y: Uint8Array, s: Float64Array): number {
  const idx = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
  let pos = 0;
  for (const v of y) pos += v;
  let tp = 0, fp = 0, prev = 0, sum = 0;
  for (let k = 0; k < idx.length; k++) {
    if (y[idx[k]]) tp++;
    else fp++;
    if (k + 1 < idx.length && s[idx[k + 1]] === s[idx[k]]) continue;
    sum += (tp / pos - prev) * (tp / (tp + fp));
    prev = tp / pos;
  }
  return sum;
}

const PY = String.raw`
import sys, json, time, resource, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.dummy import DummyClassifier
from sklearn.metrics import average_precision_score
warnings.filterwarnings("ignore")
folder, n, p, n_train, models, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(","), int(sys.argv[6])
X = np.fromfile(folder + "/X.f64", dtype=np.float64).reshape(n, p)
y = np.fromfile(folder + "/y.u8", dtype=np.uint8).astype(int)
Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
out = {}
def timed(name, make):
    c0 = time.process_time(); t0 = time.perf_counter()
    m = make().fit(Xtr, ytr)
    wall = time.perf_counter() - t0; cpu = time.process_time() - c0
    out[name] = {"wallMs": round(wall * 1000), "cpuMs": round(cpu * 1000), "ap": float(average_precision_score(yte, m.predict_proba(Xte)[:, 1]))}
    if hasattr(m, "n_iter_"): out[name]["iterations"] = int(np.max(m.n_iter_))
    if name.startswith("logistic"): out[name]["coef"] = m.coef_[0].tolist() + [float(m.intercept_[0])]
for name in models:
    if name == "baseline": timed(name, lambda: DummyClassifier(strategy="prior"))
    elif name.startswith("logistic"): timed(name, lambda: LogisticRegression(C=1.0, max_iter=1000))
    elif name == "mlp": timed(name, lambda: MLPClassifier(hidden_layer_sizes=(64,), solver="adam", learning_rate_init=1e-3, batch_size=256, alpha=1e-4, max_iter=epochs, n_iter_no_change=10**9, tol=0, early_stopping=False, shuffle=True, random_state=0))
print(json.dumps(out))
`;

async function main() {
  const info = await initBackend({ force: backend });
  const results: unknown[] = [];
  for (const n of sizes) {
    const { d, y } = synthetic(n, 42);
    const nTrain = Math.round(n * 0.7);
    const tr = rowsOf(d, y, 0, nTrain);
    const te = rowsOf(d, y, nTrain, n);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'candour-bench-'));
    writeFileSync(path.join(dir, 'X.f64'), new Uint8Array(d.X.buffer, d.X.byteOffset, d.X.byteLength));
    writeFileSync(path.join(dir, 'y.u8'), y);
    const ours: Record<string, Record<string, unknown>> = {};
    const coefs: Record<string, number[]> = {};
    for (const name of models) {
      const kind = (name === 'logistic-tfjs' ? 'logistic' : name) as ModelKind;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const m = await trainModel(kind, tr.d, tr.y, {
        seed: 1,
        logisticEngine: name === 'logistic-tfjs' ? 'tfjs' : 'typed-arrays',
        // Fixed epochs, no early stopping: the same work as the scikit-learn run.
        mlp: { maxEpochs: mlpEpochs, patience: Number.MAX_SAFE_INTEGER, validationFraction: 0, batchSize: 256 },
      });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      ours[name] = {
        engine: m.engine,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        ap: averagePrecision(te.y, m.predict(te.d)),
        iterations: m.curve.length,
      };
      if (kind === 'logistic') {
        const f = m.details as { coef: Float64Array; intercept: number };
        coefs[name] = [...f.coef, f.intercept];
      }
    }
    const py = spawnSync('/usr/bin/python3', ['-c', PY, dir, String(n), String(p), String(nTrain), models.join(','), String(mlpEpochs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    rmSync(dir, { recursive: true, force: true });
    if (py.status !== 0) throw new Error(`scikit-learn run failed: ${py.stderr}`);
    const sk = JSON.parse(py.stdout) as Record<string, { wallMs: number; cpuMs: number; ap: number; coef?: number[] }>;
    // How far apart the two solutions are (scikit-learn's default lbfgs stops short of the optimum,
    // which Candour reaches: test/models/logistic-bench.test.ts checks that against a golden).
    for (const [name, c] of Object.entries(coefs)) {
      const other = sk[name]?.coef;
      if (other) ours[name].coefMaxDiffVsSklearn = Math.max(...c.map((v, j) => Math.abs(v - other[j])));
      if (sk[name]) delete sk[name].coef;
    }
    const ratios: Record<string, { wall: number; cpu: number }> = {};
    for (const name of models) {
      const o = ours[name] as { wallMs: number; cpuMs: number };
      const s = sk[name];
      if (s && s.wallMs > 0) ratios[name] = { wall: +(o.wallMs / s.wallMs).toFixed(2), cpu: +(o.cpuMs / Math.max(s.cpuMs, 1)).toFixed(2) };
    }
    results.push({ n, nTrain, p, loadAverage1m: +os.loadavg()[0].toFixed(1), ours, sklearn: sk, ratios });
  }
  console.log(JSON.stringify({ node: process.version, tfjsBackend: info.backend, tfNumTensors: tf.memory().numTensors, mlpEpochs, results }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
