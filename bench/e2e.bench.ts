/**
 * End to end in Chromium: time from choosing a 24k-row CSV to seeing results, and the longest
 * main-thread task during the run.
 *
 *   npx tsx bench/e2e.bench.ts [--file bench/out/e2e-24000.csv] [--runs 1] [--build]   (prints JSON)
 *
 * Drives the bench page (bench/page, built into bench/out/page with bench/vite.bench.config.ts,
 * served by e2e/server.ts with the production security headers) which starts the app's own
 * compute worker (workers/client.ts) and runs loadFile -> evaluate (logistic regression and
 * boosted trees, 1000-replicate intervals, subgroup audit of 4 attributes) while the main thread
 * animates a spinner. Long tasks come from a PerformanceObserver('longtask') injected with
 * page.addInitScript; Chromium reports main-thread tasks over 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launch, collectErrors } from '../e2e/browser.ts';
import { serveStatic } from '../e2e/server.ts';
import type { EvaluateSpec } from '../src/lib/run/spec.ts';
import { E2E_GROUPS, benchOut, loadAverage, median, prepareE2eCsv, repoRoot } from './common.ts';

interface LongTask {
  startMs: number;
  durationMs: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The same question as `candour evaluate` with E2E_ARGS. */
export const E2E_SPEC: EvaluateSpec = {
  outcome: 'outcome',
  positive: '1',
  models: ['logistic', 'gbdt'],
  split: { kind: 'temporal', date: 'referral_date' },
  date: 'referral_date',
  id: 'child_id',
  groups: E2E_GROUPS,
  text: [],
  drop: ['referral_id'],
  seed: 1,
  replicates: 1000,
};

const pageDir = path.join(benchOut, 'page');

function buildPage(): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'bench/vite.bench.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench page build failed: ${r.stderr.slice(-2000)}`);
}

async function oneRun(page: Page, url: string, file: string): Promise<Record<string, unknown>> {
  await page.goto(`${url}?spec=${encodeURIComponent(JSON.stringify(E2E_SPEC))}`);
  await page.waitForFunction(() => window.__benchReady === true, undefined, { timeout: 120_000 });
  const startedAt = await page.evaluate(() => performance.now());
  const t0 = performance.now();
  await page.setInputFiles('#file', file);
  await page.waitForFunction(() => window.__bench !== undefined, undefined, { timeout: 900_000, polling: 200 });
  const nodeWallMs = performance.now() - t0;
  const outcome = await page.evaluate(() => window.__bench!);
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: LongTask[] }).__longTasks);
  const during = tasks.filter((t) => t.startMs + t.durationMs >= startedAt);
  const longest = during.reduce((m, t) => Math.max(m, t.durationMs), 0);
  return {
    ...outcome,
    nodeWallMs: Math.round(nodeWallMs),
    longTasks: {
      count: during.length,
      over200ms: during.filter((t) => t.durationMs > 200).length,
      longestMs: Math.round(longest),
      totalMs: Math.round(during.reduce((s, t) => s + t.durationMs, 0)),
      beforeRunLongestMs: Math.round(tasks.filter((t) => t.startMs + t.durationMs < startedAt).reduce((m, t) => Math.max(m, t.durationMs), 0)),
    },
  };
}

async function main(): Promise<void> {
  const file = flag('file') ?? (await prepareE2eCsv(24_000));
  const runs = Number(flag('runs') ?? 1);
  // Always rebuilt: a stale page would measure old code.
  if (!process.argv.includes('--no-build') || !existsSync(path.join(pageDir, 'index.html'))) buildPage();
  const server = await serveStatic(pageDir, { headers: 'production' });
  const browser = await launch();
  try {
    const results: Record<string, unknown>[] = [];
    for (let k = 0; k < runs; k++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.addInitScript(() => {
        const tasks: { startMs: number; durationMs: number }[] = [];
        (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) tasks.push({ startMs: e.startTime, durationMs: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      const r = await oneRun(page, server.url, file);
      results.push({ ...r, consoleErrors: errors.slice(0, 5) });
      await context.close();
    }
    const done = results.filter((r) => r.status === 'done');
    console.log(
      JSON.stringify({
        bench: 'e2e-chromium',
        driver: 'bench page over the app compute worker (bench/page)',
        file: path.relative(repoRoot, file),
        browser: browser.version(),
        spec: E2E_SPEC,
        runs,
        totalMs: done.length ? Math.round(median(done.map((r) => r.totalMs as number))) : null,
        longestTaskMs: Math.max(0, ...results.map((r) => (r.longTasks as { longestMs: number }).longestMs)),
        loadAverage: loadAverage(),
        results,
      }),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
