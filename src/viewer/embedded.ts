import type { Bundle } from '../lib/bundle/schema.ts';
import { findBundleBlock, parseBundleText } from '../lib/bundle/read.ts';
import { checkAuthenticity, type Authenticity } from '../lib/bundle/signing.ts';

export type Loaded = { ok: true; bundle: Bundle; authenticity: Authenticity } | { ok: false; message: string };

/**
 * The bundle embedded in this page, schema-checked, with its hash and signature checked and
 * reported (a changed file is shown with a warning). No key is trusted until the reader pastes one.
 * The block is found by the same function `candour verify` uses on the file's text
 * (findBundleBlock), over the page as the browser parsed it, so both read the same block and a
 * file with a second, differently written block is refused by both.
 */
export function readEmbeddedBundle(doc: Document): Loaded {
  const block = findBundleBlock(doc.documentElement.outerHTML);
  if (!block.ok) return { ok: false, message: block.error.code === 'bundle-not-found' ? 'This file holds no Candour bundle.' : `${block.error.message}.` };
  const parsed = parseBundleText(block.value);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, bundle: parsed.value.bundle, authenticity: checkAuthenticity(parsed.value.bundle) };
}
