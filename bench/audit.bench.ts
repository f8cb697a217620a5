/**
 * Evaluation at council size and at a million rows: metrics + 1000-replicate bootstrap + fairness
 * audit of 4 attributes, through `runAudit` (the same call as `candour audit` and the app's
 * audit mode), on a loaded table of outcome, score, child ID and four group columns.
 *
 *   npx tsx bench/audit.bench.ts --rows 24000 [--runs 3] [--replicates 1000] [--workers N]   (prints JSON)
 *   npx tsx bench/audit.bench.ts --prepare 24000                              (writes the CSV, prints its path)
 *
 * The CSV is seeded synthetic data (bench/out/audit-N.csv); bench/sklearn/audit.py reads the same file.
 * Loading is not timed here (see the load section). `--workers N` computes the bootstrap in a pool
 * of N worker threads (`runAuditAsync`, as `candour audit` does); 0 (the default) in this thread
 * (`runAudit`). The report is the same either way. CPU time is this process's (workers included).
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadTable } from '../src/lib/data/load.ts';
import { sourceFromPath } from '../src/cli/node-source.ts';
import { runAudit, runAuditAsync } from '../src/lib/run/audit-run.ts';
import { nodePool } from '../src/cli/node-pool.ts';
import { rng } from '../src/lib/random.ts';
import { benchOut, loadAverage, peakRssMB, timed } from './common.ts';

export const AUDIT_GROUPS = ['gender', 'ethnicity_group', 'disability', 'age_band'];

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Writes bench/out/audit-N.csv once (seeded) and returns its path. */
export async function auditCsv(rows: number): Promise<string> {
  mkdirSync(benchOut, { recursive: true });
  const file = path.join(benchOut, `audit-${rows}.csv`);
  if (existsSync(file)) return file;
  const r = rng(2020);
  const pick = (levels: string[], weights: number[]) => {
    let u = r.next();
    for (let k = 0; k < levels.length; k++) {
      u -= weights[k];
      if (u < 0) return levels[k];
    }
    return levels[levels.length - 1];
  };
  const w = createWriteStream(file);
  w.write('child_id,outcome,score,gender,ethnicity_group,disability,age_band\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const gender = pick(['Female', 'Male', 'Unknown'], [0.48, 0.5, 0.02]);
    const eth = pick(['White', 'Mixed', 'Asian', 'Black', 'Other', ''], [0.7, 0.08, 0.1, 0.07, 0.03, 0.02]);
    const dis = pick(['No', 'Yes'], [0.9, 0.1]);
    const age = pick(['0-4', '5-9', '10-15', '16+'], [0.3, 0.3, 0.3, 0.1]);
    const z = -1.6 + (dis === 'Yes' ? 0.3 : 0) + (eth === 'Black' ? 0.2 : 0) + 0.9 * r.normal();
    const y = r.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    // A score that ranks moderately well (AUC ~0.75), slightly worse for one group.
    const s = 1 / (1 + Math.exp(-(-1.4 + (y ? 1 : 0) * (age === '16+' ? 0.6 : 1.1) + r.normal())));
    buf += `${1_000_000 + Math.floor(i / 2)},${y},${s.toFixed(6)},${gender},${eth},${dis},${age}\n`;
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await new Promise<void>((ok) => w.once('drain', () => ok()));
      buf = '';
    }
  }
  w.write(buf);
  await new Promise<void>((ok) => w.end(ok));
  return file;
}

async function main(): Promise<void> {
  if (process.argv.includes('--prepare')) {
    console.log(JSON.stringify({ file: await auditCsv(Number(flag('prepare', '24000'))) }));
    return;
  }
  const rows = Number(flag('rows', '24000'));
  const runs = Number(flag('runs', '3'));
  const replicates = Number(flag('replicates', '1000'));
  const file = await auditCsv(rows);
  const loaded = await loadTable(sourceFromPath(file));
  if (!loaded.ok) throw new Error(loaded.error.message);
  const { table, columns } = loaded.value;
  const spec = { outcome: 'outcome', positive: '1', score: 'score', groups: AUDIT_GROUPS, id: 'child_id', seed: 1, replicates, threshold: 0.5, topPct: 10 };
  const workers = Number(flag('workers', '0'));
  const pool = workers > 0 ? nodePool(workers) : undefined;
  const ctx = { name: path.basename(file), fingerprint: 'bench', pool };
  const t = await timed(async () => {
    const r = pool ? await runAuditAsync(table, columns, spec, ctx) : runAudit(table, columns, spec, ctx);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }, runs);
  pool?.close();
  const res = t.result.results[0];
  console.log(
    JSON.stringify({
      bench: 'audit',
      rows,
      replicates,
      workers,
      attributes: AUDIT_GROUPS.length,
      subgroups: res.subgroups.length,
      runs,
      wallMs: t.wallMs,
      cpuMs: t.cpuMs,
      runsMs: t.runsMs,
      peakRssMB: peakRssMB(),
      loadAverage: loadAverage(),
      averagePrecision: res.metrics.averagePrecision,
      rocAuc: res.metrics.rocAuc,
    }),
  );
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('audit.bench.ts')) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
