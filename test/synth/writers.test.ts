/** The RFC 4180 CSV writer and the minimal .xlsx writer (src/lib/data/write-csv.ts, xlsx-write.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { strFromU8, unzipSync } from 'fflate';
import { csvField, csvLine, rowsToCsv, tableCsvChunks, tableToCsv } from '../../src/lib/data/write-csv.ts';
import { stringColumn } from '../../src/lib/data/schema.ts';
import { generateCases, scenarioFrom } from '../../src/lib/synth/index.ts';
import { columnLetters, excelSerial, xlsxBytes, xmlEscape } from '../../src/lib/data/xlsx-write.ts';

/** A strict RFC 4180 reader for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe('CSV writer', () => {
  it('quotes only when needed and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(NaN)).toBe('');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvLine(['a', 1, null, true])).toBe('a,1,,true\r\n');
  });

  it('round-trips any strings through a strict reader', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const header = rows[0].map((_, j) => `c${j}`);
        const body = rows.map((r) => header.map((_, j) => r[j] ?? 'x'));
        expect(parseCsv(rowsToCsv(header, body))).toEqual([header, ...body]);
      }),
    );
  });

  it('writes Arrow tables with ISO dates and blank nulls, batch by batch', () => {
    const t = tableFromArrays({ id: ['a', 'b'], x: Float64Array.from([1.5, NaN]), when: [new Date(Date.UTC(2024, 1, 29)), new Date(Date.UTC(2020, 0, 1))] });
    const text = tableToCsv(t);
    expect(text.split('\r\n')[0]).toBe('id,x,when');
    expect(text.split('\r\n')[1]).toBe('a,1.5,2024-02-29');
    expect([...tableCsvChunks(t, { header: false })].join('')).toBe(text.slice(text.indexOf('\r\n') + 2));
  });
});

describe('CSV of the flat table', () => {
  it('writes dictionary, number, date and text columns (with nulls) that parse back to the same values', () => {
    const { table } = generateCases(scenarioFrom(undefined, { rows: 2000, seed: 9 }));
    const rows = parseCsv(tableToCsv(table));
    const header = rows[0];
    const body = rows.slice(1);
    expect(body.length).toBe(2000);
    for (const c of ['referral_source', 'ethnicity', 'gender', 'note', 'child_id']) {
      const j = header.indexOf(c);
      expect(body.map((r) => (r[j] === '' ? null : r[j])), c).toEqual(stringColumn(table, c));
    }
    const dep = header.indexOf('deprivation_decile');
    const want = stringColumn(table, 'deprivation_decile');
    expect(want.some((v) => v === null)).toBe(true);
    expect(body.map((r) => (r[dep] === '' ? null : r[dep]))).toEqual(want);
    expect(body[0][header.indexOf('referral_date')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('xlsx writer', () => {
  it('names columns like Excel', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
  it('uses the 1900 date system', () => {
    expect(excelSerial(new Date(Date.UTC(1970, 0, 1)))).toBe(25569);
    expect(excelSerial(new Date(Date.UTC(2024, 2, 1)))).toBe(45352);
  });
  it('escapes XML and drops characters XML forbids', () => {
    expect(xmlEscape('a<b & "c"\u0001')).toBe('a&lt;b &amp; &quot;c&quot;');
  });
  it('writes a valid package with shared or inline strings, and the same bytes for the same content', () => {
    const sheets = [{ name: 'List 1', rows: [['h1', 'h2', 'h3'], ['x & y', 3, new Date(Date.UTC(2024, 2, 1))], [' lead', null, true]] }, { name: 'Bad/Name?', rows: [['only']] }];
    const shared = xlsxBytes(sheets);
    expect(xlsxBytes(sheets)).toEqual(shared);
    const files = unzipSync(shared);
    expect(Object.keys(files)).toContain('xl/sharedStrings.xml');
    const wb = strFromU8(files['xl/workbook.xml']);
    expect(wb).toContain('name="List 1"');
    expect(wb).toContain('name="Bad_Name_"');
    const s1 = strFromU8(files['xl/worksheets/sheet1.xml']);
    expect(s1).toContain('<c r="B2"><v>3</v></c>');
    expect(s1).toContain('<c r="C2" s="1"><v>45352</v></c>');
    expect(s1).toContain('<c r="C3" t="b"><v>1</v></c>');
    expect(strFromU8(files['xl/sharedStrings.xml'])).toContain('<si><t>x &amp; y</t></si><si><t xml:space="preserve"> lead</t></si>');
    const inline = unzipSync(xlsxBytes(sheets, { strings: 'inline' }));
    expect(Object.keys(inline)).not.toContain('xl/sharedStrings.xml');
    expect(strFromU8(inline['xl/worksheets/sheet1.xml'])).toContain('<c r="A2" t="inlineStr"><is><t>x &amp; y</t></is></c>');
  });
});
