// The bootstrap pool: the same report whatever the number of workers (1, 2, 4 worker threads and
// this thread alone), progress across the pool, and cancel stopping every worker within 1 s.
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import { Cancelled } from '../../src/lib/errors.ts';
import { rng } from '../../src/lib/random.ts';
import { runAudit, runAuditAsync, type RunContext } from '../../src/lib/run/audit-run.ts';
import { reportOf, type ScoredRun } from '../../src/lib/run/evaluation.ts';
import type { AuditSpec } from '../../src/lib/run/spec.ts';
import { replicateServer, ReplicatePool, type SpawnWorker } from '../../src/lib/pool/pool.ts';
import { reportOfPooled } from '../../src/lib/pool/report.ts';
import { nodePool, spawnNodeWorker } from '../../src/cli/node-pool.ts';
import type { ScoresJob } from '../../src/lib/evaluate/replicate-job.ts';
import { run as runAuditCommand } from '../../src/cli/audit.ts';
import { captureOutput } from '../cli/output.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Children (1-3 referrals each) with an outcome, a score and four group columns. */
function fixture(n: number, seed: number) {
  const r = rng(seed);
  const child_id: string[] = [], y: string[] = [], score: number[] = [], sex: string[] = [], eth: string[] = [], dis: string[] = [], age: string[] = [];
  let child = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || r.next() < 0.5) child++;
    const z = r.normal();
    const e = ['White', 'Mixed', 'Asian', 'Black', ''][Math.min(4, Math.floor(r.next() * r.next() * 6))];
    child_id.push(`C${child}`);
    y.push(r.bernoulli(1 / (1 + Math.exp(-(z * 1.3 - 1.4 + (e === 'Black' ? 0.3 : 0))))) ? 'Yes' : 'No');
    score.push(Math.round(1000 / (1 + Math.exp(-(z + r.normal() * 0.7 - 1)))) / 1000);
    sex.push(r.bernoulli(0.5) ? 'Female' : 'Male');
    eth.push(e);
    dis.push(r.bernoulli(0.12) ? 'Yes' : 'No');
    age.push(['0-4', '5-9', '10-15', '16+'][Math.floor(r.next() * 4)]);
  }
  const table = tableFromArrays({ child_id, y, score: Float64Array.from(score), sex, eth, dis, age });
  const type: Record<string, ColumnInfo['type']> = { child_id: 'id', y: 'category', score: 'number', sex: 'category', eth: 'category', dis: 'category', age: 'category' };
  const columns: ColumnInfo[] = Object.keys(type).map((name) => ({ name, type: type[name], inferredType: type[name] }));
  return { table, columns };
}

const SPEC: AuditSpec = {
  outcome: 'y',
  positive: 'Yes',
  score: 'score',
  id: 'child_id',
  groups: ['sex', 'eth', 'dis', 'age'],
  seed: 7,
  replicates: 120,
  threshold: 0.3,
  topPct: 10,
  // Criteria are bootstraps of their own (statistic jobs).
  preregistration: { criteria: [{ metric: 'precision', at: { topPct: 10 }, op: '>=', value: 0.3 }], sha256: '0'.repeat(64), lockedAt: '2026-01-01T00:00:00Z' },
  postHocCriteria: [{ metric: 'averagePrecision', op: '>=', value: 0.4 }],
};
const CTX: RunContext = { name: 'x.csv', fingerprint: 'f', createdAt: '2026-01-01T00:00:00Z' };

/** A pool whose "workers" answer in this thread on later turns, messages cloned as a worker's would be. */
const inThisThread: SpawnWorker = (onMessage) => {
  let alive = true;
  const serve = replicateServer((m) => setTimeout(() => alive && onMessage(structuredClone(m))));
  return { post: (m) => setTimeout(() => alive && serve(structuredClone(m))), terminate: () => void (alive = false) };
};

const pools: ReplicatePool[] = [];
afterAll(() => pools.forEach((p) => p.close()));
const threads = (size: number) => {
  const p = nodePool(size);
  pools.push(p);
  return p;
};

