import type { Page } from 'playwright-core';

/** The Question page: the operating policy chosen before the run. */
export class QuestionPage {
  constructor(readonly page: Page) {}

  async open(base: string): Promise<void> {
    await this.page.goto(`${base}#/question`);
    await this.page.getByRole('heading', { level: 1, name: 'The question' }).waitFor();
  }

  /** "Flag the highest-scoring share of cases" at `pct`%. */
  async flagTopPct(pct: number): Promise<void> {
    await this.page.getByLabel(/^Flag the highest-scoring share/).check();
    const box = this.page.getByLabel('Share flagged (%)');
    await box.fill(String(pct));
    await box.blur();
  }

  /** Test cases drawn at random (no outcome window to give). */
  async splitAtRandom(): Promise<void> {
    await this.page.locator('#split-random').check();
  }

  /** "Flag every score at or above a threshold" at `t`. */
  async flagFromScore(t: number): Promise<void> {
    await this.page.getByLabel('Flag every score at or above a threshold').check();
    const box = this.page.getByLabel('Score threshold');
    await box.fill(String(t));
    await box.blur();
  }
}
