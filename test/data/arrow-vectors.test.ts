import { expect, it } from 'vitest';
import fc from 'fast-check';
import { categoryVector, stringVector } from '../../src/lib/data/arrow-vectors.ts';

it('string and category vectors hold exactly the values given, nulls included', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), { maxLength: 40 }), (values) => {
      expect(stringVector(values).toArray()).toEqual(values);
      const c = categoryVector(values);
      expect(Array.from({ length: values.length }, (_, i) => c.get(i))).toEqual(values);
      expect(c.nullCount).toBe(values.filter((v) => v === null).length);
    }),
  );
});
