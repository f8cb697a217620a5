/**
 * Excel .xlsx reader: fflate unzips the parts we need, a small XML scan reads
 * the workbook, shared strings, styles (to tell dates from numbers) and one
 * sheet. Written here because the usual library's npm release (SheetJS 0.18.5)
 * is frozen with open advisories.
 *
 * Cells become text the CSV path would have read (numbers as JavaScript prints
 * them, dates as ISO `yyyy-mm-dd[ hh:mm:ss]`), so type inference is shared.
 */
import { unzipSync } from 'fflate';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { fail, ok } from '../errors.ts';
import type { ColumnInfo, ColumnType } from './schema.ts';
import type { Table } from 'apache-arrow';
import { buildTable } from './build-table.ts';
import { rawColumnFromStrings } from './raw-column.ts';
import { uniqueNames } from './ingest-csv.ts';

export interface XlsxOptions {
  file: string;
  sheet?: string;
  typeOverrides?: Record<string, ColumnType>;
  cancel?: CancelToken;
}

export interface XlsxTable {
  table: Table;
  columns: ColumnInfo[];
  issues: AppError[];
  sheets: string[];
  sheet: string;
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** Sheet rows not in the table: above the header, and blank rows. */
  skippedRows: number;
  /** The sheet row (1-based) of table row i. */
  fileRow: (i: number) => number;
}

const utf8 = new TextDecoder();

