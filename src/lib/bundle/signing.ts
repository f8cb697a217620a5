/**
 * Who wrote a bundle: Ed25519 signatures (RFC 8032, by @noble/curves, audited) made with a
 * council's key file, and the one check the viewer, the Compare page and the CLI share.
 *
 * A hash (integrity.ts) only shows that a file matches the hash written into it; anyone can
 * edit the numbers and write a new hash. A valid signature shows that whoever holds the secret
 * key matching the bundle's public key signed exactly this content. Whose key that is, a reader
 * learns only from the council itself (its published public key), so a signature is reported as
 * "signed by key K", and as "the key you trust" only when the reader has said they trust K.
 *
 * The key file (`candour.key/1`) never goes into a bundle. Besides the signing key it holds the
 * council's record-key secret (32 random bytes), which disclosure control may use to derive stable
 * per-record keys (a keyed hash of the child ID) without storing case data.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { type Result, ok, fail } from '../errors.ts';
import type { Bundle, SignatureRecord } from './schema.ts';
import { bundleHash, canonicalJson, hex, sha256, utf8, verifyIntegrity } from './integrity.ts';

export const KEY_FILE_SCHEMA = 'candour.key/1' as const;

/** What a signature covers: this prefix, then the canonical JSON of the bundle without `integrity`. */
export const SIGNED_PREFIX = 'candour.bundle/1 signed\n';

/** The key file a council keeps private, as stored (JSON, hex strings). */
export interface KeyFile {
  schema: typeof KEY_FILE_SCHEMA;
  createdAt: string;
  /** Words for whoever finds the file. */
  note: string;
  ed25519: {
    /** 32-byte secret key (RFC 8032 seed), hex. */
    secretKey: string;
    /** 32-byte public key, hex: the part the council publishes. */
    publicKey: string;
  };
  /** 32 random bytes, hex: the council secret for keyed hashes of record IDs. Never published. */
  recordKeySecret: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const defaultRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** A new key file. `randomBytes` defaults to the platform's CSPRNG (crypto.getRandomValues). */
export function createKeyFile(now: Date, randomBytes: (n: number) => Uint8Array = defaultRandom): KeyFile {
  const secret = randomBytes(32);
  const recordKeySecret = randomBytes(32);
  if (secret.length !== 32 || recordKeySecret.length !== 32) throw new Error('randomBytes must return the number of bytes asked for');
  return {
    schema: KEY_FILE_SCHEMA,
    createdAt: now.toISOString(),
    note: 'Candour key file. Keep it private: whoever holds it can sign bundles as you. Publish only the public key.',
    ed25519: { secretKey: hex(secret), publicKey: hex(ed25519.getPublicKey(secret)) },
    recordKeySecret: hex(recordKeySecret),
  };
}

/** The key file as text to save. */
export function keyFileText(key: KeyFile): string {
  return JSON.stringify(key, null, 2) + '\n';
}

/** A key file read from `text`, checked: the format, and that its public key belongs to its secret key. */
export function parseKeyFile(text: string, file?: string): Result<KeyFile> {
  const where = file === undefined ? {} : { file };
  const bad = (why: string) => fail({ code: 'key-file-invalid', message: `not a usable Candour key file: ${why}`, ...where });
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return bad('it is not JSON');
  }
  if (!v || typeof v !== 'object') return bad('it is not a JSON object');
  const k = v as Partial<KeyFile>;
  if (k.schema !== KEY_FILE_SCHEMA) return bad(`expected schema "${KEY_FILE_SCHEMA}", found ${JSON.stringify(k.schema)}`);
  const secretKey = k.ed25519?.secretKey, publicKey = k.ed25519?.publicKey;
  if (typeof secretKey !== 'string' || !HEX64.test(secretKey)) return bad('ed25519.secretKey must be 64 lowercase hex digits');
  if (typeof publicKey !== 'string' || !HEX64.test(publicKey)) return bad('ed25519.publicKey must be 64 lowercase hex digits');
  if (hex(ed25519.getPublicKey(fromHex(secretKey))) !== publicKey) return bad('its public key does not belong to its secret key');
  if (typeof k.recordKeySecret !== 'string' || !HEX64.test(k.recordKeySecret)) return bad('recordKeySecret must be 64 lowercase hex digits');
  return ok({
    schema: KEY_FILE_SCHEMA,
    createdAt: typeof k.createdAt === 'string' ? k.createdAt : '',
    note: typeof k.note === 'string' ? k.note : '',
    ed25519: { secretKey, publicKey },
    recordKeySecret: k.recordKeySecret,
  });
}

