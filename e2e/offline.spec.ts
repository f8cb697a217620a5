/**
 * Offline after the first load, with the server STOPPED (not just the network cut), under the
 * two ways the README serves the site: `npm start` (vite preview, which sends `Vary: Origin`)
 * and a plain static file server. A reload must show the app, not a blank page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { collectErrors, launch } from './browser.ts';
import { serveStatic } from './server.ts';
import { StartPage } from './pages/start-page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Load once, wait for the service worker to control the page, stop the server, reload. */
async function reloadWithServerStopped(url: string, stop: () => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = new StartPage(page);
  await start.open(url);
  await start.backendText();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
  });
  await stop();
  const errors = collectErrors(page);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/\w/);
  await start.backendText();
  expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  await context.close();
}

describe('offline with the server stopped', () => {
  it('reloads the app served by vite preview (npm start), whose responses say Vary: Origin', async () => {
    const server: PreviewServer = await preview({ logLevel: 'silent', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    const head = await fetch(url!);
    // The condition this test exists for: if vite stops sending it, the test still passes, but say so.
    expect(head.headers.get('vary') ?? '').toMatch(/Origin/i);
    await reloadWithServerStopped(url!, () => server.close());
  });

  it('reloads the app served by a plain static server', async () => {
    const site = await serveStatic('dist', { headers: 'none' });
    await reloadWithServerStopped(site.url, () => site.close());
  });
});
