import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';
import { QuestionPage } from './pages/question-page.ts';
import { FairnessPage, ResultsPage } from './pages/report-pages.ts';
import { SharePage } from './pages/share-page.ts';

// One run, one policy: chosen on the Question page, named on every page and inside the bundle.
const site = builtApp();

const TOP10 = 'flag the top 10% of cases by score';

describe('the operating policy chosen on the Question page is the one every page and file uses', () => {
  it('top 10% on the Question page: named on Results, Fairness, the Share page\'s record and inside the exported bundle; the group column is no model input', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    const question = new QuestionPage(page);
    const results = new ResultsPage(page);
    const fairness = new FairnessPage(page);
    const share = new SharePage(page);

    await page.goto(`${site.url}#/data`);
    await data.choose('e2e/fixtures/council.csv');
    await data.waitLoaded(/council\.csv/);
    await data.setRoleByMouse('ethnicity_group', 'Group to audit (e.g. ethnicity)');
    // Train models (not an audit of the existing score).
    await data.setRoleByMouse('risk_score', 'Leave out');
    await data.setRoleByMouse('deprivation_decile', 'Information for the model');

    // Another policy first, then the one meant: the last choice is the one that counts.
    await question.open(site.url);
    await question.splitAtRandom();
    await question.flagFromScore(0.5);
    await question.flagTopPct(10);

    await page.goto(`${site.url}#/models`);
    await page.getByTestId('run-models').click();
    await page.waitForURL(/#\/results$/, { timeout: 300_000 });

    await page.goto(`${site.url}#/results`);
    await page.getByTestId('icon-array').locator('svg').waitFor();
    expect(await results.policyWords()).toBe(`Operating policy: ${TOP10}.`);
    expect(await results.note()).toMatch(/^Flag the top 10% of cases by score: \d+ of \d+ test cases flagged/);
    expect(await page.getByTestId('op-intervals').innerText()).toMatch(/95% interval/);
    // The group column is not among the model's inputs (the report opens on the logistic regression).
    expect(await page.getByTestId('drivers').innerText()).not.toMatch(/ethnicity/i);
    await page.getByTestId('operating-control').scrollIntoViewIfNeeded();
    await results.screenshot('results-policy');
    expect(await axeViolations(page)).toEqual([]);

    await fairness.step('Fairness');
    expect(await fairness.policyWords()).toBe(`Operating policy: ${TOP10}.`);
    expect(await page.getByTestId('policy-note').count()).toBe(0);
    expect(await fairness.groupTable()).toContain(`when we ${TOP10}`);
    await fairness.screenshot('fairness-policy');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${site.url}#/share`);
    await page.getByTestId('record-form').waitFor();
    const record = await page.getByTestId('record-form').evaluate((el) => [...el.querySelectorAll('textarea, input')].map((x) => (x as HTMLInputElement).value).join('\n'));
    expect(record).toContain(TOP10);
    expect(record).toMatch(/never as model inputs: [^.]*ethnicity_group/);
    expect(record).not.toMatch(/score ≥ 0\.5/);
    expect(await axeViolations(page)).toEqual([]);

    const json = await share.download('download-json');
    const path = join(mkdtempSync(join(tmpdir(), 'candour-policy-')), json.suggestedFilename());
    await json.saveAs(path);
    const bundle = JSON.parse(readFileSync(path, 'utf8'));
    expect(bundle.task.policy).toMatchObject({ policy: { kind: 'topPct', topPct: 10 }, words: TOP10 });
    expect(bundle.results.every((r: { atPolicy?: { topPct: number } }) => r.atPolicy?.topPct === 10)).toBe(true);
    expect(JSON.stringify(bundle.results.map((r: { coefficients?: unknown }) => r.coefficients ?? []))).not.toMatch(/ethnicity/);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
