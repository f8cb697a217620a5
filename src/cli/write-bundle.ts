/**
 * `--bundle OUT.html`: the shareable, self-contained evaluation bundle, with disclosure control
 * applied. Its viewer is the app's own report pages, built into `.viewer-build/` by `npm run build`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '../lib/bundle/schema.ts';
import { bundleHtml, type ViewerAssets } from '../lib/bundle/write-html.ts';
import { shareableBundle } from '../lib/bundle/share.ts';
import { AppFailure } from '../lib/errors.ts';
import { parseKeyFile, signBundle, keyFingerprint, type KeyFile } from '../lib/bundle/signing.ts';

const VIEWER_DIR = fileURLToPath(new URL('../../.viewer-build/', import.meta.url));

/** The built viewer, or null before the first `npm run build`. */
export function builtViewer(): ViewerAssets | null {
  const js = `${VIEWER_DIR}viewer.js`;
  const css = `${VIEWER_DIR}viewer.css`;
  if (!existsSync(js)) return null;
  return { js: readFileSync(js, 'utf8'), css: existsSync(css) ? readFileSync(css, 'utf8') : '', module: false };
}

/** `--sign KEYFILE`: the key file read and checked, so a bad key fails before any work is done. */
export function readSigningKey(path: string | undefined): KeyFile | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppFailure({ code: 'key-file-read', message: `cannot read the key file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file: path });
  }
  const key = parseKeyFile(text, path);
  if (!key.ok) throw new AppFailure(key.error);
  return key.value;
}

/** Writes the shareable bundle (signed when `key` is given); `fallback` is used when the viewer has not been built. Returns the shared bundle. */
export function writeBundleFile(report: Bundle, path: string, fallback?: ViewerAssets, key?: KeyFile): Bundle {
  const viewer = builtViewer() ?? fallback;
  if (!viewer) throw new AppFailure({ code: 'no-viewer', message: 'the bundle viewer is not built yet: run `npm run build` once, then try again' });
  const shared = key ? signBundle(shareableBundle(report), key) : shareableBundle(report);
  if (key) process.stderr.write(`signed with key ${keyFingerprint(key.ed25519.publicKey)}\n`);
  const html = bundleHtml(shared, viewer);
  writeFileSync(path, html);
  process.stderr.write(`wrote the shareable bundle ${path} (${Math.round(html.length / 1024)} KB)\n`);
  return shared;
}
