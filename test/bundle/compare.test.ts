import { describe, it, expect } from 'vitest';
import { compareBundles, compareSubgroups, COMPARE_COLUMNS } from '../../src/lib/bundle/compare.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { exampleBundle } from './make-bundle.ts';

describe('compareBundles', () => {
  const a = shareableBundle(exampleBundle(1500, 7));
  const b = shareableBundle(exampleBundle(1500, 8));
  const cmp = compareBundles([a, b], { labels: ['Council A', 'Council B'] });
  it('has one row per bundle and model, one cell per column', () => {
    expect(cmp.rows.map((r) => `${r.label}/${r.model}`)).toEqual([
      'Council A/baseline', 'Council A/logistic', 'Council A/gbdt', 'Council A/mlp',
      'Council B/baseline', 'Council B/logistic', 'Council B/gbdt', 'Council B/mlp',
    ]);
    for (const r of cmp.rows) expect(Object.keys(r.cells)).toEqual(COMPARE_COLUMNS.map((c) => c.key));
  });
  it('copies values and intervals from the bundle', () => {
    const r = cmp.rows[5];
    expect(r.cells.averagePrecision).toEqual({ ...b.results[1].metrics.averagePrecision, withheld: false });
    const p = b.results[1].atThreshold;
    expect(r.cells['atThreshold.precision']).toEqual({ value: p.precision, lo: p.intervals!.precision!.lo, hi: p.intervals!.precision!.hi, withheld: false });
    expect(r.cells['topK.nFlagged'].value).toBe(b.results[1].topK.nFlagged);
  });
  it('summarises each bundle and notes nothing when they are like for like', () => {
    expect(cmp.bundles.map((s) => [s.label, s.integrityOk, s.shareable, s.threshold, s.topPct])).toEqual([
      ['Council A', true, true, 0.5, 10], ['Council B', true, true, 0.5, 10],
    ]);
    expect(cmp.notes).toEqual([]);
  });
  it('notes different thresholds, local results and tampering', () => {
    const c = exampleBundle(1500, 9);
    c.task.operatingPoint.threshold = 0.3;
    const t = structuredClone(b);
    t.results[0].metrics.averagePrecision.value = 0.999;
    const notes = compareBundles([a, c, t], { labels: ['A', 'C', 'T'] }).notes;
    expect(notes.some((n) => n.startsWith('The score thresholds differ'))).toBe(true);
    expect(notes).toContain('C: no disclosure control was applied; this is an analyst\'s local result, not for sharing.');
    expect(notes).toContain('T: failed its check — it was changed after it was written or signed; its numbers are shown but never pooled.');
  });
  it('marks withheld cells', () => {
    const x = structuredClone(a);
    x.results[0].atThreshold.precision = null;
    x.results[0].atThreshold.intervals = {};
    x.results[0].atThreshold.withheld = { precision: 'derived' };
    expect(compareBundles([x]).rows[0].cells['atThreshold.precision']).toEqual({ value: null, lo: null, hi: null, withheld: true });
  });
});

describe('compareSubgroups', () => {
  it('lists one metric for each group of an attribute across bundles', () => {
    const a = shareableBundle(exampleBundle(1500, 7));
    const rows = compareSubgroups([a, a], 'locality', 'atThreshold.fnr', { labels: ['A', 'B'], model: 'gbdt' });
    expect(rows).toHaveLength(12);
    const g = a.results[2].subgroups.find((s) => s.attribute === 'locality' && s.group === 'Northfield')!;
    expect(rows.find((r) => r.label === 'B' && r.group === 'Northfield')).toMatchObject({ model: 'gbdt', n: g.n, cell: { value: g.atThreshold.fnr } });
  });
});
