/**
 * Raw byte columns -> typed Arrow columns. Type inference and the storage
 * conventions of schema.ts live here, shared by every reader (CSV, Excel, and
 * string columns of Arrow/Parquet files).
 */
import { DateMillisecond, Dictionary, Float64, Int32, Table, Utf8, makeData, makeVector, type Vector } from 'apache-arrow';
import { tableOfColumns } from './arrow-vectors.ts';
import type { AppError, CancelToken } from '../errors.ts';
import { throwIfCancelled } from '../errors.ts';
import type { ColumnInfo, ColumnType } from './schema.ts';
import { ByteDictionary, type RawColumn } from './raw-column.ts';
import {
  DATE_ISO, DATE_TIME, DATE_UK, DATE_US_ORDER, NUM_FRACTION, NUM_LEADING_ZERO, NUM_PERCENT, NUM_THOUSANDS,
  isMissingCell, parseDateCell, parseNumberCell, trimEnd, trimStart,
} from './parse-cell.ts';
import { cp1252CodePoint, utf8FromCp1252 } from './text-encoding.ts';
import { ownValue } from './names.ts';

export interface BuildOptions {
  file: string;
  /** File row of data cell 0 (CSV: 2, the header being row 1). */
  firstRow: number;
  /** File row of data cell i when rows were skipped (blank lines); default firstRow + i. */
  rowOf?: (i: number) => number;
  typeOverrides?: Record<string, ColumnType>;
  /** false for string columns of typed files (Parquet/Arrow): text there is never re-read as numbers or dates. */
  readNumbers?: boolean;
  cancel?: CancelToken;
}

export interface BuiltColumn {
  vector: Vector;
  info: ColumnInfo;
  issues: AppError[];
}

/** Names that say "identifier". */
const ID_NAME = /(^|[^a-z])(id|ids|identifier|uid|urn|upn|nhs ?number|ref|reference|key)$|^id([^a-z]|$)|unique ?id/i;

export function isIdName(name: string): boolean {
  return ID_NAME.test(name.trim());
}

/** Cells counted while scanning a column once. */
interface Scan {
  n: number;
  missing: Uint8Array; // 1 = missing
  missingCount: number;
  values: Float64Array; // number or date ms, NaN otherwise
  numbers: number;
  dates: number;
  numFlags: number;
  dateFlags: number;
  usOrder: number;
  firstUsRow: number;
  integers: number;
}

/**
 * Buffers one column's scan may reuse from the previous column: fresh memory is slow to touch on
 * first use (PLATFORM.md), and most columns drop their scan buffers once their vector is built.
 */
export interface ScanScratch {
  missing?: Uint8Array;
  values?: Float64Array;
}

function scanColumn(col: RawColumn, readNumbers: boolean, scratch?: ScanScratch): Scan {
  const n = col.count;
  const { bytes, offsets } = col;
  let missing: Uint8Array;
  if (scratch?.missing && scratch.missing.length === n) {
    missing = scratch.missing;
    missing.fill(0);
  } else missing = new Uint8Array(n);
  // Every cell of values is written below, so a reused buffer needs no clearing.
  const values = scratch?.values && scratch.values.length === n ? scratch.values : new Float64Array(n);
  if (scratch) {
    scratch.missing = undefined;
    scratch.values = undefined;
  }
  const flagsOut = { flags: 0 };
  let missingCount = 0, numbers = 0, dates = 0, numFlags = 0, dateFlags = 0, usOrder = 0, firstUsRow = -1, integers = 0;
  for (let i = 0; i < n; i++) {
    const s = offsets[i], e = offsets[i + 1];
    const c0 = e > s ? bytes[s] : 0;
    // Most cells start with a digit: try the number first and skip the missing-value check.
    if (readNumbers && c0 >= 0x30 && c0 <= 0x39) {
      flagsOut.flags = 0;
      const x = parseNumberCell(bytes, s, e, flagsOut);
      if (x === x) {
        values[i] = x;
        numbers++;
        numFlags |= flagsOut.flags;
        if (Number.isInteger(x)) integers++;
        continue;
      }
    }
    if (isMissingCell(bytes, s, e)) {
      missing[i] = 1;
      missingCount++;
      values[i] = NaN;
      continue;
    }
    if (readNumbers) {
      flagsOut.flags = 0;
      const x = parseNumberCell(bytes, s, e, flagsOut);
      if (x === x) {
        values[i] = x;
        numbers++;
        numFlags |= flagsOut.flags;
        if (Number.isInteger(x)) integers++;
        continue;
      }
      flagsOut.flags = 0;
      const t = parseDateCell(bytes, s, e, flagsOut);
      if (t === t) {
        values[i] = t;
        dates++;
        dateFlags |= flagsOut.flags;
        continue;
      }
      if (flagsOut.flags & DATE_US_ORDER) {
        usOrder++;
        if (firstUsRow < 0) firstUsRow = i;
      }
    }
    values[i] = NaN;
  }
  return { n, missing, missingCount, values, numbers, dates, numFlags, dateFlags, usOrder, firstUsRow, integers };
}

