/**
 * Builds the development harness (dev/data.html) with the app's worker, styles and the
 * report viewer into .tmp/harness/, for the e2e specs of the data pages. Not part of dist/.
 */
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../src/lib/security-policy.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
export const HARNESS_DIR = resolve(repo, '.tmp/harness');
const WASM = resolve(repo, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const scss = { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin', 'mixed-decls', 'color-functions', 'if-function'] as never[] } } };

export async function buildHarness(): Promise<string> {
  await build({
    configFile: false,
    root: resolve(repo, 'dev'),
    base: './',
    logLevel: 'warn',
    plugins: [svelte(), { name: 'harness-csp', transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY.meta }, injectTo: 'head-prepend' }] }],
    worker: { format: 'es' },
    css: scss,
    build: { outDir: HARNESS_DIR, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000, rollupOptions: { input: { data: resolve(repo, 'dev/data.html') } } },
  });
  mkdirSync(resolve(HARNESS_DIR, 'wasm'), { recursive: true });
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) cpSync(resolve(WASM, f), resolve(HARNESS_DIR, 'wasm', f));
  // The report viewer inlined into exported bundles, as the app ships it under viewer/.
  mkdirSync(resolve(HARNESS_DIR, 'viewer'), { recursive: true });
  try {
    await build({ configFile: resolve(repo, 'vite.viewer.config.ts'), logLevel: 'warn', build: { outDir: resolve(repo, '.tmp/harness-viewer') } });
    cpSync(resolve(repo, '.tmp/harness-viewer/viewer.js'), resolve(HARNESS_DIR, 'viewer/viewer.js'));
    const css = resolve(repo, '.tmp/harness-viewer/viewer.css');
    writeFileSync(resolve(HARNESS_DIR, 'viewer/viewer.css'), existsSync(css) ? readFileSync(css) : '');
  } catch (e) {
    console.warn('viewer build failed; using a stand-in viewer:', e);
    writeFileSync(resolve(HARNESS_DIR, 'viewer/viewer.js'), "document.body.textContent = 'Candour bundle';");
    writeFileSync(resolve(HARNESS_DIR, 'viewer/viewer.css'), 'body{font-family:sans-serif}');
  }
  return HARNESS_DIR;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  buildHarness().then((d) => console.log(`harness built in ${d}`));
}
