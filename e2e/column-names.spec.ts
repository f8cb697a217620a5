import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectErrors } from './browser.ts';
import { builtApp } from './site.ts';
import { DataPage } from './pages/data-page.ts';

// Column names are data: columns called __proto__, constructor and hasOwnProperty load, map and audit in the built app.
const app = builtApp();

describe('columns named like object properties', () => {
  it('the Data page reads and maps them, and the audit reports their groups', async () => {
    const lines = ['__proto__,constructor,hasOwnProperty,valueOf'];
    for (let i = 0; i < 120; i++) lines.push(`${i % 2 ? 'a' : 'b'},${i % 3 ? 'x' : 'z'},${i % 4 === 0 ? 'Yes' : 'No'},${((i * 37) % 100) / 100}`);
    const file = join(mkdtempSync(join(tmpdir(), 'candour-names-')), 'names.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const data = new DataPage(page);
    await page.goto(`${app.url}#/data`);
    await data.choose(file);
    expect(await data.waitLoaded(/names\.csv/)).toMatch(/120/);
    await data.setRoleByMouse('hasOwnProperty', 'Outcome: what to predict');
    await data.setRoleByMouse('valueOf', 'Existing risk score (audit)');
    await data.setRoleByMouse('__proto__', 'Group to audit (e.g. ethnicity)');
    await data.setRoleByMouse('constructor', 'Group to audit (e.g. ethnicity)');
    await page.goto(`${app.url}#/question`);
    expect(await page.getByTestId('question-summary').innerText()).toMatch(/__proto__, constructor/);
    await page.goto(`${app.url}#/models`);
    await page.getByTestId('run-models').click();
    await page.waitForURL(/#\/results$/, { timeout: 120_000 });
    await page.goto(`${app.url}#/fairness`);
    await page.getByTestId('f-attribute').waitFor();
    expect(await page.getByTestId('f-attribute').locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
