/**
 * Free text as hashed TF-IDF, kept sparse.
 *
 * Equal to scikit-learn's
 * `HashingVectorizer(ngram_range=(1, 2), n_features=2**k, alternate_sign=True, norm=None)`
 * followed by `TfidfTransformer(smooth_idf=True, sublinear_tf=False, norm="l2")`:
 * lower-cased tokens of two or more word characters, unigrams and bigrams joined by a space,
 * each hashed with signed 32-bit MurmurHash3 (seed 0) of its UTF-8 bytes; column |h| mod 2^k,
 * sign of h. The idf is fitted on training rows only, so test documents never inform it.
 */

/** Compressed sparse rows: row i holds `indices[indptr[i]..indptr[i+1])` with `values` alongside. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

const encoder = new TextEncoder();

/** Signed 32-bit MurmurHash3 (x86_32) of the UTF-8 bytes of `s`, as scikit-learn's `murmurhash3_32(s, seed, positive=False)`. */
export function murmurhash3(s: string, seed = 0): number {
  // ASCII (nearly every n-gram of English notes) is its own UTF-8: skip the encoder's allocation.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (asciiBuf.length < s.length) asciiBuf = new Uint8Array(2 * s.length);
    for (let i = 0; i < s.length; i++) asciiBuf[i] = s.charCodeAt(i);
    return murmurBytes(asciiBuf, s.length, seed);
  }
  const bytes = encoder.encode(s);
  return murmurBytes(bytes, bytes.length, seed);
}

let asciiBuf = new Uint8Array(256);

/** MurmurHash3 x86_32 of bytes[0..len). */
function murmurBytes(bytes: Uint8Array, len: number, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const nBlocks = len >>> 2;
  for (let b = 0; b < nBlocks; b++) {
    const i = b << 2;
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = nBlocks << 2;
  const rem = len & 3;
  if (rem > 0) {
    let k1 = 0;
    if (rem === 3) k1 ^= bytes[tail + 2] << 16;
    if (rem >= 2) k1 ^= bytes[tail + 1] << 8;
    k1 ^= bytes[tail];
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h ^= k1;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// scikit-learn's default token_pattern r"(?u)\b\w\w+\b": runs of two or more word characters.
const TOKEN = /[\p{L}\p{M}\p{Nd}\p{Pc}]{2,}/gu;

/** Word unigrams and bigrams of a document, lower-cased, in order. */
export function ngrams(doc: string): string[] {
  const words = doc.toLowerCase().match(TOKEN) ?? [];
  const out = words.slice();
  for (let i = 0; i + 1 < words.length; i++) out.push(words[i] + ' ' + words[i + 1]);
  return out;
}

export interface TextHashOptions {
  /** log2 of the hashed width; default 16 (65,536 columns). */
  bits?: number;
  /** fitTfidf: a column stored in fewer than this many training documents gets idf 0, so it never
   *  carries weight (scikit-learn's `min_df`, as a count). Default 0 (every column kept). */
  minDf?: number;
  /** Round document frequencies and the document count to the nearest multiple of this before idf (export rules). Off by default. */
  countRounding?: number;
}

/** Signed hashed term counts of each document (missing text = empty document), n x 2^bits. */
export function hashedCounts(docs: readonly (string | null)[], opts: TextHashOptions = {}): CsrMatrix {
  const bits = opts.bits ?? 16;
  const width = 2 ** bits;
  const indptr = new Int32Array(docs.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const row = new Map<number, number>();
  for (let i = 0; i < docs.length; i++) {
    row.clear();
    const d = docs[i];
    if (d) {
      for (const g of ngrams(d)) {
        const h = murmurhash3(g, 0);
        // Math.abs of -2^31 overflows int32 in C but not in JS; modulo makes both agree.
        const col = Math.abs(h) % width;
        row.set(col, (row.get(col) ?? 0) + (h >= 0 ? 1 : -1));
      }
    }
    // Sorted columns; an explicit zero (colliding n-grams of opposite sign) is kept, as scipy's
    // sum_duplicates keeps it, because scikit-learn's document frequency counts stored entries.
    const cols = [...row.keys()].sort((a, b) => a - b);
    for (const c of cols) {
      idx.push(c);
      val.push(row.get(c)!);
    }
    indptr[i + 1] = idx.length;
  }
  return { rows: docs.length, cols: width, indptr, indices: Int32Array.from(idx), values: Float64Array.from(val) };
}

/** A fitted TF-IDF: idf per hashed column (2^bits). */
export interface TextModel {
  bits: number;
  idf: Float64Array;
  nDocs: number;
}

/** Fit idf on the training documents: idf = ln((1 + n) / (1 + df)) + 1, df = documents with a stored entry. */
export function fitTfidf(trainDocs: readonly (string | null)[], opts: TextHashOptions = {}): TextModel {
  const bits = opts.bits ?? 16;
  const counts = hashedCounts(trainDocs, { bits });
  const df = new Float64Array(counts.cols);
  for (let k = 0; k < counts.indices.length; k++) df[counts.indices[k]]++;
  const r = opts.countRounding ?? 1;
  const roundCount = (x: number): number => (r > 1 ? Math.round(x / r) * r : x);
  const n = roundCount(trainDocs.length);
  const idf = new Float64Array(counts.cols);
  const minDf = opts.minDf ?? 0;
  for (let j = 0; j < idf.length; j++) idf[j] = df[j] < minDf ? 0 : Math.log((1 + n) / (1 + roundCount(df[j]))) + 1;
  return { bits, idf, nDocs: n };
}

/** TF-IDF rows, each scaled to unit Euclidean length (empty rows stay empty). */
export function transformTfidf(model: TextModel, docs: readonly (string | null)[]): CsrMatrix {
  const m = hashedCounts(docs, { bits: model.bits });
  for (let i = 0; i < m.rows; i++) {
    let ss = 0;
    for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) {
      const v = m.values[k] * model.idf[m.indices[k]];
      m.values[k] = v;
      ss += v * v;
    }
    if (ss > 0) {
      const s = 1 / Math.sqrt(ss);
      for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) m.values[k] *= s;
    }
  }
  return m;
}

/** Rows `rows` of a CSR matrix, in that order. */
export function csrRows(m: CsrMatrix, rows: Int32Array): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) indptr[i + 1] = indptr[i] + (m.indptr[rows[i] + 1] - m.indptr[rows[i]]);
  const indices = new Int32Array(indptr[rows.length]);
  const values = new Float64Array(indptr[rows.length]);
  for (let i = 0; i < rows.length; i++) {
    const a = m.indptr[rows[i]];
    const len = m.indptr[rows[i] + 1] - a;
    indices.set(m.indices.subarray(a, a + len), indptr[i]);
    values.set(m.values.subarray(a, a + len), indptr[i]);
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}
