import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { bundleHtml, bundleScriptJson, inlineScript, noscriptSummary } from '../../src/lib/bundle/write-html.ts';
import { readBundleFromHtml, readBundle, parseBundleText, findBundleBlock } from '../../src/lib/bundle/read.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { withIntegrity } from '../../src/lib/bundle/integrity.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { exampleBundle } from './make-bundle.ts';

const viewer = {
  js: 'const s = "</script><script>alert(1)</script>"; document.getElementById("app").textContent = s + "<!-- x";',
  css: 'body { font-family: system-ui; } /* </style> */',
};
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const shared = shareableBundle(exampleBundle());
const html = bundleHtml(shared, viewer);

function inlineElement(tag: string, attrs: string): string {
  const open = `<${tag}${attrs}>`;
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf(`</${tag}>`, start));
}

describe('bundleHtml', () => {
  it('puts a CSP whose script hash is the sha256 of the inline script exactly', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    const script = inlineElement('script', ' type="module"');
    expect(csp).toContain(`script-src ${hashOf(script)}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
  it('hashes the style too when style attributes are not allowed', () => {
    const strict = bundleHtml(shared, { ...viewer, allowStyleAttributes: false });
    const css = /<style>([\s\S]*?)<\/style>/.exec(strict)![1];
    expect(strict.replace(/&#39;/g, "'")).toContain(`style-src ${hashOf(css)}`);
  });
  it('cannot be broken out of by </script or <!-- in the code or the data', () => {
    const b = withIntegrity({ ...exampleBundle(), data: { ...exampleBundle().data, name: '</script><script>alert(2)</script><!--' } });
    const h = bundleHtml(b, viewer);
    expect(h.match(/<\/script>/g)).toHaveLength(2);
    expect(h.match(/<\/script/gi)).toHaveLength(2);
    expect(h).not.toContain('<!-- x');
    const back = readBundleFromHtml(h);
    expect(back.ok && back.value.data.name).toBe('</script><script>alert(2)</script><!--');
  });
  it('refers to nothing outside the file', () => {
    const outsideScripts = html.replace(/<script[\s\S]*?<\/script>/g, '');
    expect(outsideScripts).not.toMatch(/\b(src|href|action|srcset)\s*=/i);
    expect(outsideScripts).not.toMatch(/url\(|@import|https?:/i);
  });
  it('escapes the JSON so a JSON parser gives back the same object', () => {
    expect(bundleScriptJson(shared)).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(bundleScriptJson(shared))).toEqual(JSON.parse(JSON.stringify(shared)));
  });
  it('escapes inline script terminators', () => {
    expect(inlineScript('a="</SCRIPT>"')).toBe('a="<\\/SCRIPT>"');
  });
  it('has a noscript table per model with AP and its interval and precision/recall', () => {
    const ns = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)![1];
    expect(ns.match(/<table>/g)).toHaveLength(4);
    const ap = shared.results[1].metrics.averagePrecision;
    expect(ns).toContain(`${ap.value!.toFixed(3)} (95% CI ${ap.lo!.toFixed(3)} to ${ap.hi!.toFixed(3)})`);
    expect(ns).toContain(`${(shared.results[1].atThreshold.precision! * 100).toFixed(1)}%`);
    expect(ns).toContain(shared.integrity!.hash);
  });
  it('noscript escapes text from the bundle', () => {
    const b = exampleBundle();
    b.task.outcome = '<b>x</b>';
    expect(noscriptSummary(b)).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
  it('is well under 2 MB for 4 models and 4 attributes of about 6 groups', () => {
    expect(shared.results).toHaveLength(4);
    expect(shared.results[0].subgroups.length).toBeGreaterThanOrEqual(20);
    expect(new TextEncoder().encode(JSON.stringify(shared)).length).toBeLessThan(1_000_000);
    expect(new TextEncoder().encode(html).length).toBeLessThan(2_000_000);
  });
});

describe('readBundle / readBundleFromHtml', () => {
  it('reads back exactly what was written, from HTML and from JSON', () => {
    const expected = JSON.parse(JSON.stringify(shared));
    const fromHtml = readBundleFromHtml(html);
    expect(fromHtml).toEqual({ ok: true, value: expected });
    expect(readBundle(html)).toEqual({ ok: true, value: expected });
    expect(readBundle(JSON.stringify(shared, null, 2))).toEqual({ ok: true, value: expected });
    expect(readBundle('\uFEFF' + JSON.stringify(shared))).toEqual({ ok: true, value: expected });
  });
  it('fails clearly on a tampered file', () => {
    const tampered = html.replace(/"precision":0\.(\d)/, (_m, d) => `"precision":0.${(Number(d) + 1) % 10}`);
    expect(tampered).not.toBe(html);
    const r = readBundleFromHtml(tampered, { file: 'council-a.html' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('integrity-mismatch');
      expect(r.error.file).toBe('council-a.html');
      expect(r.error.message).toMatch(/changed after it was exported/);
    }
    const p = parseBundleText(tampered);
    expect(p.ok && p.value.integrity.ok).toBe(false);
  });
  it('refuses a file with a second bundle block however its id is written, so the viewer and the verifier cannot read different blocks', () => {
    const forged = bundleScriptJson(withIntegrity({ ...shared, data: { ...shared.data, rows: 99999 } }));
    const before = (id: string) => html.replace('<div id="app">', `<script type="application/json" ${id}>${forged}</script>\n<div id="app">`);
    for (const id of ['id="candour&#45;bundle"', 'id=candour&#x2d;bundle', 'ID="candour-bundle"', "id='candour-bundle'", 'data-x=">" id="candour-bundle"', 'id="x" id="candour-bundle"']) {
      const r = readBundleFromHtml(before(id));
      expect(r, id).toMatchObject({ ok: false, error: { code: 'bundle-ambiguous' } });
      expect(parseBundleText(before(id)).ok, id).toBe(false);
    }
    const inComment = html.replace('<div id="app">', `<!-- <script id="candour-bundle">${forged}</script> -->\n<div id="app">`);
    expect(readBundleFromHtml(inComment)).toMatchObject({ ok: false, error: { code: 'bundle-ambiguous' } });
    expect(findBundleBlock(html)).toEqual({ ok: true, value: bundleScriptJson(shared) });
    expect(findBundleBlock('<p>no bundle</p>')).toMatchObject({ ok: false, error: { code: 'bundle-not-found' } });
  });
  it('requires an integrity hash unless told otherwise', () => {
    const local = JSON.stringify(exampleBundle());
    expect(readBundle(local)).toMatchObject({ ok: false, error: { code: 'integrity-missing' } });
    expect(readBundle(local, { requireIntegrity: false }).ok).toBe(true);
  });
  it('names each kind of bad input', () => {
    expect(readBundle('')).toMatchObject({ ok: false, error: { code: 'bundle-unrecognised' } });
    expect(readBundle('hello')).toMatchObject({ ok: false, error: { code: 'bundle-unrecognised' } });
    expect(readBundle('{"schema": ')).toMatchObject({ ok: false, error: { code: 'bundle-parse' } });
    expect(readBundle('<html><body>hi</body></html>')).toMatchObject({ ok: false, error: { code: 'bundle-not-found' } });
    expect(readBundle('{"schema":"candour.bundle/9"}')).toMatchObject({ ok: false, error: { code: 'bundle-version' } });
    expect(readBundle('{"schema":"candour.bundle/1"}')).toMatchObject({ ok: false, error: { code: 'bundle-invalid' } });
    expect(readBundle('[1,2]')).toMatchObject({ ok: false, error: { code: 'bundle-unrecognised' } });
  });
  it('rejects a file whose bundle fails the schema before checking integrity', () => {
    const b = JSON.parse(JSON.stringify(shared)) as Bundle;
    (b.results[0] as unknown as Record<string, unknown>).model = 'oracle';
    const r = readBundle(JSON.stringify(withIntegrity(b)));
    expect(r).toMatchObject({ ok: false, error: { code: 'bundle-invalid' } });
  });
});
