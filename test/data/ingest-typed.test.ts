import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { loadTable, type LoadedTable, type LoadOptions } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';

async function load(bytes: Uint8Array, opts: LoadOptions = {}): Promise<LoadedTable> {
  const r = await loadTable(sourceFromBytes('t.parquet', bytes), opts);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const FLAT = () => new Uint8Array(parquetWriteBuffer({
  columnData: [
    { name: 'big', data: [1n, null, -3n, 9007199254740993n], type: 'INT64' },
    { name: 'x', data: [0.5, NaN, null, 2], type: 'DOUBLE' },
    { name: 'none', data: [null, null, null, null], type: 'DOUBLE' },
    { name: 'when', data: [new Date(Date.UTC(1969, 11, 31, 23)), null, new Date(Date.UTC(2024, 1, 29)), new Date(0)], type: 'TIMESTAMP' },
    { name: 'txt', data: ['café', '', null, 'naïve ☃'], type: 'STRING' },
    { name: 'nums', data: ['1', '2.5', null, '1,000'], type: 'STRING' },
    { name: 'bin', data: [new Uint8Array([0xff, 0x41]), new Uint8Array([0x42]), null, new Uint8Array([])], type: 'BYTE_ARRAY' },
    { name: 'json', data: [{ a: 1 }, null, [1, 2], 'x'], type: 'JSON' },
  ],
}));

describe('Parquet per-column reading', () => {
  it('reads numbers, dates and text of a flat file straight into typed columns', async () => {
    const t = await load(FLAT());
    const types = Object.fromEntries(t.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ big: 'number', x: 'number', none: 'category', when: 'date', txt: 'category', nums: 'category' });
    expect(Array.from(numericColumn(t.table, 'big'))).toEqual([1, NaN, -3, 9007199254740992]);
    expect(Array.from(numericColumn(t.table, 'x'))).toEqual([0.5, NaN, NaN, 2]);
    // NaN in the file and null both count as missing.
    expect(t.columns.find((c) => c.name === 'x')!.missing).toBe(2);
    expect(t.columns.find((c) => c.name === 'none')!.missing).toBe(4);
    expect(Array.from(numericColumn(t.table, 'when'))).toEqual([Date.UTC(1969, 11, 31, 23), NaN, Date.UTC(2024, 1, 29), 0]);
    expect(stringColumn(t.table, 'txt')).toEqual(['café', null, null, 'naïve ☃']);
    // Text in a typed file is never re-read as numbers.
    expect(stringColumn(t.table, 'nums')).toEqual(['1', '2.5', null, '1,000']);
  });

  it('decodes bytes that are not UTF-8 as a text decoder would, and keeps JSON as text', async () => {
    const t = await load(FLAT());
    expect(stringColumn(t.table, 'bin')).toEqual(['\ufffdA', 'B', null, null]);
    expect(stringColumn(t.table, 'json')).toEqual(['{"a":1}', null, '[1,2]', 'x']);
  });

  it('applies type overrides to numeric, date and text columns', async () => {
    const t = await load(FLAT(), { typeOverrides: { big: 'category', when: 'number', nums: 'number', x: 'text' } });
    const types = Object.fromEntries(t.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ big: 'category', when: 'number', nums: 'number', x: 'text' });
    expect(stringColumn(t.table, 'big')).toEqual(['1', null, '-3', '9007199254740993']);
    expect(Array.from(numericColumn(t.table, 'when'))).toEqual([Date.UTC(1969, 11, 31, 23), NaN, Date.UTC(2024, 1, 29), 0]);
    expect(Array.from(numericColumn(t.table, 'nums'))).toEqual([1, 2.5, NaN, 1000]);
    // As the general route always did: a NaN forced to text is the text 'NaN'.
    expect(stringColumn(t.table, 'x')).toEqual(['0.5', 'NaN', null, '2']);
    const d = await load(FLAT(), { typeOverrides: { when: 'text' } });
    expect(stringColumn(d.table, 'when')).toEqual(['1969-12-31T23:00:00.000Z', null, '2024-02-29T00:00:00.000Z', '1970-01-01T00:00:00.000Z']);
  });
});
