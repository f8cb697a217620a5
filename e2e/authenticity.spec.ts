/**
 * Attacks on shared bundles, in the built viewer and the built app's Compare page: a forged
 * bundle (numbers edited, hash recomputed) is not shown as trusted; a signed one is "the key you
 * trust" only once the reader gives that key; a changed file is never pooled; the same file
 * opened twice is counted once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, collectErrors, launch } from './browser.ts';
import { serveStatic, type StaticServer } from './server.ts';
import { SharePage } from './pages/share-page.ts';
import { shareableBundle } from '../src/lib/bundle/share.ts';
import { bundleHtml } from '../src/lib/bundle/write-html.ts';
import { withIntegrity } from '../src/lib/bundle/integrity.ts';
import { createKeyFile, keyFingerprint, signBundle, type KeyFile } from '../src/lib/bundle/signing.ts';
import type { Bundle } from '../src/lib/bundle/schema.ts';
import { exampleBundle } from '../test/bundle/make-bundle.ts';

const dir = resolve('test-results/authenticity');
let browser: Browser;
let site: StaticServer;
const councilA: KeyFile = createKeyFile(new Date());
const councilB: KeyFile = createKeyFile(new Date());
const attacker: KeyFile = createKeyFile(new Date());
const files: Record<string, string> = {};

function council(seed: number, name: string, key: KeyFile): Bundle {
  const b = shareableBundle(exampleBundle(1500, seed));
  b.data.name = name;
  b.data.fingerprint = `sha256:${String(seed).padStart(64, '0')}`;
  return signBundle(b, key);
}
const edited = (b: Bundle): Bundle => {
  const c = structuredClone(b);
  c.results[0].metrics.averagePrecision.value = 0.99;
  return c;
};

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const viewer = { js: readFileSync('.viewer-build/viewer.js', 'utf8'), css: readFileSync('.viewer-build/viewer.css', 'utf8') };
  const a = council(7, 'Council A extract', councilA);
  const b = council(8, 'Council B extract', councilB);
  const write = (name: string, bundle: Bundle, html: boolean) => {
    files[name] = resolve(dir, name);
    writeFileSync(files[name], html ? bundleHtml(bundle, viewer) : JSON.stringify(bundle));
  };
  write('council-a.html', a, true);
  write('council-b.json', b, false);
  // The attacks: numbers edited and the public hash recipe applied again (the signature cannot be);
  // edited keeping the old signature; edited and not re-hashed at all.
  write('forged.html', withIntegrity(edited(a)), true);
  const kept = withIntegrity(edited(a));
  kept.integrity!.signature = a.integrity!.signature;
  write('forged-signed.html', kept, true);
  write('tampered.json', edited(b), false);
  write('resigned.json', signBundle(edited(b), attacker), false);
  const other = shareableBundle(exampleBundle(1500, 9));
  other.data.name = 'Council B, another question';
  other.data.fingerprint = `sha256:${'9'.repeat(64)}`;
  other.task.outcome = 'rereferral_12m';
  write('other-outcome.json', signBundle(other, councilB), false);
  site = await serveStatic('dist', { headers: 'production' });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function openViewer(name: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.setOffline(true);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`file://${files[name]}`);
  await page.getByTestId('integrity').waitFor();
  return { page, errors, close: () => context.close() };
}

describe('the viewer', () => {
  it('shows a forged bundle (numbers edited, hash recomputed) as unchanged since written, not as trusted or as Candour\'s', async () => {
    const { page, errors, close } = await openViewer('forged.html');
    const banner = page.getByTestId('integrity');
    expect(await banner.getAttribute('data-status')).toBe('unsigned');
    const text = await banner.innerText();
    expect(text).toMatch(/Not signed/);
    expect(text).toMatch(/unchanged since it was written — this does not show who wrote it/);
    expect(text).not.toMatch(/Integrity checked|Candour wrote|trust/i);
    expect(errors).toEqual([]);
    await close();
  });

  it('shows a bundle edited under its old signature as failed', async () => {
    const { page, close } = await openViewer('forged-signed.html');
    expect(await page.getByTestId('integrity').getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId('integrity').innerText()).toMatch(/failed its check[\s\S]*Do not rely on these numbers/);
    await close();
  });

  it('names the signing key, and says "the key you trust" only for the key the reader pastes', async () => {
    const { page, errors, close } = await openViewer('council-a.html');
    const banner = page.getByTestId('integrity');
    const fp = keyFingerprint(councilA.ed25519.publicKey);
    expect(await banner.innerText()).toContain(`Signed with key ${fp}`);
    expect(await banner.innerText()).not.toMatch(/key you trust/);
    expect(await page.getByTestId('self-check').innerText()).toMatch(/open the file on the Compare page of your own copy of Candour/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/Paste the public key the sender publishes/).fill(attacker.ed25519.publicKey);
    await page.getByRole('button', { name: 'Check the key' }).click();
    await expect.poll(() => page.getByTestId('key-comparison').innerText()).toMatch(/is not the key that signed this bundle/);
    expect(await banner.innerText()).not.toMatch(/key you trust/);
    await page.getByLabel(/Paste the public key the sender publishes/).fill(councilA.ed25519.publicKey);
    await page.getByRole('button', { name: 'Check the key' }).click();
    await expect.poll(() => banner.innerText()).toMatch(/Signed with the key you trust/);
    expect(await page.getByTestId('key-comparison').innerText()).toMatch(/is the key that signed this bundle/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'e2e/screenshots/viewer-signed.png' });
    expect(errors).toEqual([]);
    await close();
  });
});

/** A fresh browser context on the built app's Compare page. */
async function openCompare(): Promise<{ page: Page; errors: string[]; share: SharePage; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${site.url}#/compare`);
  return { page, errors, share: new SharePage(page), close: () => context.close() };
}

