/**
 * Streaming CSV/TSV reader: bytes -> raw byte columns -> typed Arrow columns.
 *
 * RFC 4180 quoting (embedded delimiters, newlines and doubled quotes), a
 * header row, delimiter sniffing (`,` tab `;` `|`), UTF-8 with or without BOM,
 * UTF-16 LE/BE with BOM (transcoded as it streams), Windows-1252 (detected as
 * invalid UTF-8, then re-encoded), CRLF/LF/CR line ends. It never builds one
 * string of the file or an object per row: row-object parsers are 5-20x slower
 * at a million rows (see PLATFORM.md).
 *
 * Row numbers in messages count records, the header being row 1 (a quoted
 * cell with a line break in it is still one row, as in a spreadsheet).
 */
import type { AppError, CancelToken, Result } from '../errors.ts';
import { fail, ok, throwIfCancelled } from '../errors.ts';
import type { ColumnType } from './schema.ts';
import type { Source } from './source.ts';
import { RawColumnBuilder, type RawColumn } from './raw-column.ts';
import { buildTable, rawColumnFromCp1252, type BuiltTable } from './build-table.ts';
import { bomOf, decodeUtf8, isValidUtf8, utf8FromCp1252 } from './text-encoding.ts';

export interface CsvOptions {
  /** Force a delimiter instead of sniffing. */
  delimiter?: string;
  typeOverrides?: Record<string, ColumnType>;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  cancel?: CancelToken;
}

export interface CsvTable extends BuiltTable {
  encoding: string;
  delimiter: string;
  rows: number;
  /** Rows not in the table (blank lines). */
  skippedRows: number;
  /** The file row (1-based, header included) of table row i. */
  fileRow: (i: number) => number;
}

const QUOTE = 0x22, LF = 0x0a, CR = 0x0d;
const DELIMITERS = [0x2c, 0x09, 0x3b, 0x7c]; // , tab ; |
/** Bytes looked at for sniffing the delimiter and checking for binary content. */
const HEAD_BYTES = 64 * 1024;
/** At most this many issues of one kind are listed; the rest are counted. */
export const MAX_LISTED_ISSUES = 20;

/** The delimiter that splits the first lines of `head` into the most consistent number of cells (> 1). */
export function sniffDelimiter(head: Uint8Array, complete: boolean, preferTab = false): number {
  const order = preferTab ? [0x09, 0x2c, 0x3b, 0x7c] : DELIMITERS;
  let best = 0x2c;
  let bestScore = -1;
  for (const d of order) {
    const counts: number[] = [];
    let count = 0;
    let inQuote = false;
    let lineHasContent = false;
    for (let i = 0; i < head.length && counts.length < 50; i++) {
      const c = head[i];
      if (c === QUOTE) inQuote = !inQuote;
      else if (!inQuote && c === d) count++;
      else if (!inQuote && (c === LF || c === CR)) {
        if (lineHasContent || count > 0) counts.push(count);
        count = 0;
        lineHasContent = false;
        if (c === CR && head[i + 1] === LF) i++;
        continue;
      }
      lineHasContent = true;
    }
    if (complete && (lineHasContent || count > 0)) counts.push(count);
    if (counts.length === 0 || counts[0] === 0) continue;
    const same = counts.filter((k) => k === counts[0]).length / counts.length;
    // Consistency first; a delimiter appearing in every line beats one that splits only some.
    const score = same * 1000 + Math.min(counts[0], 999) / 1000;
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/** Where binary content shows: the offset of the first NUL / too many control bytes, or -1. */
export function binaryOffset(head: Uint8Array): number {
  let controls = 0;
  let first = -1;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === 0) return i;
    if (c < 0x20 && c !== 0x09 && c !== LF && c !== CR && c !== 0x0c) {
      controls++;
      if (first < 0) first = i;
    }
  }
  return controls > Math.max(2, head.length / 100) ? first : -1;
}

async function* transcodeUtf16(chunks: AsyncIterable<Uint8Array>, label: 'utf-16le' | 'utf-16be'): AsyncIterable<Uint8Array> {
  const dec = new TextDecoder(label);
  const enc = new TextEncoder();
  for await (const c of chunks) yield enc.encode(dec.decode(c, { stream: true }));
  const tail = dec.decode();
  if (tail) yield enc.encode(tail);
}

/** Chunks of at least HEAD_BYTES first (for sniffing), then as they come. */
async function* withHead(chunks: AsyncIterable<Uint8Array>, onHead: (head: Uint8Array, complete: boolean) => void): AsyncIterable<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    total += r.value.length;
  }
  const head = parts.length === 1 ? parts[0] : new Uint8Array(total);
  if (parts.length !== 1) {
    let at = 0;
    for (const p of parts) {
      head.set(p, at);
      at += p.length;
    }
  }
  onHead(head, done);
  if (total > 0) yield head;
  if (done) return;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Issues of one kind, listing the first few and counting all. */