/** The record-key secret's 32 bytes (for keyed hashes of record IDs). */
export function recordKeySecretBytes(key: KeyFile): Uint8Array {
  return fromHex(key.recordKeySecret);
}

/**
 * A short fingerprint of a public key for people to compare by eye: the first 8 bytes of its
 * SHA-256 in four groups, e.g. "3f2a 91bc 07de 55aa". Trust is always decided on the whole key.
 */
export function keyFingerprint(publicKeyHex: string): string {
  const h = hex(sha256(fromHex(publicKeyHex))).slice(0, 16);
  return h.match(/.{4}/g)!.join(' ');
}

/** A public key as pasted by a person (any case, spaces, an optional "ed25519:" prefix), or null. */
export function parsePublicKey(text: string): string | null {
  const t = text.trim().replace(/^ed25519:/i, '').replace(/[\s:]/g, '').toLowerCase();
  return HEX64.test(t) ? t : null;
}

function signedMessage(bundle: Bundle): Uint8Array {
  const { integrity: _ignored, ...rest } = bundle;
  return utf8(SIGNED_PREFIX + canonicalJson(rest));
}

/** A copy of `bundle` with a fresh integrity hash and the key file's signature over the same content. */
export function signBundle(bundle: Bundle, key: KeyFile): Bundle {
  const { integrity: _old, ...rest } = bundle;
  const unsigned = rest as Bundle;
  const signature: SignatureRecord = {
    algorithm: 'ed25519',
    publicKey: key.ed25519.publicKey,
    value: hex(ed25519.sign(signedMessage(unsigned), fromHex(key.ed25519.secretKey))),
  };
  return { ...unsigned, integrity: { algorithm: 'sha256', hash: bundleHash(unsigned), signature } } as Bundle;
}

/**
 * What can be said of a bundle's origin, from what was checked:
 * - 'signed': the hash matches and the signature by `signer` is valid for this content;
 *   `trusted` is true only when that public key is one the reader said they trust.
 * - 'unsigned': the hash matches and there is no signature: unchanged since the hash was
 *   written, by whoever wrote it.
 * - 'missing': no hash at all (an analyst's local result); nothing can be checked.
 * - 'failed': the content does not match its hash, or the signature is malformed or invalid.
 */
export type AuthenticityStatus = 'signed' | 'unsigned' | 'missing' | 'failed';

export interface Authenticity {
  status: AuthenticityStatus;
  /** SHA-256 of the content as it is now. */
  actualHash: string;
  /** The hash written in the bundle, or null. */
  expectedHash: string | null;
  /** The key the bundle names as its signer (even when the signature failed), or null. */
  signer: { publicKey: string; fingerprint: string } | null;
  /** Whether the signer is a key the reader trusts; false unless status is 'signed'. */
  trusted: boolean;
  /** For 'failed': what failed, in words. */
  problem: string | null;
}

