#!/usr/bin/env node
/**
 * The benchmark suite: `npm run bench [-- --full] [-- --only load,train,logistic,text,evaluate,e2e] [-- --runs N]`.
 * `npm run bench -- --render` re-writes RESULTS.md from bench/results.json.
 *
 * Runs each section's scripts in their own processes (so peak memory is their own), the
 * scikit-learn / pandas reference on the same files in the same run, and writes
 * bench/results.json and bench/RESULTS.md. Default sizes finish in about 10-15 minutes on a quiet
 * 2-core machine; `--full` adds 1M rows (and the slow cases). Cheap measurements are the median of
 * `--runs` (3) runs; expensive ones run once, and say so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';

// The suite imports its TypeScript helpers directly, so it runs under tsx's loader: re-run this
// file with `--import tsx` unless it already is (in-process `register()` hung at a later dynamic import).
if (!process.env.CANDOUR_BENCH_UNDER_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CANDOUR_BENCH_UNDER_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}
const { repoRoot, median, machineFacts, loadAverage, sklearnJson, memoryInUseGB } = await import('./common.ts');

const argv = process.argv.slice(2);
const resultsFile = path.join(repoRoot, 'bench', 'results.json');
const historyFile = path.join(repoRoot, 'bench', 'history.json');
const writeMarkdown = async (results) => {
  const { renderMarkdown } = await import('./report.ts');
  // Earlier figures measured by hand (e.g. before a change), shown beside this run's.
  const history = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, 'utf8')) : undefined;
  writeFileSync(path.join(repoRoot, 'bench', 'RESULTS.md'), renderMarkdown({ ...results, history }));
};
if (argv.includes('--render')) {
  // Re-render RESULTS.md from the stored results (after changing the report's layout).
  await writeMarkdown(JSON.parse(readFileSync(resultsFile, 'utf8')));
  process.exit(0);
}
const full = argv.includes('--full');
const flagValue = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SECTIONS = ['load', 'train', 'logistic', 'text', 'evaluate', 'e2e'];
const only = (flagValue('only') ?? SECTIONS.join(',')).split(',');
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section '${s}' (choose from ${SECTIONS.join(', ')})`);
const RUNS = Number(flagValue('runs') ?? 3);

const log = (s) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${loadAverage()[0]}] ${s}\n`);

/** Runs a TypeScript bench script with tsx; returns stdout. Throws with its stderr on failure. */
function tsx(script, args, env = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', script), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}
const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1));

/** Runs a section, recording a failure as data so the rest of the suite still runs. */
async function section(name, f) {
  const t0 = performance.now();
  log(`section ${name}`);
  try {
    const value = await f();
    return { ...value, sectionSeconds: Math.round((performance.now() - t0) / 1000), loadAverageAfter: loadAverage() };
  } catch (e) {
    log(`section ${name} failed: ${e.message}`);
    return { error: String(e.message ?? e).slice(0, 4000) };
  }
}

// ---------------------------------------------------------------- load
async function loadSection() {
  const sizes = full ? [24_000, 200_000, 1_000_000] : [24_000, 200_000];
  const rows = [];
  for (const n of sizes) {
    log(`load: preparing ${n} rows`);
    const { files } = lastJson(tsx('load.bench.ts', ['--prepare', String(n)]));
    const runs = n <= 24_000 ? RUNS : 1;
    // Reading a 200k-row workbook takes minutes on a busy machine: only with --full.
    for (const file of files.filter((f) => full || n <= 24_000 || !f.endsWith('.xlsx'))) {
      const format = path.extname(file).slice(1);
      log(`load: ${path.basename(file)} x${runs}`);
      const ours = [];
      for (let k = 0; k < runs; k++) ours.push(lastJson(tsx('load.bench.ts', ['--one', file])));
      const pyRuns = format === 'xlsx' && n > 24_000 ? 1 : runs;
      const pandas = sklearnJson('load_pandas.py', [file, String(pyRuns)]);
      const seconds = median(ours.map((o) => o.seconds));
      rows.push({
        rows: n,
        format,
        bytes: ours[0].bytes,
        runs,
        seconds,
        cpuSeconds: median(ours.map((o) => o.cpuSeconds ?? NaN)),
        runsSeconds: ours.map((o) => +o.seconds.toFixed(3)),
        mbPerS: ours[0].bytes / 1e6 / seconds,
        rowsPerS: n / seconds,
        peakGB: Math.max(...ours.map((o) => o.peakGB)),
        pandas,
        ratio: pandas.seconds ? seconds / pandas.seconds : null,
      });
    }
  }
  return { where: 'Node (one process per measurement), not a browser worker', rows };
}

