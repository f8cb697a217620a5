import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The start page, as a user sees it. */
export class StartPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }

  async backendText(): Promise<string> {
    await this.page.getByTestId('self-test').waitFor({ timeout: 60_000 });
    return this.page.getByTestId('backend').innerText();
  }

  async runDemo(): Promise<string> {
    await this.page.getByTestId('try-synthetic').click();
    const result = this.page.getByTestId('demo-result');
    // A real run in the worker: generate, train three models, bootstrap, audit.
    await result.waitFor({ timeout: 300_000 });
    const text = await result.innerText();
    expect(text).toMatch(/false alarms/);
    return text;
  }
}
