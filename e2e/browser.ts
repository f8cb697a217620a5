/**
 * Chromium for the end-to-end tests: Debian's /usr/bin/chromium by default, or the browser
 * named by CANDOUR_CHROMIUM on other machines. WebGPU is enabled so that backend selection is
 * exercised (it is software-only here and must be skipped with a reason).
 */
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { offOriginUrls } from '../src/lib/privacy.ts';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CANDOUR_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--enable-unsafe-webgpu', '--disable-gpu-sandbox'],
  });
}

/**
 * Everything the privacy wall must account for during a run: every request any part of the
 * app made (page, dedicated workers, service worker) and every load the security policy blocked.
 */
export class RequestLog {
  readonly requests: string[] = [];
  readonly violations: string[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (r: Request) => this.requests.push(r.url()));
  }

  /** Call for each page: collects policy violations reported in the page and its workers. */
  async watch(page: Page): Promise<void> {
    await page.exposeFunction('__candourViolation', (s: string) => this.violations.push(s));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __candourViolation(s: string): void }).__candourViolation(`${e.effectiveDirective} ${e.blockedURI}`);
      });
    });
  }

  offOrigin(origin: string): string[] {
    return offOriginUrls(this.requests, origin);
  }
}

/** Console errors and uncaught exceptions of a page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** WCAG 2.2 AA violations on the page as it is now (axe-core), as "id: help (n nodes)" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}
