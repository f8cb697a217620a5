/**
 * How long does the bootstrap of evaluateScores take at council size?
 * Run: npx tsx bench/evaluate.bench.ts [n] [replicates]   (prints JSON)
 * Synthetic scores (seeded), prevalence ~0.2, a model with AUC ~0.75.
 */
import { evaluateScores, pairedDifference } from '../src/lib/evaluate/evaluate-scores.ts';
import { averagePrecision, rocAuc } from '../src/lib/evaluate/metrics.ts';
import os from 'node:os';
import { rng } from '../src/lib/random.ts';

const n = Number(process.argv[2] ?? 24000);
const replicates = Number(process.argv[3] ?? 1000);
const r = rng(42);
const labels = new Uint8Array(n);
const scores = new Float64Array(n);
for (let i = 0; i < n; i++) {
  labels[i] = r.bernoulli(0.2) ? 1 : 0;
  scores[i] = 1 / (1 + Math.exp(-(-1.6 + 1.0 * labels[i] + r.normal())));
}
const clusters = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3));

/** Best of `runs` wall-clock times, and the CPU time of that run: on a shared machine the
 *  CPU time is the steadier figure (wall time includes waiting for a core). */
function time<T>(f: () => T, runs = 3): { ms: number; cpuMs: number; result: T } {
  let best = Infinity;
  let bestCpu = Infinity;
  let result!: T;
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = f();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    best = Math.min(best, wall);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  return { ms: Math.round(best), cpuMs: Math.round(bestCpu), result };
}

// How busy is the machine? PLATFORM.md measured ~12 GB/s for a single-accumulator sum, i.e.
// ~16 ms for 24M doubles on a quiet machine; the ratio scales the other figures.
const block = new Float64Array(24_000_000).fill(1);
const sumTime = time(() => {
  let a = 0;
  for (let i = 0; i < block.length; i++) a += block[i];
  return a;
});

const full = time(() => evaluateScores(labels, scores, { replicates }), 5);
const clustered = time(() => evaluateScores(labels, scores, { replicates, clusters }));
const point = time(() => evaluateScores(labels, scores, { replicates: 0 }));
const apAuc = time(() => [averagePrecision(labels, scores), rocAuc(labels, scores)]);
const big = 1_000_000;
const bigLabels = new Uint8Array(big);
const bigScores = new Float64Array(big);
for (let i = 0; i < big; i++) {
  bigLabels[i] = r.bernoulli(0.2) ? 1 : 0;
  bigScores[i] = 1 / (1 + Math.exp(-(-1.6 + 1.0 * bigLabels[i] + r.normal())));
}
const apAucMillion = time(() => [averagePrecision(bigLabels, bigScores), rocAuc(bigLabels, bigScores)], 2);
const paired = time(() => pairedDifference(labels, scores, scores.map((s) => Math.sqrt(s)), { metric: 'averagePrecision', replicates }));

console.log(
  JSON.stringify(
    {
      node: process.version,
      n,
      replicates,
      loadAverage1m: os.loadavg()[0],
      sum24MDoubles: { wallMs: sumTime.ms, cpuMs: sumTime.cpuMs, quietMachineMs: 16 },
      evaluateScores: { wallMs: full.ms, cpuMs: full.cpuMs },
      evaluateScoresClustered: { wallMs: clustered.ms, cpuMs: clustered.cpuMs },
      pointEstimatesOnly: { wallMs: point.ms, cpuMs: point.cpuMs },
      averagePrecisionPlusRocAuc: { wallMs: apAuc.ms, cpuMs: apAuc.cpuMs },
      averagePrecisionPlusRocAucMillion: { wallMs: apAucMillion.ms, cpuMs: apAucMillion.cpuMs },
      pairedDifferenceAp: { wallMs: paired.ms, cpuMs: paired.cpuMs },
      averagePrecision: full.result.metrics.averagePrecision,
      rocAuc: full.result.metrics.rocAuc,
    },
    null,
    1,
  ),
);
