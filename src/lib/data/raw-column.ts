/**
 * A column of cells as raw UTF-8 bytes, laid out exactly as Arrow's Utf8
 * storage (one byte buffer + Int32 offsets), so string columns become Arrow
 * vectors without creating a JS string per cell, and numeric columns are
 * parsed straight from bytes.
 */
export class RawColumnBuilder {
  bytes: Uint8Array;
  length = 0; // bytes used
  offsets: Int32Array;
  count = 0; // cells finished

  constructor(expectedCells = 1024, expectedBytes = 8192) {
    this.bytes = new Uint8Array(Math.max(64, expectedBytes));
    this.offsets = new Int32Array(Math.max(16, expectedCells + 1));
  }

  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    const need = this.length + n;
    if (need > this.bytes.length) this.growBytes(need);
    if (n < 16) {
      const b = this.bytes;
      let o = this.length;
      for (let i = start; i < end; i++) b[o++] = src[i];
    } else this.bytes.set(src.subarray(start, end), this.length);
    this.length = need;
  }

  appendByte(x: number): void {
    if (this.length >= this.bytes.length) this.growBytes(this.length + 1);
    this.bytes[this.length++] = x;
  }

  /** Close the current cell (possibly empty). */
  end(): void {
    if (this.count + 2 > this.offsets.length) {
      const next = new Int32Array(Math.max(this.offsets.length * 2, 16));
      next.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = next;
    }
    this.offsets[++this.count] = this.length;
  }

  /** Undo the last end() of an empty cell (a blank line turned out not to be a row). */
  unend(): void {
    if (this.count > 0 && this.offsets[this.count] === this.offsets[this.count - 1]) this.count--;
  }

  /** Make room for about this many cells and bytes in total, so growth does not copy (large files). */
  reserve(cells: number, bytes: number): void {
    if (bytes > this.bytes.length) this.growBytes(Math.min(0x7fffffff, Math.ceil(bytes)));
    if (cells + 2 > this.offsets.length) {
      const next = new Int32Array(Math.ceil(cells) + 2);
      next.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = next;
    }
  }

  /** Drop bytes appended since the last end() (extra cells of a long row). */
  discardOpen(): void {
    this.length = this.offsets[this.count];
  }

  private growBytes(need: number): void {
    let cap = Math.max(64, this.bytes.length);
    while (cap < need) cap = cap < 1 << 26 ? cap * 2 : Math.ceil(cap * 1.5);
    if (cap > 0x7fffffff) throw new RangeError('column larger than 2 GB');
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  finish(): RawColumn {
    return { bytes: this.bytes.subarray(0, this.length), offsets: this.offsets.subarray(0, this.count + 1), count: this.count };
  }
}

export interface RawColumn {
  bytes: Uint8Array;
  /** Int32Array (count + 1): cell i is bytes[offsets[i], offsets[i+1]). */
  offsets: Int32Array;
  count: number;
}

/** A RawColumn from JS strings (null = missing, stored empty). */
export function rawColumnFromStrings(values: readonly (string | null | undefined)[]): RawColumn {
  const enc = new TextEncoder();
  const b = new RawColumnBuilder(values.length, values.length * 8);
  for (const v of values) {
    if (v) {
      const e = enc.encode(v);
      b.append(e, 0, e.length);
    }
    b.end();
  }
  return b.finish();
}

/**
 * Distinct byte strings of a column, hashed in place (FNV-1a) without making
 * JS strings. `codes[i]` is the dictionary index of cell i, or -1 when the
 * cell was skipped (missing). Levels are kept as [start, end) into the
 * column's own bytes, in first-seen order.
 */
export class ByteDictionary {
  private table: Int32Array;
  private mask: number;
  starts: number[] = [];
  ends: number[] = [];
  private hashes: number[] = [];

  constructor(private readonly bytes: Uint8Array, expected = 256) {
    let size = 64;
    while (size < expected * 2) size <<= 1;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  get size(): number {
    return this.starts.length;
  }

  /** Index of bytes[start, end), adding it if new. */
  code(start: number, end: number): number {
    const bytes = this.bytes;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h >>>= 0;
    let slot = h & this.mask;
    const len = end - start;
    for (;;) {
      const k = this.table[slot];
      if (k < 0) break;
      if (this.hashes[k] === h && this.ends[k] - this.starts[k] === len) {
        const s = this.starts[k];
        let same = true;
        for (let j = 0; j < len; j++) if (bytes[s + j] !== bytes[start + j]) { same = false; break; }
        if (same) return k;
      }
      slot = (slot + 1) & this.mask;
    }
    const k = this.starts.length;
    this.starts.push(start);
    this.ends.push(end);
    this.hashes.push(h);
    this.table[slot] = k;
    if (this.starts.length * 2 > this.table.length) this.rehash();
    return k;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let k = 0; k < this.hashes.length; k++) {
      let slot = this.hashes[k] & this.mask;
      while (this.table[slot] >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = k;
    }
  }
}
