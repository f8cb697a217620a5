import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prCurveSvg, prCurveTable, prCurveSentence, bestPrecisionAtRecall } from '../../src/lib/charts/pr-curve.ts';
import { rocCurveSvg, rocCurveTable, rocCurveSentence, bestTprAtFpr } from '../../src/lib/charts/roc-curve.ts';
import { calibrationSvg, calibrationTable, calibrationSentence } from '../../src/lib/charts/calibration.ts';
import { iconArraySvg, iconArraySentence, iconArrayTable, iconCounts } from '../../src/lib/charts/icon-array.ts';
import { forestPlotSvg, forestSentence, forestTable, casesNeededWords, type ForestInput } from '../../src/lib/charts/forest.ts';
import { esc, pct } from '../../src/lib/charts/svg.ts';

// Hand-made curve: 4 positives, 6 negatives; scores 0.9 (pos), 0.8 (pos), 0.7 (neg), 0.6 (pos), 0.4 (neg) ...
const PR = [
  { recall: 0, precision: 1 },
  { recall: 0.25, precision: 1 },
  { recall: 0.5, precision: 1 },
  { recall: 0.5, precision: 2 / 3 },
  { recall: 0.75, precision: 0.75 },
  { recall: 1, precision: 0.4 },
];
const ROC = [
  { fpr: 0, tpr: 0 },
  { fpr: 0, tpr: 0.5 },
  { fpr: 1 / 6, tpr: 0.5 },
  { fpr: 1 / 6, tpr: 0.75 },
  { fpr: 1, tpr: 1 },
];

/** Well-formed, accessible SVG: role="img", a title and a desc that the aria-labelledby names. */
function expectAccessibleSvg(svg: string, id: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('role="img"');
  expect(svg).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
  expect(svg).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  expect(svg).not.toContain('<script');
  // Balanced tags (a cheap well-formedness check).
  const open = (svg.match(/<(g|svg|text|title|desc)[\s>]/g) ?? []).length;
  const close = (svg.match(/<\/(g|svg|text|title|desc)>/g) ?? []).length;
  expect(open).toBe(close);
}

describe('precision-recall curve', () => {
  it('best precision at recall r is the upper envelope to the right', () => {
    expect(bestPrecisionAtRecall(PR, 0.5)).toBe(1);
    expect(bestPrecisionAtRecall(PR, 0.6)).toBe(0.75);
    expect(bestPrecisionAtRecall(PR, 1)).toBe(0.4);
    expect(bestPrecisionAtRecall([], 0.5)).toBeNull();
  });
  it('draws the curve, the chance line at the prevalence and the marker', () => {
    const svg = prCurveSvg({ points: PR, prevalence: 0.4, marker: { recall: 0.75, precision: 0.75 }, id: 'pr' });
    expectAccessibleSvg(svg, 'pr');
    expect(svg).toContain('class="chance"');
    expect(svg).toContain('class="marker"');
    expect(svg).toMatchSnapshot();
  });
  it('table and sentence', () => {
    const t = prCurveTable({ points: PR, prevalence: 0.4, id: 'pr' });
    expect(t.rows[4]).toEqual(['50%', '100%', '40%']);
    expect(t.rows[9]).toEqual(['100%', '40%', '40%']);
    expect(prCurveSentence({ points: PR, prevalence: 0.4, id: 'pr' })).toBe(
      'To find half of the children who went on to need help, at best 100% of the children flagged would really need it, 2.5 times the 40% that flagging at random would give.',
    );
  });
  it('says so when there is no curve', () => {
    expect(prCurveSentence({ points: [], prevalence: null, id: 'x' })).toMatch(/no precision-recall curve/);
    expectAccessibleSvg(prCurveSvg({ points: [], prevalence: null, id: 'x' }), 'x');
  });
});

describe('ROC curve', () => {
  it('best TPR at FPR f is the envelope to the left', () => {
    expect(bestTprAtFpr(ROC, 0)).toBe(0.5);
    expect(bestTprAtFpr(ROC, 0.1)).toBe(0.5);
    expect(bestTprAtFpr(ROC, 0.2)).toBe(0.75);
  });
  it('draws, tabulates and describes', () => {
    const input = { points: ROC, auc: 0.875, marker: { fpr: 1 / 6, tpr: 0.75 }, id: 'roc' };
    const svg = rocCurveSvg(input);
    expectAccessibleSvg(svg, 'roc');
    expect(svg).toMatchSnapshot();
    expect(rocCurveTable(input).rows[2]).toEqual(['10%', '50%', '10%']);
    expect(rocCurveSentence(input)).toBe(
      'The area under the curve is 0.88: given one child who went on to need help and one who did not, the model gives the first a higher score about 9 times in 10 (a coin toss would manage 5). Accepting false alarms for 1 in 10 children who did not need help, it finds 50% of those who did.',
    );
  });
});

describe('calibration plot', () => {
  const bins = [
    { lo: 0, hi: 0.1, n: 500, positives: 25, meanScore: 0.05, observed: 0.05 },
    { lo: 0.1, hi: 0.2, n: 200, positives: 30, meanScore: 0.15, observed: 0.15 },
    { lo: 0.4, hi: 0.5, n: 40, positives: 10, meanScore: 0.45, observed: 0.25 },
    { lo: 0.9, hi: 1, n: null, positives: null, meanScore: null, observed: null },
  ];
  it('names the band where scores and outcomes disagree most', () => {
    expect(calibrationSentence({ bins, id: 'c' })).toBe('Where the average score was 45%, 25% went on to need help: the scores overstate the risk there, so do not read them as chances without checking.');
    expect(calibrationSentence({ bins: bins.slice(0, 2), id: 'c' })).toMatch(/within 5 percentage points/);
    expect(calibrationSentence({ bins: [], id: 'c' })).toMatch(/too few cases/);
  });
  it('tabulates withheld bins as withheld', () => {
    const t = calibrationTable({ bins, id: 'c' });
    expect(t.rows[3]).toEqual(['90% to 100%', 'withheld', 'not defined', 'withheld']);
  });
  it('snapshot', () => {
    const svg = calibrationSvg({ bins, id: 'cal' });
    expectAccessibleSvg(svg, 'cal');
    expect(svg).toMatchSnapshot();
  });
});

