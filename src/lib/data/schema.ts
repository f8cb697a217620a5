/**
 * How a loaded table is described and read. Every loader produces an Arrow
 * `Table` whose columns follow these storage conventions, so the rest of the
 * core reads columns through the accessors below and never cares where the
 * data came from:
 *
 * | type       | Arrow storage                          | meaning                               |
 * |------------|----------------------------------------|---------------------------------------|
 * | number     | Float64 (null = missing)               | a quantity                            |
 * | code       | Utf8 or Dictionary<Utf8>               | a code that looks numeric (`01`, 2A)  |
 * | category   | Dictionary<Int32, Utf8> or Utf8        | a small set of labels                 |
 * | date       | DateMillisecond (ms since epoch, UTC)  | a calendar date or date-time          |
 * | text       | Utf8                                   | free text (case notes)                |
 * | id         | Utf8                                   | an identifier (child ID)              |
 */
import type { Table, Vector } from 'apache-arrow';

export type ColumnType = 'number' | 'code' | 'category' | 'date' | 'text' | 'id';
export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'code', 'category', 'date', 'text', 'id'];

/** What the analyst says a column is for. */
export type ColumnRole = 'outcome' | 'date' | 'id' | 'group' | 'text' | 'score' | 'exclude' | 'feature';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** What inference said, kept so the UI can show an override. */
  inferredType: ColumnType;
  /** Cells read as missing (empty, NA, N/A, NULL, #N/A). */
  missing?: number;
  /** Distinct non-missing values, when the loader counted them (string-like columns). */
  distinct?: number;
  /** How values were read, for a person: "percentages (45%) were read as 45", "dates read as day/month/year". */
  notes?: string[];
}

function child(table: Table, name: string): Vector {
  const v = table.getChild(name);
  if (!v) throw new Error(`no column named '${name}'`);
  return v;
}

/** A numeric view of a column: Float64Array (n), NaN where missing or not a number.
 *  Dates give ms since epoch; strings are parsed with Number() (blank -> NaN). */
export function numericColumn(table: Table, name: string): Float64Array {
  const v = child(table, name);
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v.get(i) as unknown;
    if (x === null || x === undefined) out[i] = NaN;
    else if (typeof x === 'number') out[i] = x;
    else if (typeof x === 'bigint') out[i] = Number(x);
    else if (typeof x === 'boolean') out[i] = x ? 1 : 0;
    else if (x instanceof Date) out[i] = x.getTime();
    else {
      const s = String(x).trim();
      out[i] = s === '' ? NaN : Number(s);
    }
  }
  return out;
}

/** A string view of a column: (string | null)[] (n); numbers are printed as JavaScript prints them. */
export function stringColumn(table: Table, name: string): (string | null)[] {
  const v = child(table, name);
  const n = v.length;
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const x = v.get(i) as unknown;
    out[i] = x === null || x === undefined ? null : typeof x === 'string' ? x : x instanceof Date ? x.toISOString() : String(x);
  }
  return out;
}

/** Category codes for a column: codes Int32Array (n, -1 = missing) and the distinct labels in first-seen order. */
export function categoricalColumn(table: Table, name: string): { codes: Int32Array; levels: string[] } {
  const values = stringColumn(table, name);
  const index = new Map<string, number>();
  const levels: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s === null || s === '') {
      codes[i] = -1;
      continue;
    }
    let k = index.get(s);
    if (k === undefined) {
      k = levels.length;
      levels.push(s);
      index.set(s, k);
    }
    codes[i] = k;
  }
  return { codes, levels };
}
