/**
 * Integrity of a bundle: a SHA-256 over its canonical JSON, so a reader can tell whether a
 * shared file still matches the hash written into it. That is all a hash shows: anyone who edits
 * the numbers can recompute it (the recipe is public), so it says nothing about who wrote the
 * file — a signature does that (signing.ts).
 *
 * The hash comes from @noble/hashes, synchronous, rather than WebCrypto: the viewer runs from a
 * `file://` page, which is not a secure context, so `crypto.subtle` is undefined there, and the
 * HTML writer needs hashes synchronously for its Content-Security-Policy.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import type { Bundle, IntegrityRecord } from './schema.ts';

/** SHA-256 digest (32 bytes) of `bytes` (FIPS 180-4), by @noble/hashes (audited, synchronous). */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (as CSP hash sources need). */
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i], b1 = bytes[i + 1], b2 = bytes[i + 2];
    s += B64[b0 >> 2] + B64[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    s += i + 1 < bytes.length ? B64[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)] : '=';
    s += i + 2 < bytes.length ? B64[b2 & 63] : '=';
  }
  return s;
}

/** Hex SHA-256 of the UTF-8 bytes of `text` (equals `printf %s text | sha256sum`). */
export function sha256Hex(text: string): string {
  return hex(sha256(utf8(text)));
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order, no whitespace, `undefined`
 * members left out (as JSON.stringify does), numbers as JSON.stringify writes them.
 * Non-finite numbers become null, again as JSON.stringify does, so the hash of a bundle equals
 * the hash of the bundle after a JSON round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) {
    return '[' + value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',') + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function').sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/** The hash that `integrity.hash` must hold: over the bundle with its `integrity` field removed. */
export function bundleHash(bundle: Bundle): string {
  const { integrity: _ignored, ...rest } = bundle;
  return sha256Hex(canonicalJson(rest));
}

/** A copy of `bundle` carrying `integrity = { algorithm: 'sha256', hash }` (any old signature dropped: it no longer applies). */
export function withIntegrity(bundle: Bundle): Bundle {
  const integrity: IntegrityRecord = { algorithm: 'sha256', hash: bundleHash(bundle) };
  const { integrity: _old, ...rest } = bundle;
  return { ...rest, integrity } as Bundle;
}

export interface IntegrityCheck {
  ok: boolean;
  /** The hash recorded in the bundle (null when it has none). */
  expected: string | null;
  /** The hash of the content as it is now. */
  actual: string;
}

/** Whether the recorded hash matches the content. A bundle without `integrity` is not ok. */
export function verifyIntegrity(bundle: Bundle): IntegrityCheck {
  const actual = bundleHash(bundle);
  const rec = bundle.integrity;
  const expected = rec && typeof rec === 'object' && typeof rec.hash === 'string' ? rec.hash : null;
  const algorithmOk = !!rec && rec.algorithm === 'sha256';
  return { ok: algorithmOk && expected !== null && expected.toLowerCase() === actual, expected, actual };
}