describe('icon array', () => {
  it('counts per 100 by largest remainder', () => {
    // 1000 cases: tp 60, fp 40, fn 90, tn 810 -> 6, 4, 9, 81.
    expect(iconCounts({ tp: 60, fp: 40, fn: 90, tn: 810 })).toEqual({ flaggedNeeded: 6, falseAlarm: 4, missed: 9, correctlyNotFlagged: 81 });
    // 3 cases one each of tp, fp, tn: 33.3 each -> the first in order gets the extra one.
    expect(iconCounts({ tp: 1, fp: 1, fn: 0, tn: 1 })).toEqual({ flaggedNeeded: 34, falseAlarm: 33, missed: 0, correctlyNotFlagged: 33 });
    expect(iconCounts({ tp: null, fp: 1, fn: 0, tn: 1 })).toBeNull();
    expect(iconCounts({ tp: 0, fp: 0, fn: 0, tn: 0 })).toBeNull();
  });
  it('always sums to 100 (property)', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), fc.nat(5000), fc.nat(5000), (tp, fp, fn, tn) => {
        const c = iconCounts({ tp, fp, fn, tn });
        if (tp + fp + fn + tn === 0) return c === null;
        return c !== null && c.flaggedNeeded + c.falseAlarm + c.missed + c.correctlyNotFlagged === 100 && Object.values(c).every((v) => v >= 0);
      }),
    );
  });
  it('draws 100 icons with four shapes and a legend', () => {
    const counts = { flaggedNeeded: 6, falseAlarm: 4, missed: 9, correctlyNotFlagged: 81 };
    const svg = iconArraySvg({ counts, id: 'ia' });
    expectAccessibleSvg(svg, 'ia');
    const icons = svg.slice(svg.indexOf('<g class="icons">'), svg.indexOf('</g>'));
    expect((icons.match(/<(circle|path|rect)/g) ?? []).length).toBe(100);
    expect((icons.match(/<rect/g) ?? []).length).toBe(9);
    expect((icons.match(/<path/g) ?? []).length).toBe(4);
    expect(svg).toContain('false alarm');
    expect(svg).toMatchSnapshot();
    expect(iconArraySentence(counts)).toBe('Of every 100 children referred, the model flags 10: 6 of them went on to need help and 4 were false alarms. Of the 15 who went on to need help, 9 were not flagged (missed).');
    expect(iconArrayTable(counts).rows).toEqual([
      ['Flagged by the model', '6', '4'],
      ['Not flagged', '9', '81'],
    ]);
  });
});

describe('forest plot', () => {
  const input: ForestInput = {
    id: 'fp',
    metricLabel: 'False alarm rate',
    reference: 'White',
    tolerance: { lower: 0.8, upper: 1.25 },
    rows: [
      { label: 'White', ratio: 1, lo: null, hi: null, verdict: null, note: 'reference group' },
      { label: 'Black', ratio: 1.9, lo: 1.6, hi: 2.2, verdict: 'disparity' },
      { label: 'Asian', ratio: 1.02, lo: 0.9, hi: 1.12, verdict: 'no disparity' },
      { label: 'Mixed', ratio: 1.1, lo: 0.7, hi: 1.6, verdict: 'inconclusive', casesNeeded: 1234 },
      { label: 'Other', ratio: null, lo: null, hi: null, verdict: null, note: 'withheld (small numbers)' },
    ],
  };
  it('draws band, reference line, intervals and verdict shapes', () => {
    const svg = forestPlotSvg(input);
    expectAccessibleSvg(svg, 'fp');
    expect(svg).toContain('class="band"');
    expect(svg).toContain('class="reference"');
    expect(svg).toContain('withheld (small numbers)');
    expect(svg).toMatchSnapshot();
  });
  it('sentence and table in words', () => {
    expect(forestSentence(input)).toBe('Of 3 groups compared with White, 1 shows a disparity beyond the tolerance (Black: 1.90 times), 1 is within the tolerance, 1 is inconclusive (the interval is too wide to tell).');
    const t = forestTable(input);
    expect(t.rows[3]).toEqual(['Mixed', '1.10', '0.70 to 1.60', 'inconclusive: about 1,200 more cases needed']);
    expect(t.rows[4]).toEqual(['Other', 'withheld (small numbers)', '—', 'withheld (small numbers)']);
  });
  it('cases needed in words', () => {
    expect(casesNeededWords(57.2)).toBe('about 58 more cases needed');
    expect(casesNeededWords(456)).toBe('about 460 more cases needed');
    expect(casesNeededWords(null)).toBe('more cases would be needed to tell');
  });
});

describe('helpers', () => {
  it('escapes markup in labels', () => {
    expect(esc('<b>"A" & B</b>')).toBe('&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;');
    const svg = forestPlotSvg({ id: 'e', metricLabel: 'x', reference: 'R', tolerance: { lower: 0.8, upper: 1.25 }, rows: [{ label: '<script>', ratio: 2, lo: 1.5, hi: 3, verdict: 'disparity' }] });
    expect(svg).not.toContain('<script>');
  });
  it('percentages keep a decimal under 10%', () => {
    expect(pct(0.456)).toBe('46%');
    expect(pct(0.045)).toBe('4.5%');
    expect(pct(null)).toBe('not defined');
  });
});