describe('bootstrap pool', () => {
  const { table, columns } = fixture(2500, 3);
  let scored: ScoredRun | undefined;
  const here = runAudit(table, columns, SPEC, { ...CTX, onScored: (run) => (scored = run) });

  it('gives the same audit report with 1, 2 and 4 worker threads as in this thread', async () => {
    expect(here.ok).toBe(true);
    if (!here.ok) return;
    // The report really carries bootstrap intervals (not only point estimates).
    expect(here.value.results[0].metrics.averagePrecision.lo).not.toBeNull();
    expect(here.value.results[0].subgroups.some((g) => Object.values(g.disparity).some((d) => d?.method === 'bootstrap'))).toBe(true);
    expect(here.value.results[0].criteria).toHaveLength(2);
    for (const size of [1, 2, 4]) {
      const pooled = await runAuditAsync(table, columns, SPEC, { ...CTX, pool: threads(size) });
      expect(pooled).toEqual(here);
    }
  });

  it('gives the same report with model comparisons (paired bootstraps) in pools of 1, 2 and 4', async () => {
    expect(scored).toBeDefined();
    const model = scored!.models[0];
    // A second model (a noisier copy of the score) and a baseline: comparisons are paired bootstraps.
    const r = rng(9);
    const noisy = model.scores.map((s) => Math.min(1, Math.max(0, s + r.normal() * 0.1)));
    const run: ScoredRun = { ...scored!, models: [{ ...model, model: 'logistic' }, { ...model, model: 'baseline', scores: noisy }] };
    const local = reportOf(run);
    expect(local.ok && local.value.comparisons?.length).toBe(1);
    for (const size of [1, 2, 4]) {
      expect(await reportOfPooled(run, new ReplicatePool(inThisThread, size))).toEqual(local);
    }
    expect(await reportOfPooled(run, threads(2))).toEqual(local);
  });

  it('computes the bootstraps here, with the same report, where workers cannot start', async () => {
    const cannotStart: SpawnWorker = (_onMessage, onError) => {
      setTimeout(() => onError(new Error('blocked by the host')));
      return { post: () => undefined, terminate: () => undefined };
    };
    const pool = new ReplicatePool(cannotStart, 2);
    expect(await runAuditAsync(table, columns, SPEC, { ...CTX, pool })).toEqual(here);
    expect(pool.failure?.message).toMatch(/blocked by the host/);
    // Refused at once (the Worker constructor throws), on the second worker.
    let k = 0;
    const refused: SpawnWorker = (onMessage, onError) => {
      if (k++ > 0) throw new Error('SecurityError: workers are not allowed here');
      return inThisThread(onMessage, onError);
    };
    const pool2 = new ReplicatePool(refused, 2);
    expect(await runAuditAsync(table, columns, SPEC, { ...CTX, pool: pool2 })).toEqual(here);
    expect(pool2.failure?.message).toMatch(/not allowed/);
  });

  it('computes a bootstrap smaller than the pool\'s minimum here, starting no worker', async () => {
    let started = 0;
    const counting: SpawnWorker = (onMessage, onError) => (started++, inThisThread(onMessage, onError));
    const pool = new ReplicatePool(counting, 2, 2500 * SPEC.replicates! + 1);
    expect(await runAuditAsync(table, columns, SPEC, { ...CTX, pool })).toEqual(here);
    expect(started).toBe(0);
  });

  it('reports progress summed over the workers, up to the total', async () => {
    const seen: { phase: string; done: number; total: number }[] = [];
    const r = await runAuditAsync(table, columns, { ...SPEC, preregistration: undefined, postHocCriteria: undefined }, { ...CTX, pool: new ReplicatePool(inThisThread, 3) }, (p) => seen.push(p));
    expect(r.ok).toBe(true);
    for (const phase of ['overall', 'subgroups'] as const) {
      const done = seen.filter((p) => p.phase === phase).map((p) => p.done);
      expect(done.length).toBeGreaterThan(1);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done.at(-1)).toBe(SPEC.replicates);
    }
  });
});

