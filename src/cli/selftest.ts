import { parseArgs, usage, type FlagSpec } from './args.ts';
import { rng } from '../lib/random.ts';

const SPEC: Record<string, FlagSpec> = { help: { kind: 'boolean', help: 'show this help' } };

/** A quick check that the core runs here: a seeded computation with a known answer. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.help) {
    process.stdout.write(usage('selftest', 'check the compute core works on this machine', SPEC) + '\n');
    return 0;
  }
  const r = rng(1);
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += r.next();
  process.stdout.write(JSON.stringify({ ok: true, node: process.version, meanOf1000Uniforms: sum / 1000 }) + '\n');
  return 0;
}
