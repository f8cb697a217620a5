import { describe, it, expect } from 'vitest';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { withIntegrity, canonicalJson } from '../../src/lib/bundle/integrity.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { bundleScriptJson } from '../../src/lib/bundle/write-html.ts';
import { parseBundleText } from '../../src/lib/bundle/read.ts';
import { validateBundle } from '../../src/lib/bundle/validate.ts';
import {
  createKeyFile, keyFileText, parseKeyFile, signBundle, checkAuthenticity, keyFingerprint, parsePublicKey,
  describeAuthenticity, SIGNED_PREFIX, type KeyFile,
} from '../../src/lib/bundle/signing.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { exampleBundle } from './make-bundle.ts';

/** Deterministic bytes for tests (never for real keys). */
const counter = (start: number) => {
  let c = start;
  return (n: number) => Uint8Array.from({ length: n }, () => c++ & 255);
};
const COUNCIL = createKeyFile(new Date('2026-01-01T00:00:00Z'), counter(1));
const ATTACKER = createKeyFile(new Date('2026-01-01T00:00:00Z'), counter(101));
const copy = (b: Bundle): Bundle => JSON.parse(JSON.stringify(b));
const signed = () => copy(signBundle(shareableBundle(exampleBundle()), COUNCIL));

describe('key file', () => {
  it('round-trips through its text and keeps its public key tied to its secret key', () => {
    const parsed = parseKeyFile(keyFileText(COUNCIL));
    expect(parsed.ok && parsed.value).toEqual(COUNCIL);
    expect(COUNCIL.schema).toBe('candour.key/1');
    expect(COUNCIL.recordKeySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(COUNCIL.recordKeySecret).not.toBe(COUNCIL.ed25519.secretKey);
  });
  it('refuses a file whose public key is not its secret key\'s, naming the file', () => {
    const bad = { ...COUNCIL, ed25519: { ...COUNCIL.ed25519, publicKey: ATTACKER.ed25519.publicKey } };
    const r = parseKeyFile(JSON.stringify(bad), 'council.key');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'key-file-invalid', file: 'council.key' });
    expect(r.ok || r.error.message).toMatch(/does not belong/);
  });
  it('refuses text that is not a key file', () => {
    for (const t of ['', 'not json', '[]', '{"schema":"candour.bundle/1"}', JSON.stringify({ ...COUNCIL, recordKeySecret: 'xyz' })]) {
      expect(parseKeyFile(t).ok).toBe(false);
    }
  });
  it('makes a different key each time from the platform\'s random source', () => {
    const a = createKeyFile(new Date(0)), b = createKeyFile(new Date(0));
    expect(a.ed25519.secretKey).not.toBe(b.ed25519.secretKey);
    expect(a.recordKeySecret).not.toBe(b.recordKeySecret);
  });
  it('never puts the secret key or the record-key secret into the bundle', () => {
    const text = bundleScriptJson(signed());
    expect(text).not.toContain(COUNCIL.ed25519.secretKey);
    expect(text).not.toContain(COUNCIL.recordKeySecret);
    expect(text).toContain(COUNCIL.ed25519.publicKey);
  });
});

