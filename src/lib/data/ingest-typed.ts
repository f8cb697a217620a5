/**
 * Arrow IPC and Parquet files -> tables following schema.ts conventions.
 * These formats carry types already, so numbers stay numbers and dates stay
 * dates; string columns are classified (category / code / text / id) but
 * never re-read as numbers or dates.
 */
import { Type, Table, tableFromIPC, type Vector } from 'apache-arrow';
import { tableOfColumns } from './arrow-vectors.ts';
import { parquetMetadata, parquetRead, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { Cancelled, fail, ok, throwIfCancelled } from '../errors.ts';
import type { ColumnInfo, ColumnType } from './schema.ts';
import { buildColumn, dateVector, float64Vector } from './build-table.ts';
import { rawColumnFromStrings, type RawColumn } from './raw-column.ts';
import { isValidUtf8 } from './text-encoding.ts';
import { ownValue } from './names.ts';

export interface TypedTable {
  table: Table;
  columns: ColumnInfo[];
  issues: AppError[];
}

interface TypedOptions {
  file: string;
  typeOverrides?: Record<string, ColumnType>;
  cancel?: CancelToken;
}

type Cell = unknown;

/** One column of JS values (from Parquet, or an Arrow type we do not keep as is) -> a conventional column. */
function columnFromValues(name: string, values: ArrayLike<Cell>, opts: TypedOptions): { vector: Vector; info: ColumnInfo; issues: AppError[] } {
  const n = values.length;
  let nums = 0, dates = 0, strings = 0, bools = 0, other = 0, missingCount = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) missingCount++;
    else if (typeof x === 'number' || typeof x === 'bigint') nums++;
    else if (x instanceof Date) dates++;
    else if (typeof x === 'string') strings++;
    else if (typeof x === 'boolean') bools++;
    else other++;
  }
  const nonMissing = n - missingCount;
  const override = ownValue(opts.typeOverrides, name);
  const missing = new Uint8Array(n);
  const issues: AppError[] = [];
  if (nonMissing > 0 && (nums === nonMissing || dates === nonMissing) && (override === undefined || override === 'number' || override === 'date')) {
    const ms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x === null || x === undefined) {
        missing[i] = 1;
        ms[i] = NaN;
      } else ms[i] = x instanceof Date ? x.getTime() : Number(x as number | bigint);
    }
    const inferred: ColumnType = dates === nonMissing ? 'date' : 'number';
    const type = override ?? inferred;
    return {
      vector: type === 'date' ? dateVector(ms, missing) : float64Vector(ms, missing),
      info: { name, type, inferredType: inferred, missing: missingCount },
      issues,
    };
  }
  // Everything else is read through its text, with the usual string inference.
  const strs: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i];
    strs[i] =
      x === null || x === undefined ? null
      : typeof x === 'string' ? x
      : x instanceof Date ? x.toISOString()
      : typeof x === 'object' ? JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))
      : String(x);
  }
  if (other > 0)
    issues.push({ code: 'nested-values', message: `${other} value(s) are lists or records; they were kept as text`, file: opts.file, column: name });
  const raw: RawColumn = rawColumnFromStrings(strs);
  const built = buildColumn(name, raw, { file: opts.file, firstRow: 1, typeOverrides: opts.typeOverrides, readNumbers: strings === 0 || override === 'number' || override === 'date' });
  return { ...built, issues: [...issues, ...built.issues] };
}

/** Utf8 column already in Arrow storage: a RawColumn view without copying when it is one chunk. */
function rawOfUtf8(v: Vector): RawColumn | null {
  if (v.data.length !== 1) return null;
  const d = v.data[0];
  if (d.offset !== 0 || !(d.valueOffsets instanceof Int32Array)) return null;
  return { bytes: d.values as Uint8Array, offsets: d.valueOffsets, count: d.length };
}

