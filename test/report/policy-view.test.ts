import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OperatingRow } from '../../src/lib/bundle/schema.ts';
import { DEFAULT_CONTROL, controlWith, fairnessPolicyOf, iconPanelOf, operatingViewOf, parseControl, policyOf, snapToPolicy, testRowsOf } from '../../src/lib/report/policy-view.ts';
import { reportSummary } from '../../src/lib/report/view.ts';
import { loadFixture, reportAtTop10 } from './policy-fixture.ts';
import { rankingCheck } from '../../src/lib/evaluate/minimums.ts';

const ROWS: OperatingRow[] = Array.from({ length: 100 }, (_, i) => ({ topPct: i + 1, threshold: 1 - (i + 1) / 100, nFlagged: (i + 1) * 10, tp: Math.min(100, (i + 1) * 6), fp: (i + 1) * 10 - Math.min(100, (i + 1) * 6), fn: 100 - Math.min(100, (i + 1) * 6), tn: 900 - ((i + 1) * 10 - Math.min(100, (i + 1) * 6)) }));

describe('the policy control', () => {
  it('names one policy, and keeps the other kinds\' values when switching', () => {
    const c = controlWith(DEFAULT_CONTROL, { kind: 'capacity', perMonth: 25 });
    expect(policyOf(c)).toEqual({ kind: 'capacity', perMonth: 25 });
    expect(policyOf({ ...c, mode: 'topPct' })).toEqual({ kind: 'topPct', topPct: 10 });
  });
  it('stored controls are checked field by field', () => {
    expect(parseControl(null)).toEqual(DEFAULT_CONTROL);
    expect(parseControl({ mode: 'everyone', topPct: 500, threshold: 'x', capacity: 12 })).toEqual({ ...DEFAULT_CONTROL, capacity: 12 });
  });
});

describe('test-side counts', () => {
  it('"N test cases" is the test side, not every row of the table', () => {
    const b = reportAtTop10();
    expect(b.data.testRows).toBeLessThan(b.data.rows!);
    expect(testRowsOf(b)).toBe(b.data.testRows);
    expect(reportSummary(b)).toContain(`: ${b.data.testRows!.toLocaleString('en-GB')} test cases,`);
  });
  it('a report without testRows counts its test side from its own confusion counts', () => {
    const b = loadFixture('synthetic-models.json');
    const { policy: _p, ...task } = b.task;
    expect(testRowsOf({ ...b, task, data: { ...b.data, testRows: null } })).toBe(b.data.testRows);
  });
  it('a capacity is placed over the test side\'s own months, not all rows over 12', () => {
    // 20 a month over 6 months of 1,000 test cases = 120 = top 12%; all rows (say 4,000) / 12 would give 6%.
    const s = snapToPolicy(ROWS, { kind: 'capacity', perMonth: 20 }, { testRows: 1000, testMonths: 6 })!;
    expect(s.row.topPct).toBe(12);
    expect(s.note).toMatch(/20 a month over the 6\.00 months the 1,000 test cases span is the top 12\.0%/);
    expect(snapToPolicy(ROWS, { kind: 'capacity', perMonth: 20 }, { testRows: 1000, testMonths: null })!.note).toMatch(/does not say how many months/);
  });
});

describe('the operating view', () => {
  it('at the report\'s own policy: its own counts and intervals, in its own words', () => {
    const b = reportAtTop10();
    const v = operatingViewOf(b, b.results[1], { kind: 'topPct', topPct: 10 }, 'fixed')!;
    expect(v.exact).toBe(true);
    const at = b.results[1].atPolicy!;
    expect(v.row).toMatchObject({ tp: at.tp, fp: at.fp, fn: at.fn, tn: at.tn });
    expect(v.note).toBe(`Flag the top 10% of cases by score: ${at.nFlagged} of ${b.data.testRows!.toLocaleString('en-GB')} test cases flagged (score ${at.threshold!.toFixed(3)} or more).`);
    expect(v.intervals[0]).toMatch(/^Flags that were right \(precision\): \d+% \(95% interval \d+% to \d+%\)\.$/);
  });
  it('a report opened from a file, at another policy: the nearest row, and says intervals are not available', () => {
    const b = reportAtTop10();
    const v = operatingViewOf(b, b.results[1], { kind: 'topPct', topPct: 20 }, 'fixed')!;
    expect(v.exact).toBe(false);
    expect(v.row.topPct).toBe(20);
    expect(v.note).toMatch(/^Flag the top 20% of cases by score\. This report was made at “flag the top 10% of cases by score” and was opened without the cases’ scores, so it cannot be re-derived/);
    expect(v.intervals).toEqual(['Intervals are not available here: they need the scores, which a report opened from a file does not hold.']);
  });
  it('a live report being re-derived says so', () => {
    const b = reportAtTop10();
    expect(operatingViewOf(b, b.results[1], { kind: 'topPct', topPct: 20 }, 'updating')!.note).toMatch(/Working out every number at this policy/);
  });
  it('fairness verdicts are named at the report\'s policy, and a different choice is said plainly', () => {
    const b = reportAtTop10();
    expect(fairnessPolicyOf(b, { kind: 'topPct', topPct: 10 }, 'fixed')).toEqual({ words: 'flag the top 10% of cases by score', note: null });
    expect(fairnessPolicyOf(b, { kind: 'threshold', threshold: 0.5 }, 'fixed').note).toMatch(/cannot be re-derived: they are at its own policy/);
    expect(fairnessPolicyOf(loadFixture('compas-audit.json'), { kind: 'topPct', topPct: 10 }, 'fixed').words).toBe('flag every case with a score of 5 or more');
  });
});