class IssueList {
  listed: AppError[] = [];
  count = 0;
  constructor(readonly code: string) {}
  add(make: () => AppError): void {
    if (this.count++ < MAX_LISTED_ISSUES) this.listed.push(make());
  }
}

function decodeHeader(bytes: Uint8Array, s: number, e: number, utf8: boolean): string {
  return utf8 ? decodeUtf8(bytes, s, e) : new TextDecoder().decode(utf8FromCp1252(bytes, s, e));
}

/** Header names made usable: trimmed, blanks named `column_N`, duplicates suffixed `_2`, `_3`. */
export function uniqueNames(raw: string[], file: string, issues: AppError[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  raw.forEach((r, j) => {
    let name = r.trim();
    if (name === '') {
      name = `column_${j + 1}`;
      issues.push({ code: 'blank-header', message: `column ${j + 1} has no name in the header; called it '${name}'`, file, row: 1, column: name });
    }
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      issues.push({ code: 'duplicate-header', message: `the column name '${name}' appears more than once; this one is called '${name}_${k}'`, file, row: 1, column: `${name}_${k}` });
      name = `${name}_${k}`;
    }
    seen.add(name);
    out.push(name);
  });
  return out;
}

/**
 * The byte-level state machine. A class with a synchronous feed() so V8 can
 * optimise the hot loop (state kept in locals; closures over mutated
 * variables in an async function ran 5x slower).
 */
class CsvParser {
  delimiter = 0x2c;
  readonly header = new RawColumnBuilder(64, 1024);
  cols: RawColumnBuilder[] = [];
  ncols = -1; // unknown until the header row ends
  private readonly scratch = new RawColumnBuilder(4, 256);
  target: RawColumnBuilder = this.header;
  col = 0;
  record = 1; // 1-based record number of the current row
  rows = 0; // data rows kept
  sawHigh = false;
  quoted = false; // current cell was quoted
  quoteStartRecord = 0;
  state = 0; // 0 start of cell, 1 unquoted, 2 quoted, 3 quote seen inside quoted
  private pendingCR = false;
  private rowEmpty = true; // no byte of the current row seen yet
  names: string[] = [];
  headerRecord = 1;
  extraCells = 0;
  blankLines = 0;
  /** Data-row counts at which blank lines were skipped (for row numbers). */
  readonly blankAfter: number[] = [];
  readonly shortRows = new IssueList('short-row');
  readonly longRows = new IssueList('long-row');
  readonly strayQuotes = new IssueList('stray-quote');

  constructor(private readonly file: string, private readonly issues: AppError[]) {}

  private headerNames(): string[] {
    const hb = this.header.finish();
    const utf8 = isValidUtf8(hb.bytes);
    const rawNames: string[] = [];
    for (let j = 0; j < hb.count; j++) rawNames.push(decodeHeader(hb.bytes, hb.offsets[j], hb.offsets[j + 1], utf8));
    return uniqueNames(rawNames, this.file, this.issues);
  }

  private endCell(): void {
    if (this.ncols < 0) this.header.end();
    else if (this.col < this.ncols) this.cols[this.col].end();
    else {
      this.scratch.discardOpen();
      this.extraCells++;
    }
    this.col++;
    if (this.ncols >= 0) this.target = this.col < this.ncols ? this.cols[this.col] : this.scratch;
  }

  private endRow(): void {
    const { file } = this;
    if (this.ncols < 0) {
      // The header row; blank lines before it are skipped.
      if (this.col === 1 && this.header.count === 1 && this.header.offsets[1] === 0 && !this.quoted) {
        this.header.unend();
        this.col = 0;
        this.record++;
        return;
      }
      this.ncols = this.col;
      this.headerRecord = this.record;
      this.names = this.headerNames();
      this.cols = Array.from({ length: this.ncols }, () => new RawColumnBuilder(1024, 8192));
      this.target = this.cols[0];
      this.col = 0;
      this.record++;
      return;
    }
    const ncols = this.ncols;
    const c0 = this.cols[0];
    if (this.col === 1 && ncols > 1 && !this.quoted && c0.count > 0 && c0.offsets[c0.count] === c0.offsets[c0.count - 1]) {
      c0.unend();
      this.blankLines++;
      this.blankAfter.push(this.rows);
      this.record++;
      this.col = 0;
      this.target = c0;
      return;
    }
    if (this.col < ncols) {
      const have = this.col;
      const r = this.record;
      const names = this.names;
      this.shortRows.add(() => ({ code: 'short-row', message: `row has ${have} of ${ncols} cells; the missing cells are read as missing`, file, row: r, column: names[have] }));
      while (this.col < ncols) this.cols[this.col++].end();
    } else if (this.col > ncols) {
      const have = this.col;
      const r = this.record;
      this.longRows.add(() => ({ code: 'long-row', message: `row has ${have} cells but the header has ${ncols}; the ${have - ncols} extra cell(s) are not in the table`, file, row: r }));
    }
    this.rows++;
    this.record++;
    this.col = 0;
    this.target = c0;
  }

