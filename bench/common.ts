/**
 * Shared helpers for the benchmarks: timing with medians, peak memory, the machine's facts, and
 * running scikit-learn reference scripts. Used by bench/run.js (through tsx) and the *.bench.ts
 * scripts. Node only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const benchOut = path.join(repoRoot, 'bench', 'out');
/** Debian's Python, which has scikit-learn, pandas and numpy (the first python3 on PATH may not). */
export const PYTHON = '/usr/bin/python3';

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Timing {
  /** Median wall-clock time over the runs. */
  wallMs: number;
  /** Median CPU time (user + system) of this process over the runs: steadier on a shared machine. */
  cpuMs: number;
  runsMs: number[];
}

/** Wall and CPU time of `f`, median of `runs` calls; the last result is returned too. */
export async function timed<T>(f: () => T | Promise<T>, runs = 3): Promise<Timing & { result: T }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let result!: T;
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await f();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { wallMs: Math.round(median(walls)), cpuMs: Math.round(median(cpus)), runsMs: walls.map(Math.round), result };
}

/** Peak resident memory of this process so far, in MB (Linux maxRSS). */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** 1, 5 and 15 minute load averages, rounded: on a shared 2-core machine anything above 2 means waiting for a core. */
export function loadAverage(): number[] {
  return os.loadavg().map((x) => +x.toFixed(2));
}

export interface MachineFacts {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  chromium: string | null;
  python: string | null;
  sklearn: string | null;
  pandas: string | null;
  loadAverage: number[];
}

function chromiumVersion(): string | null {
  const exe = process.env.CANDOUR_CHROMIUM ?? '/usr/bin/chromium';
  try {
    return execFileSync(exe, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineFacts(): MachineFacts {
  const py = spawnSync(PYTHON, ['-c', 'import sys, sklearn, pandas; print(sys.version.split()[0], sklearn.__version__, pandas.__version__)'], { encoding: 'utf8' });
  const [python, sklearn, pandas] = py.status === 0 ? py.stdout.trim().split(' ') : [null, null, null];
  return {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    chromium: chromiumVersion(),
    python,
    sklearn,
    pandas,
    loadAverage: loadAverage(),
  };
}

/** Runs a reference script from bench/sklearn with Debian's Python and parses its last stdout line as JSON. */
export function sklearnJson<T>(script: string, args: readonly string[], env: Record<string, string> = {}): T {
  const file = path.join(repoRoot, 'bench', 'sklearn', script);
  const r = spawnSync(PYTHON, [file, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** Total RAM used right now as seen in /proc/meminfo, in GB (for the record, not for a result). */
export function memoryInUseGB(): number {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return +((kb('MemTotal') - kb('MemAvailable')) / 2 ** 20).toFixed(1);
}

/** The 24k end-to-end question, as `candour evaluate` flags; the browser bench sends the same spec. */
export const E2E_GROUPS = ['gender', 'ethnicity_group', 'disability', 'referral_source'];
export const E2E_ARGS = [
  '--outcome', 'outcome', '--positive', '1', '--models', 'logistic,gbdt', '--split', 'temporal', '--date', 'referral_date',
  '--id', 'child_id', '--drop', 'referral_id', ...E2E_GROUPS.flatMap((g) => ['--group', g]),
];

/** bench/out/e2e-N.csv: the synthetic extract of `candour synth --rows N --seed 1` (written once). */
export async function prepareE2eCsv(rows: number): Promise<string> {
  const file = path.join(benchOut, `e2e-${rows}.csv`);
  if (existsSync(file)) return file;
  const { run } = await import('../src/cli/synth.ts');
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = () => true;
  try {
    const code = await run(['--rows', String(rows), '--seed', '1', '--out', file]);
    if (code !== 0) throw new Error(`candour synth exited ${code}`);
  } finally {
    process.stderr.write = write;
  }
  return file;
}