// ---------------------------------------------------------------- train
async function trainSection() {
  const sizes = full ? [24_000, 200_000, 1_000_000] : [24_000, 200_000];
  const out = { tabular: [], gbdt: [] };
  for (const backend of ['wasm', 'cpu']) {
    // Only the MLP runs on tfjs (logistic regression and the baseline are typed-array code),
    // so the second backend re-runs the MLP alone, at 24k unless --full.
    const models = backend === 'wasm' ? 'baseline,logistic,mlp' : 'mlp';
    const bsizes = backend === 'wasm' ? sizes : full ? sizes : [24_000];
    log(`train: ${models} on tfjs ${backend} at ${bsizes.join(', ')}`);
    const r = JSON.parse(tsx('train.bench.ts', ['--sizes', bsizes.join(','), '--models', models, '--backend', backend]));
    out.tabular.push({ backend, ...r });
  }
  const gsizes = full ? sizes : sizes;
  log(`train: gbdt at ${gsizes.join(', ')}`);
  // scikit-learn's default OpenMP threads are skipped unless --full: on a crowded machine they spin.
  const g = lastJson(tsx('gbdt.bench.ts', [...(full ? [] : ['--single-thread-only']), ...gsizes.map(String)]));
  out.gbdt = g.results;
  return out;
}

// ---------------------------------------------------------------- logistic (issue 20)
/**
 * Logistic regression alone at 24k and 200k rows (bench/train.bench.ts --models logistic), each run
 * a fresh process with scikit-learn on the same matrices right after it; RUNS runs, medians.
 * `--logistic-before DIR`: DIR is a checkout of an earlier commit (with node_modules), timed the
 * same way in alternation with this one, so before and after share the machine's load. Each side
 * runs twice per round: scikit-learn with its default BLAS threads, and with one thread (like the
 * single-threaded JavaScript; as the gradient boosting comparison does).
 */