  feed(buf: Uint8Array): void {
    const d = this.delimiter;
    const n = buf.length;
    let i = 0;
    let state = this.state;
    let high = false;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (n > 0 && buf[0] === LF) i = 1;
    }
    while (i < n) {
      if (state === 0) {
        this.quoted = false;
        if (buf[i] === QUOTE) {
          state = 2;
          this.quoted = true;
          this.quoteStartRecord = this.record;
          this.rowEmpty = false;
          i++;
          continue;
        }
        state = 1;
      }
      if (state === 1) {
        let j = i;
        let c = 0;
        while (j < n) {
          c = buf[j];
          if (c === d || c === LF || c === CR) break;
          if (c >= 0x80) high = true;
          j++;
        }
        const target = this.target;
        if (j > i) {
          target.append(buf, i, j);
          this.rowEmpty = false;
        }
        if (j === n) {
          i = n;
          break;
        }
        state = 0;
        if (c === d) {
          // Fast path for the common case: a data cell inside the header's width.
          const col = this.col + 1;
          if (col < this.ncols) {
            target.end();
            this.col = col;
            this.target = this.cols[col];
          } else this.endCell();
          this.rowEmpty = false;
          i = j + 1;
          continue;
        }
        this.endCell();
        this.endRow();
        this.rowEmpty = true;
        if (c === CR) {
          if (j + 1 < n) {
            if (buf[j + 1] === LF) j++;
          } else this.pendingCR = true;
        }
        i = j + 1;
        continue;
      }
      if (state === 2) {
        let j = i;
        while (j < n) {
          const c = buf[j];
          if (c === QUOTE) break;
          if (c >= 0x80) high = true;
          j++;
        }
        this.target.append(buf, i, j);
        if (j === n) {
          i = n;
          break;
        }
        state = 3;
        i = j + 1;
        continue;
      }
      // state 3: a quote inside a quoted cell: doubled quote, or the cell's end.
      const c = buf[i];
      if (c === QUOTE) {
        this.target.appendByte(QUOTE);
        state = 2;
        i++;
      } else if (c === d) {
        this.endCell();
        state = 0;
        i++;
      } else if (c === LF || c === CR) {
        this.endCell();
        this.endRow();
        this.rowEmpty = true;
        state = 0;
        if (c === CR) {
          if (i + 1 < n) {
            if (buf[i + 1] === LF) i++;
          } else this.pendingCR = true;
        }
        i++;
      } else {
        // `"abc"def`: keep every byte (the quote was literal text) and say so.
        const r = this.record, cj = this.col, file = this.file, names = this.names, known = this.ncols >= 0;
        this.strayQuotes.add(() => ({ code: 'stray-quote', message: 'text follows a closing quote; the cell was read as written', file, row: r, column: known ? names[cj] : undefined }));
        this.target.appendByte(QUOTE);
        state = 1;
      }
    }
    this.state = state;
    if (high) this.sawHigh = true;
  }

  /** End of input: close a last row that has no final line break. */
  finish(): void {
    if (!this.rowEmpty || this.state === 3 || this.col > 0) {
      this.endCell();
      this.endRow();
    }
    this.state = 0;
  }
}

