import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, headersFile, iisWebConfig } from './src/lib/security-policy.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Serve and emit the tfjs WASM binaries from the site itself (never a CDN). */
function tfjsWasm(): Plugin {
  const dir = `${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`;
  return {
    name: 'candour-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = req.url?.match(/^\/wasm\/([\w.-]+\.wasm)$/);
        if (!m || !WASM_FILES.includes(m[1])) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(dir + m[1]));
      });
    },
    generateBundle() {
      for (const f of WASM_FILES) this.emitFile({ type: 'asset', fileName: `wasm/${f}`, source: readFileSync(dir + f) });
    },
  };
}

/** Ship the bundle viewer (built first by vite.viewer.config.ts) so the Share page can write bundles. */
function viewerAssets(): Plugin {
  return {
    name: 'candour-viewer-assets',
    apply: 'build',
    generateBundle() {
      for (const f of ['viewer.js', 'viewer.css']) {
        const path = `${root}.viewer-build/${f}`;
        if (!existsSync(path)) this.error(`${f} is missing: run \`npm run build\` (it builds the viewer first)`);
        this.emitFile({ type: 'asset', fileName: `viewer/${f}`, source: readFileSync(path) });
      }
    },
  };
}

/** The Content-Security-Policy as a <meta> in the built page (hosts that cannot set headers still get it). */
function cspMeta(): Plugin {
  return {
    name: 'candour-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY.meta }, injectTo: 'head-prepend' }],
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
      this.emitFile({ type: 'asset', fileName: 'web.config', source: iisWebConfig() });
    },
  };
}

/**
 * A service worker that precaches every file of the build, so the app works offline after the
 * first load. Its cache name carries a hash of the file list and contents, so a new build
 * replaces the old cache.
 */
function serviceWorker(): Plugin {
  return {
    name: 'candour-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const item = bundle[f];
        hash.update(f);
        hash.update(item.type === 'chunk' ? item.code : typeof item.source === 'string' ? item.source : Buffer.from(item.source));
      }
      const version = hash.digest('hex').slice(0, 16);
      const template = readFileSync(`${root}src/sw-template.js`, 'utf8');
      const precache = ['./', ...files.filter((f) => !['sw.js', '_headers', 'web.config'].includes(f))].map((f) => (f === './' ? f : `./${f}`));
      const source = template.replace('__PRECACHE__', JSON.stringify(precache)).replace('__VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [svelte(), tfjsWasm(), viewerAssets(), cspMeta(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: { index: `${root}index.html` },
    },
  },
  server: { headers: SECURITY_HEADERS.dev },
  preview: { headers: SECURITY_HEADERS.production },
  css: { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin', 'mixed-decls', 'color-functions', 'if-function'] } } },
});
