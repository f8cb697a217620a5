import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, headersFile, iisWebConfig } from '../../src/lib/security-policy.ts';

/** The two headers that make a page cross-origin isolated, so workers may share memory. */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** `name: value` pairs under the `/*` rule of a `_headers` file (Netlify / Cloudflare Pages syntax). */
function headersForAllPaths(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inAll = false;
  for (const line of file.split('\n')) {
    if (!line.startsWith(' ')) {
      inAll = line === '/*';
      continue;
    }
    const m = line.match(/^\s+([\w-]+):\s*(.*)$/);
    if (inAll && m) out[m[1]] = m[2];
  }
  return out;
}

/** `<add name value>` pairs of a web.config's customHeaders, unescaped. */
function iisHeaders(xml: string): Record<string, string> {
  const block = xml.match(/<customHeaders>([\s\S]*?)<\/customHeaders>/)?.[1] ?? '';
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  return Object.fromEntries([...block.matchAll(/<add name="([^"]+)" value="([^"]*)" \/>/g)].map((m) => [m[1], unescape(m[2])]));
}

describe('cross-origin isolation in the shipped headers', () => {
  it('the production, preview and dev headers carry COOP same-origin and COEP require-corp', () => {
    expect(SECURITY_HEADERS.production).toMatchObject(ISOLATION);
    expect(SECURITY_HEADERS.dev).toMatchObject(ISOLATION);
  });

  it('_headers sends them on every path, with the rest of the production headers', () => {
    const all = headersForAllPaths(headersFile());
    expect(all).toMatchObject(ISOLATION);
    expect(all).toEqual(SECURITY_HEADERS.production);
  });

  it('web.config sends them, with the rest of the production headers', () => {
    const xml = iisWebConfig();
    expect(iisHeaders(xml)).toMatchObject(ISOLATION);
    expect(iisHeaders(xml)).toEqual(SECURITY_HEADERS.production);
  });
});