describe('cancelling a pooled bootstrap', () => {
  it('stops every worker within 1 s and rejects with Cancelled', async () => {
    const n = 200_000;
    const r = rng(1);
    const labels = Uint8Array.from({ length: n }, () => (r.next() < 0.2 ? 1 : 0));
    const scores = Float64Array.from({ length: n }, () => r.next());
    const job: ScoresJob = { kind: 'scores', labels, scores, seed: 1, replicates: 100_000, width: 15, threshold: 0.5, topPct: 10, bins: 10 };
    const exits: number[] = [];
    const pool = new ReplicatePool(spawnNodeWorker(() => exits.push(performance.now())), 2);
    const token = { cancelled: false };
    let cancelledAt = 0;
    const running = pool.run(job, {
      cancel: token,
      onProgress: () => {
        // Cancel once both workers are computing (the first block is back).
        if (!token.cancelled) {
          token.cancelled = true;
          cancelledAt = performance.now();
        }
      },
    });
    await expect(running).rejects.toBeInstanceOf(Cancelled);
    const deadline = performance.now() + 2000;
    while (exits.length < 2 && performance.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
    expect(exits).toHaveLength(2);
    for (const t of exits) expect(t - cancelledAt).toBeLessThan(1000);
  });

  it('a run cancelled between two bootstraps stops the idle workers too', async () => {
    const { table, columns } = fixture(1500, 5);
    const exits: number[] = [];
    const pool = new ReplicatePool(spawnNodeWorker(() => exits.push(performance.now())), 2);
    const token = { cancelled: false };
    let cancelledAt = 0;
    // Cancel when the overall metrics' bootstrap is done, before the subgroups' starts.
    const running = runAuditAsync(table, columns, { ...SPEC, preregistration: undefined, postHocCriteria: undefined }, { ...CTX, pool, cancel: token }, (p) => {
      if (p.phase === 'overall' && p.done === p.total && !token.cancelled) {
        token.cancelled = true;
        cancelledAt = performance.now();
      }
    });
    await expect(running).rejects.toBeInstanceOf(Cancelled);
    const deadline = performance.now() + 2000;
    while (exits.length < 2 && performance.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
    expect(exits).toHaveLength(2);
    for (const t of exits) expect(t - cancelledAt).toBeLessThan(1000);
  });

  it('rejects at once when cancelled before it starts, and the pool works again afterwards', async () => {
    const pool = new ReplicatePool(inThisThread, 2);
    const labels = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 0]);
    const scores = Float64Array.from([0.9, 0.1, 0.4, 0.7, 0.3, 0.6, 0.2, 0.5]);
    const job: ScoresJob = { kind: 'scores', labels, scores, seed: 1, replicates: 30, width: 15, threshold: 0.5, topPct: 10, bins: 10 };
    await expect(pool.run(job, { cancel: { cancelled: true } })).rejects.toBeInstanceOf(Cancelled);
    const table = await pool.run(job);
    expect(table).toHaveLength(30 * 15);
    expect(table.some((v) => Number.isNaN(v))).toBe(false);
  });
});

describe('candour audit --workers', () => {
  const io = captureOutput();
  it('writes the same report with 0, 1 and 2 worker threads, and refuses a bad count', async () => {
    const r = rng(4);
    let text = 'child,y,score,sex\n';
    for (let i = 0; i < 800; i++) {
      const z = r.normal();
      text += `C${i >> 1},${r.bernoulli(1 / (1 + Math.exp(-(z - 1)))) ? 1 : 0},${(1 / (1 + Math.exp(-z))).toFixed(4)},${r.bernoulli(0.5) ? 'F' : 'M'}\n`;
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'candour-pool-')), 'a.csv');
    writeFileSync(file, text);
    const args = ['--data', file, '--outcome', 'y', '--positive', '1', '--score', 'score', '--id', 'child', '--group', 'sex', '--replicates', '60'];
    const reports: string[] = [];
    for (const workers of ['0', '1', '2']) {
      io.clear();
      expect(await runAuditCommand([...args, '--workers', workers])).toBe(0);
      const report = JSON.parse(io.out()) as { createdAt: string; results: { metrics: { averagePrecision: { lo: number | null } } }[] };
      expect(report.results[0].metrics.averagePrecision.lo).not.toBeNull();
      reports.push(JSON.stringify({ ...report, createdAt: '' }));
    }
    expect(reports[1]).toBe(reports[0]);
    expect(reports[2]).toBe(reports[0]);
    io.clear();
    expect(await runAuditCommand([...args, '--workers', 'two'])).toBe(2);
    expect(io.err()).toMatch(/--workers must be a whole number from 0 to 64, got 'two'/);
  });
});