/** XML text with entities and OOXML `_xHHHH_` escapes decoded. */
export function xmlText(s: string): string {
  if (s.indexOf('&') >= 0)
    s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, e: string) =>
      e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'"
      : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));
  if (s.indexOf('_x') >= 0) s = s.replace(/_x([0-9a-fA-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s;
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out[m[1]] = xmlText(m[2] ?? m[3] ?? '');
  return out;
}

/** Concatenated text of the <t> elements of a string item, leaving out phonetic runs. */
function itemText(xml: string): string {
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1] ?? '';
  return xmlText(out);
}

/** Built-in number formats that show dates or times. */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').split(';')[0];
  return /[dmyhs]/i.test(bare) && !/^[#0.,%\sE+-]*$/.test(bare);
}

function colIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** ISO text of an Excel serial date (1900 or 1904 system), rounded to the second. */
export function excelDateText(serial: number, date1904: boolean): string {
  // 1900 system: serial 60 is the fictitious 29 Feb 1900; serials before it are one day early.
  const days = date1904 ? serial - 24107 : serial < 60 ? serial - 25568 : serial - 25569;
  const ms = Math.round((days * 86400000) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  return ms % 86400000 === 0 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

interface SheetRef {
  name: string;
  path: string;
}

function resolvePath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ('xl/' + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

interface Grid {
  /** Sheet rows in order: 1-based row number and cell texts by column (sparse). */
  rows: { r: number; cells: (string | null)[] }[];
  errors: { code: string; row: number; col: number }[];
}

function readGrid(xml: string, shared: string[], dateStyles: Set<number>, date1904: boolean): Grid {
  const rows: Grid['rows'] = [];
  const errors: Grid['errors'] = [];
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  let m: RegExpExecArray | null;
  let lastRow = 0;
  while ((m = rowRe.exec(xml))) {
    const ra = attrs(m[1]);
    const r = ra.r ? Number(ra.r) : lastRow + 1;
    lastRow = r;
    const cells: (string | null)[] = [];
    const body = m[2];
    if (body) {
      let c: RegExpExecArray | null;
      let lastCol = -1;
      cellRe.lastIndex = 0;
      while ((c = cellRe.exec(body))) {
        const a = attrs(c[1]);
        const col = a.r ? colIndex(a.r) : lastCol + 1;
        lastCol = col;
        const inner = c[2] ?? '';
        const t = a.t ?? 'n';
        const vm = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner);
        const v = vm ? xmlText(vm[1]) : null;
        let text: string | null = null;
        if (t === 's') text = v === null ? null : shared[Number(v)] ?? null;
        else if (t === 'inlineStr') {
          const is = /<is>([\s\S]*?)<\/is>/.exec(inner);
          text = is ? itemText(is[1]) : null;
        } else if (t === 'str') text = v;
        else if (t === 'b') text = v === null ? null : v === '1' ? 'TRUE' : 'FALSE';
        else if (t === 'e') {
          if (v !== null && v !== '#N/A') errors.push({ code: v, row: r, col });
          text = null;
        } else if (t === 'd') text = v;
        else if (v !== null && v !== '') {
          const x = Number(v);
          text = Number.isFinite(x) && a.s !== undefined && dateStyles.has(Number(a.s)) ? excelDateText(x, date1904) : String(x);
        }
        cells[col] = text;
      }
    }
    rows.push({ r, cells });
  }
  return { rows, errors };
}

function nonEmpty(cells: (string | null)[]): number {
  let k = 0;
  for (const c of cells) if (c !== null && c !== undefined && c.trim() !== '') k++;
  return k;
}

/**
 * The header row: the first of the top rows whose cells are mostly text and
 * which is about as wide as the widest of those rows (titles and notes above
 * a table are narrow).
 */
export function headerRowIndex(rows: { cells: (string | null)[] }[]): number {
  const top = rows.slice(0, 30);
  const widest = Math.max(0, ...top.map((r) => nonEmpty(r.cells)));
  for (let i = 0; i < top.length; i++) {
    const cells = top[i].cells;
    const k = nonEmpty(cells);
    if (k === 0 || k < Math.max(1, 0.6 * widest)) continue;
    let texty = 0;
    for (const c of cells) if (c && c.trim() !== '' && !Number.isFinite(Number(c)) && !/^\d{4}-\d\d-\d\d/.test(c)) texty++;
    if (texty >= 0.8 * k) return i;
  }
  return 0;
}

/** Sheet names of a workbook, in workbook order. */
export function xlsxSheets(files: Record<string, Uint8Array>): SheetRef[] {
  const wb = utf8.decode(files['xl/workbook.xml']);
  const relsXml = files['xl/_rels/workbook.xml.rels'] ? utf8.decode(files['xl/_rels/workbook.xml.rels']) : '';
  const rels = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const a = attrs(m[1]);
    if (a.Id && a.Target) rels.set(a.Id, resolvePath(a.Target));
  }
  const out: SheetRef[] = [];
  let k = 0;
  for (const m of wb.matchAll(/<sheet\b([^>]*)\/?>/g)) {
    k++;
    const a = attrs(m[1]);
    const rid = a['r:id'] ?? Object.entries(a).find(([key]) => key.endsWith(':id'))?.[1];
    out.push({ name: a.name ?? `Sheet${k}`, path: (rid && rels.get(rid)) || `xl/worksheets/sheet${k}.xml` });
  }
  return out;
}

export function readXlsx(bytes: Uint8Array, opts: XlsxOptions): Result<XlsxTable> {
  const file = opts.file;
  let files: Record<string, Uint8Array>;
  try {
    // Unzip only the parts we read (a workbook may hold images, pivot caches...).
    files = unzipSync(bytes, { filter: (f) => f.name === 'xl/workbook.xml' || f.name === 'xl/_rels/workbook.xml.rels' || f.name === 'xl/sharedStrings.xml' || f.name === 'xl/styles.xml' || f.name.startsWith('xl/worksheets/sheet') });
  } catch (e) {
    return fail({ code: 'bad-xlsx', message: `this Excel file could not be opened (${(e as Error).message}); it may be damaged or not really .xlsx`, file });
  }
  if (!files['xl/workbook.xml']) return fail({ code: 'bad-xlsx', message: 'this zip file is not an Excel workbook (no xl/workbook.xml)', file });
  const sheets = xlsxSheets(files);
  const wbXml = utf8.decode(files['xl/workbook.xml']);
  const date1904 = /<workbookPr\b[^>]*date1904\s*=\s*"(1|true)"/.test(wbXml);
  const shared: string[] = [];
  if (files['xl/sharedStrings.xml']) {
    const sst = utf8.decode(files['xl/sharedStrings.xml']);
    for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(m[1] === undefined ? '' : itemText(m[1]));
  }
  const dateStyles = new Set<number>();
  if (files['xl/styles.xml']) {
    const st = utf8.decode(files['xl/styles.xml']);
    const custom = new Map<number, string>();
    for (const m of st.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
      const a = attrs(m[1]);
      custom.set(Number(a.numFmtId), a.formatCode ?? '');
    }
    const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(st);
    if (xfs) {
      let k = 0;
      for (const m of xfs[1].matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)) {
        const id = Number(attrs(m[1]).numFmtId ?? 0);
        if (DATE_FORMAT_IDS.has(id) || (custom.has(id) && isDateFormat(custom.get(id)!))) dateStyles.add(k);
        k++;
      }
    }
  }
  const grids = new Map<string, Grid>();
  const gridOf = (s: SheetRef): Grid => {
    let g = grids.get(s.name);
    if (!g) {
      const part = files[s.path];
      g = part ? readGrid(utf8.decode(part), shared, dateStyles, date1904) : { rows: [], errors: [] };
      grids.set(s.name, g);
    }
    return g;
  };
  let chosen: SheetRef | undefined;
  if (opts.sheet !== undefined) {
    chosen = sheets.find((s) => s.name === opts.sheet) ?? sheets.find((s) => s.name.toLowerCase().replace(/[\s_]+/g, '') === opts.sheet!.toLowerCase().replace(/[\s_]+/g, ''));
    if (!chosen) return fail({ code: 'missing-sheet', message: `there is no sheet named '${opts.sheet}' (sheets: ${sheets.map((s) => s.name).join(', ')})`, file });
  } else chosen = sheets.find((s) => gridOf(s).rows.some((r) => nonEmpty(r.cells) > 0));
  if (!chosen) return fail({ code: 'no-rows', message: 'every sheet of this workbook is empty', file });
  const grid = gridOf(chosen);
  const where = `${file} [${chosen.name}]`;
  const rowsWithData = grid.rows.filter((r) => nonEmpty(r.cells) > 0);
  if (rowsWithData.length === 0) return fail({ code: 'no-rows', message: `the sheet '${chosen.name}' is empty`, file: where });
  const h = headerRowIndex(rowsWithData);
  const headerRow = rowsWithData[h];
  let width = 0;
  headerRow.cells.forEach((c, j) => {
    if (c !== null && c !== undefined && c.trim() !== '') width = j + 1;
  });
  const issues: AppError[] = [];
  const data = rowsWithData.slice(h + 1);
  if (data.length === 0) return fail({ code: 'no-rows', message: `the sheet '${chosen.name}' has a header row but no data rows`, file: where, row: headerRow.r + 1 });
  // Cells to the right of the header are reported, not silently dropped.
  let beyond = 0, beyondRow = 0;
  for (const r of data) {
    for (let j = width; j < r.cells.length; j++)
      if (r.cells[j] !== null && r.cells[j] !== undefined && r.cells[j]!.trim() !== '') {
        beyond++;
        if (!beyondRow) beyondRow = r.r;
      }
  }
  const rawNames = Array.from({ length: width }, (_, j) => headerRow.cells[j] ?? '');
  const names = uniqueNames(rawNames, where, issues);
  if (beyond > 0) issues.push({ code: 'extra-cells', message: `${beyond} cell(s) to the right of the header are not in the table`, file: where, row: beyondRow });
  if (h > 0) issues.push({ code: 'header-not-first', message: `the header was found on row ${headerRow.r}; the ${h} row(s) above it are not in the table`, file: where, row: headerRow.r });
  for (const e of grid.errors.slice(0, 20))
    if (e.row > headerRow.r && e.col < width) issues.push({ code: 'excel-error', message: `the cell holds the Excel error ${e.code}; read as missing`, file: where, row: e.row, column: names[e.col] });
  const cols = names.map((_, j) => rawColumnFromStrings(data.map((r) => r.cells[j] ?? null)));
  const built = buildTable(names, cols, { file: where, firstRow: headerRow.r + 1, rowOf: (i) => data[i].r, typeOverrides: opts.typeOverrides, cancel: opts.cancel });
  const blankRows = grid.rows.filter((r) => r.r > headerRow.r && nonEmpty(r.cells) === 0).length;
  return ok({
    table: built.table,
    columns: built.columns,
    issues: [...issues, ...built.issues],
    sheets: sheets.map((s) => s.name),
    sheet: chosen.name,
    headerRow: headerRow.r,
    skippedRows: h + blankRows,
    fileRow: (i: number) => data[i].r,
  });
}
