import type { Page } from 'playwright-core';
import { AppPage } from './report-pages.ts';

/** Workshop mode, as a facilitator uses it. */
export class WorkshopPage extends AppPage {
  constructor(page: Page) {
    super(page);
  }
  async open(base: string): Promise<void> {
    await this.page.goto(`${base}#/workshop`);
    await this.page.getByTestId('ws-step').waitFor({ timeout: 60_000 });
  }
  async title(): Promise<string> {
    return this.page.locator('#ws-step-title').innerText();
  }
  async text(): Promise<string> {
    return this.page.getByTestId('ws-text').innerText();
  }
  async next(): Promise<void> {
    await this.page.getByTestId('ws-next').click();
  }
  async slide(presses: number, key: 'ArrowRight' | 'ArrowLeft' = 'ArrowRight'): Promise<void> {
    await this.page.getByTestId('ws-slider').focus();
    for (let i = 0; i < presses; i++) await this.page.keyboard.press(key);
  }
  async choosePreset(title: string): Promise<void> {
    await this.page.getByText('Choose a different made-up town').click();
    await this.page.getByLabel(title, { exact: true }).check();
  }
}
