/**
 * The sheets of an Annex A return as plain columns of cells, whatever they came from: every
 * sheet of one workbook, one CSV (or workbook) per list, or the generator's lists. Reading is the
 * shared loader's (header row found below titles, dates told from numbers by cell style); this
 * module only turns its typed columns back into cells the importer interprets field by field.
 */
import type { Table } from 'apache-arrow';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { fail, ok, throwIfCancelled } from '../errors.ts';
import { loadTable, sniffFormat } from '../data/load.ts';
import { readXlsx } from '../data/ingest-xlsx.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { bytesOfSource, type Source } from '../data/source.ts';
import type { AnnexAList } from './lists.ts';
import type { Cell } from './values.ts';

export interface SheetColumn {
  name: string;
  /** One cell per data row. */
  values: Cell[];
  /** Numbers in `values` are day numbers (days since 1970-01-01) rather than plain numbers. */
  dates: boolean;
}

export interface SheetData {
  /** Sheet name, or the file name for a CSV. */
  name: string;
  /** Where, for messages: `file [sheet]` or the file name. */
  where: string;
  /** 1-based row of the header in the sheet or file. */
  headerRow: number;
  rows: number;
  columns: SheetColumn[];
  /** Problems the loader reported (capped), each naming file, row and column. */
  issues: AppError[];
}

export interface AnnexASheets {
  /** The file (or files) read, for the log. */
  name: string;
  format: 'xlsx' | 'csv' | 'lists';
  sheets: SheetData[];
  /** Sheets that could not be read (empty, header only), with the reason. */
  unreadable: { name: string; reason: string }[];
}

const MS_PER_DAY = 86_400_000;

function columnsOf(table: Table, columns: ColumnInfo[]): SheetColumn[] {
  return columns.map((c) => {
    if (c.type === 'date') {
      const ms = numericColumn(table, c.name);
      return { name: c.name, dates: true, values: Array.from(ms, (x) => (Number.isNaN(x) ? null : Math.floor(x / MS_PER_DAY))) };
    }
    if (c.type === 'number') {
      const xs = numericColumn(table, c.name);
      return { name: c.name, dates: false, values: Array.from(xs, (x) => (Number.isNaN(x) ? null : x)) };
    }
    return { name: c.name, dates: false, values: stringColumn(table, c.name) };
  });
}

/** Every sheet of a workbook. Sheets that are empty or hold only a header are listed as unreadable, not errors. */
export function sheetsOfWorkbook(bytes: Uint8Array, file: string, cancel?: CancelToken): Result<{ sheets: SheetData[]; unreadable: AnnexASheets['unreadable'] }> {
  const first = readXlsx(bytes, { file, cancel });
  let names: string[];
  if (first.ok) names = first.value.sheets;
  else if (first.error.code === 'no-rows') return ok({ sheets: [], unreadable: [{ name: file, reason: first.error.message }] });
  else return fail(first.error);
  const sheets: SheetData[] = [];
  const unreadable: AnnexASheets['unreadable'] = [];
  for (const name of names) {
    throwIfCancelled(cancel);
    const r = name === first.value.sheet ? first : readXlsx(bytes, { file, sheet: name, cancel });
    if (!r.ok) {
      unreadable.push({ name, reason: r.error.message });
      continue;
    }
    const v = r.value;
    sheets.push({ name, where: `${file} [${name}]`, headerRow: v.headerRow, rows: v.table.numRows, columns: columnsOf(v.table, v.columns), issues: v.issues });
  }
  return ok({ sheets, unreadable });
}

/**
 * An Annex A return from one workbook (all its sheets) or several files (one CSV or workbook per
 * list, named `List_3.csv`, `Referrals.csv`, ...).
 */
export async function readAnnexASources(sources: readonly Source[], opts: { cancel?: CancelToken; onProgress?: (done: number, total: number) => void } = {}): Promise<Result<AnnexASheets>> {
  if (sources.length === 0) return fail({ code: 'no-file', message: 'no Annex A file was given' });
  const sheets: SheetData[] = [];
  const unreadable: AnnexASheets['unreadable'] = [];
  let anyXlsx = false;
  const total = sources.reduce((s, x) => s + x.size, 0);
  let done = 0;
  for (const source of sources) {
    throwIfCancelled(opts.cancel);
    if (source.size === 0) {
      unreadable.push({ name: source.name, reason: 'the file is empty' });
      continue;
    }
    const bytes = await bytesOfSource(source);
    const kind = sniffFormat(bytes.subarray(0, 16));
    if (kind === 'xlsx') {
      anyXlsx = true;
      const r = sheetsOfWorkbook(bytes, source.name, opts.cancel);
      if (!r.ok) return r;
      // A workbook among list files stands for one list when it has one sheet: name it by its file.
      const single = sources.length > 1 && r.value.sheets.length === 1;
      for (const s of r.value.sheets) sheets.push(single ? { ...s, name: source.name } : s);
      unreadable.push(...r.value.unreadable);
    } else if (kind === null) {
      const r = await loadTable(source, { cancel: opts.cancel });
      if (!r.ok) {
        if (r.error.code === 'cancelled') return r;
        unreadable.push({ name: source.name, reason: r.error.message });
      } else {
        const v = r.value;
        sheets.push({ name: source.name, where: source.name, headerRow: 1, rows: v.table.numRows, columns: columnsOf(v.table, v.columns), issues: v.report.issues });
      }
    } else unreadable.push({ name: source.name, reason: kind === 'xls' ? 'an old-style Excel (.xls) file: save it as .xlsx or CSV' : `a ${kind} file, not an Annex A workbook or list CSV` });
    done += source.size;
    opts.onProgress?.(done, total);
  }
  const name = sources.length === 1 ? sources[0].name : `${sources.length} files (${sources.map((s) => s.name).join(', ')})`;
  return ok({ name, format: anyXlsx && sources.length === 1 ? 'xlsx' : 'csv', sheets, unreadable });
}

/** The generator's lists as sheets (no file in between), for tests and synthetic runs. */
export function sheetsOfLists(lists: readonly AnnexAList[], name = 'synthetic Annex A'): AnnexASheets {
  const sheets = lists.map((l) => ({
    name: l.sheet,
    where: `${name} [${l.sheet}]`,
    headerRow: 1,
    rows: l.rows.length,
    columns: l.columns.map((c, j) => ({ name: c, dates: l.types[j] === 'date', values: l.rows.map((r) => (r[j] === '' ? null : r[j])) })),
    issues: [],
  }));
  return { name, format: 'lists', sheets, unreadable: [] };
}
