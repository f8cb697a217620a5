import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTable, dateVector } from '../../src/lib/data/build-table.ts';
import { rawColumnFromStrings } from '../../src/lib/data/raw-column.ts';

describe('dateVector', () => {
  it('stores each whole millisecond exactly, before and after 1970, with missing as null', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: null }), { maxLength: 50 }), (xs) => {
        const ms = Float64Array.from(xs, (x) => (x === null ? NaN : x));
        const v = dateVector(ms, new Uint8Array(xs.length));
        const data = v.data[0].values as BigInt64Array;
        xs.forEach((x, i) => {
          expect(v.get(i) === null).toBe(x === null);
          if (x !== null) expect(data[i]).toBe(BigInt(x));
        });
      }),
    );
  });
});

describe('buildTable', () => {
  it('gives each column its own values when scan buffers are reused between columns', () => {
    const cols = [['1', '2', 'NA'], ['a', 'b', 'a'], ['3.5', '', '4'], ['01/02/2020', '', '2021-03-04'], ['x', 'NA', 'y']];
    const t = buildTable(['n1', 'c', 'n2', 'd', 's'], cols.map(rawColumnFromStrings), { file: 'f.csv', firstRow: 2 });
    expect(t.columns.map((c) => [c.type, c.missing])).toEqual([['number', 1], ['category', 0], ['number', 1], ['date', 1], ['category', 1]]);
    expect(t.table.getChild('n1')!.toArray()).toEqual(new Float64Array([1, 2, NaN]));
    expect(t.table.getChild('n2')!.toArray()).toEqual(new Float64Array([3.5, NaN, 4]));
    expect([0, 1, 2].map((i) => t.table.getChild('n2')!.get(i))).toEqual([3.5, null, 4]);
    expect([0, 1, 2].map((i) => t.table.getChild('d')!.get(i))).toEqual([Date.UTC(2020, 1, 1), null, Date.UTC(2021, 2, 4)]);
    expect([0, 1, 2].map((i) => t.table.getChild('s')!.get(i))).toEqual(['x', null, 'y']);
  });
});
