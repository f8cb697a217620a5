/**
 * The `candour` command: the same core as the app, from a terminal, with no network.
 * Each subcommand lives in src/cli/<name>.ts and exports `run(argv): Promise<number>`
 * (the exit code). Exit 0 on success, 2 on bad input with one clear line on stderr.
 * Progress goes to stderr, results to the files named.
 */
import { UsageError } from './cli/args.ts';
import { AppFailure, formatError } from './lib/errors.ts';
import { VERSION } from './lib/version.ts';
import { printable } from './cli/messages.ts';

interface Subcommand {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  synth: { summary: 'write synthetic children\'s social care data with a known truth', load: () => import('./cli/synth.ts') },
  audit: { summary: 'evaluate an existing risk score (e.g. a vendor\'s) against outcomes', load: () => import('./cli/audit.ts') },
  evaluate: { summary: 'train and evaluate models on an extract, honestly split', load: () => import('./cli/evaluate.ts') },
  validate: { summary: 'test a model fitted elsewhere (a model file) on this extract, unchanged', load: () => import('./cli/validate.ts') },
  verify: { summary: 'check a bundle someone sent: unchanged, signed, and by a key you trust (--trust)', load: () => import('./cli/verify.ts') },
  keygen: { summary: 'make a key file to sign bundles with (--sign) and print its public key', load: () => import('./cli/keygen.ts') },
  selftest: { summary: 'check the compute core works on this machine', load: () => import('./cli/selftest.ts') },
};

function help(): string {
  const lines = [
    `candour ${VERSION}: test whether a predictive model for children's social care works, and for whom.`,
    '',
    'usage: candour <command> [options]     (candour <command> --help for its options)',
    '',
    'commands:',
  ];
  for (const [name, sub] of Object.entries(SUBCOMMANDS)) lines.push(`  ${name.padEnd(10)} ${sub.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  if (command === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  if (!sub) {
    process.stderr.write(`candour: unknown command '${printable(command)}' (try candour --help)\n`);
    return 2;
  }
  try {
    const mod = await sub.load();
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`candour ${command}: ${printable(e.message)} (try candour ${command} --help)\n`);
      return 2;
    }
    if (e instanceof AppFailure) {
      process.stderr.write(`candour ${command}: ${printable(formatError(e.error))}\n`);
      return 2;
    }
    throw e;
  }
}
