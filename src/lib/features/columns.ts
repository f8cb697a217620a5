/**
 * Fast reads of Arrow columns for the feature pipeline. `Vector.get(i)` costs microseconds per
 * value (it decodes through generic visitors); reading the buffers directly is about 8x faster
 * for strings, which matters at 1M rows. The meaning is that of `stringColumn` / `numericColumn`
 * in data/schema.ts; other storage falls back to `get`.
 */
import { type Vector, Type } from 'apache-arrow';

const decoder = new TextDecoder();

// A sliced Data keeps its validity bitmap whole (index offset + i) but slices its value and
// offset buffers (index i).
function isValid(bitmap: Uint8Array | undefined | null, k: number): boolean {
  return !bitmap || bitmap.length === 0 || ((bitmap[k >> 3] >> (k & 7)) & 1) === 1;
}

/** Every value of a column as a string (null when missing), numbers printed as JavaScript prints them. */
export function allStrings(v: Vector): (string | null)[] {
  const out = new Array<string | null>(v.length);
  const typeId = v.type.typeId;
  if (typeId === Type.Utf8) {
    let at = 0;
    for (const data of v.data) {
      const off = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const nb = data.nullCount > 0 ? data.nullBitmap : null;
      for (let i = 0; i < data.length; i++) {
        const k = data.offset + i;
        out[at++] = isValid(nb, k) ? decoder.decode(bytes.subarray(off[i], off[i + 1])) : null;
      }
    }
    return out;
  }
  if (typeId === Type.Dictionary) {
    let at = 0;
    for (const data of v.data) {
      const dict = data.dictionary ? allStrings(data.dictionary) : [];
      const codes = data.values as ArrayLike<number>;
      const nb = data.nullCount > 0 ? data.nullBitmap : null;
      for (let i = 0; i < data.length; i++) {
        const k = data.offset + i;
        out[at++] = isValid(nb, k) ? dict[Number(codes[i])] ?? null : null;
      }
    }
    return out;
  }
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as unknown;
    out[i] = x === null || x === undefined ? null : typeof x === 'string' ? x : x instanceof Date ? x.toISOString() : String(x);
  }
  return out;
}

/** Float64 values of a Float column (NaN where null), or null if the column is stored otherwise. */
export function floatValues(v: Vector): Float64Array | null {
  if (v.type.typeId !== Type.Float) return null;
  const out = new Float64Array(v.length);
  let at = 0;
  for (const data of v.data) {
    const vals = data.values as Float64Array | Float32Array | Uint16Array;
    if (vals instanceof Uint16Array) return null; // half floats: leave to get()
    const nb = data.nullCount > 0 ? data.nullBitmap : null;
    for (let i = 0; i < data.length; i++) {
      const k = data.offset + i;
      out[at++] = isValid(nb, k) ? vals[i] : NaN;
    }
  }
  return out;
}