describe('the Compare page', () => {
  const rows = (page: Page) => page.locator('[data-testid="opened-bundles"] tbody tr');
  const pooledColumn = (page: Page) => page.getByTestId('pooled-status').allInnerTexts();

  it('never pools a changed file, counts the same file twice once, and pools unverified files only by choice', async () => {
    const { page, errors, share, close } = await openCompare();
    await share.open([files['council-a.html'], files['council-b.json'], files['tampered.json'], files['resigned.json']]);
    await share.open([files['council-a.html']]);
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(await share.statuses()).toEqual(['signed', 'signed', 'failed', 'signed', 'signed']);
    // No key trusted yet: nothing is verified, so nothing is pooled without a choice.
    expect(await page.getByTestId('pooled-sentence').innerText()).toMatch(/^Nothing is pooled/);

    await share.trust([councilA.ed25519.publicKey, councilB.ed25519.publicKey]);
    await expect.poll(() => page.getByTestId('pooled-sentence').innerText()).toMatch(/^Pooling 2 bundles, average precision is/);
    const pooled = await pooledColumn(page);
    expect(pooled[0]).toBe('Yes');
    expect(pooled[1]).toBe('Yes');
    expect(pooled[2]).toMatch(/^No: it failed its check .*never pooled$/);
    expect(pooled[3]).toMatch(/^No: it is signed with key .* which you have not marked as trusted/);
    expect(pooled[4]).toBe('No: it is the same bundle as council-a.html (opened twice); counted once');
    expect(await rows(page).nth(0).innerText()).toMatch(/Signed with the key you trust/);
    expect(await rows(page).nth(3).innerText()).toContain(`Signed with key ${keyFingerprint(attacker.ed25519.publicKey)}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('opened-bundles').scrollIntoViewIfNeeded();
    await share.screenshot('compare-pooling');

    // The reader's explicit choice brings in the bundle signed by an unknown key (same data as
    // council B's, so it is still counted once), never the changed one.
    await page.getByLabel('Also pool bundles whose origin is not verified').check();
    await expect.poll(async () => (await pooledColumn(page))[3]).toMatch(/^No: it was computed from the same data as council-b\.json/);
    expect((await pooledColumn(page))[2]).toMatch(/never pooled/);
    expect(await page.getByTestId('pooled-sentence').innerText()).toMatch(/^Pooling 2 bundles/);
    expect(errors).toEqual([]);
    await close();
  });

  it('does not pool a forged bundle until the reader chooses to include unverified bundles', async () => {
    const { page, share, close } = await openCompare();
    await share.trust([councilB.ed25519.publicKey]);
    await share.open([files['council-b.json'], files['forged.html']]);
    expect(await share.statuses()).toEqual(['signed', 'unsigned']);
    expect((await pooledColumn(page))[1]).toMatch(/^No: it is not signed, so who wrote it is not shown/);
    expect(await page.getByTestId('pooled-sentence').innerText()).toMatch(/^Nothing is pooled/);
    await page.getByLabel('Also pool bundles whose origin is not verified').check();
    await expect.poll(() => page.getByTestId('pooled-sentence').innerText()).toMatch(/^Pooling 2 bundles/);
    await close();
  });

  it('refuses to pool bundles of different outcomes, saying why instead of giving a number', async () => {
    const { page, errors, share, close } = await openCompare();
    await share.trust([councilA.ed25519.publicKey, councilB.ed25519.publicKey]);
    await share.open([files['council-a.html'], files['other-outcome.json']]);
    await expect.poll(() => page.getByTestId('pooled-sentence').innerText()).toMatch(/Not pooled: the bundles measure different outcomes \(council-a\.html: “outcome” = 1; other-outcome\.json: “rereferral_12m” = 1\)/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('pooled-sentence').scrollIntoViewIfNeeded();
    await share.screenshot('compare-refused');
    expect(errors).toEqual([]);
    await close();
  });
});