interface StringStats {
  dict: ByteDictionary;
  codes: Int32Array;
  maxLen: number;
  sumLen: number;
  withSpace: number;
  codeLike: number;
}

/** Distinct trimmed values and shape statistics of a column's non-missing cells. */
function stringStats(col: RawColumn, missing: Uint8Array): StringStats {
  const { bytes, offsets } = col;
  const n = col.count;
  const dict = new ByteDictionary(bytes, 64);
  const codes = new Int32Array(n);
  let maxLen = 0, sumLen = 0, withSpace = 0, codeLike = 0;
  for (let i = 0; i < n; i++) {
    if (missing[i]) {
      codes[i] = -1;
      continue;
    }
    const s = trimStart(bytes, offsets[i], offsets[i + 1]);
    const e = trimEnd(bytes, s, offsets[i + 1]);
    codes[i] = dict.code(s, e);
    const len = e - s;
    if (len > maxLen) maxLen = len;
    sumLen += len;
    let space = false, digit = false, alnum = true;
    for (let j = s; j < e; j++) {
      const c = bytes[j];
      if (c === 0x20) space = true;
      if (c >= 0x30 && c <= 0x39) digit = true;
      else if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) alnum = false;
    }
    if (space) withSpace++;
    if (alnum && digit && len <= 6) codeLike++;
  }
  return { dict, codes, maxLen, sumLen, withSpace, codeLike };
}

function inferStringType(name: string, nonMissing: number, st: StringStats): ColumnType {
  if (nonMissing === 0) return 'category';
  const distinct = st.dict.size;
  const ratio = distinct / nonMissing;
  const meanLen = st.sumLen / nonMissing;
  if (isIdName(name) && (ratio >= 0.5 || distinct > 1000)) return 'id';
  if (st.codeLike === nonMissing) return 'code';
  if (meanLen >= 30 || (st.withSpace >= 0.5 * nonMissing && ratio > 0.5 && distinct > 50)) return 'text';
  if (distinct <= 50 || (distinct <= 1000 && ratio <= 0.05)) return 'category';
  if (ratio >= 0.95 && nonMissing >= 20 && st.withSpace < 0.05 * nonMissing && st.maxLen <= 40) return 'id';
  return 'text';
}

function nullBitmapOf(missing: Uint8Array, extra?: Float64Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  const n = missing.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (missing[i] || (extra !== undefined && extra[i] !== extra[i])) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  return { bitmap: nullCount ? bitmap : undefined, nullCount };
}

export function float64Vector(values: Float64Array, missing: Uint8Array): Vector {
  const { bitmap, nullCount } = nullBitmapOf(missing, values);
  return makeVector(makeData({ type: new Float64(), length: values.length, nullCount, nullBitmap: bitmap, data: values }));
}

