/**
 * `candour keygen --out FILE`: a new council key file (Ed25519 signing key and record-key
 * secret). The file is private; the public key it prints is what the council publishes so that
 * readers can check its bundles' signatures.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, usage, type FlagSpec } from './args.ts';
import { createKeyFile, keyFileText, keyFingerprint } from '../lib/bundle/signing.ts';
import { AppFailure } from '../lib/errors.ts';

const SPEC: Record<string, FlagSpec> = {
  out: { kind: 'string', required: true, help: 'where to write the new key file (never overwritten; keep it private)' },
  help: { kind: 'boolean', help: 'show this help' },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, argv.includes('--help') ? { ...SPEC, out: { ...SPEC.out, required: false } } : SPEC);
  if (args.help) {
    process.stdout.write(usage('keygen', 'make a key file to sign bundles with', SPEC) + '\n');
    return 0;
  }
  const out = args.out as string;
  const key = createKeyFile(new Date());
  try {
    // 'wx': never replace an existing key (bundles signed with it could no longer be matched to a new one).
    writeFileSync(out, keyFileText(key), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppFailure({ code: 'key-file-write', message: code === 'EEXIST' ? 'the file already exists; a key file is never overwritten' : `cannot write the key file (${code ?? (e as Error).message})`, file: out });
  }
  process.stderr.write(`candour keygen: wrote ${out}; keep it private (whoever holds it can sign bundles as you)\n`);
  process.stdout.write(`public key: ${key.ed25519.publicKey}\nfingerprint: ${keyFingerprint(key.ed25519.publicKey)}\n`);
  return 0;
}
