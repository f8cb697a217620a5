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

const VIEWER_DIR = fileURLToPath(new URL('../../.viewer-build/', import.meta.url));

/** The built viewer, or null before the first `npm run build`. */
export function builtViewer(): ViewerAssets | null {
  const js = `${VIEWER_DIR}viewer.js`;
  const css = `${VIEWER_DIR}viewer.css`;
  if (!existsSync(js)) return null;
  return { js: readFileSync(js, 'utf8'), css: existsSync(css) ? readFileSync(css, 'utf8') : '', module: false };
}

/** Writes the shareable bundle; `fallback` is used when the viewer has not been built. Returns the shared bundle. */
export function writeBundleFile(report: Bundle, path: string, fallback?: ViewerAssets): Bundle {
  const viewer = builtViewer() ?? fallback;
  if (!viewer) throw new AppFailure({ code: 'no-viewer', message: 'the bundle viewer is not built yet: run `npm run build` once, then try again' });
  const shared = shareableBundle(report);
  const html = bundleHtml(shared, viewer);
  writeFileSync(path, html);
  process.stderr.write(`wrote the shareable bundle ${path} (${Math.round(html.length / 1024)} KB)\n`);
  return shared;
}
