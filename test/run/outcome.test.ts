import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { guessPositive, outcomeLabels } from '../../src/lib/run/outcome.ts';

const table = (values: (string | null)[]) => tableFromArrays({ y: values as string[] });

describe('outcomeLabels', () => {
  it('labels yes/no and leaves out missing outcomes, counting them', () => {
    const r = outcomeLabels(table(['Yes', 'No', null, 'NA', 'yes ', 'No']), 'y');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Array.from(r.value.labels)).toEqual([1, 0, 1, 0]);
    expect(Array.from(r.value.rows)).toEqual([0, 1, 4, 5]);
    expect(r.value.missing).toBe(2);
    expect(r.value.positive).toBe('Yes');
  });
  it('treats 1 and 1.0 as the same value', () => {
    const r = outcomeLabels(tableFromArrays({ y: Float64Array.from([1, 0, 1.0, 0]) }), 'y');
    expect(r.ok && Array.from(r.value.labels)).toEqual([1, 0, 1, 0]);
  });
  it('uses the named positive value', () => {
    const r = outcomeLabels(table(['CP', 'none', 'CP']), 'y', 'CP');
    expect(r.ok && Array.from(r.value.labels)).toEqual([1, 0, 1]);
  });
  it('refuses a non-binary outcome, naming the values', () => {
    const r = outcomeLabels(table(['a', 'b', 'c']), 'y');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('not-binary');
    expect(r.error.message).toContain("'a', 'b', 'c'");
    expect(r.error.column).toBe('y');
  });
  it('asks which value is yes when it cannot tell', () => {
    const r = outcomeLabels(table(['CP', 'none']), 'y');
    expect(!r.ok && r.error.code).toBe('positive-unknown');
  });
  it('names a missing column and a positive value that does not occur', () => {
    expect(!outcomeLabels(table(['1']), 'z').ok).toBe(true);
    const r = outcomeLabels(table(['1', '0']), 'y', 'yes');
    expect(!r.ok && r.error.code).toBe('positive-not-found');
  });
});

describe('guessPositive', () => {
  it('knows the usual spellings', () => {
    expect(guessPositive(['0', '1'])).toBe('1');
    expect(guessPositive(['b) No', 'a) Yes'])).toBe('a) Yes');
    expect(guessPositive(['N', 'CP plan'])).toBe('CP plan');
    expect(guessPositive(['x', 'z'])).toBeNull();
  });
});
