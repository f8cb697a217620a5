/**
 * Arrow IPC and Parquet files -> tables following schema.ts conventions.
 * These formats carry types already, so numbers stay numbers and dates stay
 * dates; string columns are classified (category / code / text / id) but
 * never re-read as numbers or dates.
 */
import { Type, Table, tableFromIPC, type Vector } from 'apache-arrow';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { fail, ok, throwIfCancelled } from '../errors.ts';
import type { ColumnInfo, ColumnType } from './schema.ts';
import { buildColumn, dateVector, float64Vector } from './build-table.ts';
import { rawColumnFromStrings, type RawColumn } from './raw-column.ts';

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
  const override = opts.typeOverrides?.[name];
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
  const override = opts.typeOverrides?.[name];
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
  const vectors: Record<string, Vector> = {};
  const columns: ColumnInfo[] = [];
  const issues: AppError[] = [];
  for (const name of names) {
    throwIfCancelled(cancel);
    const c = make(name);
    vectors[name] = c.vector;
    columns.push(c.info);
    issues.push(...c.issues);
  }
  return { table: new Table(vectors), columns, issues };
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
      i = skip(i);
    }
  } catch (e) {
    return fail({ code: 'bad-parquet', message: `this Parquet file could not be read (${(e as Error).message})`, file: opts.file });
  }
  const cols = new Map<string, Cell[]>();
  for (const name of names) cols.set(name, new Array(rows).fill(null));
  try {
    await parquetRead({
      file: buf,
      metadata,
      compressors,
      onChunk: (chunk) => {
        const out = cols.get(chunk.columnName);
        if (!out) return;
        const d = chunk.columnData as ArrayLike<Cell>;
        for (let i = 0; i < d.length && chunk.rowStart + i < rows; i++) out[chunk.rowStart + i] = d[i];
      },
    });
  } catch (e) {
    if ((e as Error).message === 'cancelled') throw e;
    return fail({ code: 'bad-parquet', message: `this Parquet file could not be read (${(e as Error).message})`, file: opts.file });
  }
  return ok(fromColumns(names, (name) => columnFromValues(name, cols.get(name)!, opts), opts.cancel));
}

