import type { Download, Page } from 'playwright-core';

/** The Models (run), Share and Compare pages, as a user sees them. */
export class SharePage {
  constructor(readonly page: Page) {}

  /** Runs, follows the app to the report it opens, and comes back to read the verdicts. */
  async run(): Promise<string> {
    await this.page.getByTestId('run-models').click();
    await this.page.waitForURL(/#\/results$/, { timeout: 300_000 });
    await this.page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();
    await this.page.goto(this.page.url().replace(/#\/results$/, '#/models'));
    await this.page.getByTestId('verdicts').waitFor({ timeout: 30_000 });
    return this.page.getByTestId('verdicts').innerText();
  }

  async download(testId: 'download-html' | 'download-json' | 'create-key'): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 60_000 }), this.page.getByTestId(testId).click()]);
    return download;
  }

  async open(paths: string[]): Promise<void> {
    await this.page.getByTestId('bundle-input').setInputFiles(paths);
    await this.page.locator('[data-testid="opened-bundles"] tbody tr').nth(paths.length - 1).waitFor();
  }

  /** Compare page: marks each public key (hex) as trusted, as a reader pasting it would. */
  async trust(publicKeys: string[]): Promise<void> {
    for (const key of publicKeys) {
      await this.page.getByLabel(/Public key to trust/).fill(key);
      await this.page.getByRole('button', { name: 'Trust this key' }).click();
    }
  }

  statuses(): Promise<string[]> {
    return this.page.locator('[data-testid="opened-bundles"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: false });
  }
}
