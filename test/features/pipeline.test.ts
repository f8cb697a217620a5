import { describe, it, expect } from 'vitest';
import { fitPipeline, transform, compareCodePoints, standardScale } from '../../src/lib/features/pipeline.ts';
import { golden, tableOf, range } from './helpers.ts';

const G = golden('models.json');
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
};

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('fitPipeline / transform', () => {
  const fx = G.preprocess;
  const table = tableOf(fx.columns);
  const n = fx.columns.a.length;
  const spec = { numeric: fx.numeric, categorical: fx.categorical, text: [] };
  const pipe = unwrap(fitPipeline(table, range(0, fx.nTrain), spec));

  it('names and orders columns as ColumnTransformer', () => {
    const names = pipe.names.map((s) => s.replace('(missing)', 'nan'));
    expect(names).toEqual(fx.names);
  });

  it('equals scikit-learn on training rows to 1e-10', () => {
    const d = unwrap(transform(pipe, table, range(0, fx.nTrain)));
    expect(d.p).toBe(fx.p);
    expect(d.X.length).toBe(fx.train.length);
    expect(maxAbsDiff(d.X, fx.train)).toBeLessThan(1e-10);
  });

  it('equals scikit-learn on test rows (unseen levels, new missing) to 1e-10', () => {
    const d = unwrap(transform(pipe, table, range(fx.nTrain, n)));
    expect(d.X.length).toBe(fx.test.length);
    expect(maxAbsDiff(d.X, fx.test)).toBeLessThan(1e-10);
  });

  it('notes a column never observed in training', () => {
    expect(pipe.notes.map((e) => e.code)).toContain('all-missing');
  });

  it('reports a missing column as an error', () => {
    const r = fitPipeline(table, range(0, 10), { numeric: ['nope'], categorical: [], text: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'missing-column', column: 'nope' });
  });

  it('rejects empty training rows and rows outside the table', () => {
    expect(fitPipeline(table, new Int32Array(0), spec).ok).toBe(false);
    expect(fitPipeline(table, Int32Array.of(0, n + 5), spec).ok).toBe(false);
    expect(transform(pipe, table, Int32Array.of(-1)).ok).toBe(false);
  });

  it('counts non-numeric values treated as missing, naming the first row', () => {
    const t = tableOf({ a: ['1', '2', 'oops', '', '5', 'x'] });
    const p = unwrap(fitPipeline(t, range(0, 6), { numeric: ['a'], categorical: [], text: [] }));
    expect(p.notes).toEqual([expect.objectContaining({ code: 'not-numeric', column: 'a', row: 4 })]);
    expect(p.notes[0].message).toMatch(/^2 values/);
    expect(p.names).toEqual(['num__a', 'num__missingindicator_a']);
  });

  it('forTrees keeps numbers raw with NaN and no indicator', () => {
    const p = unwrap(fitPipeline(table, range(0, fx.nTrain), spec, { forTrees: true }));
    const d = unwrap(transform(p, table, range(0, 5)));
    expect(p.names.slice(0, 4)).toEqual(['num__a', 'num__b', 'num__k', 'num__z']);
    for (let i = 0; i < 5; i++) {
      const a = fx.columns.a[i];
      if (a === null) expect(Number.isNaN(d.X[i * d.p])).toBe(true);
      else expect(d.X[i * d.p]).toBe(a);
    }
  });

  it('turns dates into days before the decision date', () => {
    const day = 86_400_000;
    const t = tableOf({ decided: [10 * day, 20 * day, 30 * day], born: [0, 5 * day, null] });
    const p = unwrap(fitPipeline(t, range(0, 3), { numeric: [], categorical: [], text: [], dates: ['born'], dateColumn: 'decided' }, { forTrees: true }));
    const d = unwrap(transform(p, t, range(0, 3)));
    expect(p.names).toEqual(['num__born_days_before_decision']);
    expect(Array.from(d.X)).toEqual([10, 15, NaN]);
    expect(fitPipeline(t, range(0, 3), { numeric: [], categorical: [], text: [], dates: ['born'] }).ok).toBe(false);
  });

  it('groups rare levels only when asked', () => {
    const t = tableOf({ c: ['a', 'a', 'a', 'b', 'c', 'a', null] });
    const off = unwrap(fitPipeline(t, range(0, 7), { numeric: [], categorical: ['c'], text: [] }));
    expect(off.names).toEqual(['cat__c_a', 'cat__c_b', 'cat__c_c', 'cat__c_(missing)']);
    const on = unwrap(fitPipeline(t, range(0, 7), { numeric: [], categorical: ['c'], text: [] }, { rareLevelMinCount: 2 }));
    expect(on.names).toEqual(['cat__c_(other)', 'cat__c_a', 'cat__c_(missing)']);
    const d = unwrap(transform(on, t, range(3, 5)));
    expect(Array.from(d.X)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('adds interactions only when asked', () => {
    const t = tableOf({ a: [1, 2, 3], b: [2, null, 4] });
    const p = unwrap(fitPipeline(t, range(0, 3), { numeric: ['a', 'b'], categorical: [], text: [] }, { forTrees: true, interactions: [['a', 'b']] }));
    const d = unwrap(transform(p, t, range(0, 3)));
    expect(p.names).toEqual(['num__a', 'num__b', 'num__a*b']);
    expect(Array.from(d.X)).toEqual([1, 2, 2, 2, NaN, NaN, 3, 4, 12]);
  });
});

describe('compareCodePoints', () => {
  it('sorts as Python sorts str', () => {
    expect(['b', 'a', 'Z', 'é', '\u{1F600}', '\uFF21'].sort(compareCodePoints)).toEqual(['Z', 'a', 'b', 'é', '\uFF21', '\u{1F600}']);
  });
});

describe('standardScale', () => {
  it('population std; constant column scale 1', () => {
    expect(standardScale(Float64Array.of(1, 2, 3, 4))).toEqual({ mean: 2.5, scale: Math.sqrt(1.25) });
    expect(standardScale(Float64Array.of(0.1, 0.1, 0.1))).toEqual({ mean: expect.closeTo(0.1, 15), scale: 1 });
  });
});
