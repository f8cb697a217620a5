import { describe, expect, it } from 'vitest';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { WorkshopPage } from './pages/workshop-page.ts';

const site = builtApp();

describe('workshop mode', () => {
  it('tells the six-step story by keyboard, the slider changes the numbers, two groups side by side', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const ws = new WorkshopPage(page);
    await ws.open(site.url);

    // Full screen: no service header, no step navigation, and no way to load a file.
    expect(await page.locator('.candour-header').count()).toBe(0);
    expect(await page.locator('.candour-steps').count()).toBe(0);
    expect(await page.locator('input[type="file"]').count()).toBe(0);

    expect(await ws.title()).toBe('100 children are referred');
    expect(await axeViolations(page)).toEqual([]);
    await ws.screenshot('workshop-1');

    // Keyboard only: Tab to Next and press Enter.
    await ws.tabTo('[data-testid="ws-next"]');
    await page.keyboard.press('Enter');
    expect(await ws.title()).toMatch(/^\d+ children will go on to need help$/);
    await page.keyboard.press('Enter');
    expect(await ws.title()).toMatch(/^The computer flags 10 children$/);
    await ws.screenshot('workshop-3');

    await page.keyboard.press('Enter');
    const before = await ws.text();
    expect(before).toMatch(/Of the 10 children flagged, \d+ did go on to need help/);
    await ws.slide(10);
    await expect.poll(() => ws.text()).toMatch(/Of the 20 children flagged/);
    expect(await ws.title()).toMatch(/of the 20 flagged/);
    expect(await axeViolations(page)).toEqual([]);
    await ws.screenshot('workshop-4');

    await ws.next();
    expect(await ws.title()).toMatch(/who needed help (was|were) missed$/);
    await ws.next();
    expect(await ws.title()).toBe('Is it the same for every group of children?');
    const groups = page.getByTestId('ws-groups');
    expect(await groups.locator('svg').count()).toBe(2);
    expect(await groups.innerText()).toMatch(/Of every 100 White children referred, \d+ are flagged/);
    expect(await groups.innerText()).toMatch(/Of every 100 Black children referred/);
    expect(await axeViolations(page)).toEqual([]);
    await ws.screenshot('workshop-6');

    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width, height });
      expect(await ws.horizontalOverflow(), `${width}x${height}`).toBe(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('offers only the synthetic presets, with their plain-language descriptions', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const ws = new WorkshopPage(page);
    await ws.open(site.url);
    await ws.choosePreset('Biased recording');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('A made-up town: Biased recording');
    expect(await page.locator('.govuk-radios__item').count()).toBe(6);
    expect(await page.getByText(/six more in every hundred referrals/).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await ws.screenshot('workshop-presets');
    await context.close();
  }, 300_000);
});
