/**
 * Who wrote a model file: the same Ed25519 key files and checks as bundles (bundle/signing.ts),
 * over the model file's canonical JSON. A hash alone shows the file matches the hash written in
 * it; a valid signature shows that whoever holds the secret key signed exactly this model. Whose
 * key that is, a reader learns only from the council or supplier that published it.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { canonicalJson, hex, utf8 } from '../bundle/integrity.ts';
import { fromHex, keyFingerprint, parsePublicKey, type KeyFile } from '../bundle/signing.ts';
import { modelHash, MODEL_SCHEMA, type ModelFile } from './model-file.ts';

/** What a signature covers: this prefix, then the canonical JSON of the file without `integrity`. */
export const MODEL_SIGNED_PREFIX = `${MODEL_SCHEMA} signed\n`;

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

function signedMessage(file: ModelFile): Uint8Array {
  const { integrity: _ignored, ...rest } = file;
  return utf8(MODEL_SIGNED_PREFIX + canonicalJson(rest));
}

/** A copy of `file` with its hash and the key file's signature over the same content. */
export function signModelFile(file: ModelFile, key: KeyFile): ModelFile {
  const { integrity: _old, ...rest } = file;
  const value = hex(ed25519.sign(signedMessage(file), fromHex(key.ed25519.secretKey)));
  return { ...rest, integrity: { algorithm: 'sha256', hash: modelHash(rest), signature: { algorithm: 'ed25519', publicKey: key.ed25519.publicKey, value } } };
}

export interface ModelAuthenticity {
  /** 'signed': valid signature by `signer`; 'unsigned': hash only; 'failed': see `problem`. */
  status: 'signed' | 'unsigned' | 'failed';
  signer: { publicKey: string; fingerprint: string } | null;
  /** Whether the signer is a key the reader said they trust. */
  trusted: boolean;
  problem: string | null;
}

/** The signature check of a model file whose hash already matched (parseModelFile). */
export function modelAuthenticity(file: ModelFile, trustedKeys: readonly string[] = []): ModelAuthenticity {
  const sig = (file.integrity as { signature?: unknown }).signature as { algorithm?: unknown; publicKey?: unknown; value?: unknown } | undefined;
  if (sig === undefined) return { status: 'unsigned', signer: null, trusted: false, problem: null };
  const key = sig && typeof sig.publicKey === 'string' && HEX64.test(sig.publicKey) ? sig.publicKey : null;
  const signer = key ? { publicKey: key, fingerprint: keyFingerprint(key) } : null;
  if (!sig || sig.algorithm !== 'ed25519' || !signer || typeof sig.value !== 'string' || !HEX128.test(sig.value)) {
    return { status: 'failed', signer, trusted: false, problem: 'its signature is malformed, so who signed it cannot be checked' };
  }
  let valid = false;
  try {
    valid = ed25519.verify(fromHex(sig.value), signedMessage(file), fromHex(signer.publicKey), { zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) return { status: 'failed', signer, trusted: false, problem: `its signature does not match its content for key ${signer.fingerprint}` };
  return { status: 'signed', signer, trusted: trustedKeys.some((k) => parsePublicKey(k) === signer.publicKey), problem: null };
}

/** One sentence on who wrote the file, never more than was checked. */
export function authenticityWords(a: ModelAuthenticity): string {
  if (a.status === 'signed') return `Signed by key ${a.signer!.fingerprint}${a.trusted ? ' (a key you trust)' : ': check with whoever sent it that this is their published key'}.`;
  if (a.status === 'unsigned') return 'Not signed: its hash shows it is unchanged since the hash was written, not who wrote it.';
  return `Its signature failed: ${a.problem}.`;
}
