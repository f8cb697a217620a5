/**
 * One entry point for every file an analyst may bring: CSV/TSV, Excel
 * (.xlsx), Arrow IPC (file or stream) and Parquet. The reader is chosen by
 * the file's first bytes (its extension only breaks ties), so a CSV called
 * `.txt` or a Parquet file without an extension still loads.
 */
import { Table, type Vector } from 'apache-arrow';
import { tableOfColumns } from './arrow-vectors.ts';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { Cancelled, fail, ok } from '../errors.ts';
import type { ColumnInfo, ColumnType } from './schema.ts';
import { COLUMN_TYPES } from './schema.ts';
import type { Source } from './source.ts';
import { bytesOfSource } from './source.ts';
import { parseCsv } from './ingest-csv.ts';
import { readArrow, readParquet } from './ingest-typed.ts';
import { readXlsx } from './ingest-xlsx.ts';
import { buildColumn } from './build-table.ts';
import { rawColumnFromStrings } from './raw-column.ts';
import { ownValue, recordOf } from './names.ts';

export interface LoadOptions {
  /** Excel: the sheet to read (default: the first with data). */
  sheet?: string;
  typeOverrides?: Record<string, ColumnType>;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  cancel?: CancelToken;
}

export type FileFormat = 'csv' | 'tsv' | 'xlsx' | 'arrow' | 'parquet';

export interface LoadReport {
  format: FileFormat;
  encoding?: string;
  delimiter?: string;
  rows: number;
  /** Rows of the file not in the table (blank lines; Excel rows above the header). */
  skippedRows: number;
  /** Why those rows are not in the table, when not blank lines or rows above a header (an Annex A import says its own reasons). */
  skippedWhy?: string[];
  /** What went wrong or was changed, each naming file/row/column; long runs of one kind are capped and counted in issueCounts. */
  issues: AppError[];
  /** Number of issues of each code, including those not listed. */
  issueCounts: Record<string, number>;
  sheets?: string[];
  sheet?: string;
  /** Excel: the 1-based sheet row that held the header. */
  headerRow?: number;
}

export interface LoadedTable {
  table: Table;
  columns: ColumnInfo[];
  report: LoadReport;
  /** The file row (1-based, as a spreadsheet numbers it) of table row i, for messages; absent for
   *  Arrow and Parquet, whose rows are counted from 1. Not part of what crosses to the page. */
  fileRow?: (i: number) => number;
  /** The table as first read, before any type change: every retype starts again from it, so a change and its undo lose nothing. */
  original?: { table: Table; columns: ColumnInfo[]; issues: AppError[] };
}

/** The row number a message gives for table row i: the file row where there is one, else the data row counted from 1 (Arrow, Parquet). */
export function rowNumberOf(loaded: Partial<Pick<LoadedTable, 'fileRow'>> | object): (i: number) => number {
  const fileRow = 'fileRow' in loaded ? loaded.fileRow : undefined;
  return fileRow ?? ((i) => i + 1);
}

/** What a file's first bytes say it is, or null for text. */
export function sniffFormat(head: Uint8Array): 'xlsx' | 'xls' | 'arrow' | 'arrow-stream' | 'parquet' | null {
  const at = (s: string, o = 0): boolean => head.length >= o + s.length && [...s].every((ch, i) => head[o + i] === ch.charCodeAt(0));
  if (at('PK\x03\x04')) return 'xlsx';
  if (head.length >= 8 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  if (at('ARROW1')) return 'arrow';
  if (head.length >= 8 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow-stream';
  if (at('PAR1')) return 'parquet';
  return null;
}

async function headOf(source: Source): Promise<Uint8Array> {
  for await (const c of source.chunks()) return c.subarray(0, 16);
  return new Uint8Array(0);
}

function countsOf(issues: AppError[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of issues) {
    // Summary lines ("N rows had this problem in all") carry the true count in the message.
    const m = /^(\d+) rows had this problem in all/.exec(e.message);
    out[e.code] = m ? Number(m[1]) : (out[e.code] ?? 0) + 1;
  }
  return out;
}

function badOverrides(overrides: Record<string, ColumnType> | undefined, file: string): AppError | null {
  for (const [col, t] of Object.entries(overrides ?? {}))
    if (!COLUMN_TYPES.includes(t)) return { code: 'bad-type', message: `unknown column type '${String(t)}' (use one of ${COLUMN_TYPES.join(', ')})`, file, column: col };
  return null;
}

/** Read a file into an Arrow table with inferred (or overridden) column types and a report of anything odd. */
export async function loadTable(source: Source, opts: LoadOptions = {}): Promise<Result<LoadedTable>> {
  const file = source.name;
  const bad = badOverrides(opts.typeOverrides, file);
  if (bad) return fail(bad);
  try {
    if (source.size === 0) return fail({ code: 'empty-file', message: 'the file is empty', file });
    const kind = sniffFormat(await headOf(source));
    const progress = (done: number): void => opts.onProgress?.(done, source.size);
    const typed = { file, typeOverrides: opts.typeOverrides, cancel: opts.cancel };
    if (kind === 'xls')
      return fail({ code: 'xls-not-supported', message: 'this is an old-style Excel (.xls) file; save it as .xlsx or CSV and load that', file });
    if (kind === 'xlsx') {
      const r = readXlsx(await bytesOfSource(source, progress), { ...typed, sheet: opts.sheet });
      if (!r.ok) return r;
      const v = r.value;
      return ok({
        table: v.table,
        columns: v.columns,
        report: { format: 'xlsx', rows: v.table.numRows, skippedRows: v.skippedRows, issues: v.issues, issueCounts: countsOf(v.issues), sheets: v.sheets, sheet: v.sheet, headerRow: v.headerRow },
        fileRow: v.fileRow,
      });
    }
    if (kind === 'arrow' || kind === 'arrow-stream' || kind === 'parquet') {
      const bytes = await bytesOfSource(source, progress);
      const r = kind === 'parquet' ? await readParquet(bytes, typed) : readArrow(bytes, typed);
      if (!r.ok) return r;
      const v = r.value;
      return ok({
        table: v.table,
        columns: v.columns,
        report: { format: kind === 'parquet' ? 'parquet' : 'arrow', rows: v.table.numRows, skippedRows: 0, issues: v.issues, issueCounts: countsOf(v.issues) },
      });
    }
    const r = await parseCsv(source, { typeOverrides: opts.typeOverrides, onProgress: opts.onProgress, cancel: opts.cancel });
    if (!r.ok) return r;
    const v = r.value;
    return ok({
      table: v.table,
      columns: v.columns,
      report: {
        format: v.delimiter === '\t' ? 'tsv' : 'csv',
        encoding: v.encoding,
        delimiter: v.delimiter,
        rows: v.rows,
        skippedRows: v.skippedRows,
        issues: v.issues,
        issueCounts: countsOf(v.issues),
      },
      fileRow: v.fileRow,
    });
  } catch (e) {
    if (e instanceof Cancelled) return fail({ code: 'cancelled', message: 'loading was cancelled', file });
    throw e;
  }
}

/** Text of a cell as the loader would have read it: dates as ISO dates (with a time only when there is one). */
function textOf(x: unknown, isDate: boolean): string | null {
  if (x === null || x === undefined) return null;
  if (isDate) {
    const t = x instanceof Date ? x.getTime() : Number(x);
    const iso = new Date(t).toISOString();
    return t % 86_400_000 === 0 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  return typeof x === 'string' ? x : String(x);
}

/** Whole years (1900 to 2100, as in a `year` column) with no other kind of value. */
function isYearColumn(v: Vector): boolean {
  let seen = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as unknown;
    if (x === null || x === undefined) continue;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1900 || x > 2100) return false;
    seen++;
  }
  return seen > 0;
}

/** Cells that are missing, or not a value of the column's type (NaN in a number or date column). */
function missingIn(v: Vector): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as unknown;
    if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) n++;
  }
  return n;
}

