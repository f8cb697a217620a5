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

/** Every cell of one column of a batch as CSV text (fast paths for the common storage types). */
function columnCells(vec: Vector, isDate: boolean): string[] {
  const n = vec.length;
  const out = new Array<string>(n);
  const type = vec.type;
  const valid = (i: number) => vec.nullCount === 0 || vec.isValid(i);
  if (DataType.isDictionary(type) && vec.data.length === 1) {
    const data = vec.data[0];
    const dict = data.dictionary!;
    const labels = Array.from({ length: dict.length }, (_, k) => csvField(cellOf(dict.get(k), false)));
    const codes = data.values as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = valid(i) ? labels[codes[i]] : '';
    return out;
  }
  if (DataType.isFloat(type) && vec.data.length === 1 && !isDate) {
    const values = vec.data[0].values as ArrayLike<number>;
    for (let i = 0; i < n; i++) out[i] = valid(i) ? csvField(values[i]) : '';
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = csvField(cellOf(vec.get(i), isDate));
  return out;
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
    const cols = names.map((_, j) => columnCells(batch.getChildAt(j)!, isDate[j]));
    const n = batch.numRows;
    const lines: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let s = cols[0][i];
      for (let j = 1; j < cols.length; j++) s += ',' + cols[j][i];
      lines[i] = s + '\r\n';
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
