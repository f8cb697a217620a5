/**
 * Reading one cell's bytes as missing / number / date, without making a
 * string. All functions take bytes[start, end) of UTF-8 text.
 */

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a;
const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR || c === LF;

export function trimStart(b: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(b[start])) start++;
  return start;
}
export function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start && isBlank(b[end - 1])) end--;
  return end;
}

function upper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 32 : c;
}

/** Missing when empty or blank (spaces, tabs, line breaks), or `NA`, `N/A`, `NULL`, `#N/A` (any case). */
export function isMissingCell(b: Uint8Array, start: number, end: number): boolean {
  start = trimStart(b, start, end);
  end = trimEnd(b, start, end);
  const n = end - start;
  if (n === 0) return true;
  if (n > 4) return false;
  const c0 = upper(b[start]);
  if (n === 2) return c0 === 0x4e && upper(b[start + 1]) === 0x41; // NA
  if (n === 3) return c0 === 0x4e && b[start + 1] === 0x2f && upper(b[start + 2]) === 0x41; // N/A
  if (n === 4) {
    if (c0 === 0x4e) return upper(b[start + 1]) === 0x55 && upper(b[start + 2]) === 0x4c && upper(b[start + 3]) === 0x4c; // NULL
    if (c0 === 0x23) return upper(b[start + 1]) === 0x4e && b[start + 2] === 0x2f && upper(b[start + 3]) === 0x41; // #N/A
  }
  return false;
}

/** Flags set by parseNumberCell about how a number was written. */
export const NUM_THOUSANDS = 1, NUM_PERCENT = 2, NUM_LEADING_ZERO = 4, NUM_FRACTION = 8;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const latin1 = new TextDecoder('latin1');

/**
 * A number written as `-12`, `3.5`, `1e-3`, `1,234,567.8` (groups of three),
 * or `45%` (stored as 45; the flag says it was a percentage). NaN when the
 * cell is not a number. `out.flags` gets NUM_* bits.
 */
export function parseNumberCell(b: Uint8Array, start: number, end: number, out: { flags: number }): number {
  start = trimStart(b, start, end);
  end = trimEnd(b, start, end);
  let flags = 0;
  if (end > start && b[end - 1] === 0x25) {
    flags |= NUM_PERCENT;
    end = trimEnd(b, start, end - 1);
  }
  let i = start;
  let neg = false;
  if (i < end && (b[i] === 0x2d || b[i] === 0x2b)) {
    neg = b[i] === 0x2d;
    i++;
  }
  const intStart = i;
  let mant = 0;
  let digits = 0; // significant digits in mant
  let groupLen = -1; // digits since last comma, -1 before any comma
  let firstGroup = 0;
  let hasComma = false;
  while (i < end) {
    const c = b[i];
    if (c >= 0x30 && c <= 0x39) {
      mant = mant * 10 + (c - 0x30);
      if (mant > 0 || digits > 0) digits++;
      if (hasComma) groupLen++;
      else firstGroup++;
      i++;
    } else if (c === 0x2c) {
      if (hasComma ? groupLen !== 3 : firstGroup === 0 || firstGroup > 3) return NaN;
      hasComma = true;
      groupLen = 0;
      i++;
    } else break;
  }
  if (hasComma && groupLen !== 3) return NaN;
  if (hasComma) flags |= NUM_THOUSANDS;
  const intDigits = i - intStart;
  if (!hasComma && intDigits > 1 && b[intStart] === 0x30) flags |= NUM_LEADING_ZERO;
  let scale = 0;
  let fracDigits = 0;
  if (i < end && b[i] === 0x2e) {
    i++;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
      mant = mant * 10 + (b[i] - 0x30);
      if (mant > 0 || digits > 0) digits++;
      scale--;
      fracDigits++;
      i++;
    }
    flags |= NUM_FRACTION;
  }
  if (intDigits === 0 && fracDigits === 0) return NaN;
  let exp = 0;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let eneg = false;
    if (i < end && (b[i] === 0x2d || b[i] === 0x2b)) {
      eneg = b[i] === 0x2d;
      i++;
    }
    const es = i;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
      exp = exp * 10 + (b[i] - 0x30);
      if (exp > 100000) exp = 100000;
      i++;
    }
    if (i === es) return NaN;
    if (eneg) exp = -exp;
    flags |= NUM_FRACTION;
  }
  if (i !== end) return NaN;
  out.flags = flags;
  const e10 = scale + exp;
  let v: number;
  // Exact fast path: an integer mantissa below 2^53 scaled by an exact power of ten is correctly rounded.
  if (digits <= 15 && e10 >= -22 && e10 <= 22) v = e10 < 0 ? mant / POW10[-e10] : mant * POW10[e10];
  else {
    let s = latin1.decode(b.subarray(start, end));
    if (hasComma) s = s.replace(/,/g, '');
    if (flags & NUM_PERCENT) s = s.replace(/\s*%$/, '');
    v = Number(s);
    return v; // Number() handles the sign itself
  }
  return neg ? -v : v;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(y: number, m: number): number {
  return m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1];
}

