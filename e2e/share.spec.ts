import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';
import { SharePage } from './pages/share-page.ts';

// Audit mode end to end through the development harness: data -> question -> run -> share -> compare.
const site = builtApp();

describe('run, share and compare', () => {
  it('audits a score, attaches the locked verdict, exports a bundle and re-opens it on the Compare page', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    const share = new SharePage(page);
    await page.goto(`${site.url}#/data`);
    await data.choose('e2e/fixtures/council.csv');
    await data.waitLoaded(/council\.csv/);
    await data.setRoleByMouse('risk_score', 'Existing risk score (audit)');

    await page.goto(`${site.url}#/question`);
    expect(await page.getByTestId('mode').innerText()).toMatch(/Audit of the existing score “risk_score”/);
    await data.addCriterion('Average precision', '0.05');
    await data.lock();

    await page.goto(`${site.url}#/models`);
    await page.getByRole('heading', { level: 1, name: 'Run the audit' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const verdicts = await share.run();
    expect(verdicts).toMatch(/average precision at least 0\.05: (met|not met|inconclusive)\. Estimate 0\.\d\d \(95% interval/);
    await page.getByTestId('verdicts').scrollIntoViewIfNeeded();
    await share.screenshot('models-run');

    await page.goto(`${site.url}#/share`);
    await page.getByTestId('disclosure-sentence').waitFor();
    expect(await page.getByTestId('disclosure-sentence').innerText()).toMatch(/rounded to the nearest 5/);
    await page.locator('#rec-tier2-ownerAndResponsibility-organisation').fill('Anytown Council');
    await page.locator('#rec-tier2-ownerAndResponsibility-organisation').blur();
    await share.screenshot('share-export');
    expect(await axeViolations(page)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'candour-share-'));
    // A key file made on the Share page signs what is saved from now on; only its public key goes out.
    const keyFile = await share.download('create-key');
    expect(keyFile.suggestedFilename()).toBe('candour-council.key');
    const publicKey = await page.getByTestId('public-key').innerText();
    const html = await share.download('download-html');
    expect(html.suggestedFilename()).toMatch(/^candour-council-\d{4}-\d\d-\d\d\.html$/);
    const htmlPath = join(dir, html.suggestedFilename());
    await html.saveAs(htmlPath);
    const json = await share.download('download-json');
    const jsonPath = join(dir, json.suggestedFilename());
    await json.saveAs(jsonPath);
    const text = readFileSync(htmlPath, 'utf8');
    expect(text).toContain('Anytown Council');
    expect(text).not.toContain('Member of public');
    // A copy with one number changed after export.
    const tampered = JSON.parse(readFileSync(jsonPath, 'utf8'));
    tampered.results[0].metrics.averagePrecision.value = 0.99;
    const tamperedPath = join(dir, 'tampered.json');
    writeFileSync(tamperedPath, JSON.stringify(tampered));

    await page.goto(`${site.url}#/compare`);
    await share.open([htmlPath, jsonPath, tamperedPath]);
    expect(await share.statuses()).toEqual(['signed', 'signed', 'failed']);
    await page.getByLabel(/Public key to trust/).fill(publicKey);
    await page.getByRole('button', { name: 'Trust this key' }).click();
    await page.getByTestId('compare-table').waitFor();
    // The HTML and the JSON are one bundle (counted once) and the changed copy is never pooled.
    await expect.poll(() => page.getByTestId('pooled-status').allInnerTexts()).toEqual([
      'Yes',
      `No: it is the same bundle as ${html.suggestedFilename()} (opened twice); counted once`,
      expect.stringMatching(/^No: it failed its check .*never pooled$/),
    ]);
    expect(await page.getByTestId('pooled-sentence').innerText()).toMatch(/^Nothing is pooled/);
    await share.screenshot('compare');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
