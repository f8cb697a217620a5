import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';
import { SharePage } from './pages/share-page.ts';
import { generateCases } from '../src/lib/synth/generate.ts';
import { scenarioFrom } from '../src/lib/synth/scenarios.ts';
import { rowsToCsv } from '../src/lib/data/write-csv.ts';

// External validation in the built app: train at one council, export the model from the Share
// page, open a different council's extract, test the model there and read the report.
const site = builtApp();

/** Another council: more referrals lead to a plan or care, and the column is spelt differently. */
function otherCouncil(dir: string): string {
  const { table } = generateCases(scenarioFrom('realistic', { rows: 900, seed: 23, baseRate: 0.25 }));
  const cols = ['child_id', 'referral_date', 'age_at_referral', 'gender', 'ethnicity_group', 'disability', 'referral_source', 'prev_referrals', 'deprivation_decile', 'factor_domestic_abuse', 'note', 'outcome'];
  const rows = Array.from({ length: table.numRows }, (_, i) => {
    const r = table.get(i)!.toJSON() as Record<string, unknown>;
    return cols.map((c) => (c === 'referral_date' ? new Date(r[c] as number).toISOString().slice(0, 10) : c === 'outcome' ? (r[c] === 1 ? 'Yes' : 'No') : (r[c] as string | number | null)));
  });
  const header = cols.map((c) => (c === 'deprivation_decile' ? 'Deprivation Decile' : c));
  const path = join(dir, 'other-council.csv');
  writeFileSync(path, rowsToCsv(header, rows));
  return path;
}

describe('test a model from elsewhere', () => {
  it('exports a model from the Share page, opens another extract, validates it and shows the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candour-external-'));
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    const share = new SharePage(page);

    // Council A: train and test a logistic regression.
    await page.goto(`${site.url}#/data`);
    await data.choose('e2e/fixtures/council.csv');
    await data.waitLoaded(/council\.csv/);
    // Train, not audit: the score column is left out and no other column is taken for one.
    await data.setRoleByMouse('risk_score', 'Leave out');
    await data.setRoleByMouse('deprivation_decile', 'Information for the model');
    await page.goto(`${site.url}#/question`);
    await page.locator('#gap-days').fill('365');
    await page.locator('#gap-days').dispatchEvent('change');
    await page.goto(`${site.url}#/models`);
    await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    for (const kind of ['baseline', 'gbdt', 'mlp']) if (await page.locator(`#model-${kind}`).isChecked()) await page.locator(`#model-${kind}`).uncheck();
    if (!(await page.locator('#model-logistic').isChecked())) await page.locator('#model-logistic').check();
    await page.getByTestId('run-models').click();
    await page.waitForURL(/#\/results$/, { timeout: 300_000 });

    // Share the model itself.
    await page.goto(`${site.url}#/share`);
    await page.getByTestId('model-export').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export-model').click()]);
    expect(download.suggestedFilename()).toMatch(/^council-logistic.*\.candour-model\.json$/);
    const modelPath = join(dir, download.suggestedFilename());
    await download.saveAs(modelPath);
    const file = JSON.parse(readFileSync(modelPath, 'utf8'));
    expect(file.schema).toBe('candour.model/1');
    expect(await page.getByTestId('model-saved').innerText()).toContain(file.integrity.hash);
    // No case rides along: no note text, no child ID.
    const text = readFileSync(modelPath, 'utf8');
    expect(text).not.toMatch(/raised concerns/);
    expect(text).not.toContain('1000001');
    await share.screenshot('share-model-export');

    // Council B: a different extract, then the model from elsewhere.
    await page.goto(`${site.url}#/data`);
    await data.choose(otherCouncil(dir));
    await data.waitLoaded(/other-council\.csv/);
    await page.goto(`${site.url}#/external`);
    await page.getByRole('heading', { level: 1, name: 'Test a model from elsewhere' }).waitFor();
    await page.locator('#model-file').setInputFiles(modelPath);
    await page.getByTestId('model-summary').waitFor();
    expect(await page.getByTestId('model-summary').innerText()).toContain(file.integrity.hash);
    const mapping = await page.getByTestId('input-mapping').innerText();
    expect(mapping).toMatch(/deprivation_decile[\s\S]*similar name/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('validate-model').click();
    await page.getByTestId('validation-report').waitFor({ timeout: 300_000 });
    const sentences = await page.getByTestId('validation-sentences').innerText();
    expect(sentences).toMatch(/Calibration-in-the-large -?\d\.\d{3} \(/);
    expect(sentences).toMatch(/predicts the outcome less often than it happened here/);
    expect(await page.getByTestId('side-by-side').innerText()).toMatch(/Average precision\s+0\.\d{3} \(0\.\d{3} to 0\.\d{3}\)\s+0\.\d{3}/);
    expect(await page.getByTestId('recalibration').innerText()).toMatch(/Recalibrated: intercept and slope/);
    await page.getByTestId('validation-report').scrollIntoViewIfNeeded();
    await share.screenshot('external-validation');
    expect(await axeViolations(page)).toEqual([]);

    // The same report opens on the Results page.
    await page.goto(`${site.url}#/results`);
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
