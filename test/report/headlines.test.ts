/**
 * Every page's headline numbers are the report's own, for a fixed report at a known policy: no
 * page computes its own. Results (summary, cards, the operating point and its picture), Fairness
 * (policy, group table, forest rows) and the workshop read the same fields of the same report.
 */
import { describe, expect, it } from 'vitest';
import { count, num2, pct } from '../../src/lib/charts/svg.ts';
import { fairnessPolicyOf, iconPanelOf, operatingViewOf, snapToPolicy, testRowsOf } from '../../src/lib/report/policy-view.ts';
import { DISPARITY_METRICS, forestInputOf, groupTableRows, headlineOf, reportSummary } from '../../src/lib/report/view.ts';
import { reportAtTop10 } from './policy-fixture.ts';

const b = reportAtTop10();
const policy = { kind: 'topPct', topPct: 10 } as const;

describe('Results: the headline numbers are the report\'s', () => {
  it('the summary states the test side and its prevalence', () => {
    expect(reportSummary(b)).toContain(`${count(b.data.testRows)} test cases, ${pct(b.results[0].metrics.prevalence)} of whom`);
  });
  it.each(b.results.map((r, i) => [i, r.model] as const))('card %i (%s): average precision and chance line', (i) => {
    const r = b.results[i];
    const h = headlineOf(b, r);
    expect(h.ap.startsWith(num2(r.metrics.averagePrecision.value))).toBe(true);
    expect(h.chance).toBe(num2(r.metrics.prevalence));
  });
  it.each(b.results.map((r, i) => [i, r.model] as const))('operating point of model %i (%s): the counts at the policy, in the note and in the words beside the picture', (i) => {
    const r = b.results[i];
    const at = r.atPolicy!;
    const v = operatingViewOf(b, r, policy, 'report')!;
    expect(v.exact).toBe(true);
    expect([v.row.tp, v.row.fp, v.row.fn, v.row.tn]).toEqual([at.tp, at.fp, at.fn, at.tn]);
    expect(v.note).toContain(`${count(at.nFlagged)} of ${count(testRowsOf(b))} test cases flagged`);
    const exact = iconPanelOf(v.row).sentences[1];
    expect(exact).toContain(`it flags ${count(at.nFlagged)} of ${count(b.data.testRows)} children`);
    expect(exact).toContain(`${count(at.tp)} of them went on to need help and ${count(at.fp)}`);
  });
});

describe('Fairness: the report\'s policy, groups and disparities', () => {
  const r = b.results[1];
  const attribute = r.subgroups[0].attribute;
  it('names the report\'s policy', () => {
    expect(fairnessPolicyOf(b, policy, 'report')).toEqual({ words: b.task.policy!.words, note: null });
  });
  it('group table: each group at the policy', () => {
    const rows = groupTableRows(r, attribute, 'threshold');
    const groups = r.subgroups.filter((s) => s.attribute === attribute);
    expect(rows.map((x) => [x.group, x.n, x.flagged, x.precision, x.fnr])).toEqual(groups.map((s) => [s.group, count(s.n), pct(s.atPolicy!.flaggedRate), pct(s.atPolicy!.precision), pct(s.atPolicy!.fnr)]));
  });
  it('forest rows: the report\'s disparity ratios and verdicts', () => {
    for (const m of DISPARITY_METRICS) {
      const f = forestInputOf(r, attribute, m, 'threshold', { lower: 0.8, upper: 1.25 }, 'f');
      const groups = r.subgroups.filter((s) => s.attribute === attribute && s.disparity[m]);
      for (const s of groups) {
        const row = f.rows.find((x) => x.label.startsWith(s.group))!;
        expect([row.ratio, row.verdict]).toEqual([s.disparity[m]!.ratio, s.disparity[m]!.verdict]);
      }
    }
  });
});

describe('the workshop pictures', () => {
  it('at the policy: the operating row the report gives for it', () => {
    const r = b.results[1];
    const s = snapToPolicy(r.curves!.operating!, policy, { testRows: b.data.testRows, testMonths: b.task.policy!.testMonths })!;
    expect(s.row).toEqual(r.curves!.operating!.find((o) => o.topPct === 10));
    expect(s.row.nFlagged).toBe(r.atPolicy!.nFlagged);
  });
});
