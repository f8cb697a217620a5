/**
 * A small, strict argument parser for the `candour` command. Flags are
 * `--name value` or `--name=value`; repeatable flags collect into arrays.
 * Unknown flags are an error (exit 2), never silently ignored.
 */
export interface FlagSpec {
  /** 'string' takes a value; 'boolean' takes none; 'list' takes a value and may repeat. */
  kind: 'string' | 'boolean' | 'list';
  required?: boolean;
  help: string;
}

export type ParsedArgs = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  // Flag names come from the command line: never read or set one through Object.prototype.
  const out: ParsedArgs = Object.create(null) as ParsedArgs;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument '${token}'`);
    const eq = token.indexOf('=');
    const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    const flag = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!flag) throw new UsageError(`unknown option --${name}`);
    if (flag.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = token.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (flag.kind === 'list') out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else out[name] = value;
  }
  for (const [name, flag] of Object.entries(spec)) {
    if (flag.required && out[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return out;
}

/** Help text for a subcommand, one flag a line. */
export function usage(command: string, summary: string, spec: Record<string, FlagSpec>): string {
  const lines = [`candour ${command}: ${summary}`, '', 'options:'];
  for (const [name, flag] of Object.entries(spec)) {
    const arg = flag.kind === 'boolean' ? '' : ' VALUE';
    const rep = flag.kind === 'list' ? ' (repeatable)' : '';
    const req = flag.required ? ' (required)' : '';
    lines.push(`  --${name}${arg}`.padEnd(28) + flag.help + rep + req);
  }
  return lines.join('\n');
}

/** A number flag, or a UsageError naming it. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args[name];
  if (v === undefined) return fallback;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`);
  return x;
}
