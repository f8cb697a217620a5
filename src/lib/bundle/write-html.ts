/**
 * One self-contained HTML file: the read-only viewer's code and styles inline, the bundle JSON
 * inline as a data block, a strict Content-Security-Policy that names the inline script and
 * style by hash (so nothing else can run and nothing can be fetched), and a <noscript> table of
 * the headline numbers for readers without JavaScript. Opens offline by double-click.
 */
import type { Bundle, Estimate, ModelResult, OperatingPointResult } from './schema.ts';
import { base64, sha256, utf8 } from './integrity.ts';
import { BUNDLE_SCRIPT_ID } from './read.ts';

export interface ViewerAssets {
  /** The viewer's JavaScript (one file, no imports of other files). */
  js: string;
  css: string;
  title?: string;
  /** Load the script as a module (default true). Inline modules work from file://. */
  module?: boolean;
  /**
   * Allow inline `style` attributes (style-src 'unsafe-inline' instead of a hash). Default true:
   * the shared Svelte components and d3 charts set style attributes, which no hash can cover.
   * Scripts stay hash-only, and nothing can be fetched either way (default-src 'none').
   */
  allowStyleAttributes?: boolean;
}

/** The bundle as JSON that is safe inside a <script> data block: no '<', '>', '&' or line separators unescaped. */
export function bundleScriptJson(bundle: Bundle): string {
  return JSON.stringify(bundle)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** JavaScript made safe to inline: '</script' and '<!--' cannot end or confuse the element. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** CSS made safe to inline. */
export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/** A CSP hash source ('sha256-…') for the exact text of an inline element. */
export function cspHash(text: string): string {
  return `'sha256-${base64(sha256(utf8(text)))}'`;
}

/** The Content-Security-Policy for a bundle file whose inline script and style are `js` and `css`. */
export function bundleCsp(js: string, css: string, allowStyleAttributes = true): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(js)}`,
    `style-src ${allowStyleAttributes ? "'unsafe-inline'" : cspHash(css)}`,
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const fmt = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);
const withInterval = (e: Estimate | undefined): string =>
  !e || e.value === null ? 'withheld or undefined' : e.lo === null || e.hi === null ? fmt(e.value) : `${fmt(e.value)} (95% CI ${fmt(e.lo)} to ${fmt(e.hi)})`;
const count = (x: number | null | undefined): string => (x === null || x === undefined ? 'withheld' : String(x));

function operatingRows(label: string, op: OperatingPointResult | undefined): string {
  if (!op) return '';
  return [
    `<tr><th scope="row">${escapeHtml(label)}: children flagged</th><td>${count(op.nFlagged)}</td></tr>`,
    `<tr><th scope="row">${escapeHtml(label)}: precision (flagged children who went on to need help)</th><td>${pct(op.precision)}</td></tr>`,
    `<tr><th scope="row">${escapeHtml(label)}: recall (children who needed help and were flagged)</th><td>${pct(op.recall)}</td></tr>`,
    `<tr><th scope="row">${escapeHtml(label)}: children missed (FNR)</th><td>${pct(op.fnr)}</td></tr>`,
  ].join('');
}

function modelTable(r: ModelResult, bundle: Bundle): string {
  const name = r.model + (r.features ? ` (${r.features})` : '');
  const at = r.atThreshold?.threshold !== null && r.atThreshold?.threshold !== undefined ? `score ≥ ${fmt(r.atThreshold.threshold, 2)}` : 'at threshold';
  const top = r.topK ? `top ${r.topK.topPct}%` : 'top K';
  return [
    `<table><caption>Model: ${escapeHtml(name)}</caption><tbody>`,
    `<tr><th scope="row">Average precision</th><td>${withInterval(r.metrics?.averagePrecision)}</td></tr>`,
    `<tr><th scope="row">ROC AUC</th><td>${withInterval(r.metrics?.rocAuc)}</td></tr>`,
    `<tr><th scope="row">Prevalence</th><td>${pct(r.metrics?.prevalence ?? bundle.data.prevalence)}</td></tr>`,
    operatingRows(at, r.atThreshold),
    operatingRows(top, r.topK),
    r.verdict ? `<tr><th scope="row">Pre-registered criteria</th><td>${escapeHtml(r.verdict)}</td></tr>` : '',
    '</tbody></table>',
  ].join('');
}

/** The plain-HTML headline numbers shown when JavaScript is off. */
export function noscriptSummary(bundle: Bundle): string {
  const d = bundle.data;
  const parts = [
    '<h1>Candour evaluation</h1>',
    '<p>This file shows its full results with JavaScript. Without it, here are the headline numbers.</p>',
    `<p>Data: ${escapeHtml(d.name)}; ${count(d.rows)} cases, ${count(d.positives)} with the outcome “${escapeHtml(bundle.task.outcome)}”. Created ${escapeHtml(bundle.createdAt)} with Candour ${escapeHtml(bundle.tool.version)}.</p>`,
    ...bundle.results.map((r) => modelTable(r, bundle)),
  ];
  if (bundle.disclosure) parts.push(`<p>Counts below ${bundle.disclosure.threshold} are withheld and other counts rounded to the nearest ${bundle.disclosure.rounding}.</p>`);
  if (bundle.integrity) {
    // Without JavaScript nothing is checked, so this states what the file claims and no more.
    const sig = bundle.integrity.signature;
    parts.push(`<p>SHA-256 of the content, as written in this file: <code>${escapeHtml(bundle.integrity.hash)}</code>. ` +
      (sig ? `It says it is signed with the Ed25519 public key <code>${escapeHtml(String(sig.publicKey))}</code>; neither is checked without JavaScript.</p>`
        : 'It is not signed: a hash can show a file is unchanged since it was written, never who wrote it. It is not checked without JavaScript.</p>'));
  }
  return parts.join('\n');
}

/**
 * Whether the plain summary a browser shows with JavaScript off is the one `bundle` gives. The
 * hash and the signature cover the JSON block alone, so `candour verify` checks the summary
 * against the checked JSON: 'matches' (exactly one <noscript>, equal to noscriptSummary(bundle)),
 * 'differs', or 'other-version' when it differs and the bundle was written by another version of
 * Candour, whose summary may be worded differently and so cannot be checked by this one.
 */
export function noscriptCheck(html: string, bundle: Bundle, version: string): 'matches' | 'differs' | 'other-version' {
  const blocks = [...html.matchAll(/<noscript(?=[\s/>])[^>]*>([\s\S]*?)<\/noscript\s*>/gi)];
  if (blocks.length === 1 && blocks[0][1] === noscriptSummary(bundle)) return 'matches';
  return blocks.length <= 1 && bundle.tool.version !== version ? 'other-version' : 'differs';
}

/** The complete HTML file. The bundle should already have had disclosure control and integrity applied. */
export function bundleHtml(bundle: Bundle, viewer: ViewerAssets): string {
  const js = inlineScript(viewer.js);
  const css = inlineStyle(viewer.css);
  const title = viewer.title ?? `Candour evaluation — ${bundle.data.name}`;
  const csp = bundleCsp(js, css, viewer.allowStyleAttributes ?? true);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    `<noscript>${noscriptSummary(bundle)}</noscript>`,
    '<div id="app"></div>',
    `<script type="application/json" id="${BUNDLE_SCRIPT_ID}">${bundleScriptJson(bundle)}</script>`,
    `<script${viewer.module === false ? '' : ' type="module"'}>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Readers live in read.ts (the viewer needs them without the writer); re-exported for callers
// that think of reading and writing HTML together.
export { readBundle, readBundleFromHtml } from './read.ts';
