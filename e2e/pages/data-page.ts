import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The Data and Question pages, as a user sees them. */
export class DataPage {
  constructor(readonly page: Page) {}

  /** Drops a file on the drop zone, as a mouse user dragging it from the desktop. */
  async drop(path: string, name: string, type = ''): Promise<void> {
    const bytes = [...readFileSync(path)];
    const transfer = await this.page.evaluateHandle(({ bytes, name, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return dt;
    }, { bytes, name, type });
    await this.page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
  }

  async choose(path: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(path);
  }

  async waitLoaded(name: RegExp): Promise<string> {
    await this.page.getByTestId('load-sentence').filter({ hasText: name }).waitFor({ timeout: 90_000 });
    await this.page.getByTestId('quality-report').waitFor({ timeout: 90_000 });
    return this.page.getByTestId('load-sentence').innerText();
  }

  roleSelect(column: string) {
    return this.page.locator(`tr[data-column="${column}"] [data-testid="role-select"]`);
  }

  /** Mouse: pick a role from the column's select. */
  async setRoleByMouse(column: string, label: string): Promise<void> {
    await this.roleSelect(column).click();
    await this.roleSelect(column).selectOption({ label });
  }

  /** Keyboard: focus the column's role select and type the first letters of the role. */
  async setRoleByKeyboard(column: string, keys: string): Promise<void> {
    await this.roleSelect(column).focus();
    await this.page.keyboard.type(keys);
  }

  async quality(section: string): Promise<string> {
    return this.page.getByTestId(`quality-${section}`).innerText();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: false });
  }

  // ---- Question
  async addCriterion(metric: string, value: string, at?: { where: string; value: string }): Promise<void> {
    await this.page.locator('#crit-metric').selectOption({ label: metric });
    await this.page.locator('#crit-value').fill(value);
    if (at) {
      await this.page.locator('#crit-at').selectOption({ label: at.where });
      await this.page.locator('#crit-at-value').fill(at.value);
    }
    await this.page.getByTestId('add-criterion').click();
  }

  async lock(): Promise<string> {
    await this.page.getByTestId('lock-criteria').click();
    await this.page.getByTestId('prereg-lock').waitFor();
    return this.page.getByTestId('prereg-hash').innerText();
  }
}
