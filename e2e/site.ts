/**
 * The built app served as in production, and a browser, for one spec file: call `builtApp()` at
 * the top of a spec; it starts both before the first test and stops them after the last.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser.ts';
import { serveStatic, type StaticServer } from './server.ts';

export interface BuiltApp {
  readonly browser: Browser;
  readonly url: string;
}

export function builtApp(): BuiltApp {
  let browser: Browser | undefined;
  let site: StaticServer | undefined;
  beforeAll(async () => {
    site = await serveStatic('dist', { headers: 'production' });
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser starts before the first test');
      return browser;
    },
    get url() {
      if (!site) throw new Error('the site starts before the first test');
      return site.url;
    },
  };
}
