import { describe, it, expect } from 'vitest';
import { vectorFromArray, Utf8, Float64, Dictionary, Int32 } from 'apache-arrow';
import { allStrings, floatValues } from '../../src/lib/features/columns.ts';

describe('column reads', () => {
  it('Utf8, sliced and concatenated, equals get()', () => {
    const s = vectorFromArray(['a', null, 'ccc', 'dd', null, 'e'], new Utf8()).slice(1, 5);
    const c = s.concat(vectorFromArray(['q', null, 'é'], new Utf8()));
    expect(allStrings(c)).toEqual([null, 'ccc', 'dd', null, 'q', null, 'é']);
  });
  it('Dictionary<Utf8>, sliced', () => {
    const d = vectorFromArray(['x', 'y', null, 'x', 'z'], new Dictionary(new Utf8(), new Int32())).slice(1, 5);
    expect(allStrings(d)).toEqual(['y', null, 'x', 'z']);
  });
  it('Float64, sliced, nulls as NaN', () => {
    const f = vectorFromArray([1, null, 3, 4, null, 6], new Float64()).slice(1, 5);
    expect(Array.from(floatValues(f)!)).toEqual([NaN, 3, 4, NaN]);
  });
  it('other storage is left to get()', () => {
    expect(floatValues(vectorFromArray(['1'], new Utf8()))).toBeNull();
  });
});
