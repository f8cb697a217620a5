import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { loadTable, retype, type LoadedTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { excelDateText, isDateFormat } from '../../src/lib/data/ingest-xlsx.ts';

const repoRoot = path.resolve(__dirname, '../..');
const shared = (...p: string[]) => path.resolve(repoRoot, '../shared/data', ...p);
const golden = JSON.parse(readFileSync(path.join(repoRoot, 'test/golden/annex-a-xlsx.json'), 'utf8')) as {
  files: Record<string, { sheets: string[]; data: Record<string, { rows: number; columns: Record<string, (string | number | null)[]> }> }>;
};

async function load(name: string, bytes: Uint8Array, sheet?: string): Promise<LoadedTable> {
  const r = await loadTable(sourceFromBytes(name, bytes), { sheet });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A cell as the golden file writes it: numbers as numbers, dates as ISO text, strings as strings. */
function cellOf(t: LoadedTable, col: string, i: number): string | number | null {
  const info = t.columns.find((c) => c.name === col)!;
  const x = t.table.getChild(col)!.get(i) as unknown;
  if (x === null || x === undefined) return null;
  if (info.type === 'date') {
    const iso = new Date(x as number).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (info.type === 'number') return x as number;
  return String(x);
}

describe('Excel (.xlsx)', () => {
  for (const file of Object.keys(golden.files)) {
    it(`reads every sheet of ${file} cell by cell as pandas does`, async () => {
      const bytes = new Uint8Array(readFileSync(shared('annex-a', file)));
      const g = golden.files[file];
      for (const sheet of g.sheets) {
        const t = await load(file, bytes, sheet);
        expect(t.report.sheets).toEqual(g.sheets);
        expect(t.report.sheet).toBe(sheet);
        const want = g.data[sheet];
        expect(t.report.rows).toBe(want.rows);
        // Header names are trimmed ('Date of Adoption Order ' has a trailing space in the sample).
        expect(t.columns.map((c) => c.name)).toEqual(Object.keys(want.columns).map((k) => k.trim()));
        for (const [col, values] of Object.entries(want.columns))
          values.forEach((v, i) => {
            const got = cellOf(t, col.trim(), i);
            // IDs and codes stay text; pandas reads them as numbers.
            if (typeof v === 'number' && typeof got === 'string') expect(Number(got)).toBe(v);
            else expect(got).toEqual(v);
          });
      }
    });
  }

  it('types Annex A List 3 columns', async () => {
    const t = await load('a.xlsx', new Uint8Array(readFileSync(shared('annex-a', 'Annex_A_2024_Jan.xlsx'))), 'List 3');
    const type = Object.fromEntries(t.columns.map((c) => [c.name, c.type]));
    expect(type).toMatchObject({ 'Child Unique ID': 'id', 'Date of Birth': 'date', 'Date of Referral': 'date', Age: 'number' });
  });

  it('fails clearly on a sheet that does not exist', async () => {
    const r = await loadTable(sourceFromBytes('a.xlsx', new Uint8Array(readFileSync(shared('annex-a', 'liia_Annex_A.xlsx')))), { sheet: 'Nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'missing-sheet', file: 'a.xlsx' });
  });

  it('converts Excel serial dates in both date systems', () => {
    expect(excelDateText(44090, false)).toBe('2020-09-16');
    expect(excelDateText(1, false)).toBe('1900-01-01');
    expect(excelDateText(61, false)).toBe('1900-03-01');
    expect(excelDateText(0, true)).toBe('1904-01-01');
    expect(excelDateText(44090.5, false)).toBe('2020-09-16 12:00:00');
  });

  it('tells date formats from number formats', () => {
    expect(isDateFormat('dd/mm/yyyy;@')).toBe(true);
    expect(isDateFormat('[$-809]dd mmmm yyyy')).toBe(true);
    expect(isDateFormat('0.00%')).toBe(false);
    expect(isDateFormat('#,##0')).toBe(false);
    expect(isDateFormat('"days"0')).toBe(false);
  });
});

const CSV = 'id,sex,age,score,when,code\nC1,Male,10,0.5,01/02/2020,01\nC2,Female,,0.25,03/04/2021,2A\nC3,Male,7,NA,,10\n';

describe('Arrow and Parquet', () => {
  it('round-trips a loaded table through Arrow IPC file and stream', async () => {
    const a = await load('t.csv', new TextEncoder().encode(CSV));
    for (const format of ['file', 'stream'] as const) {
      const b = await load('t.arrow', tableToIPC(a.table, format));
      expect(b.report.format).toBe('arrow');
      expect(b.columns.map((c) => c.type)).toEqual(a.columns.map((c) => c.type));
      for (const c of a.columns) expect(stringColumn(b.table, c.name)).toEqual(stringColumn(a.table, c.name));
    }
  });

  it('reads Parquet with types mapped to our conventions', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({
      columnData: [
        { name: 'n', data: [1.5, null, 3], type: 'DOUBLE' },
        { name: 'k', data: [1, 2, 3], type: 'INT32' },
        { name: 'sex', data: ['Male', 'Female', null], type: 'STRING' },
        { name: 'code', data: ['01', '02', '10'], type: 'STRING' },
        { name: 'flag', data: [true, false, true], type: 'BOOLEAN' },
        { name: 'd', data: [new Date(Date.UTC(2020, 0, 2)), null, new Date(Date.UTC(2021, 5, 6))], type: 'TIMESTAMP' },
      ],
    }));
    const t = await load('t.parquet', bytes);
    expect(t.report.format).toBe('parquet');
    expect(Object.fromEntries(t.columns.map((c) => [c.name, c.type]))).toEqual({ n: 'number', k: 'number', sex: 'category', code: 'code', flag: 'category', d: 'date' });
    expect(Array.from(numericColumn(t.table, 'n'))).toEqual([1.5, NaN, 3]);
    expect(stringColumn(t.table, 'sex')).toEqual(['Male', 'Female', null]);
    expect(stringColumn(t.table, 'code')).toEqual(['01', '02', '10']);
    expect(stringColumn(t.table, 'flag')).toEqual(['true', 'false', 'true']);
    expect(Array.from(numericColumn(t.table, 'd'))).toEqual([Date.UTC(2020, 0, 2), NaN, Date.UTC(2021, 5, 6)]);
  });

  it('says which old Excel and damaged files it cannot read', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const r1 = await loadTable(sourceFromBytes('old.xls', xls));
    expect(!r1.ok && r1.error.code).toBe('xls-not-supported');
    const r2 = await loadTable(sourceFromBytes('bad.parquet', new TextEncoder().encode('PAR1 not really')));
    expect(!r2.ok && r2.error).toMatchObject({ code: 'bad-parquet', file: 'bad.parquet' });
    const r3 = await loadTable(sourceFromBytes('bad.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])));
    expect(!r3.ok && r3.error).toMatchObject({ code: 'bad-xlsx', file: 'bad.xlsx' });
  });
});

describe('retype', () => {
  it('changes column types without re-reading and reports misfits', async () => {
    const a = await load('t.csv', new TextEncoder().encode(CSV));
    const r = retype(a, { age: 'category', code: 'number', when: 'number' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = r.value;
    expect(b.columns.find((c) => c.name === 'age')).toMatchObject({ type: 'category', inferredType: 'number' });
    expect(stringColumn(b.table, 'age')).toEqual(['10', null, '7']);
    expect(Array.from(numericColumn(b.table, 'code'))).toEqual([1, NaN, 10]);
    expect(b.report.issues.find((e) => e.column === 'code')).toMatchObject({ code: 'not-a-number' });
    expect(Array.from(numericColumn(b.table, 'when'))).toEqual([Date.UTC(2020, 1, 1), Date.UTC(2021, 3, 3), NaN]);
    expect(retype(a, { nope: 'text' }).ok).toBe(false);
  });

  const step = (t: LoadedTable, o: Record<string, 'number' | 'category' | 'date' | 'text' | 'code' | 'id'>): LoadedTable => {
    const r = retype(t, o);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('is reversible: a category changed to date and back has its values again, and the missing count follows each change', async () => {
    const a = await load('t.csv', new TextEncoder().encode('colour,n\nred,1\nblue,2\ngreen,3\n'));
    const asDate = step(a, { colour: 'date' });
    expect(stringColumn(asDate.table, 'colour')).toEqual([null, null, null]);
    expect(asDate.columns.find((c) => c.name === 'colour')?.missing).toBe(3);
    // The page sends every override relative to the file as read: back to category = no override.
    const back = step(asDate, {});
    expect(stringColumn(back.table, 'colour')).toEqual(['red', 'blue', 'green']);
    expect(back.columns.find((c) => c.name === 'colour')).toMatchObject({ type: 'category', missing: 0 });
    expect(back.report.issues.filter((e) => e.column === 'colour')).toEqual([]);
    const viaText = step(step(step(a, { colour: 'number' }), { colour: 'date' }), { colour: 'text' });
    expect(stringColumn(viaText.table, 'colour')).toEqual(['red', 'blue', 'green']);
  });

  it('reads a number column of whole years as dates on 1 January of each year, and says so', async () => {
    const a = await load('t.csv', new TextEncoder().encode('year,n\n2019,1\n2020,2\n,3\n'));
    expect(a.columns[0].type).toBe('number');
    const d = step(a, { year: 'date' });
    expect(Array.from(numericColumn(d.table, 'year'))).toEqual([Date.UTC(2019, 0, 1), Date.UTC(2020, 0, 1), NaN]);
    expect(d.columns[0].notes?.join(' ')).toMatch(/first day of that year/);
    expect(d.columns[0].missing).toBe(1);
    expect(d.report.issues.filter((e) => e.column === 'year')).toEqual([]);
    // Numbers that are not years are not dates: missing, reported, never 1970.
    const b = await load('t.csv', new TextEncoder().encode('count,n\n3,1\n45000,2\n'));
    const e = step(b, { count: 'date' });
    expect(Array.from(numericColumn(e.table, 'count'))).toEqual([NaN, NaN]);
    expect(e.report.issues.find((x) => x.column === 'count')).toMatchObject({ code: 'not-a-date' });
  });
});