describe('signature', () => {
  it('is a standard Ed25519 signature that node:crypto verifies over the documented message', () => {
    const b = signed();
    const { integrity, ...rest } = b;
    const sig = integrity!.signature!;
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(sig.publicKey, 'hex').toString('base64url') }, format: 'jwk' });
    const message = Buffer.from(SIGNED_PREFIX + canonicalJson(rest), 'utf8');
    expect(nodeVerify(null, message, key, Buffer.from(sig.value, 'hex'))).toBe(true);
    message[message.length - 2] ^= 1;
    expect(nodeVerify(null, message, key, Buffer.from(sig.value, 'hex'))).toBe(false);
  });
  it('passes the published JSON Schema and survives the HTML data block', () => {
    const b = signed();
    expect(validateBundle(b).ok).toBe(true);
    const read = parseBundleText(bundleScriptJson(b));
    expect(read.ok && checkAuthenticity(read.value.bundle).status).toBe('signed');
  });
  it('reports the signer\'s fingerprint, and trust only for a key the reader trusts', () => {
    const a = checkAuthenticity(signed());
    expect(a).toMatchObject({ status: 'signed', trusted: false, signer: { publicKey: COUNCIL.ed25519.publicKey, fingerprint: keyFingerprint(COUNCIL.ed25519.publicKey) } });
    expect(checkAuthenticity(signed(), [ATTACKER.ed25519.publicKey]).trusted).toBe(false);
    expect(checkAuthenticity(signed(), [`ed25519:${COUNCIL.ed25519.publicKey.toUpperCase()}`]).trusted).toBe(true);
  });
  it('fingerprints are 16 hex digits in groups of four and differ between keys', () => {
    expect(keyFingerprint(COUNCIL.ed25519.publicKey)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(keyFingerprint(COUNCIL.ed25519.publicKey)).not.toBe(keyFingerprint(ATTACKER.ed25519.publicKey));
  });
  it('parses pasted public keys and refuses anything else', () => {
    expect(parsePublicKey(`  ${COUNCIL.ed25519.publicKey.replace(/(.{8})/g, '$1 ')} `)).toBe(COUNCIL.ed25519.publicKey);
    expect(parsePublicKey('abc')).toBeNull();
    expect(parsePublicKey(COUNCIL.ed25519.secretKey + '00')).toBeNull();
  });
});

describe('attacks on authenticity', () => {
  it('an unsigned bundle whose numbers were edited and whose hash was recomputed is only "unchanged since written", never signed', () => {
    const forged = copy(shareableBundle(exampleBundle()));
    forged.results[0].atThreshold.precision = 0.99;
    const reHashed = withIntegrity(forged);
    const a = checkAuthenticity(reHashed, [COUNCIL.ed25519.publicKey]);
    expect(a.status).toBe('unsigned');
    expect(a.trusted).toBe(false);
    const words = describeAuthenticity(a);
    expect(words.title + words.text).toMatch(/does not show who wrote it/);
    expect(words.title + words.text).not.toMatch(/Candour wrote|trust/i);
  });
  it('a signed bundle edited and re-hashed, keeping the old signature, fails', () => {
    const forged = signed();
    const sig = forged.integrity!.signature!;
    forged.results[0].atThreshold.precision = 0.99;
    const reHashed = withIntegrity(forged);
    reHashed.integrity!.signature = sig;
    const a = checkAuthenticity(reHashed, [COUNCIL.ed25519.publicKey]);
    expect(a.status).toBe('failed');
    expect(a.trusted).toBe(false);
    expect(a.problem).toMatch(/signature does not match/);
  });
  it('a signed bundle edited without touching the hash fails on the hash', () => {
    const forged = signed();
    forged.data.rows = (forged.data.rows ?? 0) + 5;
    expect(checkAuthenticity(forged, [COUNCIL.ed25519.publicKey])).toMatchObject({ status: 'failed', trusted: false });
  });
  it('an edited bundle re-signed with another key is signed, but not by the trusted key, and shows a different fingerprint', () => {
    const forged = signed();
    forged.results[0].atThreshold.precision = 0.99;
    const a = checkAuthenticity(signBundle(forged, ATTACKER), [COUNCIL.ed25519.publicKey]);
    expect(a.status).toBe('signed');
    expect(a.trusted).toBe(false);
    expect(a.signer!.fingerprint).not.toBe(keyFingerprint(COUNCIL.ed25519.publicKey));
    expect(describeAuthenticity(a).title).not.toMatch(/you trust/);
  });
  it('a signature claiming the trusted key but made with another key fails', () => {
    const forged = signBundle(signed(), ATTACKER);
    forged.integrity!.signature!.publicKey = COUNCIL.ed25519.publicKey;
    expect(checkAuthenticity(forged, [COUNCIL.ed25519.publicKey])).toMatchObject({ status: 'failed', trusted: false });
  });
  it('a signature copied from another bundle of the same council fails', () => {
    const other = copy(signBundle(shareableBundle(exampleBundle(1500, 8)), COUNCIL));
    const b = signed();
    b.integrity!.signature = other.integrity!.signature;
    expect(checkAuthenticity(b, [COUNCIL.ed25519.publicKey]).status).toBe('failed');
  });
  it('the all-zero (small-order) public key and signature are refused', () => {
    const b = signed();
    b.integrity!.signature = { algorithm: 'ed25519', publicKey: '0'.repeat(64), value: '0'.repeat(128) };
    expect(checkAuthenticity(b).status).toBe('failed');
    b.integrity!.signature = { algorithm: 'ed25519', publicKey: '01' + '0'.repeat(62), value: '01' + '0'.repeat(126) };
    expect(checkAuthenticity(b).status).toBe('failed');
  });
  it('a malformed signature fails rather than being ignored', () => {
    for (const sig of [null, 'x', { algorithm: 'rsa', publicKey: COUNCIL.ed25519.publicKey, value: 'ab' }, { algorithm: 'ed25519', publicKey: 'zz', value: '00' }]) {
      const b = signed();
      (b.integrity as unknown as Record<string, unknown>).signature = sig;
      expect(checkAuthenticity(b).status).toBe('failed');
    }
  });
  it('stripping the signature leaves only "unchanged since written"', () => {
    const b = signed();
    delete b.integrity!.signature;
    expect(checkAuthenticity(b, [COUNCIL.ed25519.publicKey])).toMatchObject({ status: 'unsigned', trusted: false });
  });
  it('a bundle with no hash cannot be checked', () => {
    expect(checkAuthenticity(exampleBundle()).status).toBe('missing');
  });
});

