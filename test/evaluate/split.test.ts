import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { temporalSplit, randomSplit, kfoldSplits, groupedSplit, columnSplit } from '../../src/lib/evaluate/split.ts';

const DAY = 86_400_000;
const day0 = Date.UTC(2020, 0, 1);

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('temporalSplit', () => {
  // One case a day for 100 days.
  const dates = Float64Array.from({ length: 100 }, (_, i) => day0 + i * DAY);
  const y = Uint8Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));

  it('hand-worked: cut at day 70, 30-day gap', () => {
    const s = unwrap(temporalSplit(y, dates, { cutDate: day0 + 70 * DAY, gapDays: 30 }));
    expect(s.test.length).toBe(30); // days 70..99
    expect(s.train.length).toBe(41); // days 0..40
    expect(s.description.cutDate).toBe('2020-03-11');
    expect(s.description.train.dateTo).toBe('2020-02-10');
    expect(s.description.test.dateFrom).toBe('2020-03-11');
    expect(s.description.excluded).toEqual([{ reason: expect.stringMatching(/within 30 days/), count: 29 }]);
  });

  it('no training case has its outcome window reach into the test period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0.1, max: 0.6, noNaN: true }), (gap, frac) => {
        const r = temporalSplit(y, dates, { gapDays: gap, testFraction: frac });
        if (!r.ok) return true;
        const cut = Math.min(...Array.from(r.value.test, (i) => dates[i]));
        for (const i of r.value.train) if (dates[i] + gap * DAY > cut) return false;
        return r.value.train.length + r.value.test.length + r.value.description.excluded.reduce((a, e) => a + e.count, 0) === 100;
      }),
    );
  });

  it('counts rows without a date and fails cleanly without any', () => {
    const d = dates.slice();
    d[5] = NaN;
    const s = unwrap(temporalSplit(y, d, { gapDays: 0 }));
    expect(s.description.excluded).toContainEqual({ reason: 'no decision date', count: 1 });
    const none = temporalSplit(y, new Float64Array(100).fill(NaN), { gapDays: 0 });
    expect(none.ok).toBe(false);
    expect(temporalSplit(y, dates, { gapDays: 500 }).ok).toBe(false); // gap swallows all training rows
  });
});

describe('randomSplit', () => {
  it('keeps prevalence on both sides and is seeded', () => {
    const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = unwrap(randomSplit(y, { seed: 1, testFraction: 0.3 }));
    expect(a.description.test).toMatchObject({ n: 300, positives: 30 });
    expect(a.description.train).toMatchObject({ n: 700, positives: 70 });
    expect(Array.from(unwrap(randomSplit(y, { seed: 1 })).test)).toEqual(Array.from(a.test));
    expect(Array.from(unwrap(randomSplit(y, { seed: 2 })).test)).not.toEqual(Array.from(a.test));
  });
  it('partitions the rows', () => {
    fc.assert(
      fc.property(fc.uint8Array({ min: 0, max: 1, minLength: 10, maxLength: 200 }), fc.integer(), (y, seed) => {
        const r = randomSplit(y, { seed });
        if (!r.ok) return true;
        const all = [...r.value.train, ...r.value.test].sort((a, b) => a - b);
        return all.length === y.length && all.every((v, i) => v === i);
      }),
    );
  });
  it('rejects a bad fraction', () => expect(randomSplit(new Uint8Array(10), { seed: 1, testFraction: 1.5 }).ok).toBe(false));
});

describe('kfoldSplits', () => {
  it('every row is tested exactly once; folds stratified', () => {
    const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const folds = unwrap(kfoldSplits(y, { k: 5, seed: 3 }));
    const seen = new Int32Array(103);
    for (const f of folds) {
      for (const i of f.test) seen[i]++;
      expect(f.train.length + f.test.length).toBe(103);
      expect([4, 5]).toContain(f.description.test.positives); // 21 positives over 5 folds
    }
    expect(Array.from(seen).every((c) => c === 1)).toBe(true);
  });
});

describe('groupedSplit', () => {
  it('never puts the same child on both sides', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), { minLength: 20, maxLength: 200 }), fc.integer(), (raw, seed) => {
        const ids = raw.map((v) => (v === null ? null : `c${v}`));
        const y = Uint8Array.from(raw, (_, i) => i % 3 === 0 ? 1 : 0);
        const r = groupedSplit(y, ids, { seed, testFraction: 0.3 });
        if (!r.ok) return true;
        const trainIds = new Set(Array.from(r.value.train, (i) => ids[i]).filter((v) => v !== null));
        return Array.from(r.value.test).every((i) => ids[i] === null || !trainIds.has(ids[i])) && r.value.train.length + r.value.test.length === ids.length;
      }),
    );
  });
  it('reports group counts and rows without an ID', () => {
    const ids = ['a', 'a', 'b', 'c', null, 'd', 'd', 'e', 'f', 'g'];
    const s = unwrap(groupedSplit(new Uint8Array(10), ids, { seed: 5, groupColumn: 'child_id' }));
    expect(s.description.trainGroups! + s.description.testGroups!).toBe(8);
    expect(s.description.ungroupedRows).toBe(1);
  });
});

describe('columnSplit', () => {
  it('reads train/test, counts blanks, names a bad value', () => {
    const y = Uint8Array.of(1, 0, 0, 1);
    const s = unwrap(columnSplit(y, ['train', ' Test', null, 'TRAIN'], 'split'));
    expect(Array.from(s.train)).toEqual([0, 3]);
    expect(Array.from(s.test)).toEqual([1]);
    expect(s.description.excluded).toEqual([{ reason: "blank 'split' value", count: 1 }]);
    const bad = columnSplit(y, ['train', 'valid', 'test', 'test'], 'split');
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad-split-value', row: 3, column: 'split' }) });
  });
});
