/**
 * The bootstrap pool in the browser: a run's bootstrap replicates are computed by workers the
 * compute worker starts (workers/pool.ts), from blob: URLs like the compute worker itself, with no
 * policy violation, no error and no other-origin request. (That 1, 2 and 4 workers give the same
 * report is tested in test/pool/pool.test.ts; the browser differs only in how a worker starts.)
 */
import { describe, expect, it } from 'vitest';
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
});
