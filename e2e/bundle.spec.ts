/**
 * A shared bundle, as a recipient opens it: one HTML file from disk, offline, same headline
 * numbers as the report it came from, and a visible warning when it has been altered.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, collectErrors, launch } from './browser.ts';
import { runEvaluation } from '../src/lib/run/evaluate-run.ts';
import { generateCases } from '../src/lib/synth/generate.ts';
import { scenarioFrom } from '../src/lib/synth/scenarios.ts';
import { shareableBundle } from '../src/lib/bundle/share.ts';
import { bundleHtml } from '../src/lib/bundle/write-html.ts';
import { BUNDLE_SCRIPT_ID } from '../src/lib/bundle/read.ts';
import type { Bundle } from '../src/lib/bundle/schema.ts';
import type { ColumnInfo } from '../src/lib/data/schema.ts';

const dir = resolve('test-results/bundle');
let browser: Browser;
let shared: Bundle;
let file: string;
let tampered: string;

beforeAll(async () => {
  const { table } = generateCases(scenarioFrom('realistic', { rows: 2500, seed: 11 }));
  const columns: ColumnInfo[] = table.schema.fields.map((f) => {
    const type: ColumnInfo['type'] = /_id$/.test(f.name) ? 'id' : f.name === 'note' ? 'text' : f.name === 'referral_date' ? 'date' : /Utf8|Dictionary/.test(String(f.type)) ? 'category' : 'number';
    return { name: f.name, type, inferredType: type };
  });
  const r = await runEvaluation(table, columns, {
    outcome: 'outcome', models: ['baseline', 'logistic'], split: { kind: 'temporal', date: 'referral_date' }, date: 'referral_date',
    id: 'child_id', groups: ['gender', 'ethnicity_group'], text: [], drop: [], seed: 1, replicates: 100,
  }, { name: 'synthetic.csv', fingerprint: 'e2e' });
  if (!r.ok) throw new Error(r.error.message);
  shared = shareableBundle(r.value);
  const viewer = { js: readFileSync('.viewer-build/viewer.js', 'utf8'), css: readFileSync('.viewer-build/viewer.css', 'utf8') };
  const html = bundleHtml(shared, viewer);
  mkdirSync(dir, { recursive: true });
  file = resolve(dir, 'bundle.html');
  writeFileSync(file, html);
  // Change one published number inside the embedded JSON, as a careless or dishonest edit would.
  const ap = shared.results[1].metrics.averagePrecision.value!;
  const marker = html.indexOf(`id="${BUNDLE_SCRIPT_ID}"`);
  const before = html.slice(0, marker);
  const after = html.slice(marker).replace(`"value":${ap}`, `"value":${Math.min(0.99, ap + 0.2)}`);
  expect(after).not.toBe(html.slice(marker));
  tampered = resolve(dir, 'tampered.html');
  writeFileSync(tampered, before + after);
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('a shared bundle', () => {
  it('opens from disk with the network off and shows the same headline numbers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.setOffline(true);
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`file://${file}`);
    await expect.poll(() => page.getByTestId('integrity').innerText()).toMatch(/unchanged since it was written — this does not show who wrote it/);
    const text = await page.locator('main').innerText();
    const ap = shared.results[1].metrics.averagePrecision;
    expect(text).toContain(ap.value!.toFixed(2));
    expect(text).toContain(ap.lo!.toFixed(2));
    expect(text).toContain(ap.hi!.toFixed(2));
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says plainly when the file has been altered', async () => {
    const context = await browser.newContext();
    await context.setOffline(true);
    const page = await context.newPage();
    await page.goto(`file://${tampered}`);
    const banner = page.getByTestId('integrity');
    await expect.poll(() => banner.innerText()).toMatch(/failed its check[\s\S]*was changed after it was written/);
    await context.close();
  });

  it('is small enough to e-mail', () => {
    expect(readFileSync(file).length).toBeLessThan(2_000_000);
  });
});
