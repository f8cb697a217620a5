/**
 * Reading a bundle that someone sent: JSON, or the JSON inside an exported HTML file.
 * Untrusted input, so every failure is an AppError and the checks are schema then integrity.
 */
import { type Result, ok, fail } from '../errors.ts';
import { BUNDLE_SCHEMAS, type Bundle } from './schema.ts';
import { validateBundle } from './validate.ts';
import { verifyIntegrity, type IntegrityCheck } from './integrity.ts';
import { checkAuthenticity } from './signing.ts';

export const BUNDLE_SCRIPT_ID = 'candour-bundle';

export interface ReadOptions {
  /** Named in errors. */
  file?: string;
  /** Fail when the bundle carries no integrity hash. Default true (the analyst's local JSON has none: pass false). */
  requireIntegrity?: boolean;
}

export interface ParsedBundle {
  bundle: Bundle;
  /** ok false when the content differs from its recorded hash, or there is no hash. */
  integrity: IntegrityCheck;
}

const where = (file?: string) => (file === undefined ? {} : { file });

const SCRIPT_START = /<script(?=[\s/>])/gi;
const SCRIPT_END = /<\/script(?=[\s/>])/i;

/** The attributes of the start tag whose text begins at `from` (just after `<script`), as a browser reads them, and where the tag ends. */
function startTag(html: string, from: number): { attrs: [string, string][]; raw: string; end: number } {
  const attrs: [string, string][] = [];
  let i = from;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
  while (i < html.length && html[i] !== '>') {
    if (space(html[i]) || html[i] === '/') { i++; continue; }
    let name = html[i++];
    while (i < html.length && !space(html[i]) && !'/>='.includes(html[i])) name += html[i++];
    while (i < html.length && space(html[i])) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < html.length && space(html[i])) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        const stop = close < 0 ? html.length : close;
        value = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        while (i < html.length && !space(html[i]) && html[i] !== '>') value += html[i++];
      }
    }
    attrs.push([name.toLowerCase(), value]);
  }
  return { attrs, raw: html.slice(from, i), end: Math.min(i + 1, html.length) };
}

/**
 * The one rule by which the viewer inside an HTML bundle and `candour verify` find the bundle's
 * JSON, so both read the same block: among all `<script` start tags anywhere in the text, exactly
 * one has the id "candour-bundle", and its content is the JSON. A file where a script tag's id
 * is written with character references (`candour&#45;bundle`, which a browser reads as
 * candour-bundle), written twice, or given to more than one script, or whose block contains
 * `<!--` (which can change where a browser ends the element), is refused: Candour never writes
 * one, and a browser and a text reader could disagree on which block it holds. The viewer passes
 * its document serialised (`documentElement.outerHTML`), so a block a browser sees is one this
 * finds.
 */
export function findBundleBlock(html: string, file?: string): Result<string> {
  const refuse = (why: string) => fail({ code: 'bundle-ambiguous', message: `this HTML file cannot be read safely: ${why}`, ...where(file) });
  const found: string[] = [];
  for (const m of html.matchAll(SCRIPT_START)) {
    const tag = startTag(html, m.index + m[0].length);
    const ids = tag.attrs.filter(([name]) => name === 'id');
    if (ids.length === 0) continue;
    if (tag.raw.includes('&')) return refuse('a script tag is written with character references');
    if (ids.length > 1) return refuse('a script tag carries two ids');
    if (ids[0][1] !== BUNDLE_SCRIPT_ID) continue;
    const rest = html.slice(tag.end);
    const close = SCRIPT_END.exec(rest);
    const text = close ? rest.slice(0, close.index) : rest;
    if (text.includes('<!--')) return refuse('its bundle block contains "<!--"');
    found.push(text);
  }
  if (found.length === 0) return fail({ code: 'bundle-not-found', message: `this HTML file holds no Candour bundle (no script with id "${BUNDLE_SCRIPT_ID}")`, ...where(file) });
  if (found.length > 1) return refuse(`it holds ${found.length} scripts with id "${BUNDLE_SCRIPT_ID}", so which one a reader sees depends on the reader`);
  return ok(found[0]);
}

/**
 * The bundle in `text` (JSON or HTML), checked against the schema, with its integrity check
 * reported rather than enforced, for a viewer that shows a tampered file with a warning.
 */
export function parseBundleText(text: string, opts: ReadOptions = {}): Result<ParsedBundle> {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  let json: string | null;
  if (body.startsWith('{')) json = body;
  else if (body.startsWith('<')) {
    const block = findBundleBlock(body, opts.file);
    if (!block.ok) return block;
    json = block.value;
  } else {
    return fail({ code: 'bundle-unrecognised', message: 'not a Candour bundle: expected JSON or an exported HTML file', ...where(opts.file) });
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return fail({ code: 'bundle-parse', message: `the bundle is not valid JSON: ${(e as Error).message}`, ...where(opts.file) });
  }
  if (value && typeof value === 'object' && 'schema' in value && !BUNDLE_SCHEMAS.includes((value as { schema: unknown }).schema as string)) {
    return fail({ code: 'bundle-version', message: `unsupported bundle schema ${JSON.stringify((value as { schema: unknown }).schema)}; this version reads ${BUNDLE_SCHEMAS.join(' and ')}`, ...where(opts.file) });
  }
  const valid = validateBundle(value, opts.file);
  if (!valid.ok) return valid;
  return ok({ bundle: valid.value, integrity: verifyIntegrity(valid.value) });
}

function checked(parsed: Result<ParsedBundle>, opts: ReadOptions): Result<Bundle> {
  if (!parsed.ok) return parsed;
  const { bundle, integrity } = parsed.value;
  if (integrity.expected === null) {
    if (opts.requireIntegrity ?? true) return fail({ code: 'integrity-missing', message: 'the bundle carries no integrity hash, so it cannot be checked for changes', ...where(opts.file) });
    return ok(bundle);
  }
  if (!integrity.ok) {
    return fail({
      code: 'integrity-mismatch',
      message: `the bundle was changed after it was exported: its content hashes to ${integrity.actual.slice(0, 12)}…, not the recorded ${integrity.expected.slice(0, 12)}…`,
      ...where(opts.file),
    });
  }
  const auth = checkAuthenticity(bundle);
  if (auth.status === 'failed') return fail({ code: 'signature-invalid', message: `the bundle's signature check failed: ${auth.problem}`, ...where(opts.file) });
  return ok(bundle);
}

/** The bundle in an exported HTML file, validated against the schema and its integrity hash. */
export function readBundleFromHtml(html: string, opts: ReadOptions = {}): Result<Bundle> {
  const block = findBundleBlock(html, opts.file);
  if (!block.ok) return block;
  return checked(parseBundleText(block.value, opts), opts);
}

/** The bundle in `text`, JSON or HTML, validated against the schema and its integrity hash. */
export function readBundle(text: string, opts: ReadOptions = {}): Result<Bundle> {
  return checked(parseBundleText(text, opts), opts);
}