/** A column of an Arrow table made conventional. */
function conventionalColumn(name: string, v: Vector, opts: TypedOptions): { vector: Vector; info: ColumnInfo; issues: AppError[] } {
  const t = v.type.typeId;
  const override = ownValue(opts.typeOverrides, name);
  if (t === Type.Float && (v.type as { precision?: number }).precision === 2 && (override === undefined || override === 'number'))
    return { vector: v, info: { name, type: 'number', inferredType: 'number', missing: v.nullCount }, issues: [] };
  if (t === Type.Date && (v.type as { unit?: number }).unit === 1 && (override === undefined || override === 'date'))
    return { vector: v, info: { name, type: 'date', inferredType: 'date', missing: v.nullCount }, issues: [] };
  if (t === Type.Dictionary && (override === undefined || override === 'category')) {
    const info: ColumnInfo = { name, type: 'category', inferredType: 'category', missing: v.nullCount };
    const dict = (v.data[0] as { dictionary?: Vector } | undefined)?.dictionary;
    if (dict) info.distinct = dict.length;
    return { vector: v, info, issues: [] };
  }
  if (t === Type.Utf8) {
    const raw = rawOfUtf8(v);
    if (raw) {
      // Nulls in Arrow may have any bytes; blank them so missing is missing.
      const built = buildColumn(name, v.nullCount ? rawColumnFromStrings(v.toArray() as (string | null)[]) : raw, { file: opts.file, firstRow: 1, typeOverrides: opts.typeOverrides, readNumbers: override === 'number' || override === 'date' });
      return built;
    }
  }
  const values: Cell[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as Cell;
    values[i] = t === Type.Timestamp || (t === Type.Date && typeof x === 'number') ? (x === null ? null : new Date(x as number)) : x;
  }
  return columnFromValues(name, values, opts);
}

function fromColumns(names: string[], make: (name: string) => { vector: Vector; info: ColumnInfo; issues: AppError[] }, cancel?: CancelToken): TypedTable {
  const vectors: [string, Vector][] = [];
  const columns: ColumnInfo[] = [];
  const issues: AppError[] = [];
  for (const name of names) {
    throwIfCancelled(cancel);
    const c = make(name);
    vectors.push([name, c.vector]);
    columns.push(c.info);
    issues.push(...c.issues);
  }
  return { table: tableOfColumns(vectors), columns, issues };
}

/** An Arrow IPC file or stream. */
export function readArrow(bytes: Uint8Array, opts: TypedOptions): Result<TypedTable> {
  let t: Table;
  try {
    t = tableFromIPC(bytes);
  } catch (e) {
    return fail({ code: 'bad-arrow', message: `this Arrow file could not be read (${(e as Error).message})`, file: opts.file });
  }
  const names = t.schema.fields.map((f) => f.name);
  return ok(fromColumns(names, (name) => conventionalColumn(name, t.getChild(name)!, opts), opts.cancel));
}

