import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, collectErrors, launch, RequestLog } from './browser.ts';
import { serveStatic, type StaticServer } from './server.ts';
import { StartPage } from './pages/start-page.ts';

let browser: Browser;
let site: StaticServer;
/** Another origin on this machine: anything reaching it is a privacy failure. */
let elsewhere: StaticServer;

beforeAll(async () => {
  site = await serveStatic('dist', { headers: 'production' });
  elsewhere = await serveStatic('e2e', { headers: 'none' });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await elsewhere?.close();
});

describe('the built site', () => {
  it('loads with no console errors, picks a backend and says why, and passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    const start = new StartPage(page);
    await start.open(site.url);
    const backend = await start.backendText();
    expect(backend).toMatch(/WebAssembly|WebGPU|WebGL|plain JavaScript/);
    expect(backend).toMatch(/agrees with plain JavaScript/);
    // WebGPU is on but software-only in headless Chromium: it must be skipped with its reason.
    expect(await page.getByTestId('backend-reasons').textContent()).toMatch(/WebGPU/);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs the demo in the worker and shows the result, the page staying responsive', async () => {
    const page = await browser.newPage();
    // Every main-thread task over 50 ms (the Long Tasks API), recorded from the first paint.
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
    });
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
    const text = await start.runDemo();
    // Generating, training three models, the bootstrap and the audit all ran in the worker.
    const longest = Math.max(0, ...(await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)));
    expect(longest, 'longest main-thread task while the models trained (ms)').toBeLessThan(200);
    expect(text).toMatch(/Of every 10 children the model flags/);
    await page.close();
  });
});

describe('the privacy wall', () => {
  it('a full run makes no request to any other origin (page, workers, service worker)', async () => {
    const context = await browser.newContext();
    const log = new RequestLog(context);
    const page = await context.newPage();
    await log.watch(page);
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    await start.runDemo();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await start.backendText();
    expect(log.requests.length).toBeGreaterThan(3);
    expect(log.offOrigin(site.origin)).toEqual([]);
    expect(log.violations).toEqual([]);
    expect(elsewhere.hits).toEqual([]);
    await context.close();
  });

  it('blocks a fetch to another origin from the page and from inside the worker', async () => {
    const context = await browser.newContext();
    const log = new RequestLog(context);
    const page = await context.newPage();
    await log.watch(page);
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    const target = `${elsewhere.origin}/server.ts`;
    const fromPage = await page.evaluate((u) => fetch(u).then(() => 'reached', (e: unknown) => `blocked: ${String(e)}`), target);
    expect(fromPage).toMatch(/^blocked/);
    const worker = page.workers().find((w) => w.url().startsWith('blob:'));
    expect(worker, 'the compute worker runs from a blob: URL').toBeDefined();
    const fromWorker = await worker!.evaluate((u) => fetch(u).then(() => 'reached', (e: unknown) => `blocked: ${String(e)}`), target);
    expect(fromWorker).toMatch(/^blocked/);
    expect(elsewhere.hits).toEqual([]);
    expect(log.violations.some((v) => v.startsWith('connect-src'))).toBe(true);
    await context.close();
  });

  it('on a host that sends no headers, the page policy still covers the worker', async () => {
    const bare = await serveStatic('dist', { headers: 'none' });
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = new StartPage(page);
    await start.open(bare.url);
    await start.backendText();
    const target = `${elsewhere.origin}/server.ts`;
    const worker = page.workers().find((w) => w.url().startsWith('blob:'));
    const fromWorker = await worker!.evaluate((u) => fetch(u).then(() => 'reached', (e: unknown) => `blocked: ${String(e)}`), target);
    expect(fromWorker).toMatch(/^blocked/);
    expect(elsewhere.hits).toEqual([]);
    await context.close();
    await bare.close();
  });

  it('the detector catches a deliberately added off-origin request', async () => {
    // Without the policy (a broken deployment), an injected request gets through: the
    // request log must report it, or the privacy test above would prove nothing.
    const context = await browser.newContext({ bypassCSP: true });
    const log = new RequestLog(context);
    const page = await context.newPage();
    await page.goto(site.url);
    await page.evaluate((u) => fetch(u).catch(() => undefined), `${elsewhere.origin}/server.ts`);
    await expect.poll(() => log.offOrigin(site.origin).length).toBeGreaterThan(0);
    expect(log.offOrigin(site.origin)[0]).toContain(elsewhere.origin);
    await context.close();
  });
});

describe('offline', () => {
  it('reloads and runs with the network cut after the first load', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    });
    await context.setOffline(true);
    await page.reload();
    await start.backendText();
    await start.runDemo();
    await context.close();
  });
});
