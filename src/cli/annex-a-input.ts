/**
 * `--annex-a` input for a subcommand: an Annex A workbook, or a folder of list CSVs, turned into
 * the case table by the same importer as the app, with the import log summarised on stderr and
 * bad input as one clear line (exit 2).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { AppFailure, formatError } from '../lib/errors.ts';
import type { ColumnInfo } from '../lib/data/schema.ts';
import { bytesOfSource, type Source } from '../lib/data/source.ts';
import { fingerprintOf, sha256HexOf } from '../lib/data/fingerprint.ts';
import { importAnnexA, type AnnexALog, type AnnexAOptions } from '../lib/annex-a/index.ts';
import { sourceFromPath } from './node-source.ts';

export interface AnnexAInput {
  table: Table;
  columns: ColumnInfo[];
  name: string;
  fingerprint: string;
  log: AnnexALog;
}

const LIST_FILE = /\.(csv|tsv|txt|xlsx)$/i;

/** The files of a return: the workbook itself, or a folder's list files in name order. */
function sourcesOf(p: string): Source[] {
  if (!existsSync(p)) throw new AppFailure({ code: 'no-file', message: `cannot read '${p}': no such file or folder`, file: p });
  if (statSync(p).isFile()) return [sourceFromPath(p)];
  const files = readdirSync(p).filter((f) => LIST_FILE.test(f) && !f.startsWith('.') && !f.startsWith('~$')).sort();
  if (files.length === 0) throw new AppFailure({ code: 'no-file', message: `the folder '${p}' holds no .csv or .xlsx list files`, file: p });
  return files.map((f) => sourceFromPath(path.join(p, f)));
}

/** One file: the SHA-256 of its bytes, as for any extract. Several: the SHA-256 of `name\0sha256\n` per file, in name order. */
async function fingerprintOfSources(sources: Source[]): Promise<string> {
  if (sources.length === 1) return fingerprintOf(sources[0]);
  const lines: string[] = [];
  for (const s of sources) lines.push(`${s.name}\0${await sha256HexOf(await bytesOfSource(s))}\n`);
  return sha256HexOf(new TextEncoder().encode(lines.join('')));
}

/** The log in a few lines for a terminal. */
export function logLines(log: AnnexALog): string[] {
  const out = [`Annex A: ${log.lists.map((l) => `List ${l.list} ${l.rows} rows${l.used ? '' : ' (not used)'}`).join(', ')}`];
  if (log.unrecognisedSheets.length) out.push(`not recognised: ${log.unrecognisedSheets.map((s) => `'${s.name}'`).join(', ')}`);
  for (const l of log.lists) if (l.unrecognisedColumns.length) out.push(`List ${l.list}: columns not recognised: ${l.unrecognisedColumns.join('; ')}`);
  out.push(`extract date ${log.extractDate} (${log.extractDateFrom.kind === 'given' ? 'given' : `latest date found: List ${log.extractDateFrom.list}, '${log.extractDateFrom.column}'`})`);
  out.push(`outcome ${log.outcome}: ${log.outcomeText}`);
  for (const d of log.dropped) out.push(`left out ${d.count} ${d.text}`);
  for (const r of log.rules) if (r.warning) out.push(`note: ${r.text}${r.count !== undefined ? ` (${r.count})` : ''}`);
  for (const e of log.issues.slice(0, 5)) out.push(`issue: ${formatError(e)}`);
  out.push(`case table: ${log.rows} rows, ${log.positives} with the outcome, ${log.children} children`);
  return out;
}

/**
 * Read an Annex A workbook or folder of list CSVs at `p` and build the case table for `outcome`
 * (`cp-or-cla-12m`, `s47-12m`, `rereferral-12m`). The table's outcome column is `outcome` (0/1).
 */
export async function loadAnnexAInput(p: string, outcome: string, options: Omit<AnnexAOptions, 'outcome'> & { quiet?: boolean } = {}): Promise<AnnexAInput> {
  const sources = sourcesOf(p);
  const result = await importAnnexA(sources, { ...options, outcome });
  const name = sources.length === 1 ? sources[0].name : path.basename(path.resolve(p));
  if (!result.ok) throw new AppFailure({ ...result.error, file: result.error.file ?? name });
  const { table, columns, log } = result.value;
  if (!options.quiet) for (const line of logLines(log)) process.stderr.write(line + '\n');
  if (table.numRows === 0)
    throw new AppFailure({
      code: 'no-rows',
      message: `no ${log.unit} has a complete ${log.months}-month outcome window at the extract date ${log.extractDate} (${log.incompleteWindow} too recent); give a later --extract-date only if the return really is that recent`,
      file: name,
    });
  return { table, columns, name, fingerprint: await fingerprintOfSources(sources), log };
}
