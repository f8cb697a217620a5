/**
 * The data fingerprint written into every report: the SHA-256 of the input's bytes, so a
 * reader can check two reports came from the same extract without ever seeing it.
 * Uses the platform's native digest (Web Crypto, in browsers, workers and Node 20+), which
 * hashes hundreds of MB in about a second.
 */
import type { Source } from './source.ts';
import { bytesOfSource } from './source.ts';

export async function sha256HexOf(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function fingerprintOf(source: Source): Promise<string> {
  return sha256HexOf(await bytesOfSource(source));
}
