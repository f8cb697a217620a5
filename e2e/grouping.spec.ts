import { describe, expect, it } from 'vitest';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';
import { FairnessPage } from './pages/report-pages.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as audit } from '../src/cli/audit.ts';

// The groupings `candour audit` offers (ethnicity levels, intersections, reference groups), chosen in the app.
const app = builtApp();

describe('grouping choices in the app', () => {
  it('groups ethnicity by major group, crosses it with gender against a chosen reference, and the audit reports them', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    await page.goto(`${app.url}#/data`);
    await data.choose('e2e/fixtures/council.csv');
    await data.waitLoaded(/council\.csv/);
    await data.setRoleByMouse('risk_score', 'Existing risk score (audit)');
    await data.setRoleByMouse('ethnicity_group', 'Group to audit (e.g. ethnicity)');
    await data.setRoleByMouse('gender', 'Group to audit (e.g. ethnicity)');

    await page.goto(`${app.url}#/question`);
    await page.getByLabel('Group “ethnicity_group” by').selectOption('ethnicity-major');
    await page.getByLabel('Cross', { exact: true }).selectOption('ethnicity_group (major group)');
    await page.getByLabel('with', { exact: true }).selectOption('gender');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    expect(await page.getByTestId('intersections').innerText()).toMatch(/ethnicity_group \(major group\) × gender/);
    await page.getByLabel('Reference group for gender').fill('Female');
    await page.getByLabel('Reference group for gender').blur();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${app.url}#/models`);
    await page.getByRole('heading', { level: 1, name: 'Run the audit' }).waitFor();
    await page.getByTestId('run-models').click();
    await page.waitForURL(/#\/results$/, { timeout: 300_000 });
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();

    await page.goto(`${app.url}#/fairness`);
    const fairness = new FairnessPage(page);
    await page.getByTestId('f-attribute').waitFor();
    const options = await page.getByTestId('f-attribute').locator('option').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['ethnicity_group (major group)', 'gender', 'ethnicity_group (major group) × gender']));
    await fairness.chooseAttribute('gender');
    expect(await fairness.groupTable()).toMatch(/Female[^\n]*reference/i);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it('a bundle written by candour audit opens from disk with the icon array, like one from the app', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'candour-cli-bundle-')), 'audit.html');
    const code = await audit(['--data', 'e2e/fixtures/council.csv', '--outcome', 'outcome', '--positive', 'Yes', '--score', 'risk_score',
      '--ethnicity', 'ethnicity_group', '--group', 'gender', '--intersect', 'ethnicity_group (major group),gender', '--replicates', '50', '--bundle', file]);
    expect(code).toBe(0);
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.setOffline(true);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`file://${file}`);
    await page.getByTestId('icon-array').locator('svg').waitFor({ timeout: 30_000 });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
