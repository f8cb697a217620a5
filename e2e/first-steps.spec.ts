/**
 * A newcomer's first half hour on the Data and Question pages, in the built app, on an extract
 * about people rather than children (e2e/fixtures/arrests.csv: released Yes for most, a
 * whole-number `year`, groups named colour and citizen, a score from 1 to 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, collectErrors, launch } from './browser.ts';
import { serveStatic, type StaticServer } from './server.ts';
import { DataPage } from './pages/data-page.ts';

let browser: Browser;
let site: StaticServer;

beforeAll(async () => {
  site = await serveStatic('dist', { headers: 'production' });
  browser = await launch();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function loaded(): Promise<{ context: BrowserContext; page: Page; errors: string[]; app: DataPage }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
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
});
