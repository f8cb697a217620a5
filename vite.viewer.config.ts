import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

/**
 * The read-only bundle viewer: the app's report pages compiled into ONE script and ONE
 * stylesheet, which the bundle writer inlines into a self-contained HTML file (no imports, no
 * fetches: it must open by double-click, offline). Built before the app, which ships it under
 * `viewer/` so the Share page can write bundles.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  plugins: [svelte({ emitCss: true })],
  publicDir: false,
  build: {
    outDir: `${root}.viewer-build`,
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: false,
    assetsInlineLimit: 100_000_000,
    modulePreload: false,
    lib: { entry: `${root}src/viewer/main.ts`, formats: ['iife'], name: 'CandourViewer', fileName: () => 'viewer.js', cssFileName: 'viewer' },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
  css: { preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin', 'mixed-decls', 'color-functions', 'if-function'] } } },
});