/** Parse a CSV/TSV source into a typed Arrow table. */
export async function parseCsv(source: Source, opts: CsvOptions = {}): Promise<Result<CsvTable>> {
  const file = source.name;
  const total = source.size;
  let encoding = 'utf-8';
  let delimiter = opts.delimiter ? opts.delimiter.charCodeAt(0) : -1;
  let headError: AppError | null = null;
  let done = 0;
  // Progress counts source bytes; UTF-16 is transcoded after counting.
  async function* counted(): AsyncIterable<Uint8Array> {
    for await (const c of source.chunks()) {
      throwIfCancelled(opts.cancel);
      yield c;
      done += c.length;
      opts.onProgress?.(done, total);
    }
  }
  const sniff: { bomLength: number; utf16: 'utf-16le' | 'utf-16be' | null } = { bomLength: 0, utf16: null };
  const raw = withHead(counted(), (head) => {
    const { bom, length } = bomOf(head);
    sniff.bomLength = length;
    if (bom === 'utf-16le' || bom === 'utf-16be') sniff.utf16 = bom;
    if (bom) encoding = bom;
  });
  // Peek the head before deciding on transcoding.
  const rawIt = raw[Symbol.asyncIterator]();
  const first = await rawIt.next();
  if (first.done || first.value.length === 0) return fail({ code: 'empty-file', message: 'the file is empty', file });
  const firstChunk = first.value;
  async function* rest(): AsyncIterable<Uint8Array> {
    yield firstChunk.subarray(sniff.bomLength);
    for (;;) {
      const r = await rawIt.next();
      if (r.done) return;
      yield r.value;
    }
  }
  const utf16 = sniff.utf16;
  const bomLength = sniff.bomLength;
  const stream = utf16 ? transcodeUtf16(rest(), utf16) : rest();
  let sniffed = false;
  const ext = file.toLowerCase().split('.').pop() ?? '';

  const issues: AppError[] = [];
  const parser = new CsvParser(file, issues);
  let reserved = false;
  let consumed = 0; // bytes parsed (after transcoding)
  for await (const buf of stream) {
    if (!sniffed) {
      sniffed = true;
      const complete = buf.length < HEAD_BYTES;
      const at = binaryOffset(buf.subarray(0, HEAD_BYTES));
      if (at >= 0) {
        headError = { code: 'not-text', message: `this does not look like a text (CSV) file: it has binary content at byte ${at + bomLength}`, file };
        break;
      }
      if (delimiter < 0) delimiter = sniffDelimiter(buf.subarray(0, HEAD_BYTES), complete, ext === 'tsv' || ext === 'tab');
      parser.delimiter = delimiter;
    }
    parser.feed(buf);
    consumed += buf.length;
    // After the first chunk, reserve each column's room from its share so far (growth by doubling would touch twice the memory).
    if (!reserved && parser.ncols >= 0 && parser.rows > 100 && total > 8 * HEAD_BYTES && !utf16) {
      reserved = true;
      const scale = (total / Math.max(1, consumed)) * 1.05;
      for (const c of parser.cols) c.reserve(c.count * scale, c.length * scale + 64);
    }
  }
  if (headError) return fail(headError);
  if (parser.state === 2) {
    return fail({
      code: 'unterminated-quote',
      message: 'the file ends inside a quoted cell (a closing quote is missing, or the file was cut short)',
      file,
      row: parser.quoteStartRecord,
      column: parser.ncols >= 0 ? parser.names[parser.col] : undefined,
    });
  }
  parser.finish();
  const { ncols, rows, names, headerRecord, blankLines, blankAfter, extraCells, header } = parser;
  if (ncols < 0) return fail({ code: 'empty-file', message: 'the file has no header row (it is empty or blank)', file });
  if (rows === 0) return fail({ code: 'no-rows', message: 'the file has a header row but no data rows', file, row: headerRecord + 1 });

  let rawCols: RawColumn[] = parser.cols.map((c) => c.finish());
  parser.cols = [];
  if (parser.sawHigh && !utf16) {
    const utf8 = isValidUtf8(header.finish().bytes) && rawCols.every((c) => isValidUtf8(c.bytes));
    if (!utf8) {
      encoding = 'windows-1252';
      rawCols = rawCols.map(rawColumnFromCp1252);
    }
  }
  if (blankLines > 0)
    issues.push({ code: 'blank-lines', message: `${blankLines} blank line(s) were skipped`, file, row: blankAfter[0] + headerRecord + 1 });
  for (const list of [parser.shortRows, parser.longRows, parser.strayQuotes]) {
    issues.push(...list.listed);
    if (list.count > list.listed.length)
      issues.push({ code: list.code, message: `${list.count} rows had this problem in all (the first ${list.listed.length} are listed)`, file });
  }
  if (extraCells > 0) issues.push({ code: 'extra-cells', message: `${extraCells} cell(s) beyond the header's ${ncols} columns are not in the table`, file });

  const rowOf = blankAfter.length === 0 ? undefined : rowOfIndex(blankAfter, headerRecord + 1);
  const built = buildTable(names, rawCols, { file, firstRow: headerRecord + 1, rowOf, typeOverrides: opts.typeOverrides, cancel: opts.cancel });
  return ok({
    ...built,
    issues: [...issues, ...built.issues],
    encoding,
    delimiter: String.fromCharCode(delimiter),
    rows,
    skippedRows: blankLines,
    fileRow: rowOf ?? ((i: number) => i + headerRecord + 1),
  });
}

/** File row of data row i, given the data-row counts at which blank lines were skipped. */
function rowOfIndex(blankAfter: number[], firstRow: number): (i: number) => number {
  return (i) => {
    let lo = 0, hi = blankAfter.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blankAfter[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    return i + firstRow + lo;
  };
}