describe('words', () => {
  const key: KeyFile = COUNCIL;
  it('never claim more than is checked', () => {
    const signedTrusted = describeAuthenticity(checkAuthenticity(signed(), [key.ed25519.publicKey]));
    const signedOnly = describeAuthenticity(checkAuthenticity(signed()));
    expect(signedTrusted.title).toMatch(/key you trust/);
    expect(signedTrusted.text).toContain(keyFingerprint(key.ed25519.publicKey));
    expect(signedOnly.title).not.toMatch(/trust/);
    expect(signedOnly.text).toMatch(/compare/i);
    for (const w of [signedTrusted, signedOnly]) expect(w.text).not.toMatch(/Candour wrote|numbers are (right|correct)/);
    expect(describeAuthenticity(checkAuthenticity(exampleBundle())).tone).toBe('warning');
    const failed = signed();
    failed.data.name = 'edited';
    expect(describeAuthenticity(checkAuthenticity(failed)).tone).toBe('error');
  });
});

describe('the HTML file without JavaScript', () => {
  it('states the hash and the claimed key as claims, never as checked', async () => {
    const { noscriptSummary } = await import('../../src/lib/bundle/write-html.ts');
    const s = noscriptSummary(signed());
    expect(s).toContain(COUNCIL.ed25519.publicKey);
    expect(s).toMatch(/neither is checked without JavaScript/);
    expect(noscriptSummary(shareableBundle(exampleBundle()))).toMatch(/not signed: a hash can show a file is unchanged since it was written, never who wrote it/i);
  });
});

describe('any edit to a signed bundle', () => {
  /** JSON paths of every leaf outside `integrity`. */
  const leaves = (v: unknown, path: (string | number)[] = []): (string | number)[][] =>
    v !== null && typeof v === 'object'
      ? Object.entries(v as object).flatMap(([k, x]) => (path.length === 0 && k === 'integrity' ? [] : leaves(x, [...path, Array.isArray(v) ? Number(k) : k])))
      : [path];
  const base = signed();
  const paths = leaves(base);

  it('fails the check, with or without a recomputed hash, whichever value is changed or added', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), fc.boolean(), fc.boolean(), (i, rehash, add) => {
        const b = copy(base);
        const path = paths[i];
        const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, b as unknown as Record<string, unknown>);
        const last = path[path.length - 1];
        if (add) (b as unknown as Record<string, unknown>).note = 'checked by the regulator';
        else {
          const old = parent[last];
          parent[last] = typeof old === 'number' ? old + 1 : typeof old === 'string' ? old + ' ' : typeof old === 'boolean' ? !old : 0;
        }
        const sig = b.integrity!.signature;
        const edited = rehash ? withIntegrity(b) : b;
        if (rehash) edited.integrity!.signature = sig;
        const a = checkAuthenticity(edited, [COUNCIL.ed25519.publicKey]);
        expect(a.status).toBe('failed');
        expect(a.trusted).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
