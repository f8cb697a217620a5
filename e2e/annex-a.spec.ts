/**
 * Annex A in the built app: drop the real-layout sample workbook on the Data page, see the lists
 * found and why no referral can be used at the workbook's latest date, choose another outcome.
 * The Data page mounts src/ui/components/annex-a/AnnexASummary.svelte once the worker's Annex A
 * import is wired in; until then the page reads the workbook as a plain sheet and this spec skips,
 * saying so, rather than pass without checking anything.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { AppPage } from './pages/report-pages.ts';

const SAMPLE = path.resolve(__dirname, '../../shared/data/annex-a/Annex_A_2024_Jan.xlsx');

const site = builtApp();

describe('Annex A import', () => {
  it('drop the sample workbook, see the case table summary, choose the outcome', async (ctx) => {
    const page = await (await site.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.goto(site.url, 'data');
    const input = page.getByTestId('file-input');
    await input.waitFor({ state: 'attached', timeout: 10_000 }).catch(() => undefined);
    if (!(await input.count())) ctx.skip('the built Data page has no file input (rebuild the site)');
    await input.setInputFiles(SAMPLE);
    const summary = page.getByTestId('annex-a-summary');
    const plain = page.getByTestId('load-report');
    await Promise.race([summary.waitFor({ timeout: 30_000 }), plain.waitFor({ timeout: 30_000 })]);
    if (!(await summary.count())) ctx.skip('the Data page does not mount the Annex A summary yet (worker loadAnnexA not wired)');

    expect(await page.getByTestId('annex-a-headline').innerText()).toBe('No referrals can be used yet: none has a complete 12-month outcome window at the extract date.');
    const lists = page.getByTestId('annex-a-lists');
    expect(await lists.locator('tbody tr').count()).toBe(11);
    expect(await lists.locator('tbody tr').nth(2).innerText()).toMatch(/List 3: Referrals\s+6\s+2020-09-16 to 2020-09-16/);
    expect(await page.getByTestId('annex-a-dropped').innerText()).toMatch(/^6 referrals after 2020-03-15/);
    expect(await page.getByTestId('annex-a-left-out').innerText()).toMatch(/Latest Category of Abuse/);

    await page.getByLabel('Re-referral within 12 months').check();
    await expect.poll(() => page.getByTestId('annex-a-headline').innerText(), { timeout: 30_000 }).toMatch(/^No referrals can be used yet/);
    expect(await page.getByLabel('Re-referral within 12 months').isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await app.screenshot('annex-a-summary');
    expect(errors).toEqual([]);
  });
});
