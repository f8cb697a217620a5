import type { Bundle } from '../lib/bundle/schema.ts';
import { BUNDLE_SCRIPT_ID, parseBundleText } from '../lib/bundle/read.ts';
import { checkAuthenticity, type Authenticity } from '../lib/bundle/signing.ts';

export type Loaded = { ok: true; bundle: Bundle; authenticity: Authenticity } | { ok: false; message: string };

/**
 * The bundle embedded in this page, schema-checked, with its hash and signature checked and
 * reported (a changed file is shown with a warning). No key is trusted until the reader pastes one.
 */
export function readEmbeddedBundle(doc: Document): Loaded {
  const text = doc.getElementById(BUNDLE_SCRIPT_ID)?.textContent;
  if (!text) return { ok: false, message: 'This file holds no Candour bundle.' };
  const parsed = parseBundleText(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, bundle: parsed.value.bundle, authenticity: checkAuthenticity(parsed.value.bundle) };
}
