/**
 * `candour verify --bundle FILE [--trust KEY]...`: what can be said of a bundle someone sent,
 * checked with this copy of Candour rather than the viewer inside the file: its hash, its
 * signature and, with --trust, whether the signer is one of the given public keys.
 * Exit 0 when the checks asked for pass; 2 (one line on stderr) when the file fails them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, usage, UsageError, type FlagSpec } from './args.ts';
import { parseBundleText } from '../lib/bundle/read.ts';
import { checkAuthenticity, describeAuthenticity, parsePublicKey } from '../lib/bundle/signing.ts';
import { noscriptCheck } from '../lib/bundle/write-html.ts';
import { AppFailure } from '../lib/errors.ts';
import { VERSION } from '../lib/version.ts';

const SPEC: Record<string, FlagSpec> = {
  bundle: { kind: 'string', required: true, help: 'the bundle to check (.html or .json)' },
  trust: { kind: 'list', help: 'a public key you trust (64 hex digits, or a file holding one); then the bundle must be signed with one of them' },
  help: { kind: 'boolean', help: 'show this help' },
};

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppFailure({ code: 'read-failed', message: `cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file });
  }
}

function trustedKey(text: string): string {
  const key = parsePublicKey(text) ?? (/^[0-9a-f\s:]{64,}$/i.test(text) ? null : parsePublicKey(readText(text, 'trusted key file')));
  if (key === null) throw new UsageError(`--trust ${text}: not a public key (64 hexadecimal digits) or a file holding one`);
  return key;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, argv.includes('--help') ? { ...SPEC, bundle: { ...SPEC.bundle, required: false } } : SPEC);
  if (args.help) {
    process.stdout.write(usage('verify', 'check who signed a bundle and that it is unchanged', SPEC) + '\n');
    return 0;
  }
  const file = args.bundle as string;
  const trust = ((args.trust as string[] | undefined) ?? []).map(trustedKey);
  const text = readText(file, 'bundle');
  const parsed = parseBundleText(text, { file });
  if (!parsed.ok) throw new AppFailure(parsed.error);
  const isHtml = !text.replace(/^\uFEFF/, '').trimStart().startsWith('{');
  const a = checkAuthenticity(parsed.value.bundle, trust);
  const words = describeAuthenticity(a);
  process.stdout.write(`${words.title}: ${words.text}\nsha256 ${a.actualHash}\n${a.signer ? `signer ${a.signer.publicKey} (${a.signer.fingerprint})\n` : ''}`);
  if (a.status === 'failed') throw new AppFailure({ code: 'check-failed', message: `the bundle failed its check: ${a.problem}`, file });
  if (isHtml) {
    // The signature covers the JSON block; the plain summary shown without JavaScript is checked against it here.
    const summary = noscriptCheck(text, parsed.value.bundle, VERSION);
    if (summary === 'differs') throw new AppFailure({ code: 'summary-mismatch', message: 'the plain summary shown without JavaScript is not the one its checked content gives: it was changed after it was written', file });
    if (summary === 'other-version') process.stdout.write(`The plain summary shown without JavaScript was written by Candour ${parsed.value.bundle.tool.version} and is not checked by this version ${VERSION}: read the numbers with JavaScript on.\n`);
  }
  if (a.status === 'missing') throw new AppFailure({ code: 'integrity-missing', message: 'the bundle carries no hash or signature, so nothing can be checked', file });
  if (trust.length && !a.trusted) {
    throw new AppFailure({ code: 'not-trusted', message: a.signer ? `signed with key ${a.signer.fingerprint}, which is not one of the keys given with --trust` : 'not signed, so it cannot be matched to the keys given with --trust', file });
  }
  return 0;
}
