/**
 * Cross-origin isolation and the fallback where a host does not send it.
 *
 * With the shipped headers (COOP same-origin + COEP require-corp) the page and its compute worker
 * are cross-origin isolated, so SharedArrayBuffer is there for sharing table data between workers;
 * everything the app loads (scripts, blob: workers, WebAssembly, the service worker and its
 * cached copies) still loads under require-corp. On a host that sends no headers the page is not
 * isolated, says so, and the same run gives the same numbers. Neither reaches another origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { preview } from 'vite';
import { collectErrors, launch, RequestLog } from './browser.ts';
import { serveStatic } from './server.ts';
import { StartPage } from './pages/start-page.ts';
import { AppPage } from './pages/report-pages.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Isolation {
  isolated: boolean;
  sharedArrayBuffer: boolean;
}
const isolationHere = (): Isolation => ({ isolated: globalThis.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer === 'function' });

/** Isolation as the page and as the compute worker (started from a blob: URL) see it. */
async function isolationOf(page: Page): Promise<{ page: Isolation; worker: Isolation }> {
  const worker = page.workers().find((w) => w.url().startsWith('blob:'));
  expect(worker, 'the compute worker runs from a blob: URL').toBeDefined();
  return { page: await page.evaluate(isolationHere), worker: await worker!.evaluate(isolationHere) };
}

/** The numbers a run shows: the demo's answer, and the Results and Fairness pages' tables. */
async function numbersOfDemo(page: Page, url: string): Promise<{ demo: string; results: string[]; fairness: string[] }> {
  const demo = await new StartPage(page).runDemo();
  const app = new AppPage(page);
  await app.goto(url, 'results');
  const results = await page.locator('main table').allTextContents();
  await app.goto(url, 'fairness');
  const fairness = await page.locator('main table').allTextContents();
  return { demo, results, fairness };
}

/** One full visit: open, check isolation and what the page says of it, run the demo, check no other origin was reached. */
async function visit(headers: 'production' | 'none') {
  const site = await serveStatic('dist', { headers });
  const context = await browser.newContext();
  const log = new RequestLog(context);
  const page = await context.newPage();
  await log.watch(page);
  const errors = collectErrors(page);
  const start = new StartPage(page);
  await start.open(site.url);
  await start.backendText();
  const isolation = await isolationOf(page);
  const said = await page.getByTestId('shared-memory').innerText();
  const numbers = await numbersOfDemo(page, site.url);
  expect(log.offOrigin(site.origin)).toEqual([]);
  expect(log.violations).toEqual([]);
  expect(errors).toEqual([]);
  return { site, context, page, isolation, said, numbers };
}

describe('cross-origin isolation', () => {
  let isolatedNumbers: Awaited<ReturnType<typeof numbersOfDemo>> | undefined;

  it('with the shipped headers the page and its worker are isolated, a full run works, and offline reloads stay isolated', async () => {
    const { site, context, page, isolation, said, numbers } = await visit('production');
    expect(isolation).toEqual({ page: { isolated: true, sharedArrayBuffer: true }, worker: { isolated: true, sharedArrayBuffer: true } });
    expect(said).toMatch(/^On\b/);
    expect(numbers.results.length).toBeGreaterThan(0);
    isolatedNumbers = numbers;

    // The service worker's cached copies keep their headers: with the server stopped, still isolated.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    });
    await site.close();
    const start = new StartPage(page);
    await start.open(site.url);
    await start.backendText();
    expect(await isolationOf(page)).toEqual({ page: { isolated: true, sharedArrayBuffer: true }, worker: { isolated: true, sharedArrayBuffer: true } });
    await context.close();
  });

  it('on a host that sends no headers the app is not isolated, says why, and the same run gives the same numbers', async () => {
    const { site, context, isolation, said, numbers } = await visit('none');
    expect(isolation).toEqual({ page: { isolated: false, sharedArrayBuffer: false }, worker: { isolated: false, sharedArrayBuffer: false } });
    expect(said).toMatch(/^Off\b.*does not send the cross-origin isolation headers/s);
    expect(isolatedNumbers, 'the isolated run ran first').toBeDefined();
    expect(numbers).toEqual(isolatedNumbers);
    await context.close();
    await site.close();
  });

  it('the preview server (npm start) sends the isolation headers', async () => {
    const server = await preview({ logLevel: 'silent', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    const head = await fetch(url!);
    expect(head.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(head.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const context = await browser.newContext();
    const page = await context.newPage();
    await new StartPage(page).open(url!);
    await new StartPage(page).backendText();
    expect((await isolationOf(page)).worker).toEqual({ isolated: true, sharedArrayBuffer: true });
    await context.close();
    await server.close();
  });
});
