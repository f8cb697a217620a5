import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { FairnessPage, ResultsPage, AppPage } from './pages/report-pages.ts';

const site = builtApp();

async function fresh(width = 1280, height = 720): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

describe('the report, walked by keyboard and mouse', () => {
  it('start -> try with synthetic data -> results: the operating point moves the picture and the words', async () => {
    const { context, page, errors } = await fresh();
    const app = new ResultsPage(page);
    await page.goto(site.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Keyboard only: Tab to the start button, Enter, then Tab to the link to the report.
    await app.tabTo('[data-testid="try-synthetic"]');
    await page.keyboard.press('Enter');
    // A real run in the worker: generate, train three models, bootstrap, audit.
    await page.getByTestId('demo-result').waitFor({ timeout: 300_000 });
    await app.tabTo('[data-testid="see-results"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();
    await page.getByTestId('icon-array').locator('svg').waitFor();

    expect(await app.cards().count()).toBe(4);
    const before = { sentences: await app.sentences(), svg: await app.iconSvg(), note: await app.note() };
    expect(before.sentences).toMatch(/Of every 100 children referred, the model flags \d+: \d+ of them went on to need help/);
    expect(before.note).toMatch(/^Flag the top 10% of cases by score/);
    expect(await app.policyWords()).toBe('Operating policy: flag the top 10% of cases by score.');
    await app.screenshot('results');

    await app.nudgeTopPct(15);
    await expect.poll(() => app.note()).toMatch(/^Flag the top 25% of cases by score/);
    expect(await app.sentences()).not.toBe(before.sentences);
    expect(await app.iconSvg()).not.toBe(before.svg);

    // Capacity: "we can review N cases a month", placed over the test side's own months.
    await app.chooseMode('Flag as many as we can review');
    await app.setCapacity(30);
    await expect.poll(() => app.note()).toMatch(/^Flag as many cases as the team can review: 30 a month\./);

    // Threshold: the policy is named, and the row shown is said.
    await app.chooseMode('Flag every score above a threshold');
    await expect.poll(() => app.note()).toMatch(/^Flag every case with a score of [\d.]+ or more\./);

    await page.getByTestId('operating-control').scrollIntoViewIfNeeded();
    await app.screenshot('results-operating');
    await page.getByTestId('chart-pr').scrollIntoViewIfNeeded();
    await app.screenshot('results-curves');
    await page.getByTestId('comparison').scrollIntoViewIfNeeded();
    await app.screenshot('results-comparison');

    expect(await axeViolations(page)).toEqual([]);
    expect(await app.horizontalOverflow()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fairness: a forest plot per metric, verdicts in words, the group table; COMPAS reproduces the published disparity', async () => {
    const { context, page, errors } = await fresh();
    const app = new FairnessPage(page);
    await page.goto(site.url);
    await page.getByTestId('compas-example').click();
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();
    await page.getByTestId('headline-card').first().waitFor();
    await app.step('Fairness');
    expect(await app.forests().count()).toBe(5);
    const fpr = page.getByTestId('forest-forest-fpr');
    expect(await fpr.innerText()).toMatch(/Disparity\s+African-American/);
    expect(await app.groupTable()).toMatch(/small group: read with care/);
    await fpr.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -20));
    await app.screenshot('fairness');
    await app.chooseAttribute('race × sex');
    expect(await app.groupTable()).toMatch(/African-American × Female/);
    await page.getByTestId('forest-forest-fnr').scrollIntoViewIfNeeded();
    await app.screenshot('fairness-intersections');
    expect(await axeViolations(page)).toEqual([]);
    expect(await app.horizontalOverflow()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('every step renders, passes axe and fits 1280x720 and 1920x1080 without horizontal scroll', async () => {
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ]) {
      const { context, page, errors } = await fresh(width, height);
      const app = new AppPage(page);
      await page.goto(site.url);
      await page.getByTestId('try-synthetic').waitFor();
      if (width === 1280) {
        await page.getByTestId('self-test').waitFor({ timeout: 60_000 });
        expect(await axeViolations(page), 'start').toEqual([]);
        await app.screenshot('start');
      }
      await page.evaluate(() => (document.querySelector('[data-testid="try-synthetic"]') as HTMLButtonElement).click());
      await page.getByTestId('demo-result').waitFor({ timeout: 300_000 });
      for (const route of ['data', 'question', 'models', 'results', 'fairness', 'share']) {
        await app.goto(site.url, route);
        if (route === 'results') await page.getByTestId('icon-array').locator('svg').waitFor();
        expect(await axeViolations(page), `${route} at ${width}x${height}`).toEqual([]);
        expect(await app.horizontalOverflow(), `${route} at ${width}x${height}`).toBe(0);
        if (width === 1280 && !['results', 'fairness'].includes(route)) await app.screenshot(route);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 600_000);

  it('the operating policy survives a reload; nothing but the policy is stored', async () => {
    const { context, page } = await fresh();
    const app = new ResultsPage(page);
    await page.goto(site.url);
    await page.getByTestId('try-synthetic').click();
    await page.getByTestId('demo-result').waitFor({ timeout: 300_000 });
    await app.goto(site.url, 'results');
    await page.getByTestId('icon-array').locator('svg').waitFor();
    await app.nudgeTopPct(5);
    await expect.poll(() => app.note()).toMatch(/^Flag the top 15% of cases/);
    const stored = await page.evaluate(() => Object.keys(localStorage));
    expect(stored).toEqual(['candour.policy/1']);
    await page.reload();
    await page.getByTestId('no-report').waitFor();
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('candour.policy/1'))) ?? '{}')).toMatchObject({ mode: 'topPct', topPct: 15 });
    // Opening a report makes its own policy THE policy: the example was made at the top 10%.
    await page.getByRole('button', { name: 'Show the synthetic example' }).click();
    await expect.poll(() => app.note()).toMatch(/^Flag the top 10% of cases by score: [\d,]+ of [\d,]+ test cases flagged/);
    await context.close();
  });

  it('prints the results page without the controls and navigation, with the data tables', async () => {
    const { context, page } = await fresh();
    const app = new ResultsPage(page);
    await page.goto(`${site.url}#/results`);
    await page.getByRole('button', { name: 'Show the synthetic example' }).click();
    await page.getByTestId('icon-array').locator('svg').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.candour-steps').isVisible()).toBe(false);
    expect(await page.getByTestId('op-top').isVisible()).toBe(false);
    expect(await page.getByTestId('chart-pr').locator('table').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    await context.close();
    void app;
  });
});
