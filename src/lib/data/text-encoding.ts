/**
 * Byte-level text encoding helpers. The CSV reader works on UTF-8 bytes; files
 * in other encodings are either transcoded as they stream (UTF-16 with a BOM)
 * or, for Windows-1252 (Excel's default "CSV" in the UK), detected after the
 * fact because only invalid UTF-8 gives them away.
 */

/** Windows-1252 code points for bytes 0x80-0x9F (the rest of the range is Latin-1). Undefined bytes map to themselves, as browsers do. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function cp1252CodePoint(b: number): number {
  return b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b;
}

/** True when bytes[start, end) is well-formed UTF-8 (no overlongs, no surrogates). */
export function isValidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return false;
    if (i + need >= end) return false;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/** UTF-8 bytes of bytes[start, end) read as Windows-1252. */
export function utf8FromCp1252(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  let n = 0;
  for (let i = start; i < end; i++) {
    const cp = cp1252CodePoint(bytes[i]);
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = start; i < end; i++) {
    const cp = cp1252CodePoint(bytes[i]);
    if (cp < 0x80) out[o++] = cp;
    else if (cp < 0x800) {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    }
  }
  return out;
}

export type Bom = 'utf-8' | 'utf-16le' | 'utf-16be' | null;

/** The byte-order mark at the start of a file, if any, and its length. */
export function bomOf(head: Uint8Array): { bom: Bom; length: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { bom: 'utf-8', length: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { bom: 'utf-16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { bom: 'utf-16be', length: 2 };
  return { bom: null, length: 0 };
}

const utf8Decoder = new TextDecoder('utf-8');

/** A JS string from UTF-8 bytes; pure-ASCII runs skip TextDecoder (much faster for short cells). */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n < 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i] >= 0x80) { ascii = false; break; }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
      return s;
    }
  }
  return utf8Decoder.decode(bytes.subarray(start, end));
}
