import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/lib/security-policy.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Places where a URL would actually be loaded (not licence headers or error-message links). */
const LOADING = [
  /(?:src|href|action|poster|data)\s*=\s*["']\s*(?:https?:)?\/\/[^"']+/gi,
  /url\(\s*["']?\s*(?:https?:)?\/\/[^)"']+/gi,
  /@import\s+["']?(?:https?:)?\/\//gi,
  /(?:fetch|importScripts|import|Worker|SharedWorker|EventSource|WebSocket|sendBeacon|open)\s*\(\s*["'`](?:https?|wss?):\/\/[^"'`]+/gi,
  /setWasmPaths\(\s*["'`]https?:\/\//gi,
  /cdn\.jsdelivr|unpkg\.com|googleapis|gstatic|cdnjs/gi,
];

it('the build has no reference that would load anything from another host', () => {
  const offenders: string[] = [];
  for (const f of files('dist')) {
    if (!/\.(html|js|mjs|css|json|webmanifest)$/.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    for (const re of LOADING) for (const m of text.matchAll(re)) offenders.push(`${f}: ${m[0].slice(0, 120)}`);
  }
  expect(offenders).toEqual([]);
});

it('the built page carries the strict policy and the static hosts get the headers', () => {
  const html = readFileSync('dist/index.html', 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1]?.replaceAll('&#39;', "'");
  expect(meta).toBe(CONTENT_SECURITY_POLICY.meta);
  expect(readFileSync('dist/_headers', 'utf8')).toContain(CONTENT_SECURITY_POLICY.header);
  expect(readFileSync('dist/web.config', 'utf8')).toContain('Content-Security-Policy');
  // Cross-origin isolation (shared memory between workers) needs both, as headers.
  expect(readFileSync('dist/_headers', 'utf8')).toMatch(/Cross-Origin-Opener-Policy: same-origin\n[\s\S]*Cross-Origin-Embedder-Policy: require-corp\n/);
  expect(readFileSync('dist/web.config', 'utf8')).toMatch(/name="Cross-Origin-Opener-Policy" value="same-origin"[\s\S]*name="Cross-Origin-Embedder-Policy" value="require-corp"/);
  for (const w of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) expect(statSync(join('dist/wasm', w)).size).toBeGreaterThan(100_000);
  const sw = readFileSync('dist/sw.js', 'utf8');
  expect(sw).toContain('./wasm/tfjs-backend-wasm-simd.wasm');
  expect(sw).not.toContain('__PRECACHE__');
});
