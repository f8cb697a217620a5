/**
 * A minimal .xlsx (Office Open XML spreadsheet) writer on fflate: several sheets, strings shared
 * (sharedStrings.xml, as Excel writes them) or inline, numbers, booleans, and dates as serial
 * numbers shown `dd/mm/yyyy` (1900 date system). Enough for Annex A workbooks and test fixtures;
 * no formulas, merged cells or column widths.
 */
import { zipSync, strToU8 } from 'fflate';

/** A cell: text, a number, a boolean, a date (a JS Date; its UTC calendar day is written), or blank. */
export type XlsxCell = string | number | boolean | Date | null | undefined;

export interface XlsxSheet {
  name: string;
  rows: Iterable<readonly XlsxCell[]>;
}

export interface XlsxOptions {
  /** 'shared' (default) puts each distinct string once in sharedStrings.xml; 'inline' writes it in the cell. */
  strings?: 'shared' | 'inline';
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** XML text with the five special characters escaped and characters XML 1.0 forbids removed. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Column letters of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetters(index: number): string {
  let s = '';
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Excel serial day (1900 system, which counts a fictitious 29 Feb 1900) of a date's UTC calendar day. */
export function excelSerial(d: Date): number {
  const day = Math.floor(d.getTime() / 86_400_000);
  return day + 25569;
}

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, not blank, unique (case-insensitive). */
function safeSheetNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    let base = raw.replace(/[[\]:*?/\\]/g, '_').trim().slice(0, 31) || `Sheet${i + 1}`;
    let name = base;
    for (let k = 2; seen.has(name.toLowerCase()); k++) {
      const suffix = ` (${k})`;
      name = base.slice(0, 31 - suffix.length) + suffix;
    }
    seen.add(name.toLowerCase());
    return name;
  });
}

function textElement(s: string): string {
  const escaped = xmlEscape(s);
  return /^\s|\s$/.test(s) ? `<t xml:space="preserve">${escaped}</t>` : `<t>${escaped}</t>`;
}

/** Bytes of an .xlsx workbook with these sheets, in order. */
export function xlsxBytes(sheets: readonly XlsxSheet[], opts: XlsxOptions = {}): Uint8Array {
  const shared = (opts.strings ?? 'shared') === 'shared';
  const sst = new Map<string, number>();
  const sstList: string[] = [];
  let sstCount = 0;
  const names = safeSheetNames(sheets.map((s) => s.name));
  const files: Record<string, Uint8Array> = {};

  sheets.forEach((sheet, si) => {
    const parts: string[] = [XML_HEAD, `<worksheet xmlns="${NS}" xmlns:r="${NS_R}"><sheetData>`];
    let r = 0;
    for (const row of sheet.rows) {
      r++;
      const cells: string[] = [];
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (v === null || v === undefined || v === '') continue;
        const ref = columnLetters(c) + r;
        if (typeof v === 'number') {
          if (Number.isFinite(v)) cells.push(`<c r="${ref}"><v>${v}</v></c>`);
        } else if (typeof v === 'boolean') {
          cells.push(`<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`);
        } else if (v instanceof Date) {
          if (Number.isFinite(v.getTime())) cells.push(`<c r="${ref}" s="1"><v>${excelSerial(v)}</v></c>`);
        } else if (shared) {
          let k = sst.get(v);
          if (k === undefined) {
            k = sstList.length;
            sst.set(v, k);
            sstList.push(v);
          }
          sstCount++;
          cells.push(`<c r="${ref}" t="s"><v>${k}</v></c>`);
        } else {
          cells.push(`<c r="${ref}" t="inlineStr"><is>${textElement(v)}</is></c>`);
        }
      }
      parts.push(`<row r="${r}">${cells.join('')}</row>`);
    }
    parts.push('</sheetData></worksheet>');
    files[`xl/worksheets/sheet${si + 1}.xml`] = strToU8(parts.join(''));
  });

  const sheetEntries = names.map((n, i) => `<sheet name="${xmlEscape(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  files['xl/workbook.xml'] = strToU8(`${XML_HEAD}<workbook xmlns="${NS}" xmlns:r="${NS_R}"><sheets>${sheetEntries}</sheets></workbook>`);
  const rels = names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  rels.push(`<Relationship Id="rId${names.length + 1}" Type="${NS_R}/styles" Target="styles.xml"/>`);
  if (shared) rels.push(`<Relationship Id="rId${names.length + 2}" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/>`);
  files['xl/_rels/workbook.xml.rels'] = strToU8(`${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`);
  files['xl/styles.xml'] = strToU8(
    `${XML_HEAD}<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
      '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
  );
  if (shared) {
    const items = sstList.map((s) => `<si>${textElement(s)}</si>`).join('');
    files['xl/sharedStrings.xml'] = strToU8(`${XML_HEAD}<sst xmlns="${NS}" count="${sstCount}" uniqueCount="${sstList.length}">${items}</sst>`);
  }
  files['_rels/.rels'] = strToU8(
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const overrides = names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ct}.worksheet+xml"/>`).join('');
  files['[Content_Types].xml'] = strToU8(
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>${overrides}` +
      `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/>` +
      (shared ? `<Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.sharedStrings+xml"/>` : '') +
      '</Types>',
  );
  // A fixed modification time keeps the bytes identical for identical content.
  const mtime = new Date(Date.UTC(2020, 0, 1));
  const ordered: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const name of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', ...(shared ? ['xl/sharedStrings.xml'] : []), ...names.map((_, i) => `xl/worksheets/sheet${i + 1}.xml`)]) {
    ordered[name] = [files[name], { mtime }];
  }
  return zipSync(ordered, { level: 6 });
}
