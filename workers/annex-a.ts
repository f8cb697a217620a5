/**
 * The Annex A import as the compute worker runs it: the files the user dropped (one workbook,
 * or one file per list) to the case table, its import log, a fingerprint and a load report in
 * the shape the Data page already shows for any file.
 */
import type { Table } from 'apache-arrow';
import type { Result } from '../src/lib/errors.ts';
import { fail, ok } from '../src/lib/errors.ts';
import type { ColumnInfo } from '../src/lib/data/schema.ts';
import type { LoadReport } from '../src/lib/data/load.ts';
import { bytesOfSource, sourceFromBlob, sourceFromBytes, type Source } from '../src/lib/data/source.ts';
import { sha256HexOf } from '../src/lib/data/fingerprint.ts';
import { importAnnexA, type AnnexALog, type AnnexAOptions } from '../src/lib/annex-a/index.ts';

export interface AnnexAWorkerImport {
  table: Table;
  columns: ColumnInfo[];
  log: AnnexALog;
  /** The file name, or `N files` for a set of list files. */
  name: string;
  /** SHA-256 of the one file's bytes; for several files, of `name\0sha256\n` per file in name order (as the command line). */
  fingerprint: string;
  report: LoadReport;
}

export type AnnexAFileInput = Blob & { name: string };

/** The load report of an import: rows of the case table, rows dropped, cell issues. */
export function loadReportOf(log: AnnexALog, rows: number): LoadReport {
  const issueCounts: Record<string, number> = {};
  for (const e of log.issues) issueCounts[e.code] = (issueCounts[e.code] ?? 0) + 1;
  return {
    format: log.format === 'xlsx' ? 'xlsx' : 'csv',
    rows,
    skippedRows: log.dropped.reduce((s, d) => s + d.count, 0),
    skippedWhy: log.dropped.map((d) => `${d.count} ${d.text}`),
    issues: log.issues,
    issueCounts,
    sheets: log.lists.flatMap((l) => l.sheets).concat(log.unrecognisedSheets.map((s) => s.name)),
  };
}

async function fingerprintOfSources(sources: Source[]): Promise<string> {
  if (sources.length === 1) return sha256HexOf(await bytesOfSource(sources[0]));
  const lines: string[] = [];
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) lines.push(`${s.name}\0${await sha256HexOf(await bytesOfSource(s))}\n`);
  return sha256HexOf(new TextEncoder().encode(lines.join('')));
}

/** Import an Annex A return from dropped files (browser `File`s) or bytes already in memory. */
export async function importAnnexAFiles(
  input: readonly AnnexAFileInput[] | { name: string; bytes: Uint8Array },
  options: AnnexAOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<Result<AnnexAWorkerImport>> {
  const sources: Source[] = 'bytes' in input ? [sourceFromBytes(input.name, input.bytes)] : input.map((f) => sourceFromBlob(f.name, f));
  if (sources.length === 0) return fail({ code: 'no-file', message: 'drop an Annex A workbook, or one CSV per list' });
  const r = await importAnnexA(sources, options);
  if (!r.ok) return r;
  const { table, columns, log } = r.value;
  return ok({
    table,
    columns,
    log,
    name: sources.length === 1 ? sources[0].name : `${sources.length} files`,
    fingerprint: await fingerprintOfSources(sources),
    report: loadReportOf(log, table.numRows),
  });
}