function vectorTakesValues(v: Vector, values: Float64Array): boolean {
  return v.data.some((d) => (d.values as ArrayBufferView | undefined)?.buffer === values.buffer);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

export function dateVector(ms: Float64Array, missing: Uint8Array): Vector {
  const { bitmap, nullCount } = nullBitmapOf(missing, ms);
  const data = new BigInt64Array(ms.length);
  if (LITTLE_ENDIAN) {
    // Two 32-bit halves per value: a BigInt per cell cost about a tenth of a second per million dates.
    const words = new Int32Array(data.buffer, data.byteOffset, ms.length * 2);
    for (let i = 0; i < ms.length; i++) {
      const x = ms[i];
      if (x !== x) continue;
      const t = Math.round(x);
      const hi = Math.floor(t / TWO_32);
      words[2 * i] = t - hi * TWO_32; // 0 <= low < 2^32, stored as its two's-complement int32
      words[2 * i + 1] = hi;
    }
  } else for (let i = 0; i < ms.length; i++) if (ms[i] === ms[i]) data[i] = BigInt(Math.round(ms[i]));
  return makeVector(makeData({ type: new DateMillisecond(), length: ms.length, nullCount, nullBitmap: bitmap, data }));
}

function utf8Vector(col: RawColumn, missing: Uint8Array): Vector {
  const { bitmap, nullCount } = nullBitmapOf(missing);
  return makeVector(makeData({ type: new Utf8(), length: col.count, nullCount, nullBitmap: bitmap, valueOffsets: col.offsets, data: col.bytes }));
}

function dictionaryVector(col: RawColumn, st: StringStats, missing: Uint8Array): Vector {
  const k = st.dict.size;
  const offsets = new Int32Array(k + 1);
  let total = 0;
  for (let j = 0; j < k; j++) total += st.dict.ends[j] - st.dict.starts[j];
  const data = new Uint8Array(total);
  let at = 0;
  for (let j = 0; j < k; j++) {
    data.set(col.bytes.subarray(st.dict.starts[j], st.dict.ends[j]), at);
    at += st.dict.ends[j] - st.dict.starts[j];
    offsets[j + 1] = at;
  }
  const dictionary = makeVector(makeData({ type: new Utf8(), length: k, nullCount: 0, valueOffsets: offsets, data }));
  const { bitmap, nullCount } = nullBitmapOf(missing);
  const indices = st.codes;
  for (let i = 0; i < indices.length; i++) if (indices[i] < 0) indices[i] = 0;
  return makeVector(
    makeData({ type: new Dictionary(new Utf8(), new Int32()), length: col.count, nullCount, nullBitmap: bitmap, data: indices, dictionary }),
  );
}

function reparsed(col: RawColumn, missing: Uint8Array, parse: (b: Uint8Array, s: number, e: number, out: { flags: number }) => number): Float64Array {
  const out = new Float64Array(col.count).fill(NaN);
  const f = { flags: 0 };
  for (let i = 0; i < col.count; i++) if (!missing[i]) out[i] = parse(col.bytes, col.offsets[i], col.offsets[i + 1], f);
  return out;
}

function firstUnparsed(scan: Scan): { count: number; first: number } {
  let count = 0, first = -1;
  for (let i = 0; i < scan.n; i++)
    if (!scan.missing[i] && scan.values[i] !== scan.values[i]) {
      count++;
      if (first < 0) first = i;
    }
  return { count, first };
}

function rowOf(opts: BuildOptions, i: number): number {
  return opts.rowOf ? opts.rowOf(i) : opts.firstRow + i;
}

/** One typed column from raw cells, following the storage conventions of schema.ts. */
export function buildColumn(name: string, col: RawColumn, opts: BuildOptions, scratch?: ScanScratch): BuiltColumn {
  const readNumbers = opts.readNumbers !== false;
  const scan = scanColumn(col, readNumbers, scratch);
  const nonMissing = scan.n - scan.missingCount;
  const issues: AppError[] = [];
  const notes: string[] = [];
  let st: StringStats | undefined;
  let inferred: ColumnType;
  if (nonMissing > 0 && scan.numbers === nonMissing) {
    if (scan.numFlags & NUM_LEADING_ZERO && !(scan.numFlags & NUM_FRACTION)) inferred = 'code';
    else if (isIdName(name) && scan.integers === nonMissing) {
      st = stringStats(col, scan.missing);
      inferred = st.dict.size >= 0.5 * nonMissing ? 'id' : 'number';
    } else inferred = 'number';
  } else if (nonMissing > 0 && scan.dates === nonMissing) inferred = 'date';
  else {
    st = stringStats(col, scan.missing);
    inferred = inferStringType(name, nonMissing, st);
  }
  if (scan.usOrder > 0 && inferred !== 'date')
    issues.push({
      code: 'us-date-order',
      message: `${scan.usOrder} value(s) look like month/day/year dates; UK day/month order is assumed, so the column was not read as dates`,
      file: opts.file, row: rowOf(opts, scan.firstUsRow), column: name,
    });
  const override = ownValue(opts.typeOverrides, name);
  const type = override ?? inferred;
  let vector: Vector;
  if (type === 'number' || type === 'date') {
    // A date column forced to number gives ms since epoch; otherwise each cell is re-read as the forced type.
    let values = scan.values;
    if (type === 'number' && inferred !== 'number' && inferred !== 'date') values = reparsed(col, scan.missing, parseNumberCell);
    if (type === 'date' && inferred !== 'date') values = reparsed(col, scan.missing, parseDateCell);
    const bad = firstUnparsed({ ...scan, values });
    if (bad.count > 0)
      issues.push({
        code: type === 'number' ? 'not-a-number' : 'not-a-date',
        message: `${bad.count} value(s) could not be read as ${type === 'number' ? 'numbers' : 'dates'} and are treated as missing`,
        file: opts.file, row: rowOf(opts, bad.first), column: name,
      });
    vector = type === 'number' ? float64Vector(values, scan.missing) : dateVector(values, scan.missing);
  } else if (type === 'category') {
    st ??= stringStats(col, scan.missing);
    vector = dictionaryVector(col, st, scan.missing);
  } else vector = utf8Vector(col, scan.missing);

  if (type === 'number') {
    if (scan.numFlags & NUM_THOUSANDS) notes.push('numbers written with thousands separators (1,234) were read as numbers');
    if (scan.numFlags & NUM_PERCENT) notes.push('percentages (45%) were read as the number before the % sign (45)');
  }
  if (type === 'date') {
    if (scan.dateFlags & DATE_UK) notes.push('dates read as day/month/year');
    if (scan.dateFlags & DATE_ISO) notes.push('dates read as year-month-day');
    if (scan.dateFlags & DATE_TIME) notes.push('some values include a time of day');
  }
  if (type === 'code' && inferred === 'code' && scan.numFlags & NUM_LEADING_ZERO) notes.push('numeric-looking codes with leading zeros (01) kept as text');
  if (scratch) {
    // The vector holds copies of missing (as a bitmap); values only when they became the data.
    scratch.missing = scan.missing;
    if (!(type === 'number' && vectorTakesValues(vector, scan.values))) scratch.values = scan.values;
  }
  const info: ColumnInfo = { name, type, inferredType: inferred, missing: scan.missingCount };
  if (st) info.distinct = st.dict.size;
  if (notes.length) info.notes = notes;
  return { vector, info, issues };
}

export interface BuiltTable {
  table: Table;
  columns: ColumnInfo[];
  issues: AppError[];
}

/** A table from raw columns (all the same length). */
export function buildTable(names: string[], cols: RawColumn[], opts: BuildOptions): BuiltTable {
  const vectors: [string, Vector][] = [];
  const columns: ColumnInfo[] = [];
  const issues: AppError[] = [];
  const scratch: ScanScratch = {};
  for (let j = 0; j < names.length; j++) {
    throwIfCancelled(opts.cancel);
    const b = buildColumn(names[j], cols[j], opts, scratch);
    vectors.push([names[j], b.vector]);
    columns.push(b.info);
    issues.push(...b.issues);
  }
  return { table: tableOfColumns(vectors), columns, issues };
}

/** A column of Windows-1252 bytes re-encoded as UTF-8. */
export function rawColumnFromCp1252(col: RawColumn): RawColumn {
  let high = false;
  for (let i = 0; i < col.bytes.length; i++) if (col.bytes[i] >= 0x80) { high = true; break; }
  if (!high) return col;
  const bytes = utf8FromCp1252(col.bytes);
  const offsets = new Int32Array(col.count + 1);
  // Each byte >= 0x80 grows to 2 or 3 bytes; shift every later offset by the growth so far.
  let extra = 0;
  let cell = 0;
  for (let i = 0; i < col.bytes.length; i++) {
    while (cell < col.count && col.offsets[cell + 1] <= i) {
      cell++;
      offsets[cell] = col.offsets[cell] + extra;
    }
    const b = col.bytes[i];
    if (b >= 0x80) extra += cp1252CodePoint(b) < 0x800 ? 1 : 2;
  }
  while (cell < col.count) {
    cell++;
    offsets[cell] = col.offsets[cell] + extra;
  }
  return { bytes, offsets, count: col.count };
}