async function logisticSection() {
  const sizes = [24_000, 200_000];
  const beforeDir = flagValue('logistic-before');
  const runIn = (root, threads) => {
    const one = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'train.bench.ts'), '--sizes', sizes.join(','), '--models', 'logistic'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, ...(threads === '1' ? one : {}) },
    });
    if (r.status !== 0) throw new Error(`train.bench.ts in ${root} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
    return JSON.parse(r.stdout).results;
  };
  const commitOf = (root) => spawnSync('git', ['-C', root, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' }).stdout.trim();
  const sides = [...(beforeDir ? [{ side: 'before', root: path.resolve(beforeDir) }] : []), { side: 'after', root: repoRoot }].flatMap((s) =>
    ['default', '1'].map((threads) => ({ ...s, threads, key: `${s.side}/${threads}` })),
  );
  const runs = Object.fromEntries(sides.map((s) => [s.key, []]));
  for (let k = 0; k < RUNS; k++) {
    for (const s of sides) {
      log(`logistic: ${s.side} (${commitOf(s.root)}), scikit-learn threads ${s.threads}, run ${k + 1} of ${RUNS}`);
      runs[s.key].push(runIn(s.root, s.threads));
    }
  }
  const rows = [];
  for (const s of sides) {
    for (const n of sizes) {
      const at = runs[s.key].map((rs) => rs.find((r) => r.n === n));
      const pick = (f) => median(at.map(f));
      rows.push({
        side: s.side,
        sklearnThreads: s.threads,
        commit: commitOf(s.root),
        n,
        nTrain: at[0].nTrain,
        runs: at.length,
        oursWallMs: pick((r) => r.ours.logistic.wallMs),
        oursCpuMs: pick((r) => r.ours.logistic.cpuMs),
        sklearnWallMs: pick((r) => r.sklearn.logistic.wallMs),
        sklearnCpuMs: pick((r) => r.sklearn.logistic.cpuMs),
        ratioWall: pick((r) => r.ours.logistic.wallMs / r.sklearn.logistic.wallMs),
        ratioCpu: pick((r) => r.ours.logistic.cpuMs / Math.max(r.sklearn.logistic.cpuMs, 1)),
        iterations: at[0].ours.logistic.iterations,
        sklearnIterations: at[0].sklearn.logistic.iterations,
        coefMaxDiffVsSklearn: at[0].ours.logistic.coefMaxDiffVsSklearn ?? null,
        loadAverage1m: pick((r) => r.loadAverage1m),
        perRun: at.map((r) => ({ wallMs: r.ours.logistic.wallMs, cpuMs: r.ours.logistic.cpuMs, sklearnWallMs: r.sklearn.logistic.wallMs, sklearnCpuMs: r.sklearn.logistic.cpuMs, loadAverage1m: r.loadAverage1m })),
      });
    }
  }
  return { sizes, rows };
}

// ---------------------------------------------------------------- text
/** Logistic regression with and without the 2^16 hashed case-note block (bench/train-text.bench.ts). */
async function textSection() {
  const rows = full ? [24_000, 200_000] : [24_000];
  const out = [];
  for (const n of rows) {
    log(`text: logistic with and without hashed text, MLP, at ${n} rows`);
    out.push({ rows: n, ...JSON.parse(tsx('train-text.bench.ts', ['--rows', String(n), '--models', 'logistic,logistic-text,mlp'])) });
  }
  return { rows: out };
}

// ---------------------------------------------------------------- evaluate
async function evaluateSection() {
  const out = { audit: [], components: null };
  const cases = [
    { rows: 24_000, replicates: 1000, runs: RUNS, skReplicates: 5 },
    // At 1M rows the full 1000 replicates take many minutes on a busy 2-core machine: the default
    // set runs 100 and extrapolates (stated in the table); --full runs all 1000.
    { rows: 1_000_000, replicates: full ? 1000 : 100, runs: 1, skReplicates: 1 },
  ];
  for (const c of cases) {
    log(`evaluate: audit ${c.rows} rows, ${c.replicates} replicates x${c.runs}`);
    const { file } = lastJson(tsx('audit.bench.ts', ['--prepare', String(c.rows)]));
    const ours = lastJson(tsx('audit.bench.ts', ['--rows', String(c.rows), '--runs', String(c.runs), '--replicates', String(c.replicates)]));
    let pointOnly = null;
    if (c.replicates < 1000) pointOnly = lastJson(tsx('audit.bench.ts', ['--rows', String(c.rows), '--runs', '1', '--replicates', '0']));
    const extrapolatedMs = pointOnly ? pointOnly.wallMs + ((ours.wallMs - pointOnly.wallMs) * 1000) / c.replicates : ours.wallMs;
    const extrapolatedCpuMs = pointOnly ? pointOnly.cpuMs + ((ours.cpuMs - pointOnly.cpuMs) * 1000) / c.replicates : ours.cpuMs;
    log(`evaluate: scikit-learn audit ${c.rows} rows, ${c.skReplicates} replicates`);
    const sk = sklearnJson('audit.py', [file, String(c.skReplicates), '1000']);
    out.audit.push({ ...c, ours, pointOnly, wallMs1000: Math.round(extrapolatedMs), cpuMs1000: Math.round(extrapolatedCpuMs), sklearn: sk, ratio: extrapolatedMs / 1000 / sk.secondsExtrapolated });
  }
  // The same 1M audit with its bootstrap in a pool of worker threads (1 and the machine's
  // available parallelism): the report is the same; the time is the pool's.
  const c1m = cases[cases.length - 1];
  const most = Math.max(2, availableParallelism());
  out.pool = [];
  for (const workers of [1, most]) {
    log(`evaluate: audit ${c1m.rows} rows, ${c1m.replicates} replicates in ${workers} worker thread(s)`);
    const ours = lastJson(tsx('audit.bench.ts', ['--rows', String(c1m.rows), '--runs', '1', '--replicates', String(c1m.replicates), '--workers', String(workers)]));
    const point = out.audit[out.audit.length - 1].pointOnly;
    const wallMs1000 = point && c1m.replicates < 1000 ? point.wallMs + ((ours.wallMs - point.wallMs) * 1000) / c1m.replicates : ours.wallMs;
    const cpuMs1000 = point && c1m.replicates < 1000 ? point.cpuMs + ((ours.cpuMs - point.cpuMs) * 1000) / c1m.replicates : ours.cpuMs;
    out.pool.push({ rows: c1m.rows, replicates: c1m.replicates, workers, ours, wallMs1000: Math.round(wallMs1000), cpuMs1000: Math.round(cpuMs1000) });
  }
  log('evaluate: evaluateScores components at 24k');
  out.components = JSON.parse(tsx('evaluate.bench.ts', ['24000', '1000']));
  return out;
}

// ---------------------------------------------------------------- end to end
/** `candour evaluate` on the 24k extract, with the time of each progress line on stderr. */
function cliEndToEnd(file, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'candour.js'), 'evaluate', '--data', file, ...args], { cwd: repoRoot });
    const phases = [];
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d.toString();
      const parts = buf.split(/[\n\r]/);
      buf = parts.pop();
      for (const p of parts) if (p.trim()) phases.push({ atMs: Math.round(performance.now() - t0), line: p.trim().slice(0, 120) });
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`candour evaluate exited ${code}: ${phases.map((p) => p.line).slice(-5).join(' | ')}`));
      const cpu = process.cpuUsage(c0);
      resolve({ wallMs: Math.round(performance.now() - t0), parentCpuMs: Math.round((cpu.user + cpu.system) / 1000), phases });
    });
  });
}

async function e2eSection() {
  const { prepareE2eCsv, E2E_ARGS } = await import('./common.ts');
  const file = await prepareE2eCsv(24_000);
  log('e2e: Chromium');
  let chromium;
  try {
    chromium = lastJson(tsx('e2e.bench.ts', ['--file', file]));
  } catch (e) {
    chromium = { error: String(e.message).slice(0, 3000) };
  }
  log('e2e: candour evaluate in Node');
  const cli = await cliEndToEnd(file, [...E2E_ARGS, '--json', path.join(repoRoot, 'bench', 'out', 'e2e-24000.json')]);
  log('e2e: pandas + scikit-learn');
  const sklearn = sklearnJson('e2e.py', [file, '20'], { OMP_NUM_THREADS: '1' });
  return { file: path.relative(repoRoot, file), chromium, cli, sklearn };
}

// ---------------------------------------------------------------- main
const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
const machine = machineFacts();
machine.memoryInUseGBAtStart = memoryInUseGB();
log(`machine: ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.node}, ${machine.chromium}`);
const t0 = performance.now();
const results = {
  schema: 'candour.bench/1',
  command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`,
  full,
  runs: RUNS,
  machine,
  sections: {},
};
const runners = { load: loadSection, train: trainSection, logistic: logisticSection, text: textSection, evaluate: evaluateSection, e2e: e2eSection };
for (const s of SECTIONS) if (only.includes(s)) results.sections[s] = await section(s, runners[s]);
// A partial run (--only) keeps the other sections from the latest results.json (re-read now, in
// case another partial run wrote it meanwhile), marked with the date of that run.
const latest = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : previous;
for (const s of SECTIONS) {
  const old = latest?.sections?.[s];
  if (!only.includes(s) && old) results.sections[s] = old.fromEarlierRun ? old : { ...old, fromEarlierRun: latest.machine?.date ?? true };
}
results.sections = Object.fromEntries(SECTIONS.filter((s) => results.sections[s]).map((s) => [s, results.sections[s]]));
results.totalSeconds = Math.round((performance.now() - t0) / 1000);
results.machine.loadAverageAtEnd = loadAverage();
writeFileSync(resultsFile, JSON.stringify(results, null, 1) + '\n');
await writeMarkdown(results);
log(`wrote bench/results.json and bench/RESULTS.md in ${results.totalSeconds} s`);
