import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';

// Small numbers stay honest: a tiny file and a tiny group say "too few", with how many more
// cases would settle it, and never show a disparity.
const site = builtApp();

/** 40 referrals, 5 of whom went on to need help; a "Neither" gender group of 3 children scored high. */
function tinyFile(): string {
  const rows = ['child_id,gender,outcome,risk_score'];
  for (let i = 0; i < 40; i++) {
    const gender = i < 3 ? 'Neither' : i % 2 ? 'Female' : 'Male';
    const yes = i % 8 === 0;
    const score = i < 3 ? 0.9 - i / 100 : yes ? 0.6 + (i % 5) / 20 : ((i * 37) % 50) / 100;
    rows.push(`${1000 + i},${gender},${yes ? 'Yes' : 'No'},${score.toFixed(2)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'candour-small-'));
  const path = join(dir, 'tiny.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

describe('small numbers', () => {
  it('a tiny file and a tiny group show "too few" with cases needed, never a disparity', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    await page.goto(`${site.url}#/data`);
    await data.choose(tinyFile());
    await data.waitLoaded(/tiny\.csv/);
    await data.setRoleByMouse('risk_score', 'Existing risk score (audit)');
    await data.setRoleByMouse('gender', 'Group to audit (e.g. ethnicity)');

    await page.goto(`${site.url}#/models`);
    await page.getByRole('heading', { level: 1, name: 'Run the audit' }).waitFor();
    await page.getByTestId('run-models').click();
    await page.waitForURL(/#\/results$/, { timeout: 300_000 });
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();
    await page.getByTestId('report-summary').waitFor();
    const results = await page.locator('main').innerText();
    expect(results).toMatch(/Too few cases to evaluate the ranking: 5 needed help and 35 did not, and at least 10 of each are needed \(about 80 cases in all would settle it\)/);
    expect(results).not.toMatch(/1\.00 \(95% interval 1\.00 to 1\.00\)/);
    // Below the minimums no picture of 100 children is drawn (it would read as a rate).
    await page.getByTestId('icon-too-few').waitFor();
    expect(await page.getByTestId('icon-array').locator('svg').count()).toBe(0);
    expect(await page.getByTestId('nf-sentences').innerText()).toMatch(/Too few to tell: 40 cases, about 40 more would be needed/);
    expect(results).not.toMatch(/Of every 100 children/);

    await page.goto(`${site.url}#/fairness`);
    await page.getByRole('heading', { level: 1, name: 'Fairness' }).waitFor();
    const verdicts = page.locator('.candour-verdicts');
    await verdicts.first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/Too few to tell/);
    expect(text).toMatch(/Too few children in this group to tell: about \d+ more cases needed/);
    const tags = await page.locator('.candour-verdicts .govuk-tag').allInnerTexts();
    expect(tags.length).toBeGreaterThan(0);
    expect(tags).not.toContain('Disparity');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 400_000);
});