export const YEAR_AS_DATE_NOTE = 'whole years (2019) were read as the first day of that year (1 January 2019)';

/**
 * The same table with some column types changed, without re-reading the
 * file. `overrides` are relative to the table as first read (the loader's
 * inferred types): each changed column is rebuilt from its values as first
 * read, so changing a type and changing it back gives the first column again.
 * A date column forced to number gives ms since epoch; a number column of whole
 * years forced to date reads each year as its 1 January (and says so). Cells
 * that cannot be read as the new type become missing, are counted as missing
 * and are reported.
 */
export function retype(loaded: LoadedTable, overrides: Record<string, ColumnType>): Result<LoadedTable> {
  const base = loaded.original ?? { table: loaded.table, columns: loaded.columns, issues: loaded.report.issues };
  const file = base.issues[0]?.file ?? '';
  const bad = badOverrides(overrides, file);
  if (bad) return fail(bad);
  for (const name of Object.keys(overrides))
    if (!base.columns.some((c) => c.name === name)) return fail({ code: 'missing-column', message: `there is no column named '${name}'`, column: name });
  const vectors: [string, Vector][] = [];
  const columns: ColumnInfo[] = [];
  const changed = (name: string) => ownValue(overrides, name) !== undefined && ownValue(overrides, name) !== base.columns.find((c) => c.name === name)?.type;
  const issues: AppError[] = base.issues.filter((e) => !(e.column !== undefined && changed(e.column) && (e.code === 'not-a-number' || e.code === 'not-a-date')));
  for (const info of base.columns) {
    const v = base.table.getChild(info.name)!;
    const want = ownValue(overrides, info.name);
    if (want === undefined || want === info.type) {
      vectors.push([info.name, v]);
      columns.push(info);
      continue;
    }
    const n = v.length;
    const isDate = info.type === 'date';
    const years = info.type === 'number' && want === 'date' && isYearColumn(v);
    const strs = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as unknown;
      if (isDate && want === 'number') strs[i] = x === null || x === undefined ? null : String(x instanceof Date ? x.getTime() : Number(x));
      else if (years) strs[i] = x === null || x === undefined ? null : `${String(x)}-01-01`;
      else strs[i] = textOf(x, isDate);
    }
    const b = buildColumn(info.name, rawColumnFromStrings(strs), { file, firstRow: 2, typeOverrides: recordOf([[info.name, want]]) });
    issues.push(...b.issues);
    vectors.push([info.name, b.vector]);
    const notes = years ? [...(b.info.notes ?? []).filter((t) => !/year-month-day/.test(t)), YEAR_AS_DATE_NOTE] : (b.info.notes ?? info.notes);
    // What inference said on the file stays the inferred type.
    columns.push({ ...info, ...b.info, type: want, inferredType: info.inferredType, missing: missingIn(b.vector), notes });
  }
  return ok({ table: tableOfColumns(vectors), columns, report: { ...loaded.report, issues, issueCounts: countsOf(issues) }, original: base, fileRow: loaded.fileRow });
}
