/**
 * The privacy wall, written once: the Content-Security-Policy and other headers that the
 * build, the preview server, the `_headers` file for static hosts and the docs all use.
 *
 * Nothing may come from or go to another origin. `'wasm-unsafe-eval'` is needed to compile the
 * tfjs WebAssembly backend; `blob:` workers are allowed because a worker created from a blob URL
 * inherits the page's policy (a worker loaded from its own URL would take only its own response
 * headers). Styles allow inline `style` attributes, which charts and Svelte transitions set;
 * no style, script or font may come from elsewhere.
 *
 * `Cross-Origin-Opener-Policy: same-origin` with `Cross-Origin-Embedder-Policy: require-corp`
 * makes the page cross-origin isolated, which is what lets workers share table data through a
 * SharedArrayBuffer instead of copying it (see `shared-memory.ts`). Everything the app loads is
 * its own (same origin, `blob:` or `data:`), so require-corp blocks nothing it needs. A host that
 * does not send these headers gets the same app and the same results, with copies instead.
 */
const directives: [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self' blob:"],
  ['child-src', "'self' blob:"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['manifest-src', "'self'"],
  ['media-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** Only valid in a response header, not in <meta>. */
const headerOnly: [string, string][] = [['frame-ancestors', "'none'"]];

const join = (d: [string, string][]) => d.map(([k, v]) => `${k} ${v}`).join('; ');

export const CONTENT_SECURITY_POLICY = {
  meta: join(directives),
  header: join([...directives, ...headerOnly]),
};

const common: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export const SECURITY_HEADERS = {
  production: { ...common, 'Content-Security-Policy': CONTENT_SECURITY_POLICY.header },
  /** The dev server needs inline scripts and a websocket for hot reload; the policy is otherwise the same. */
  dev: {
    ...common,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY.header
      .replace("script-src 'self' 'wasm-unsafe-eval'", "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"),
  },
};

/** The `_headers` file for Netlify/Cloudflare Pages style hosts. */
export function headersFile(): string {
  const lines = ['/*'];
  for (const [k, v] of Object.entries(SECURITY_HEADERS.production)) lines.push(`  ${k}: ${v}`);
  lines.push('/*.wasm', '  Content-Type: application/wasm', '/sw.js', '  Cache-Control: no-cache');
  return lines.join('\n') + '\n';
}

/** The same headers for IIS (many council web servers), as a web.config beside index.html. */
export function iisWebConfig(): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const headers = Object.entries(SECURITY_HEADERS.production)
    .map(([k, v]) => `        <add name="${k}" value="${esc(v)}" />`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".wasm" />
      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
      <remove fileExtension=".mjs" />
      <mimeMap fileExtension=".mjs" mimeType="text/javascript" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
${headers}
      </customHeaders>
    </httpProtocol>
  </system.webServer>
</configuration>
`;
}
