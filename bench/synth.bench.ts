/**
 * How fast is the synthetic generator, and does `candour synth` stay in bounded memory at 1M rows?
 * Run: npx tsx bench/synth.bench.ts [rows=1000000]     (prints JSON, one case per child process)
 *
 * Each case runs in its own Node process so that its peak resident memory (maxRSS) is its own:
 * - generate: generateCaseChunks over all rows, discarding chunks (the generator alone)
 * - arrow / csv: the CLI writing the flat table (+ truth JSON for arrow) to a temporary file
 * CPU time is reported beside wall time: on a shared machine it is the steadier figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

async function runCase(kind: string, rows: number): Promise<Record<string, unknown>> {
  const { calibratedIntercept, generateCaseChunks, scenarioFrom } = await import('../src/lib/synth/index.ts');
  const scenario = scenarioFrom(undefined, { rows });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  calibratedIntercept(scenario);
  const calibrationMs = performance.now() - t0;
  let bytes = 0;
  if (kind === 'generate') {
    let n = 0;
    for (const c of generateCaseChunks(scenario)) n += c.table.numRows;
    if (n !== rows) throw new Error(`expected ${rows} rows, got ${n}`);
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'candour-synth-bench-'));
    const out = path.join(dir, `cases.${kind}`);
    const { run } = await import('../src/cli/synth.ts');
    const argv = ['--rows', String(rows), '--out', out, ...(kind === 'arrow' ? ['--truth', path.join(dir, 'truth.json')] : [])];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = () => true;
    const code = await run(argv);
    process.stderr.write = write;
    if (code !== 0) throw new Error(`candour synth exited ${code}`);
    bytes = statSync(out).size;
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    case: kind,
    rows,
    wallMs: Math.round(ms),
    cpuMs: Math.round(cpuMs),
    calibrationMs: Math.round(calibrationMs),
    rowsPerSecWall: Math.round(rows / (ms / 1000)),
    rowsPerSecCpu: Math.round(rows / (cpuMs / 1000)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    fileMB: bytes ? Math.round(bytes / 1e5) / 10 : undefined,
  };
}

const [, , first, second] = process.argv;
if (first === '--case') {
  const [kind, rows] = [second, Number(process.argv[4])];
  console.log(JSON.stringify(await runCase(kind, rows)));
} else {
  const rows = Number(first ?? 1_000_000);
  const results: unknown[] = [];
  for (const [kind, n] of [['generate', 24_000], ['generate', 200_000], ['generate', rows], ['csv', rows], ['arrow', rows]] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'synth.bench.ts'), '--case', kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    results.push(JSON.parse(r.stdout.trim().split('\n').at(-1)!));
  }
  console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), results }, null, 2));
}