/** A Parquet file (all row groups, all top-level columns). */
export async function readParquet(bytes: Uint8Array, opts: TypedOptions): Promise<Result<TypedTable>> {
  const buf = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
  let names: string[];
  let rows: number;
  let metadata;
  const topLevel: SchemaElement[] = [];
  try {
    metadata = parquetMetadata(buf);
    rows = Number(metadata.num_rows);
    // Top-level columns: the schema's first element is the root, its children follow.
    names = [];
    const schema = metadata.schema;
    let i = 1;
    const skip = (k: number): number => {
      const el = schema[k];
      let next = k + 1;
      for (let c = 0; c < (el.num_children ?? 0); c++) next = skip(next);
      return next;
    };
    while (i < schema.length) {
      names.push(schema[i].name);
      topLevel.push(schema[i]);
      i = skip(i);
    }
  } catch (e) {
    return fail({ code: 'bad-parquet', message: `this Parquet file could not be read (${(e as Error).message})`, file: opts.file });
  }
  // Flat files (every column a plain leaf) take the per-column fast path: numbers and dates go
  // straight into Float64Arrays, and text stays UTF-8 bytes from the file to the Arrow column
  // (decoding each cell to a string and encoding it back cost about half the load time).
  const kinds = new Map<string, ParquetKind>();
  let flat = true;
  for (const el of topLevel) {
    const kind = parquetKindOf(el);
    if (kind === 'nested') flat = false;
    kinds.set(el.name, kind);
  }
  // Numbers and dates of a flat file go straight into typed arrays (no boxed value per cell).
  const cols = new Map<string, Cell[]>();
  const numeric = new Map<string, NumericCells>();
  for (const name of names) {
    const k = kinds.get(name);
    const o = ownValue(opts.typeOverrides, name);
    // Forced to a text type, a column keeps its values as they came (a 64-bit integer keeps every digit).
    if (flat && (k === 'number' || k === 'date') && (o === undefined || o === 'number' || o === 'date')) numeric.set(name, { ms: new Float64Array(rows).fill(NaN), missing: new Uint8Array(rows).fill(1) });
    else cols.set(name, new Array(rows).fill(null));
  }
  const onChunk = (chunk: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }): void => {
    const d = chunk.columnData as ArrayLike<Cell>;
    const at = chunk.rowStart;
    const m = Math.min(d.length, rows - at);
    const num = numeric.get(chunk.columnName);
    if (num) {
      const { ms, missing } = num;
      for (let i = 0; i < m; i++) {
        const x = d[i];
        if (x === null || x === undefined) continue;
        ms[at + i] = typeof x === 'number' ? x : Number(x as bigint);
        missing[at + i] = 0;
      }
      return;
    }
    const out = cols.get(chunk.columnName);
    if (!out) return;
    for (let i = 0; i < m; i++) out[at + i] = d[i];
  };
  const build = (name: string): { vector: Vector; info: ColumnInfo; issues: AppError[] } => {
    // Let each column's cells go as soon as it is built.
    const num = numeric.get(name);
    numeric.delete(name);
    if (num) return numericColumnOf(name, kinds.get(name) === 'date' ? 'date' : 'number', num, opts);
    const values = cols.get(name)!;
    cols.delete(name);
    return flat ? fastColumn(name, kinds.get(name)!, values, opts) : columnFromValues(name, values, opts);
  };
  const built = new Map<string, { vector: Vector; info: ColumnInfo; issues: AppError[] }>();
  try {
    if (flat) {
      // One column at a time, built before the next is decoded: the decoded cells of a whole
      // file at once took peak memory past 1.5 GB at a million rows.
      for (const name of names) {
        throwIfCancelled(opts.cancel);
        await parquetRead({ file: buf, metadata, compressors, parsers: FAST_PARSERS, columns: [name], onChunk });
        built.set(name, build(name));
      }
    } else await parquetRead({ file: buf, metadata, compressors, onChunk });
  } catch (e) {
    if ((e as Error).message === 'cancelled' || e instanceof Cancelled) throw e;
    return fail({ code: 'bad-parquet', message: `this Parquet file could not be read (${(e as Error).message})`, file: opts.file });
  }
  return ok(fromColumns(names, (name) => built.get(name) ?? build(name), opts.cancel));
}

type ParquetKind = 'number' | 'date' | 'text' | 'other' | 'nested';

/** How a top-level Parquet column is read on the fast path. */
function parquetKindOf(el: SchemaElement): ParquetKind {
  if ((el.num_children ?? 0) > 0 || el.repetition_type === 'REPEATED') return 'nested';
  const ct = el.converted_type;
  const lt = el.logical_type?.type;
  if (el.type === 'INT96' && ct === undefined) return 'date';
  if (ct === 'DATE' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt === 'TIMESTAMP' || lt === 'DATE') return 'date';
  if (el.type === 'INT32' || el.type === 'INT64' || el.type === 'FLOAT' || el.type === 'DOUBLE') {
    const plainInt = ct === undefined || ct.startsWith('INT_') || ct.startsWith('UINT_') || ct === 'DECIMAL';
    if (plainInt && (lt === undefined || lt === 'INTEGER' || lt === 'DECIMAL')) return 'number';
    return 'other';
  }
  if (el.type === 'BYTE_ARRAY' && (ct === undefined || ct === 'UTF8' || ct === 'ENUM') && (lt === undefined || lt === 'STRING' || lt === 'ENUM')) return 'text';
  return 'other';
}