describe('the picture and its words', () => {
  it('at a small share, the sentence reads the picture\'s own numbers (the old sentence said 4 in 10 were false alarms beside 1 flagged icon and 0 false alarms)', () => {
    const p = iconPanelOf({ tp: 8, fp: 5, fn: 120, tn: 1174 });
    expect(p.counts).toEqual({ flaggedNeeded: 1, falseAlarm: 0, missed: 9, correctlyNotFlagged: 90 });
    expect(p.sentences[0]).toBe('Of every 100 children referred, the model flags 1: 1 of them went on to need help and 0 were false alarms. Of the 10 who went on to need help, 9 were not flagged (missed).');
    expect(p.sentences[1]).toBe('Exactly: it flags 13 of 1,307 children (1.0%); 8 of them went on to need help and 5 were false alarms; 120 who needed help were missed.');
  });
  it('fewer than 1 in 100 flagged: the picture shows none and the words say why', () => {
    const p = iconPanelOf({ tp: 2, fp: 1, fn: 100, tn: 1204 });
    expect(p.counts!.flaggedNeeded + p.counts!.falseAlarm).toBe(0);
    expect(p.sentences).toContain('Fewer than 1 in 100 children is flagged, so the picture of 100 shows none.');
  });
  it('property: every number of the first sentence is one of the picture\'s counts', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(5000), (tp, fp, fn, tn) => {
        fc.pre(tp + fp + fn + tn > 0);
        const { counts, sentences } = iconPanelOf({ tp, fp, fn, tn });
        const c = counts!;
        const expected = [100, c.flaggedNeeded + c.falseAlarm, c.flaggedNeeded, c.falseAlarm, c.flaggedNeeded + c.missed, c.missed];
        expect(sentences[0].match(/\d+/g)!.map(Number)).toEqual(expected);
      }),
    );
  });
  it('withheld counts: no picture, and it says why', () => {
    expect(iconPanelOf({ tp: null, fp: 1, fn: 1, tn: 1 })).toEqual({ counts: null, sentences: ['The counts at this point were withheld to protect small numbers, so they cannot be described.'], tooFew: false });
  });
});

describe('the picture below the minimums', () => {
  it('a 3-case test side draws no picture of 100 (it showed 100 of 100 icons "flagged, and needed help"): too few to tell, with the cases needed', () => {
    const p = iconPanelOf({ tp: 2, fp: 1, fn: 0, tn: 0 }, rankingCheck(2, 3));
    expect(p.counts).toBeNull();
    expect(p.tooFew).toBe(true);
    expect(p.sentences[0]).toMatch(/^Too few to tell: 3 cases, about \d+ more would be needed \(at least 10 who needed help and 10 who did not\)/);
    expect(p.sentences.join(' ')).not.toMatch(/of every 100|per 100|100 of/i);
    expect(p.sentences[1]).toBe('Exactly: it flags 3 of 3 children; 2 of them went on to need help and 1 was a false alarm; 0 who needed help were missed.');
    // Every child needed help: no share to grow the negatives from, so no estimate of how many.
    expect(iconPanelOf({ tp: 3, fp: 0, fn: 0, tn: 0 }, rankingCheck(3, 3)).sentences[0]).toMatch(/^Too few to tell: 3 cases, more would be needed/);
  });
  it('40 cases with 5 who needed help: about 40 more would be needed (80 in all at that prevalence)', () => {
    const p = iconPanelOf({ tp: 2, fp: 2, fn: 3, tn: 33 }, rankingCheck(5, 40));
    expect(p.counts).toBeNull();
    expect(p.sentences[0]).toMatch(/^Too few to tell: 40 cases, about 40 more would be needed/);
  });
  it('at or above the minimums the picture is drawn as before', () => {
    const row = { tp: 8, fp: 5, fn: 120, tn: 1174 };
    expect(iconPanelOf(row, rankingCheck(128, 1307))).toEqual(iconPanelOf(row));
    expect(iconPanelOf(row, rankingCheck(128, 1307)).counts).not.toBeNull();
  });
});

describe('the picture follows the report’s unit', () => {
  it('people, not children, when the analyst named the unit a person', () => {
    const panel = iconPanelOf({ tp: 8, fp: 5, fn: 120, tn: 1174 }, null, 'person');
    expect(panel.sentences.join(' ')).not.toMatch(/child/);
    expect(panel.sentences[0]).toMatch(/^Of every 100 people referred, the model flags 1: 1 of them had the outcome/);
    expect(panel.sentences[1]).toBe('Exactly: it flags 13 of 1,307 people (1.0%); 8 of them had the outcome and 5 were false alarms; 120 who had the outcome were missed.');
  });
  it('children when the report names no unit', () => {
    expect(iconPanelOf({ tp: 8, fp: 5, fn: 120, tn: 1174 }).sentences[1]).toMatch(/of 1,307 children/);
  });
  it('too few to tell says what the minimums count in the unit\'s words (people who had the outcome, not who needed help)', () => {
    const p = iconPanelOf({ tp: 2, fp: 1, fn: 0, tn: 0 }, rankingCheck(2, 3), 'person');
    expect(p.sentences[0]).toMatch(/\(at least 10 who had the outcome and 10 who did not\), so no picture of 100 people is drawn/);
    expect(p.sentences.join(' ')).not.toMatch(/needed help|child/);
  });
});
