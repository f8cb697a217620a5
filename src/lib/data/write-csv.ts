/**
 * RFC 4180 CSV writing: comma-separated, CRLF line ends, a field quoted (with inner quotes
 * doubled) when it holds a comma, quote, CR or LF, or starts or ends with a space. Blank = missing.
 * Arrow tables are written batch by batch so a million rows never become one giant string.
 */
import { DataType, type Table, type Vector } from 'apache-arrow';

export type CsvValue = string | number | boolean | null | undefined;

/** One field, quoted only when needed. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One record, with its CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i ? ',' : '') + csvField(values[i]);
  return s + '\r\n';
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** `yyyy-mm-dd` of a date's UTC calendar day, plus `Thh:mm:ss` when it is not midnight. */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return ms % 86_400_000 === 0 ? day : d.toISOString().replace(/\.000Z$/, 'Z');
}

function cellOf(v: unknown, isDate: boolean): CsvValue {
  if (v === null || v === undefined) return null;
  if (isDate) return isoDate(v instanceof Date ? v.getTime() : Number(v));
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Date) return isoDate(v.getTime());
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/**
 * CSV text of a table in pieces: the header (unless `header: false`), then one piece per record
 * batch. Dates are written `yyyy-mm-dd`; numbers as JavaScript prints them; nulls blank.
 */
export function* tableCsvChunks(table: Table, opts: { header?: boolean } = {}): Generator<string> {
  const names = table.schema.fields.map((f) => f.name);
  const isDate = table.schema.fields.map((f) => DataType.isDate(f.type) || DataType.isTimestamp(f.type));
  if (opts.header ?? true) yield csvLine(names);
  for (const batch of table.batches) {
    const cols: Vector[] = names.map((_, j) => batch.getChildAt(j)!);
    const n = batch.numRows;
    const lines: string[] = new Array(n);
    const row: CsvValue[] = new Array(names.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cols.length; j++) row[j] = cellOf(cols[j].get(i), isDate[j]);
      lines[i] = csvLine(row);
    }
    yield lines.join('');
  }
}

/** The whole table as one CSV string (small tables; stream tableCsvChunks for big ones). */
export function tableToCsv(table: Table, opts: { header?: boolean } = {}): string {
  return [...tableCsvChunks(table, opts)].join('');
}

/** CSV text of a header and rows of plain values. */
export function rowsToCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const parts = [csvLine(header)];
  for (const r of rows) parts.push(csvLine(r));
  return parts.join('');
}