/** Checks the hash, then the signature if there is one. `trustedKeys` are hex public keys. */
export function checkAuthenticity(bundle: Bundle, trustedKeys: readonly string[] = []): Authenticity {
  const integrity = verifyIntegrity(bundle);
  const base = { actualHash: integrity.actual, expectedHash: integrity.expected, signer: null, trusted: false, problem: null };
  const rec = bundle.integrity as unknown as { signature?: unknown } | undefined;
  const sig = rec && typeof rec === 'object' ? (rec.signature as Partial<SignatureRecord> | undefined) : undefined;
  const signerKey = sig && typeof sig.publicKey === 'string' && HEX64.test(sig.publicKey) ? sig.publicKey : null;
  const signer = signerKey ? { publicKey: signerKey, fingerprint: keyFingerprint(signerKey) } : null;
  if (integrity.expected === null) return { ...base, status: 'missing' };
  if (!integrity.ok) {
    return { ...base, signer, status: 'failed', problem: `its content does not match the hash written in it (it hashes to ${integrity.actual.slice(0, 16)}…, not ${integrity.expected.slice(0, 16)}…): it was changed after it was written` };
  }
  if (sig === undefined) return { ...base, status: 'unsigned' };
  if (!sig || typeof sig !== 'object' || sig.algorithm !== 'ed25519' || !signer || typeof sig.value !== 'string' || !HEX128.test(sig.value)) {
    return { ...base, signer, status: 'failed', problem: 'its signature is malformed, so who signed it cannot be checked' };
  }
  let valid = false;
  try {
    // Strict RFC 8032 verification (zip215: false): rejects small-order keys and non-canonical encodings.
    valid = ed25519.verify(fromHex(sig.value), signedMessage(bundle), fromHex(signer.publicKey), { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) return { ...base, signer, status: 'failed', problem: `its signature does not match its content for key ${signer.fingerprint}: it was changed after it was signed, or the signature was not made with that key` };
  return withTrust({ ...base, signer, status: 'signed' }, trustedKeys);
}

/** `a` with `trusted` set for `trustedKeys` (hex public keys), without checking the bundle again. */
export function withTrust(a: Authenticity, trustedKeys: readonly string[]): Authenticity {
  const trusted = a.status === 'signed' && a.signer !== null && trustedKeys.some((k) => parsePublicKey(k) === a.signer!.publicKey);
  return a.trusted === trusted ? a : { ...a, trusted };
}

export interface AuthenticityWords {
  /** 'success' only for a valid signature by a trusted key. */
  tone: 'success' | 'info' | 'warning' | 'error';
  /** A short label (a tag or a heading). */
  title: string;
  /** One or two sentences saying what was checked and what it does and does not show. */
  text: string;
}

/** The viewer's and the Compare page's words for an authenticity check: never more than was checked. */
export function describeAuthenticity(a: Authenticity): AuthenticityWords {
  const fp = a.signer?.fingerprint ?? '';
  switch (a.status) {
    case 'signed':
      return a.trusted
        ? {
            tone: 'success',
            title: 'Signed with the key you trust',
            text: `Signed with key ${fp}, which matches a public key you marked as trusted, and unchanged since it was signed. This shows the holder of that key signed these numbers; it does not check how they were computed.`,
          }
        : {
            tone: 'info',
            title: `Signed with key ${fp}`,
            text: `Unchanged since it was signed with key ${fp}. Anyone can make a key, so this shows who wrote it only if that key is the sender's: compare it with the public key the sender publishes, and mark it as trusted if it matches.`,
          };
    case 'unsigned':
      return {
        tone: 'warning',
        title: 'Not signed',
        text: 'Its content matches the hash written in it, so it is unchanged since it was written — this does not show who wrote it: anyone who edits the numbers can write a new hash.',
      };
    case 'missing':
      return {
        tone: 'warning',
        title: 'Cannot be checked',
        text: 'It carries no hash and no signature (it may be an analyst\'s local result), so nobody can tell whether these are the numbers that were computed.',
      };
    case 'failed':
      return { tone: 'error', title: 'Check failed', text: `Do not rely on these numbers: ${a.problem}.` };
  }
}

/**
 * What a reader learns by pasting a public key they trust (e.g. the one the council publishes)
 * next to a bundle: whether it is the key that signed it. Null when the paste is not a key.
 */
export function keyComparison(a: Authenticity, pasted: string): { matches: boolean; text: string } | null {
  const key = parsePublicKey(pasted);
  if (key === null) return null;
  const fp = keyFingerprint(key);
  if (a.status !== 'signed' || !a.signer) {
    return { matches: false, text: `The key you pasted (${fp}) cannot be matched: this bundle carries no valid signature.` };
  }
  return key === a.signer.publicKey
    ? { matches: true, text: `The key you pasted (${fp}) is the key that signed this bundle.` }
    : { matches: false, text: `The key you pasted (${fp}) is not the key that signed this bundle (${a.signer.fingerprint}): it was signed by someone else's key.` };
}