const MS_PER_DAY = 86_400_000;
/** Dates as numbers (ms) and strings as their bytes: the fast path knows each column's kind from the schema. */
const FAST_PARSERS = {
  timestampFromMilliseconds: (ms: bigint): number => Number(ms),
  timestampFromMicroseconds: (us: bigint): number => Number(us / 1000n),
  timestampFromNanoseconds: (ns: bigint): number => Number(ns / 1000000n),
  dateFromDays: (days: number): number => days * MS_PER_DAY,
  stringFromBytes: (bytes: Uint8Array | undefined): Uint8Array | undefined => bytes,
};

interface NumericCells {
  /** Value (dates: ms since epoch), NaN when missing. */
  ms: Float64Array;
  /** 1 = null in the file. */
  missing: Uint8Array;
}

/** A number or date column of a flat Parquet file; with nothing but missing values it takes the general route. */
function numericColumnOf(name: string, kind: 'number' | 'date', { ms, missing }: NumericCells, opts: TypedOptions): { vector: Vector; info: ColumnInfo; issues: AppError[] } {
  const n = ms.length;
  const override = ownValue(opts.typeOverrides, name);
  let missingCount = 0;
  for (let i = 0; i < n; i++) if (ms[i] !== ms[i]) missingCount++; // NaN in the file counts as missing too
  if (missingCount < n && (override === undefined || override === 'number' || override === 'date')) {
    const type = override ?? kind;
    return {
      vector: type === 'date' ? dateVector(ms, missing) : float64Vector(ms, missing),
      info: { name, type, inferredType: kind, missing: missingCount },
      issues: [],
    };
  }
  const general: Cell[] = new Array(n);
  for (let i = 0; i < n; i++) general[i] = missing[i] ? null : kind === 'date' ? new Date(ms[i]) : ms[i];
  return columnFromValues(name, general, opts);
}

/** One column of a flat Parquet file, read by its schema kind; anything unusual takes the general route. */
function fastColumn(name: string, kind: ParquetKind, values: Cell[], opts: TypedOptions): { vector: Vector; info: ColumnInfo; issues: AppError[] } {
  const n = values.length;
  const override = ownValue(opts.typeOverrides, name);
  if (kind === 'text') {
    const raw = rawColumnFromBytes(values);
    if (raw) {
      let strings = 0;
      for (let i = 0; i < n; i++) if (values[i] !== null && values[i] !== undefined) strings++;
      return buildColumn(name, raw, { file: opts.file, firstRow: 1, typeOverrides: opts.typeOverrides, readNumbers: strings === 0 || override === 'number' || override === 'date' });
    }
  }
  // Other leaves (booleans, binary, JSON, ...) and numbers or dates forced to text: as the general
  // route, with strings and dates made what the default parsers would have made.
  const general: Cell[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i];
    general[i] = x instanceof Uint8Array && kind === 'text' ? utf8Decoder.decode(x) : kind === 'date' && typeof x === 'number' ? new Date(x) : x;
  }
  return columnFromValues(name, general, opts);
}

const utf8Decoder = new TextDecoder();

/**
 * UTF-8 byte cells (null = missing, stored empty) as one RawColumn; null when a cell is not
 * well-formed UTF-8, so the caller decodes it the way the default reader would (U+FFFD).
 */
function rawColumnFromBytes(values: readonly Cell[]): RawColumn | null {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null || x === undefined) continue;
    if (!(x instanceof Uint8Array)) return null;
    total += x.length;
  }
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as Uint8Array | null | undefined;
    if (x) {
      const len = x.length;
      if (len < 16) for (let k = 0; k < len; k++) bytes[at + k] = x[k];
      else bytes.set(x, at);
      at += len;
    }
    offsets[i + 1] = at;
  }
  return isValidUtf8(bytes) ? { bytes, offsets, count: n } : null;
}

