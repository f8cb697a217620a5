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

/** The JSON text inside `<script type="application/json" id="candour-bundle">`, or null. */
export function parseBundleScript(html: string): string | null {
  const m = /<script\b[^>]*\bid\s*=\s*["']?candour-bundle["']?[^>]*>([\s\S]*?)<\/script\s*>/i.exec(html);
  return m ? m[1] : null;
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
    json = parseBundleScript(body);
    if (json === null) return fail({ code: 'bundle-not-found', message: 'this HTML file holds no Candour bundle (no script with id "candour-bundle")', ...where(opts.file) });
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
  const json = parseBundleScript(html);
  if (json === null) return fail({ code: 'bundle-not-found', message: 'this HTML file holds no Candour bundle (no script with id "candour-bundle")', ...where(opts.file) });
  return checked(parseBundleText(json, opts), opts);
}

/** The bundle in `text`, JSON or HTML, validated against the schema and its integrity hash. */
export function readBundle(text: string, opts: ReadOptions = {}): Result<Bundle> {
  return checked(parseBundleText(text, opts), opts);
}
