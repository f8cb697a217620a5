import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { readBundleFromHtml } from '../../src/lib/bundle/read.ts';
import { checkAuthenticity, parseKeyFile, keyFingerprint } from '../../src/lib/bundle/signing.ts';
import { captureOutput } from './output.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'candour-sign-'));
const output = captureOutput();

function data(): string {
  const p = path.join(dir, 'scores.csv');
  const rows = ['outcome,score,area'];
  for (let i = 0; i < 400; i++) rows.push(`${i % 3 === 0 ? 1 : 0},${((i * 37) % 100) / 100},${i % 2 ? 'North' : 'South'}`);
  writeFileSync(p, rows.join('\n') + '\n');
  return p;
}

describe('candour keygen and --sign', () => {
  it('keygen writes a private key file, prints the public key, and never overwrites a file', async () => {
    const key = path.join(dir, 'council.key');
    expect(await main(['keygen', '--out', key])).toBe(0);
    const parsed = parseKeyFile(readFileSync(key, 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(output.out()).toContain(`public key: ${parsed.value.ed25519.publicKey}`);
    expect(output.out()).toContain(keyFingerprint(parsed.value.ed25519.publicKey));
    expect(output.out()).not.toContain(parsed.value.ed25519.secretKey);
    expect(statSync(key).mode & 0o077).toBe(0);
    const before = readFileSync(key, 'utf8');
    expect(await main(['keygen', '--out', key])).toBe(2);
    expect(output.err()).toMatch(/council\.key: the file already exists/);
    expect(readFileSync(key, 'utf8')).toBe(before);
  });
  it('audit --bundle --sign writes a bundle signed by that key', async () => {
    const key = path.join(dir, 'signer.key');
    await main(['keygen', '--out', key]);
    const pub = parseKeyFile(readFileSync(key, 'utf8'));
    const html = path.join(dir, 'signed.html');
    const code = await main(['audit', '--data', data(), '--outcome', 'outcome', '--score', 'score', '--replicates', '20', '--bundle', html, '--sign', key]);
    expect(code).toBe(0);
    const b = readBundleFromHtml(readFileSync(html, 'utf8'));
    expect(b.ok).toBe(true);
    if (!b.ok || !pub.ok) return;
    expect(checkAuthenticity(b.value, [pub.value.ed25519.publicKey])).toMatchObject({ status: 'signed', trusted: true });
    expect(readFileSync(html, 'utf8')).not.toContain(pub.value.ed25519.secretKey);
  });
  it('refuses a bad key file before doing any work, naming the file', async () => {
    const bad = path.join(dir, 'bad.key');
    writeFileSync(bad, '{"schema":"candour.key/1"}');
    const html = path.join(dir, 'never.html');
    expect(await main(['audit', '--data', data(), '--outcome', 'outcome', '--score', 'score', '--bundle', html, '--sign', bad])).toBe(2);
    expect(output.err()).toMatch(/bad\.key: not a usable Candour key file/);
    expect(existsSync(html)).toBe(false);
    expect(await main(['evaluate', '--data', data(), '--outcome', 'outcome', '--sign', bad])).toBe(2);
    expect(output.err()).toMatch(/--sign needs --bundle/);
  });
});

describe('candour verify', () => {
  it('passes a bundle signed with a trusted key, and refuses an edited one or another key', async () => {
    const key = path.join(dir, 'verify.key');
    await main(['keygen', '--out', key]);
    const k = parseKeyFile(readFileSync(key, 'utf8'));
    if (!k.ok) throw new Error(k.error.message);
    const pub = k.value.ed25519.publicKey;
    const html = path.join(dir, 'verify.html');
    expect(await main(['audit', '--data', data(), '--outcome', 'outcome', '--score', 'score', '--replicates', '20', '--bundle', html, '--sign', key])).toBe(0);
    expect(await main(['verify', '--bundle', html, '--trust', pub])).toBe(0);
    expect(output.out()).toMatch(/^Signed with the key you trust/m);
    const pubFile = path.join(dir, 'council.pub');
    writeFileSync(pubFile, pub + '\n');
    expect(await main(['verify', '--bundle', html, '--trust', pubFile])).toBe(0);
    const other = path.join(dir, 'other.key');
    await main(['keygen', '--out', other]);
    const otherPub = (parseKeyFile(readFileSync(other, 'utf8')) as { ok: true; value: { ed25519: { publicKey: string } } }).value.ed25519.publicKey;
    expect(await main(['verify', '--bundle', html, '--trust', otherPub])).toBe(2);
    expect(output.err()).toMatch(/which is not one of the keys given with --trust/);
    const text = readFileSync(html, 'utf8');
    const edited = path.join(dir, 'edited.html');
    writeFileSync(edited, text.replace(/"rows":(\d+)/, (_, n) => `"rows":${Number(n) + 5}`));
    expect(await main(['verify', '--bundle', edited, '--trust', pub])).toBe(2);
    expect(output.err()).toMatch(/edited\.html: the bundle failed its check/);
    // The signature covers the JSON block; a summary changed for readers without JavaScript is refused too.
    const summary = path.join(dir, 'summary.html');
    writeFileSync(summary, text.replace(/(<noscript>[\s\S]*?cases, )\d+/, '$1' + '7'));
    expect(readFileSync(summary, 'utf8')).not.toBe(text);
    expect(await main(['verify', '--bundle', summary, '--trust', pub])).toBe(2);
    expect(output.err()).toMatch(/summary\.html: the plain summary shown without JavaScript is not the one its checked content gives/);
  });
});
