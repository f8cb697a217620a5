import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadTable, type LoadedTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { stringColumn, numericColumn } from '../../src/lib/data/schema.ts';
import { sniffDelimiter } from '../../src/lib/data/ingest-csv.ts';

const enc = new TextEncoder();

async function load(text: string | Uint8Array, name = 't.csv', chunk = 1 << 20, overrides?: Record<string, 'number' | 'category' | 'date' | 'text' | 'id' | 'code'>): Promise<LoadedTable> {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const r = await loadTable(sourceFromBytes(name, bytes, chunk), { typeOverrides: overrides });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function loadError(text: string | Uint8Array, name = 't.csv') {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const r = await loadTable(sourceFromBytes(name, bytes));
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const strings = (t: LoadedTable, c: string) => stringColumn(t.table, c);

describe('CSV structure', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks', async () => {
    const t = await load('a,b\n"x, y","say ""hi"""\n"line1\nline2",z\n');
    expect(t.report.rows).toBe(2);
    expect(strings(t, 'a')).toEqual(['x, y', 'line1\nline2']);
    expect(strings(t, 'b')).toEqual(['say "hi"', 'z']);
  });

  it('handles CRLF, CR and a missing final newline', async () => {
    for (const eol of ['\r\n', '\r', '\n']) {
      const t = await load(['a,b', '1,x', '2,y'].join(eol));
      expect(numericColumn(t.table, 'a')).toEqual(new Float64Array([1, 2]));
      expect(strings(t, 'b')).toEqual(['x', 'y']);
    }
  });

  it('splits CRLF across a chunk boundary without making an empty row', async () => {
    const text = 'a,b\r\n1,x\r\n2,y\r\n';
    for (let chunk = 1; chunk <= text.length; chunk++) {
      const t = await load(text, 't.csv', chunk);
      expect(t.report.rows).toBe(2);
      expect(strings(t, 'b')).toEqual(['x', 'y']);
    }
  });

  it.each([
    [',', 'a,b,c\n1,2,3\n4,5,6\n'],
    [';', 'a;b;c\n1,5;2;3\n4;5;6\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n4\t5\t6\n'],
    ['|', 'a|b|c\n1|2|3\n4|5|6\n'],
  ])('sniffs the delimiter %j', async (d, text) => {
    const t = await load(text);
    expect(t.report.delimiter).toBe(d);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('prefers a delimiter that is consistent over one that is more frequent', () => {
    const head = enc.encode('name;note\nAnn;"a, b, c"\nBo;"d, e"\n');
    expect(String.fromCharCode(sniffDelimiter(head, true))).toBe(';');
  });

  it('names a TSV as tsv', async () => {
    const t = await load('a\tb\n1\t2\n', 'x.tsv');
    expect(t.report.format).toBe('tsv');
  });

  it('pads short rows with missing and reports each with its row', async () => {
    const t = await load('a,b,c\n1,2,3\n4,5\n7,8,9\n');
    expect(strings(t, 'c')).toEqual(['3', null, '9']);
    const e = t.report.issues.find((i) => i.code === 'short-row')!;
    expect(e.row).toBe(3);
    expect(e.column).toBe('c');
  });

  it('reports long rows and counts the extra cells', async () => {
    const t = await load('a,b\n1,2\n3,4,5,6\n');
    expect(t.report.rows).toBe(2);
    expect(strings(t, 'b')).toEqual(['2', '4']);
    expect(t.report.issues.find((i) => i.code === 'long-row')!.row).toBe(3);
    expect(t.report.issues.find((i) => i.code === 'extra-cells')!.message).toMatch(/^2 cell/);
  });

  it('caps a long run of ragged rows and counts all of them', async () => {
    const text = 'a,b\n' + Array.from({ length: 50 }, (_, i) => `${i}`).join('\n') + '\n';
    const t = await load(text);
    expect(t.report.issues.filter((i) => i.code === 'short-row').length).toBe(21);
    expect(t.report.issueCounts['short-row']).toBe(50);
  });

  it('skips blank lines, counts them and keeps row numbers true to the file', async () => {
    const t = await load('a,b\n1,x\n\n2,\n');
    expect(t.report.rows).toBe(2);
    expect(t.report.skippedRows).toBe(1);
    expect(strings(t, 'b')).toEqual(['x', null]);
  });

  it('names blank and duplicate headers', async () => {
    const t = await load('a,,a\n1,2,3\n');
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'column_2', 'a_2']);
    expect(t.report.issues.map((i) => i.code)).toEqual(['blank-header', 'duplicate-header']);
  });

  it('keeps a quote that follows a closing quote and reports it', async () => {
    const t = await load('a,b\n"x"y,1\n');
    expect(strings(t, 'a')).toEqual(['x"y']);
    expect(t.report.issues[0]).toMatchObject({ code: 'stray-quote', row: 2, column: 'a' });
  });
});

