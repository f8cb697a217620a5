import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';

// The analyst's pages in the built app (run `npm run build` first; the e2e runner does).
const site = builtApp();
const fixture = (name: string) => `e2e/fixtures/${name}`;

async function fresh(): Promise<{ context: BrowserContext; page: Page; errors: string[]; app: DataPage }> {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${site.url}#/data`);
  await page.getByRole('heading', { level: 1, name: 'Your data' }).waitFor();
  return { context, page, errors, app: new DataPage(page) };
}

describe('the Data page', () => {
  it('a dropped CSV: load report, quality report, roles by mouse and by keyboard, remembered for the next file', async () => {
    const { context, page, errors, app } = await fresh();
    await app.drop(fixture('council.csv'), 'council.csv', 'text/csv');
    expect(await app.waitLoaded(/council\.csv/)).toMatch(/council\.csv was read as a comma-separated text file \(CSV\): 600 cases in 13 columns/);
    // Guesses: outcome, date and groups preselected; the quality report has all five sections.
    expect(await page.getByTestId('outcome-value').innerText()).toBe('outcome');
    await expect.poll(() => app.quality('recency')).toMatch(/^Cases run from 20\d\d-\d\d-\d\d/);
    expect(await app.quality('representativeness')).toMatch(/national figures/);
    await page.getByTestId('load-report').scrollIntoViewIfNeeded();
    await app.screenshot('data-loaded');

    // Mouse: make deprivation_decile a group to audit.
    await app.setRoleByMouse('deprivation_decile', 'Group to audit (e.g. ethnicity)');
    await expect.poll(() => app.quality('representativeness')).toMatch(/deprivation_decile/);
    // Keyboard: focus referral_source's role and type "L" for "Leave out".
    await app.setRoleByKeyboard('referral_source', 'L');
    await expect.poll(() => app.roleSelect('referral_source').inputValue()).toBe('exclude');
    // Keyboard: the risk score becomes the existing score (audit mode) with "E".
    await app.setRoleByKeyboard('risk_score', 'E');
    await expect.poll(() => app.roleSelect('risk_score').inputValue()).toBe('score');

    // Type override by keyboard: prev_referrals as a category.
    await page.locator('tr[data-column="prev_referrals"] [data-testid="type-select"]').selectOption('category');
    await expect.poll(() => page.locator('tr[data-column="prev_referrals"] [data-testid="type-select"]').inputValue()).toBe('category');

    await page.locator('tr[data-column="referral_source"]').scrollIntoViewIfNeeded();
    await app.screenshot('data-roles');
    expect(await axeViolations(page)).toEqual([]);

    // The same columns again (as Parquet): the saved mapping is offered back.
    await app.choose(fixture('council.parquet'));
    await app.waitLoaded(/council\.parquet/);
    await page.getByTestId('remembered-mapping').waitFor();
    await page.getByTestId('remembered-mapping').getByRole('button').click();
    await expect.poll(() => app.roleSelect('referral_source').inputValue()).toBe('exclude');
    expect(await app.roleSelect('risk_score').inputValue()).toBe('score');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an Excel workbook: the sheet picker reads the sheet with the cases', async () => {
    const { context, page, errors, app } = await fresh();
    await app.choose(fixture('council.xlsx'));
    await page.getByTestId('load-sentence').waitFor({ timeout: 90_000 });
    await page.getByTestId('sheet-picker').waitFor();
    const sentence = await page.getByTestId('load-sentence').innerText();
    if (!/600 cases/.test(sentence)) {
      await page.locator('#sheet-select').selectOption('Referrals');
      await page.getByTestId('sheet-picker').getByRole('button').click();
    }
    expect(await app.waitLoaded(/600 cases in 13 columns/)).toMatch(/an Excel workbook \(\.xlsx\)/);
    expect(await app.quality('accuracy')).toMatch(/\.$/);
    await app.screenshot('data-excel');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a Parquet file loads and shows the quality report; synthetic data is the alternative source', async () => {
    const { context, page, errors, app } = await fresh();
    await app.choose(fixture('council.parquet'));
    expect(await app.waitLoaded(/council\.parquet/)).toMatch(/a Parquet file: 600 cases/);
    await page.getByTestId('try-synthetic-data').check();
    await page.locator('#synth-rows').fill('2000');
    await page.getByTestId('make-synthetic').click();
    expect(await app.waitLoaded(/2,000 cases/)).toMatch(/made here in the browser/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the Question page', () => {
  it('criteria are added, locked with a SHA-256 shown in full, and kept over a reload', async () => {
    const { context, page, errors, app } = await fresh();
    await app.choose(fixture('council.csv'));
    await app.waitLoaded(/council\.csv/);
    await page.getByTestId('data-next').click();
    await page.getByRole('heading', { level: 1, name: 'The question' }).waitFor();
    await app.addCriterion('Average precision', '0.3');
    await app.addCriterion('Precision (share of flagged children who needed help)', '0.5', { where: 'at a recall of', value: '0.5' });
    expect(await page.getByTestId('criteria-list').innerText()).toMatch(/average precision at least 0.3\s*Remove[\s\S]*precision at recall 0.5 at least 0.5/);
    // A bad bar is refused with a message.
    await app.addCriterion('ROC AUC', 'high');
    await page.getByRole('alert').filter({ hasText: "not 'high'" }).waitFor();
    const hash = await app.lock();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId('prereg-lock').scrollIntoViewIfNeeded();
    await app.screenshot('question-locked');
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The lock survives in this browser; the data does not (it must be loaded again).
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('candour.project/1') ?? '{}').lock?.sha256)).toBe(hash);
    expect(await page.evaluate(() => JSON.stringify(localStorage).includes('Member of public'))).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
