import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex, sha256, base64, canonicalJson, withIntegrity, verifyIntegrity, bundleHash } from '../../src/lib/bundle/integrity.ts';
import { exampleBundle } from './make-bundle.ts';

const sha256sum = (text: string): string => execFileSync('sha256sum', [], { input: Buffer.from(text, 'utf8') }).toString().split(' ')[0];

describe('sha256', () => {
  it('hashes the empty string to the FIPS 180-4 value', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('hashes "abc" to the FIPS 180-4 value', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('equals sha256sum at every padding boundary and for non-ASCII text', () => {
    for (const len of [1, 55, 56, 57, 63, 64, 65, 119, 120, 1000]) {
      const s = 'x'.repeat(len);
      expect(sha256Hex(s)).toBe(sha256sum(s));
    }
    const u = 'Café — ünïcode 🙂 </script>';
    expect(sha256Hex(u)).toBe(sha256sum(u));
  });
  it('equals node:crypto on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(Buffer.from(sha256(b)).toString('hex')).toBe(createHash('sha256').update(b).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
  it('base64 equals Buffer base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (b) => {
        expect(base64(b)).toBe(Buffer.from(b).toString('base64'));
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], u: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });
  it('is unchanged by a JSON round trip and by key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(text);
      }),
    );
  });
});

describe('bundle integrity', () => {
  it('records the sha256sum of the canonical JSON without the integrity field', () => {
    const b = withIntegrity(exampleBundle());
    const { integrity, ...rest } = b;
    expect(integrity?.algorithm).toBe('sha256');
    expect(integrity?.hash).toBe(sha256sum(canonicalJson(rest)));
  });
  it('verifies after a JSON round trip', () => {
    const b = JSON.parse(JSON.stringify(withIntegrity(exampleBundle())));
    expect(verifyIntegrity(b)).toEqual({ ok: true, expected: b.integrity.hash, actual: b.integrity.hash });
  });
  it('fails when one number is changed', () => {
    const b = JSON.parse(JSON.stringify(withIntegrity(exampleBundle())));
    b.results[0].atThreshold.precision = 0.99;
    const check = verifyIntegrity(b);
    expect(check.ok).toBe(false);
    expect(check.actual).toBe(bundleHash(b));
    expect(check.expected).not.toBe(check.actual);
  });
  it('is not ok without an integrity field', () => {
    expect(verifyIntegrity(exampleBundle()).ok).toBe(false);
    expect(verifyIntegrity(exampleBundle()).expected).toBeNull();
  });
});
