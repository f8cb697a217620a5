import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, OperatingRow } from '../../src/lib/bundle/schema.ts';
import {
  comparisonRows,
  driverRows,
  forestInputOf,
  groupTableRows,
  headlineOf,
  modelLabel,
  naturalFrequencySentences,
  operatingRowsOf,
  pairedComparisonRows,
  verdictLines,
  metricLabels,
  METRIC_LABELS,
} from '../../src/lib/report/view.ts';
import { snapToPolicy } from '../../src/lib/report/policy-view.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (name: string): Bundle => JSON.parse(readFileSync(path.join(here, '../fixtures/bundles', name), 'utf8'));

const ROWS: OperatingRow[] = Array.from({ length: 100 }, (_, i) => ({ topPct: i + 1, threshold: 1 - (i + 1) / 100, nFlagged: (i + 1) * 10, tp: Math.min(100, (i + 1) * 6), fp: (i + 1) * 10 - Math.min(100, (i + 1) * 6), fn: 100 - Math.min(100, (i + 1) * 6), tn: 900 - ((i + 1) * 10 - Math.min(100, (i + 1) * 6)) }));

describe('labels and headline', () => {
  it('names models for people', () => {
    expect(modelLabel({ model: 'logistic', features: 'structured+text' })).toBe('Logistic regression (with case notes)');
    expect(modelLabel({ model: 'external', features: null })).toBe('Existing score');
  });
  it('headline of the COMPAS audit: AP against chance with its interval and the verdict', () => {
    const b = load('compas-audit.json');
    const h = headlineOf(b, b.results[0]);
    expect(h.label).toBe('Existing score');
    expect(h.ap).toMatch(/^0\.\d\d \(95% interval 0\.\d\d to 0\.\d\d\)$/);
    expect(h.sentence).toMatch(/^Better than chance/);
    expect(h.tag.text).toMatch(/Criteria (met|not met)/);
    expect(h.criteria).toMatch(/^Fixed before the results were seen/);
  });
  it('says plainly when the AP is missing', () => {
    const b = load('compas-audit.json');
    const r = { ...b.results[0], metrics: { ...b.results[0].metrics, averagePrecision: { value: null, lo: null, hi: null } } };
    expect(headlineOf({ ...b, preregistration: null }, r)).toMatchObject({ ap: 'not available', criteria: 'No success criteria were fixed before the results were seen.' });
  });
});

describe('operating point', () => {
  it('snaps top K% to the nearest row and says which', () => {
    const s = snapToPolicy(ROWS, { kind: 'topPct', topPct: 10.4 }, { testRows: null, testMonths: null })!;
    expect(s.row.topPct).toBe(10);
    expect(s.note).toBe('the nearest row is the top 10% (100 cases flagged, score 0.900 or more)');
  });
  it('snaps a threshold to the row with the nearest score cut', () => {
    const s = snapToPolicy(ROWS, { kind: 'threshold', threshold: 0.752 }, { testRows: null, testMonths: null })!;
    expect(s.row.topPct).toBe(25);
    expect(s.note).toBe('the nearest row is the top 25% (score 0.750 or more, 250 cases flagged)');
  });
  it('no rows: null, so the page says the bundle has none', () => {
    expect(snapToPolicy(null, { kind: 'topPct', topPct: 10 }, { testRows: 100, testMonths: 1 })).toBeNull();
    expect(operatingRowsOf({ curves: {} })).toBeNull();
  });
  it('threshold without recorded scores falls back and says so', () => {
    const rows = ROWS.map((r) => ({ ...r, threshold: null }));
    expect(snapToPolicy(rows, { kind: 'threshold', threshold: 0.5 }, { testRows: 100, testMonths: 1 })!.note).toMatch(/does not record the score at each row/);
  });
  it('natural frequencies', () => {
    expect(naturalFrequencySentences({ topPct: 10, threshold: 0.5, nFlagged: 100, tp: 60, fp: 40, fn: 90, tn: 810 })).toEqual([
      'Of every 10 children the model flags, about 6 went on to need help and 4 were false alarms.',
      'Of every 10 children who went on to need help, the model flags about 4 and misses 6.',
      'In all it flags 100 of 1,000 children (10%).',
    ]);
    expect(naturalFrequencySentences({ topPct: 1, threshold: null, nFlagged: null, tp: null, fp: null, fn: 1, tn: 1 })[0]).toMatch(/withheld/);
    expect(naturalFrequencySentences({ topPct: 1, threshold: 2, nFlagged: 0, tp: 0, fp: 0, fn: 0, tn: 5 })[0]).toBe('At this point the model flags no child.');
  });
  it('natural frequencies in the report\'s unit: people, not children, for adult defendants', () => {
    expect(naturalFrequencySentences({ topPct: 10, threshold: 0.5, nFlagged: 100, tp: 60, fp: 40, fn: 90, tn: 810 }, 'person')).toEqual([
      'Of every 10 people the model flags, about 6 had the outcome and 4 were false alarms.',
      'Of every 10 people who had the outcome, the model flags about 4 and misses 6.',
      'In all it flags 100 of 1,000 people (10%).',
    ]);
  });
});

