import type { Page } from 'playwright-core';

/** Things every report page shares: the step navigation, layout checks, screenshots. */
export class AppPage {
  constructor(readonly page: Page) {}

  async goto(base: string, route: string): Promise<void> {
    await this.page.goto(`${base}#/${route}`);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }

  /** The "Operating policy: ..." line the Results and Fairness pages show. */
  async policyWords(): Promise<string> {
    return this.page.getByTestId('policy-words').innerText();
  }

  async step(label: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: label }).click();
    await this.page.getByRole('heading', { level: 1, name: label }).waitFor();
    // Leave the focus ring out of screenshots taken next.
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }

  async heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  /** Pixels the page is wider than the viewport (0 = no horizontal scroll). */
  async horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /** Presses Tab until the focused element matches `selector` (at most `limit` presses). */
  async tabTo(selector: string, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await this.page.keyboard.press('Tab');
      if (await this.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`could not reach ${selector} with Tab`);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: false });
  }
}

/** The Results page. */
export class ResultsPage extends AppPage {
  cards() {
    return this.page.getByTestId('headline-card');
  }
  async sentences(): Promise<string> {
    return this.page.getByTestId('nf-sentences').innerText();
  }
  async note(): Promise<string> {
    return this.page.getByTestId('op-note').innerText();
  }
  async iconSvg(): Promise<string> {
    return this.page.getByTestId('icon-array').innerHTML();
  }
  async chooseMode(label: string): Promise<void> {
    await this.page.getByLabel(label).check();
  }
  /** Moves the top-K% slider with the keyboard. */
  async nudgeTopPct(presses: number): Promise<void> {
    const slider = this.page.getByTestId('op-top');
    await slider.focus();
    for (let i = 0; i < presses; i++) await this.page.keyboard.press('ArrowRight');
  }
  async setCapacity(n: number): Promise<void> {
    await this.page.getByTestId('op-capacity').fill(String(n));
  }
}

/** The Fairness page. */
export class FairnessPage extends AppPage {
  forests() {
    return this.page.locator('[data-testid^="forest-forest-"]');
  }
  async chooseAttribute(name: string): Promise<void> {
    await this.page.getByTestId('f-attribute').selectOption(name);
  }
  async groupTable(): Promise<string> {
    return this.page.getByTestId('group-table').innerText();
  }
}
