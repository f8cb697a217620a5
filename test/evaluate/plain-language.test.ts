import { describe, expect, it } from 'vitest';
import type { OperatingPointResult } from '../../src/lib/bundle/schema.ts';
import { falseAlarmSentence, flaggedSentence, missedSentence, naturalFrequency, plainLanguage } from '../../src/lib/evaluate/plain-language.ts';
import { operatingPointFromCounts } from '../../src/lib/evaluate/operating-point.ts';

function op(precision: [number, number, number] | null, fnr: [number, number, number] | null): OperatingPointResult {
  const e = (x: [number, number, number] | null) => (x ? { value: x[0], lo: x[1], hi: x[2] } : { value: null, lo: null, hi: null });
  return {
    threshold: 0.5, nFlagged: 0, tp: 0, fp: 0, fn: 0, tn: 0,
    precision: precision?.[0] ?? null, recall: fnr ? 1 - fnr[0] : null, fpr: null, fnr: fnr?.[0] ?? null,
    intervals: { precision: e(precision), fnr: e(fnr) },
  };
}

describe('natural frequencies', () => {
  it('tenths by default, bounds rounded to the nearest', () => {
    expect(naturalFrequency(0.6, 0.53, 0.68)).toEqual({ count: 6, denominator: 10, lo: 5, hi: 7, belowResolution: false });
  });
  it('fifths when the interval is at least 0.2 wide and the rate sits near a fifth', () => {
    expect(naturalFrequency(0.8, 0.68, 0.9)).toEqual({ count: 4, denominator: 5, lo: 3, hi: 5, belowResolution: false });
    // 0.5 is 2.5 fifths: rounding would move it by 0.1, so tenths are kept.
    expect(naturalFrequency(0.5, 0.35, 0.65)).toMatchObject({ count: 5, denominator: 10 });
  });
  it('hundredths (then thousandths) only when tenths would say none or all', () => {
    expect(naturalFrequency(0.03, 0.01, 0.06)).toEqual({ count: 3, denominator: 100, lo: 1, hi: 6, belowResolution: false });
    expect(naturalFrequency(0.97)).toMatchObject({ count: 97, denominator: 100 });
    expect(naturalFrequency(0.004)).toMatchObject({ count: 4, denominator: 1000 });
    expect(naturalFrequency(0.0004)).toMatchObject({ count: 0, denominator: 1000, belowResolution: true });
    expect(naturalFrequency(0)).toMatchObject({ count: 0, denominator: 10, belowResolution: false });
  });
  it('rounds halves up despite floating point (0.35 → 4 in 10)', () => {
    expect(naturalFrequency(0.35).count).toBe(4);
  });
});

describe('sentences', () => {
  it('the issue example: 6 in 10 false alarms, 4 in 5 missed, intervals in words', () => {
    const t = plainLanguage(op([0.4, 0.32, 0.47], [0.8, 0.68, 0.9]));
    expect(t.falseAlarms).toBe('Of every 10 children the model flags, about 6 did not go on to need a plan (false alarms; 95% interval between 5 and 7 in 10).');
    expect(t.missed).toBe('Of every 5 children who did, about 4 were not flagged (missed; 95% interval between 3 and 5 in 5).');
    expect(t.text).toBe(`${t.falseAlarms} ${t.missed}`);
  });
  it('outcome wording and who is counted are parameters', () => {
    const w = { outcome: 'reoffend within two years', noun: 'people' };
    expect(falseAlarmSentence(op([0.63, 0.6, 0.66], null), w)).toBe(
      'Of every 10 people the model flags, about 4 did not reoffend within two years (false alarms; 95% interval between 3 and 4 in 10).',
    );
    expect(missedSentence(op(null, [0.1, 0.07, 0.13]), w)).toBe(
      'Of every 10 people who did reoffend within two years, about 1 was not flagged (missed; 95% interval rounding to 1 in 10 at both ends).',
    );
  });
  it('rare misses use hundredths, never "none"', () => {
    expect(missedSentence(op(null, [0.03, 0.01, 0.06]))).toBe(
      'Of every 100 children who did go on to need a plan, about 3 were not flagged (missed; 95% interval between 1 and 6 in 100).',
    );
  });
  it('exact zeros are said plainly', () => {
    expect(falseAlarmSentence(op([1, 1, 1], null))).toBe('Of every 10 children the model flags, all did go on to need a plan (no false alarms; 95% interval rounding to 0 in 10 at both ends).');
    expect(missedSentence(op(null, [0, 0, 0]), {}, true)).toBe('Of every 10 children who did, all were flagged (none missed; 95% interval rounding to 0 in 10 at both ends).');
  });
  it('says why when a rate is undefined', () => {
    const t = plainLanguage(op(null, null));
    expect(t.falseAlarms).toBe('The model flags no children at this setting, so there are no false alarms to count.');
    expect(t.missed).toBe('No children in these data went on to need a plan, so none could be missed.');
  });
  it('works from counts without intervals', () => {
    const o = operatingPointFromCounts(0.5, 30, 70, 120, 780);
    expect(plainLanguage(o).text).toBe(
      'Of every 10 children the model flags, about 7 did not go on to need a plan (false alarms). Of every 10 children who did, about 8 were not flagged (missed).',
    );
    expect(flaggedSentence(o)).toBe('The model flags about 1 in 10 children.');
  });
});
