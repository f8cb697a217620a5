import type { Bundle } from '../lib/bundle/schema.ts';
import type { IntegrityCheck } from '../lib/bundle/integrity.ts';
import { BUNDLE_SCRIPT_ID, parseBundleText } from '../lib/bundle/read.ts';

export type Loaded = { ok: true; bundle: Bundle; integrity: IntegrityCheck } | { ok: false; message: string };

/** The bundle embedded in this page, schema-checked, with its integrity reported (a tampered file is shown with a warning). */
export function readEmbeddedBundle(doc: Document): Loaded {
  const text = doc.getElementById(BUNDLE_SCRIPT_ID)?.textContent;
  if (!text) return { ok: false, message: 'This file holds no Candour bundle.' };
  const parsed = parseBundleText(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, bundle: parsed.value.bundle, integrity: parsed.value.integrity };
}