describe('CSV failures name file, row and column', () => {
  it('an empty file', async () => {
    expect(await loadError('')).toMatchObject({ code: 'empty-file', file: 't.csv' });
  });
  it('a header-only file', async () => {
    expect(await loadError('a,b\n')).toMatchObject({ code: 'no-rows', row: 2 });
  });
  it('a file cut inside a quoted cell', async () => {
    expect(await loadError('a,b\n1,2\n3,"unfinished\n4,5\n')).toMatchObject({ code: 'unterminated-quote', row: 3, column: 'b' });
  });
  it('binary junk named .csv', async () => {
    const junk = new Uint8Array(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    expect(await loadError(junk)).toMatchObject({ code: 'not-text', file: 't.csv' });
  });
});

describe('CSV encodings', () => {
  it('drops a UTF-8 BOM', async () => {
    const t = await load(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('name\nÉlodie\n')]));
    expect(t.columns[0].name).toBe('name');
    expect(t.report.encoding).toBe('utf-8');
    expect(strings(t, 'name')).toEqual(['Élodie']);
  });

  it.each(['utf-16le', 'utf-16be'] as const)('reads %s with a BOM', async (label) => {
    const s = 'a,b\n£5,café\n';
    const bytes = new Uint8Array(2 + s.length * 2);
    bytes.set(label === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes[2 + 2 * i + (label === 'utf-16le' ? 0 : 1)] = c & 0xff;
      bytes[2 + 2 * i + (label === 'utf-16le' ? 1 : 0)] = c >> 8;
    }
    for (const chunk of [3, 1 << 20]) {
      const t = await load(bytes, 't.csv', chunk);
      expect(t.report.encoding).toBe(label);
      expect(strings(t, 'a')).toEqual(['£5']);
      expect(strings(t, 'b')).toEqual(['café']);
    }
  });

  it('detects Windows-1252 from invalid UTF-8 and decodes £, curly quotes and é', async () => {
    // "name,note\nRené,£5 “ok”\n" in Windows-1252
    const bytes = new Uint8Array([...enc.encode('name,note\nRen'), 0xe9, 0x2c, 0xa3, ...enc.encode('5 '), 0x93, ...enc.encode('ok'), 0x94, 0x0a]);
    const t = await load(bytes);
    expect(t.report.encoding).toBe('windows-1252');
    expect(strings(t, 'name')).toEqual(['René']);
    expect(strings(t, 'note')).toEqual(['£5 “ok”']);
  });
});

describe('CSV missing values and types', () => {
  it('reads NA, N/A, NULL, blank and empty as missing', async () => {
    const t = await load('x,y\n1,a\nNA,NA\nN/A,b\nNULL,null\n , \n,c\n');
    expect(Array.from(numericColumn(t.table, 'x')).map((v) => (Number.isNaN(v) ? null : v))).toEqual([1, null, null, null, null, null]);
    expect(strings(t, 'y')).toEqual(['a', null, 'b', null, null, 'c']);
    expect(t.columns[0]).toMatchObject({ type: 'number', missing: 5 });
  });

  it('reads UK dates, ISO dates and date-times', async () => {
    const t = await load('d\n03/04/2021\n2021-04-05\n05/04/2021 13:45\n');
    expect(t.columns[0].type).toBe('date');
    expect(numericColumn(t.table, 'd')).toEqual(new Float64Array([Date.UTC(2021, 3, 3), Date.UTC(2021, 3, 5), Date.UTC(2021, 3, 5, 13, 45)]));
  });

  it('does not assume US month/day order', async () => {
    const t = await load('d\n03/04/2021\n04/25/2021\n');
    expect(t.columns[0].type).not.toBe('date');
    expect(t.report.issues[0]).toMatchObject({ code: 'us-date-order', row: 3, column: 'd' });
  });

  it('reads thousands separators and percentages as numbers and says so', async () => {
    const t = await load('n,p\n"1,234",45%\n"12,345,678.5",3.5%\n7,0%\n');
    expect(numericColumn(t.table, 'n')).toEqual(new Float64Array([1234, 12345678.5, 7]));
    expect(numericColumn(t.table, 'p')).toEqual(new Float64Array([45, 3.5, 0]));
    expect(t.columns[0].notes!.join()).toMatch(/thousands/);
    expect(t.columns[1].notes!.join()).toMatch(/percent/);
  });

  it('keeps leading-zero and mixed codes as text', async () => {
    const t = await load('a,b\n01,2A\n02,10\n10,3B\n');
    expect(t.columns.map((c) => c.type)).toEqual(['code', 'code']);
    expect(strings(t, 'a')).toEqual(['01', '02', '10']);
  });

  it('infers category, text and id', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `C${1000 + i},${['Male', 'Female'][i % 2]},"The family was visited on day ${i} and concerns about ${i % 7} things were noted",${i}`);
    const t = await load('Child ID,Gender,Note,n\n' + rows.join('\n'));
    expect(t.columns.map((c) => c.type)).toEqual(['id', 'category', 'text', 'number']);
    expect(t.table.getChild('Gender')!.type.toString()).toMatch(/Dictionary/);
  });

  it('applies type overrides and reports cells that do not fit', async () => {
    const t = await load('a,b\n1,x\n2,3\n', 't.csv', 1 << 20, { a: 'category', b: 'number' });
    expect(t.columns.map((c) => [c.type, c.inferredType])).toEqual([['category', 'number'], ['number', 'category']]);
    expect(strings(t, 'a')).toEqual(['1', '2']);
    expect(t.report.issues[0]).toMatchObject({ code: 'not-a-number', row: 2, column: 'b' });
  });
});

// Any table of awkward strings, written with RFC 4180 quoting and read back in any chunk size, gives the same cells.
describe('CSV round trip (property)', () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '£', '😀', ';', '\t', 'x') , maxLength: 8 }),
    fc.constantFrom('', 'NA'),
  );
  it('reads back what was written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }), async (k, rows, chunk) => {
        const header = Array.from({ length: k }, (_, j) => `c${j}`);
        const body = rows.map((r) => r.slice(0, k));
        // Rows whose only cell is empty would be blank lines: quote them.
        const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
        const text = [header.join(','), ...body.map((r) => r.map(q).join(','))].join('\r\n');
        const t = await load(text, 't.csv', chunk, Object.fromEntries(header.map((h) => [h, 'text'])));
        expect(t.report.rows).toBe(body.length);
        for (let j = 0; j < k; j++) {
          const want = body.map((r) => (r[j].trim() === '' || r[j].trim().toUpperCase() === 'NA' ? null : r[j]));
          expect(strings(t, header[j])).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
