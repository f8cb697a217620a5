/**
 * Reading `--data FILE` for a subcommand: the same loader as the app, with progress on stderr
 * and bad input turned into one clear line (exit 2).
 */
import { existsSync, statSync } from 'node:fs';
import { AppFailure } from '../lib/errors.ts';
import { loadTable, type LoadedTable } from '../lib/data/load.ts';
import { fingerprintOf } from '../lib/data/fingerprint.ts';
import { COLUMN_TYPES, type ColumnType } from '../lib/data/schema.ts';
import { sourceFromPath } from './node-source.ts';
import { UsageError } from './args.ts';
import { say } from './messages.ts';
import { recordOf } from '../lib/data/names.ts';

export interface LoadedFile extends LoadedTable {
  name: string;
  fingerprint: string;
}

/** `--type COL=number` flags as overrides. */
export function typeOverrides(flags: string[] | undefined): Record<string, ColumnType> {
  const out = recordOf<ColumnType>();
  for (const f of flags ?? []) {
    const eq = f.lastIndexOf('=');
    const col = f.slice(0, eq);
    const type = f.slice(eq + 1) as ColumnType;
    if (eq <= 0 || !COLUMN_TYPES.includes(type)) throw new UsageError(`--type needs COL=${COLUMN_TYPES.join('|')}, got '${f}'`);
    out[col] = type;
  }
  return out;
}

export async function loadFile(path: string, opts: { sheet?: string; types?: Record<string, ColumnType>; quiet?: boolean } = {}): Promise<LoadedFile> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new AppFailure({ code: 'no-file', message: 'no such file', file: path });
  const source = sourceFromPath(path);
  let lastPct = -1;
  const result = await loadTable(source, {
    sheet: opts.sheet,
    typeOverrides: opts.types,
    onProgress: (done, total) => {
      const pct = total ? Math.floor((100 * done) / total) : 100;
      if (!opts.quiet && pct >= lastPct + 10) {
        lastPct = pct;
        process.stderr.write(`reading ${source.name}: ${pct}%\n`);
      }
    },
  });
  if (!result.ok) throw new AppFailure({ ...result.error, file: result.error.file ?? source.name });
  const known = new Set(result.value.columns.map((c) => c.name));
  for (const c of Object.keys(opts.types ?? {})) {
    if (!known.has(c)) throw new AppFailure({ code: 'missing-column', message: `--type names a column that is not in the file: '${c}'`, file: source.name, column: c });
  }
  const { report } = result.value;
  if (!opts.quiet) {
    process.stderr.write(`read ${report.rows} rows x ${result.value.columns.length} columns (${report.format}${report.encoding ? `, ${report.encoding}` : ''})\n`);
    const skipped = Object.entries(report.issueCounts).filter(([, n]) => n > 0);
    if (skipped.length) say(`notes: ${skipped.map(([k, n]) => `${n} ${k}`).join(', ')}`);
    // How values were read (12% as 12, 1,234 as 1234, day/month/year dates), per column.
    for (const c of result.value.columns) for (const n of c.notes ?? []) say(`note: column '${c.name}': ${n}`);
  }
  return { ...result.value, name: source.name, fingerprint: await fingerprintOf(source) };
}
