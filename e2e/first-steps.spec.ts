/**
 * A newcomer's first half hour on the Data and Question pages, in the built app, on an extract
 * about people rather than children (e2e/fixtures/arrests.csv: released Yes for most, a
 * whole-number `year`, groups named colour and citizen, a score from 1 to 10).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';

const site = builtApp();

async function loaded(): Promise<{ context: BrowserContext; page: Page; errors: string[]; app: DataPage }> {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${site.url}#/data`);
  await page.getByRole('heading', { level: 1, name: 'Your data' }).waitFor();
  const app = new DataPage(page);
  await app.choose('e2e/fixtures/arrests.csv');
  await app.waitLoaded(/arrests\.csv/);
  return { context, page, errors, app };
}

const missingCell = (page: Page, column: string) => page.locator(`tr[data-column="${column}"] td`).last().innerText();
const typeSelect = (page: Page, column: string) => page.locator(`tr[data-column="${column}"] [data-testid="type-select"]`);

describe('the Data page with a newcomer', () => {
  it('guesses colour and citizen as groups, and a type change to Date and back loses nothing', async () => {
    const { context, page, errors, app } = await loaded();
    expect(await app.roleSelect('colour').inputValue()).toBe('group');
    expect(await app.roleSelect('citizen').inputValue()).toBe('group');
    expect(await missingCell(page, 'colour')).toBe('0 (0%)');
    await typeSelect(page, 'colour').selectOption('date');
    await expect.poll(() => missingCell(page, 'colour')).toBe('400 (100%)');
    await typeSelect(page, 'colour').selectOption('category');
    await expect.poll(() => missingCell(page, 'colour')).toBe('0 (0%)');
    await expect.poll(() => app.quality('representativeness')).toMatch(/colour: the largest group is White/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads a whole-number year chosen as the decision date as the first day of each year, and says so', async () => {
    const { context, page, errors, app } = await loaded();
    await app.setRoleByMouse('year', 'Decision date (e.g. referral)');
    await expect.poll(() => app.roleSelect('year').inputValue()).toBe('date');
    expect(await page.getByRole('status').filter({ hasText: /year/ }).innerText()).toMatch(/'year' is now read as dates.*first day of that year \(1 January 2019\)/);
    await expect.poll(() => app.quality('recency')).toMatch(/^Cases run from 1997-01-01 to 2002-01-01/);
    expect(await app.quality('recency')).not.toMatch(/1970/);
    // A number that is not a year cannot be a date: refused, with the reason.
    await app.setRoleByMouse('checks', 'Decision date (e.g. referral)');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /checks/ }).innerText()).toMatch(/'checks' cannot be the decision date: none of its values reads as a date/);
    expect(await app.roleSelect('checks').inputValue()).not.toBe('date');
    expect(await typeSelect(page, 'checks').inputValue()).toBe('number');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks to confirm a "yes" value that is the more common one, showing both counts', async () => {
    const { context, page, errors, app } = await loaded();
    await app.setRoleByMouse('released', 'Outcome: what to predict');
    const doubt = page.getByTestId('positive-doubt');
    await doubt.waitFor();
    expect(await doubt.innerText()).toMatch(/'Yes' \(303, 76%\) reads as yes, but it is the more common value \(against 'No' \(97, 24%\)\)/);
    const options = await page.getByTestId('positive-select').locator('option').allInnerTexts();
    expect(options).toEqual(['Yes (303 cases, 76%)', 'No (97 cases, 24%)']);
    await page.getByTestId('positive-doubt').scrollIntoViewIfNeeded();
    await app.screenshot('data-positive');
    expect(await axeViolations(page)).toEqual([]);
    // Not confirmed: the Question page says what to do before training.
    await page.getByTestId('data-next').click();
    await page.getByRole('heading', { level: 1, name: 'The question' }).waitFor();
    expect(await page.locator('.govuk-warning-text').last().innerText()).toMatch(/confirm which value of 'released' means yes on the Data page/);
    await page.goto(`${site.url}#/data`);
    await page.getByTestId('positive-select').selectOption('No');
    await expect.poll(() => doubt.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the Question page: the unit named once, the outcome window asked for, a too-short extract explained, a reference group, thresholds from the score, criteria fields first', async () => {
    const { context, page, errors, app } = await loaded();
    await app.setRoleByMouse('released', 'Outcome: what to predict');
    await page.getByTestId('positive-select').selectOption('No');
    await app.setRoleByMouse('year', 'Decision date (e.g. referral)');
    await expect.poll(() => app.roleSelect('year').inputValue()).toBe('date');
    await app.setRoleByMouse('risk_score', 'Information for the model');
    await expect.poll(() => app.roleSelect('risk_score').inputValue()).toBe('feature');
    await page.getByTestId('data-next').click();
    await page.getByRole('heading', { level: 1, name: 'The question' }).waitFor();

    // The unit, once: the page's words follow it.
    await page.getByLabel('A person (for example an adult defendant)').check();
    await page.getByRole('group', { name: 'Which people get flagged' }).waitFor();
    expect(await page.getByLabel('At random, keeping each person on one side').count()).toBe(1);

    // The outcome window is asked for, not assumed.
    expect(await page.locator('#split-temporal').isChecked()).toBe(true);
    expect(await page.locator('#gap-days').inputValue()).toBe('');
    expect(await page.locator('.govuk-warning-text').last().innerText()).toMatch(/a temporal split needs the outcome window/);
    await page.locator('#gap-days').fill('1500');
    await page.locator('#gap-days').dispatchEvent('change');
    const shortfall = page.getByTestId('temporal-shortfall');
    await shortfall.waitFor();
    expect(await shortfall.innerText()).toMatch(/The cases run from 1997-01 to 2002-01\. .*outcome window \(1500 days\).*Load a longer extract, give a shorter outcome window/);
    await page.locator('#gap-days').fill('365');
    await page.locator('#gap-days').dispatchEvent('change');
    await expect.poll(() => shortfall.count()).toBe(0);
    expect(await page.locator('.govuk-warning-text').filter({ hasText: 'Before running' }).count()).toBe(0);

    // The reference group of an audited column is a choice (default the largest).
    await page.getByLabel('Reference group for colour').fill('Black');
    await page.getByLabel('Reference group for colour').dispatchEvent('change');

    // A rate criterion shows where it is read before anything else, prefilled from the operating point.
    await page.locator('#crit-metric').selectOption({ label: 'Children missed (FNR)' });
    expect(await page.locator('#crit-at').inputValue()).toBe('topPct');
    expect(await page.locator('#crit-at-value').inputValue()).toBe('10');
    await page.locator('#crit-value').fill('0.8');
    await page.locator('#crit-op').selectOption('<=');
    await page.getByTestId('add-criterion').click();
    await page.getByTestId('criteria-list').waitFor();
    expect(await page.locator('#criterion-error').count()).toBe(0);
    await page.getByTestId('question-summary').scrollIntoViewIfNeeded();
    await app.screenshot('question');
    expect(await axeViolations(page)).toEqual([]);

    // Back in audit mode with a threshold: thresholds proposed from the 1-10 score itself.
    await page.goto(`${site.url}#/data`);
    await app.setRoleByMouse('risk_score', 'Existing risk score (audit)');
    await expect.poll(() => app.roleSelect('risk_score').inputValue()).toBe('score');
    await page.goto(`${site.url}#/question`);
    await page.locator('#op-threshold').check();
    const help = page.getByTestId('threshold-help');
    await help.waitFor();
    expect(await help.innerText()).toMatch(/“risk_score” runs from 1 to 10: it is not a probability/);
    expect(await page.getByTestId('threshold-problem').innerText()).toMatch(/a threshold of 0\.5 is at or below every score \(1 to 10\), so every case would be flagged/);
    await help.getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('threshold-problem').count()).toBe(0);
    expect(Number(await page.locator('#op-thr').inputValue())).toBeGreaterThan(1);
    await help.scrollIntoViewIfNeeded();
    await app.screenshot('question-threshold');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an Annex A return with no complete outcome window: the real reason for the rows left out, no empty tables, "0 usable cases"', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${site.url}#/data`);
    await page.getByRole('heading', { level: 1, name: 'Your data' }).waitFor();
    await page.getByTestId('file-input').setInputFiles(path.resolve(__dirname, '../../shared/data/annex-a/Annex_A_2024_Jan.xlsx'));
    await page.getByTestId('annex-a-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('quality-report').waitFor({ timeout: 60_000 });
    const left = page.getByTestId('load-report').locator('.govuk-summary-list__row').filter({ hasText: 'Rows left out' });
    expect(await left.innerText()).toMatch(/6 \(6 referrals after 2020-03-15: their 12-month outcome window is not complete/);
    expect(await left.innerText()).not.toMatch(/blank lines/);
    // No representativeness table of 0 cases: a sentence says there is nothing to compare.
    expect(await page.getByTestId('quality-representativeness').innerText()).toMatch(/^gender: no case to compare with the national figures\./);
    expect(await page.getByTestId('quality-report').locator('caption', { hasText: 'compared with' }).count()).toBe(0);
    await page.goto(`${site.url}#/models`);
    const problems = page.getByTestId('run-problems');
    await problems.waitFor();
    expect(await problems.innerText()).toMatch(/0 usable cases/);
    expect(await problems.innerText()).not.toMatch(/choose the outcome column/);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