describe('comparison and drivers', () => {
  it('model comparison rows with paired differences', () => {
    const b = load('synthetic-models.json');
    const rows = comparisonRows(b);
    expect(rows.map((r) => r.label)).toEqual(['Simple baseline', 'Logistic regression (without case notes)', 'Logistic regression (with case notes)', 'Boosted trees (without case notes)']);
    expect(rows[0].difference).toBe('the comparator');
    expect(rows[1].difference).toMatch(/^[+−]0\.\d\d \([+−]0\.\d\d to [+−]0\.\d\d\): (clearly better|clearly worse|not clearly different) vs Simple baseline$/);
    const paired = pairedComparisonRows(b);
    expect(paired).toContainEqual(expect.objectContaining({ a: 'Logistic regression (with case notes)', b: 'Logistic regression (without case notes)' }));
  });
  it('missing comparison and drivers are said plainly', () => {
    const b = load('compas-audit.json');
    // Said the same of a live result and of a bundle: never "not in this bundle".
    expect(comparisonRows(b)[0].difference).toBe('no paired comparison was made');
    expect(pairedComparisonRows(b)).toEqual([]);
    expect(driverRows(b.results[0])).toEqual({ coefficients: null, importance: null, coefficientInterval: '95% interval', importanceInterval: 'Interval' });
  });
  it('model inputs and stored criteria are named in words, never encoded or as raw JSON', () => {
    const b = load('compas-audit.json');
    const r = { ...b.results[0], coefficients: [{ name: 'cat__gender_Unknown', value: 0.4, lo: 0.1, hi: 0.7 }, { name: 'num__missingindicator_age', value: -0.2, lo: null, hi: null }] };
    expect(driverRows(r as typeof b.results[0]).coefficients!.map((d) => d.name)).toEqual(['gender: Unknown', 'age: missing']);
    const bare = { ...b, preregistration: { ...b.preregistration!, criteria: [{ metric: 'fnr' as const, op: '<=' as const, value: 0.5, at: { topPct: 10 } }] } };
    const words = headlineOf(bare, bare.results[0]).criteria;
    expect(words).not.toMatch(/"metric"|\{/);
    expect(words).toMatch(/^Fixed before the results were seen: /);
  });

  it('coefficients largest first, with intervals', () => {
    const b = load('synthetic-models.json');
    const d = driverRows(b.results[1], 5);
    expect(d.coefficients).toHaveLength(5);
    expect(d.coefficients![0].size).toBe(1);
    // A run reports no permutation importance; the view reads it only from older bundles.
    expect(d.importance).toBeNull();
  });
});

describe('fairness', () => {
  it('COMPAS false positive rate: African-American vs Caucasian is a disparity', () => {
    const b = load('compas-audit.json');
    const f = forestInputOf(b.results[0], 'race', 'fpr', 'threshold', { lower: 0.8, upper: 1.25 }, 'f');
    expect(f.reference).toBe('Caucasian');
    const aa = f.rows.find((r) => r.label.startsWith('African-American'))!;
    // ProPublica: 44.85% vs 23.45% -> ratio 1.91.
    expect(aa.ratio).toBeCloseTo(0.4485 / 0.2345, 2);
    expect(aa.verdict).toBe('disparity');
    expect(f.rows.find((r) => r.label === 'Caucasian')!.note).toBe('reference group');
    const lines = verdictLines(f);
    expect(lines.find((l) => l.group.startsWith('African-American'))!.tag.text).toBe('Disparity');
    for (const l of lines.filter((x) => x.tag.text === 'Inconclusive')) expect(l.words).toMatch(/^(About [\d,]+ more cases needed|More cases would be needed to tell) in this group to tell\.$/);
  });
  it('group table keeps small groups, flagged, and says withheld for suppressed cells', () => {
    const b = load('compas-audit.json');
    const r = b.results[0];
    const rows = groupTableRows(r, 'race', 'threshold');
    expect(rows.length).toBe(r.subgroups.filter((s) => s.attribute === 'race').length);
    expect(rows.some((x) => x.flags.includes('small group: read with care'))).toBe(true);
    const suppressed = { ...r, subgroups: r.subgroups.map((s) => (s.group === 'Asian' ? { ...s, n: null, positives: null, prevalence: null, suppressed: true, disparity: {}, atThreshold: { ...s.atThreshold, fpr: null }, atPolicy: { ...s.atPolicy!, fpr: null } } : s)) };
    const asian = groupTableRows(suppressed, 'race', 'threshold').find((x) => x.group === 'Asian')!;
    expect(asian.n).toBe('withheld (small numbers)');
    expect(asian.fpr).toBe('withheld (small numbers)');
    const f = forestInputOf(suppressed, 'race', 'fpr', 'threshold', { lower: 0.8, upper: 1.25 }, 'f');
    expect(f.rows.find((x) => x.label.startsWith('Asian'))).toMatchObject({ ratio: null, note: 'withheld (small numbers)' });
  });
});

describe('workshop story', async () => {
  const { workshopStory, groupPicture, STORY_LENGTH } = await import('../../src/lib/report/workshop.ts');
  it('six steps in plain words from one row', () => {
    const steps = workshopStory({ topPct: 10, threshold: 0.3, nFlagged: 100, tp: 60, fp: 40, fn: 90, tn: 810 })!;
    expect(steps).toHaveLength(STORY_LENGTH);
    expect(steps.map((s) => s.title)).toEqual([
      '100 children are referred',
      '15 children will go on to need help',
      'The computer flags 10 children',
      '4 of the 10 flagged were false alarms',
      '9 children who needed help were missed',
      'Is it the same for every group of children?',
    ]);
    expect(steps[1].counts).toEqual({ flaggedNeeded: 15, falseAlarm: 0, missed: 0, correctlyNotFlagged: 85 });
    expect(workshopStory({ topPct: 10, threshold: null, nFlagged: null, tp: null, fp: null, fn: null, tn: null })).toBeNull();
  });
  it('group pictures at the same global row; no rows -> said plainly', () => {
    const s = { attribute: 'ethnicity', group: 'Mixed', operating: [{ topPct: 10, threshold: null, nFlagged: 20, tp: 5, fp: 15, fn: 10, tn: 170 }] } as never;
    expect(groupPicture(s, 10).sentence).toBe('Of every 100 Mixed children referred, 10 are flagged: 7 are false alarms, and 5 who needed help were missed.');
    expect(groupPicture(s, 11).counts).toBeNull();
  });
  it('a group below the minimums gets no picture of 100: too few to tell, with the cases needed', async () => {
    const { rankingCheck } = await import('../../src/lib/evaluate/minimums.ts');
    const s = { attribute: 'gender', group: 'Neither', minimums: rankingCheck(1, 3), operating: [{ topPct: 10, threshold: null, nFlagged: 3, tp: 1, fp: 2, fn: 0, tn: 0 }] } as never;
    const p = groupPicture(s, 10);
    expect(p.counts).toBeNull();
    expect(p.sentence).toMatch(/^Neither: Too few to tell: 3 cases, about \d+ more would be needed/);
  });
});

describe('a shareable bundle (disclosure control applied) renders without crashing', async () => {
  const { applyDisclosureControl } = await import('../../src/lib/bundle/disclosure.ts');
  const { prCurveSvg, prCurveSentence } = await import('../../src/lib/charts/pr-curve.ts');
  const { rocCurveSvg } = await import('../../src/lib/charts/roc-curve.ts');
  const { calibrationSvg, calibrationTable } = await import('../../src/lib/charts/calibration.ts');
  const { forestPlotSvg } = await import('../../src/lib/charts/forest.ts');
  it('every view and chart answers, and withheld cells are said so', () => {
    const shared = applyDisclosureControl(load('compas-audit.json'), { threshold: 30 });
    const r = shared.results[0];
    expect(headlineOf(shared, r).ap).toMatch(/^0\.\d\d/);
    const rows = operatingRowsOf(r);
    expect(rows!.every((x) => x.topPct % 5 === 0)).toBe(true);
    // Snaps to the nearest row kept (top 12% -> the 10% row).
    expect(snapToPolicy(rows, { kind: 'topPct', topPct: 12 }, { testRows: null, testMonths: null })!.row.topPct).toBe(10);
    const prInput = { points: r.curves?.pr ?? [], prevalence: shared.data.prevalence, id: 'p' };
    expect(prCurveSvg(prInput)).toContain('role="img"');
    expect(prCurveSentence(prInput)).toMatch(/half of the children/);
    expect(rocCurveSvg({ points: r.curves?.roc ?? [], auc: r.metrics.rocAuc.value, id: 'r' })).toContain('role="img"');
    calibrationSvg({ bins: r.curves?.calibration ?? [], id: 'c' });
    calibrationTable({ bins: r.curves?.calibration ?? [], id: 'c' });
    const all: string[] = [];
    for (const attribute of ['race', 'race × sex']) {
      for (const m of ['fpr', 'fnr', 'precision', 'flaggedRate', 'averagePrecision'] as const) {
        const f = forestInputOf(r, attribute, m, 'threshold', { lower: 0.8, upper: 1.25 }, 'f');
        expect(forestPlotSvg(f)).toContain('role="img"');
        all.push(...f.rows.map((x) => x.note ?? ''));
      }
      all.push(...groupTableRows(r, attribute, 'topK').flatMap((x) => [x.n, x.fpr]));
    }
    expect(all.some((s) => s === 'withheld (small numbers)')).toBe(true);
    expect(comparisonRows(shared)).toHaveLength(1);
  });
});

describe('the Fairness words follow the report’s unit', () => {
  it('measures and "too few" name people when the unit is a person', () => {
    const labels = metricLabels('person');
    expect(labels.fpr).toBe('False alarms among people who did not have the outcome (FPR)');
    expect(labels.fnr).toBe('People missed among those who had the outcome (FNR)');
    expect(Object.values(labels).join(' ')).not.toMatch(/child/i);
    const lines = verdictLines({ rows: [{ label: 'Other', ratio: null, lo: null, hi: null, verdict: 'inconclusive', tooFew: true, casesNeeded: 40, n: 4 }], tolerance: { lower: 0.8, upper: 1.25 }, metricLabel: labels.fpr, reference: 'White', id: 'f', unit: 'person' });
    expect(lines[0].words).toMatch(/^Too few people in this group to tell/);
  });
  it('children by default, as before', () => {
    expect(METRIC_LABELS.fnr).toBe('Children missed among those who needed help (FNR)');
  });
});
