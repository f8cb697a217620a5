/**
 * Builds the end-to-end bench page (bench/page) into bench/out/page, with the same worker
 * format and same-origin tfjs .wasm files as the app's build.
 *   npx vite build --config bench/vite.bench.config.ts
 */
import { defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

function tfjsWasm(): Plugin {
  const dir = `${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`;
  return {
    name: 'candour-bench-wasm',
    generateBundle() {
      for (const f of WASM_FILES) this.emitFile({ type: 'asset', fileName: `wasm/${f}`, source: readFileSync(dir + f) });
    },
  };
}

export default defineConfig({
  root: `${root}bench/page`,
  base: './',
  plugins: [tfjsWasm()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: `${root}bench/out/page`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
});
