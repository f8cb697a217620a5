import { describe, it, expect } from 'vitest';
import { murmurhash3, ngrams, fitTfidf, transformTfidf, csrRows, hashedCounts } from '../../src/lib/features/text-hash.ts';
import { golden } from './helpers.ts';

const G = golden('models.json').text;

describe('murmurhash3', () => {
  // Reference values: sklearn.utils.murmurhash3_32(s, seed=0) (signed).
  it.each([
    ['', 0],
    ['a', 1009084850],
    ['hello', 613153351],
    ['neglect concerns', -922596609],
    ['é', 269551495],
    ['abcd', 1139631978],
  ])('%s', (s, h) => expect(murmurhash3(s as string)).toBe(h));
});

describe('ngrams', () => {
  it('lower-cased words of two or more characters, then bigrams', () => {
    expect(ngrams('A cat, THE dog x 42')).toEqual(['cat', 'the', 'dog', '42', 'cat the', 'the dog', 'dog 42']);
  });
});

describe('TF-IDF', () => {
  const model = fitTfidf(G.train);
  const check = (docs: string[], indptr: number[], indices: number[], values: number[]) => {
    const m = transformTfidf(model, docs);
    expect(Array.from(m.indptr)).toEqual(indptr);
    expect(Array.from(m.indices)).toEqual(indices);
    for (let k = 0; k < values.length; k++) expect(Math.abs(m.values[k] - values[k])).toBeLessThan(1e-12);
  };
  it('equals HashingVectorizer + TfidfTransformer on training docs', () => check(G.train, G.trainIndptr, G.trainIndices, G.trainValues));
  it('equals it on test docs (idf from training only)', () => check(G.test, G.testIndptr, G.testIndices, G.testValues));
  it('rows have unit length or are empty', () => {
    const m = transformTfidf(model, [...G.test, null]);
    for (let i = 0; i < m.rows; i++) {
      let ss = 0;
      for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) ss += m.values[k] ** 2;
      expect(ss === 0 || Math.abs(ss - 1) < 1e-12).toBe(true);
    }
  });
  it('csrRows picks rows in order', () => {
    const m = hashedCounts(['aa bb', 'cc', 'dd ee ff'], { bits: 8 });
    const r = csrRows(m, Int32Array.of(2, 0));
    expect(r.rows).toBe(2);
    expect(Array.from(r.indptr)).toEqual([0, 5, 8]);
    expect(Array.from(r.indices.subarray(5))).toEqual(Array.from(m.indices.subarray(0, 3)));
  });
});
