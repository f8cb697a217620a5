/**
 * Arrow string vectors built straight from their buffers. Arrow's own builders (vectorFromArray,
 * makeBuilder) compile a null-check with `Function(...)`, which the app's Content-Security-Policy
 * (no 'unsafe-eval') rightly refuses in the browser, so code that runs in the worker builds
 * vectors here instead.
 */
import { Dictionary, Field, Int32, RecordBatch, Schema, Struct, Table, Utf8, makeData, makeVector, type Vector } from 'apache-arrow';

const encoder = new TextEncoder();

function validity(values: readonly (string | null | undefined)[]): { bitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  return { bitmap: nullCount ? bitmap : undefined, nullCount };
}

function utf8Data(strings: readonly string[]): { offsets: Int32Array; bytes: Uint8Array } {
  const parts = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    total += p.length;
    offsets[i + 1] = total;
  });
  const bytes = new Uint8Array(total);
  parts.forEach((p, i) => bytes.set(p, offsets[i]));
  return { offsets, bytes };
}

/** A Utf8 vector; null/undefined are nulls. */
export function stringVector(values: readonly (string | null | undefined)[]): Vector {
  const { bitmap, nullCount } = validity(values);
  const { offsets, bytes } = utf8Data(values.map((v) => v ?? ''));
  return makeVector(makeData({ type: new Utf8(), length: values.length, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: bytes }));
}

/** A Dictionary<Int32, Utf8> vector (levels in first-seen order); null/undefined are nulls. */
export function categoryVector(values: readonly (string | null | undefined)[]): Vector {
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    let k = index.get(v);
    if (k === undefined) index.set(v, (k = index.size));
    codes[i] = k;
  });
  const { offsets, bytes } = utf8Data([...index.keys()]);
  const dictionary = makeVector(makeData({ type: new Utf8(), length: index.size, nullCount: 0, valueOffsets: offsets, data: bytes }));
  const { bitmap, nullCount } = validity(values);
  return makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: values.length, nullCount, nullBitmap: bitmap, data: codes, dictionary }));
}

/**
 * A table of named columns, in order. Column names are data, never object keys: Arrow's
 * `new Table({ [name]: vector })` would read a column called `__proto__` as the object's
 * prototype, so the table is built under neutral keys and its fields renamed.
 */
export function tableOfColumns(columns: readonly (readonly [string, Vector])[]): Table {
  const keyed: Record<string, Vector> = Object.create(null) as Record<string, Vector>;
  columns.forEach(([, v], k) => (keyed[`c${k}`] = v));
  const built = new Table(keyed);
  const fields = built.schema.fields.map((f, k) => new Field(columns[k][0], f.type, f.nullable, f.metadata));
  const schema = new Schema(fields, built.schema.metadata);
  const type = new Struct(fields);
  return new Table(schema, built.batches.map((b) => new RecordBatch(schema, makeData({ type, length: b.numRows, nullCount: 0, children: b.data.children }))));
}
