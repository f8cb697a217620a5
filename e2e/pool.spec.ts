/**
 * The bootstrap pool in the browser: a run's bootstrap replicates are computed by workers the
 * compute worker starts (workers/pool.ts), from blob: URLs like the compute worker itself, with no
 * policy violation, no error and no other-origin request; Cancel stops every one of them within
 * 1 s. (That 1, 2 and 4 workers give the same report is tested in test/pool/pool.test.ts; the
 * browser differs only in how a worker starts and stops.)
 */
import { describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { collectErrors, RequestLog } from './browser.ts';
import { builtApp } from './site.ts';
import { StartPage } from './pages/start-page.ts';

const site = builtApp();

describe('bootstrap workers', () => {
  it('the demo run starts bootstrap workers from blob: URLs and finishes without error', async () => {
    const context = await site.browser.newContext();
    const log = new RequestLog(context);
    const page = await context.newPage();
    await log.watch(page);
    const errors = collectErrors(page);
    const started: string[] = [];
    page.on('worker', (w) => started.push(w.url()));
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    const demo = await start.runDemo();
    expect(demo.length).toBeGreaterThan(0);
    // The compute worker and at least one bootstrap worker (the page reports nested workers too).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(cores).toBeGreaterThan(0);
    expect(started.filter((u) => u.startsWith('blob:')).length).toBeGreaterThanOrEqual(2);
    expect(log.offOrigin(new URL(site.url).origin)).toEqual([]);
    expect(log.violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Cancel during the bootstrap stops every bootstrap worker within 1 s', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    const workers: Worker[] = [];
    page.on('worker', (w) => workers.push(w));
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    const before = workers.length;
    await page.getByTestId('try-synthetic').click();
    // The first bootstrap starts the pool: its workers appear after the compute worker's.
    await expect.poll(() => workers.length, { timeout: 120_000, interval: 20 }).toBeGreaterThan(before);
    const pool = workers.slice(before);
    const closed = pool.map((w) => new Promise<number>((ok) => w.on('close', () => ok(performance.now()))));
    const clickedAt = performance.now();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const times = await Promise.all(closed);
    for (const t of times) expect(t - clickedAt).toBeLessThan(1000);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /was cancelled/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