/** Date formats recognised, for the column info. */
export const DATE_ISO = 1, DATE_UK = 2, DATE_TIME = 4, DATE_US_ORDER = 8;

function readInt(b: Uint8Array, i: number, end: number, min: number, max: number, out: { v: number; i: number }): boolean {
  let v = 0;
  const s = i;
  while (i < end && i - s < max && b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + (b[i++] - 0x30);
  if (i - s < min) return false;
  out.v = v;
  out.i = i;
  return true;
}

const cursor = { v: 0, i: 0 };

/**
 * A date written `yyyy-mm-dd`, `dd/mm/yyyy` (also with `-` or `.`), each
 * optionally followed by ` hh:mm[:ss[.fff]]` (or `T...` with an optional
 * `Z`), as ms since epoch UTC. NaN when not a valid date. Day/month order is
 * UK; a date that is valid only in US order sets DATE_US_ORDER and returns NaN.
 */
export function parseDateCell(b: Uint8Array, start: number, end: number, out: { flags: number }): number {
  start = trimStart(b, start, end);
  end = trimEnd(b, start, end);
  if (end - start < 8 || end - start > 29) return NaN;
  let y: number, m: number, d: number, i: number;
  let flags = 0;
  const c = cursor;
  if (!readInt(b, start, end, 1, 4, c)) return NaN;
  if (c.i - start === 4) {
    y = c.v;
    if (b[c.i] !== 0x2d) return NaN;
    if (!readInt(b, c.i + 1, end, 1, 2, c)) return NaN;
    m = c.v;
    if (b[c.i] !== 0x2d) return NaN;
    if (!readInt(b, c.i + 1, end, 1, 2, c)) return NaN;
    d = c.v;
    i = c.i;
    flags |= DATE_ISO;
  } else {
    d = c.v;
    const sep = b[c.i];
    if (sep !== 0x2f && sep !== 0x2d && sep !== 0x2e) return NaN;
    if (!readInt(b, c.i + 1, end, 1, 2, c)) return NaN;
    m = c.v;
    if (b[c.i] !== sep) return NaN;
    if (!readInt(b, c.i + 1, end, 4, 4, c)) return NaN;
    y = c.v;
    i = c.i;
    flags |= DATE_UK;
    if (m > 12 && d <= 12 && m <= 31) {
      out.flags = flags | DATE_US_ORDER;
      return NaN;
    }
  }
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return NaN;
  let hh = 0, mm = 0, ss = 0, ms = 0;
  if (i < end) {
    if (b[i] !== 0x20 && b[i] !== 0x54) return NaN;
    i++;
    if (!readInt(b, i, end, 1, 2, c)) return NaN;
    hh = c.v;
    if (b[c.i] !== 0x3a) return NaN;
    if (!readInt(b, c.i + 1, end, 2, 2, c)) return NaN;
    mm = c.v;
    i = c.i;
    if (i < end && b[i] === 0x3a) {
      if (!readInt(b, i + 1, end, 2, 2, c)) return NaN;
      ss = c.v;
      i = c.i;
      if (i < end && b[i] === 0x2e) {
        const fs = i + 1;
        if (!readInt(b, fs, end, 1, 3, c)) return NaN;
        ms = c.v * POW10[3 - (c.i - fs)];
        i = c.i;
      }
    }
    if (i < end && b[i] === 0x5a) i++;
    if (i !== end || hh > 23 || mm > 59 || ss > 59) return NaN;
    flags |= DATE_TIME;
  }
  out.flags = flags;
  if (y >= 100) return Date.UTC(y, m - 1, d, hh, mm, ss, ms);
  // Date.UTC maps years 0-99 to 1900-1999.
  const t = new Date(Date.UTC(2000, m - 1, d, hh, mm, ss, ms));
  t.setUTCFullYear(y);
  return t.getTime();
}
