import { describe, expect, it } from 'vitest';
// A frozen copy of a multi-model run (test/fixtures/bundles/synthetic-models.json as first made), so the hand-worked counts below stay put.
import { readFileSync } from 'node:fs';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { countsAtRecall, criterionEstimate, criterionOfForm, judgeRun, wilson } from '../../src/lib/project/criteria.ts';

const fixture = (): Bundle => JSON.parse(readFileSync(new URL('./fixtures/run-bundle.json', import.meta.url), 'utf8'));

describe('criterionOfForm', () => {
  it('reads a ranking criterion', () => {
    expect(criterionOfForm({ metric: 'averagePrecision', op: '>=', value: '0.65', at: 'none', atValue: '' })).toEqual({ criterion: { metric: 'averagePrecision', op: '>=', value: 0.65 } });
  });
  it('reads precision at recall 0.5', () => {
    expect(criterionOfForm({ metric: 'precision', op: '>=', value: ' 0.5', at: 'recall', atValue: '0.5' })).toEqual({ criterion: { metric: 'precision', op: '>=', value: 0.5, at: { recall: 0.5 } } });
  });
  it('ignores an operating point given for a ranking metric', () => {
    expect(criterionOfForm({ metric: 'rocAuc', op: '>=', value: '0.7', at: 'topPct', atValue: '10' })).toEqual({ criterion: { metric: 'rocAuc', op: '>=', value: 0.7 } });
  });
  it('refuses a blank or non-number bar, a rate without a place, and recall at a recall', () => {
    const bad = (f: Parameters<typeof criterionOfForm>[0]) => ('problem' in criterionOfForm(f) ? (criterionOfForm(f) as { problem: { message: string } }).problem.message : 'ok');
    expect(bad({ metric: 'averagePrecision', op: '>=', value: '', at: 'none', atValue: '' })).toMatch(/must be a number/);
    expect(bad({ metric: 'averagePrecision', op: '>=', value: 'high', at: 'none', atValue: '' })).toMatch(/not 'high'/);
    expect(bad({ metric: 'precision', op: '>=', value: '0.5', at: 'none', atValue: '' })).toMatch(/say where/);
    expect(bad({ metric: 'precision', op: '>=', value: '0.5', at: 'topPct', atValue: '150' })).toMatch(/invalid top percentage/);
    expect(bad({ metric: 'recall', op: '>=', value: '0.5', at: 'recall', atValue: '0.5' })).toMatch(/fixed by definition/);
  });
});

describe('wilson', () => {
  it('5 of 10 gives 0.2366 to 0.7634 (hand-worked)', () => {
    const e = wilson(5, 10);
    expect(e.value).toBe(0.5);
    expect(e.lo).toBeCloseTo(0.236593, 5);
    expect(e.hi).toBeCloseTo(0.763407, 5);
  });
  it('0 of 20 starts at 0 and stays within [0, 1]; n = 0 is undefined', () => {
    const e = wilson(0, 20);
    expect(e.lo).toBe(0);
    expect(e.hi).toBeCloseTo(0.161, 3);
    expect(wilson(0, 0)).toEqual({ value: null, lo: null, hi: null });
  });
});

describe('criterionEstimate on a run', () => {
  const b = fixture();
  it('uses the bootstrap interval of the metric or of the run\'s operating point', () => {
    expect(criterionEstimate(b.results[1], { metric: 'averagePrecision', op: '>=', value: 0.2 })).toEqual({ estimate: b.results[1].metrics.averagePrecision, n: 2399, approximate: false });
    expect(criterionEstimate(b.results[1], { metric: 'precision', op: '>=', value: 0.3, at: { topPct: 10 } }).estimate).toEqual(b.results[1].topK.intervals!.precision);
  });
  it('reads another top share from the operating table with a Wilson interval', () => {
    const e = criterionEstimate(b.results[0], { metric: 'precision', op: '>=', value: 0.3, at: { topPct: 5 } });
    expect(e.approximate).toBe(true);
    expect(e.estimate).toEqual(wilson(23, 127));
  });
  it('reads precision at a recall from the PR curve: the highest cut that reaches it', () => {
    // Baseline: 258 positives, 2141 negatives; the cut at score 1 reaches recall 0.4457 with precision 0.116.
    expect(countsAtRecall(b.results[0], 0.4)).toEqual({ tp: 115, fp: 876, fn: 143, tn: 1265 });
    const e = criterionEstimate(b.results[0], { metric: 'precision', op: '>=', value: 0.5, at: { recall: 0.4 } });
    expect(e.estimate).toEqual(wilson(115, 991));
  });
  it('has no estimate at a threshold the run did not use', () => {
    expect(criterionEstimate(b.results[0], { metric: 'precision', op: '>=', value: 0.5, at: { threshold: 0.7 } }).estimate.value).toBeNull();
  });
});

describe('judgeRun', () => {
  it('sets met / not met per model from the pre-registered criteria and labels post-hoc ones', () => {
    const b = fixture();
    const before = JSON.stringify(b);
    const { bundle, verdicts } = judgeRun(b, [{ metric: 'averagePrecision', op: '>=', value: 0.2 }], [{ metric: 'rocAuc', op: '>=', value: 0.99 }]);
    // baseline AP interval 0.107-0.131 misses 0.2; logistic 0.242-0.335 clears it.
    expect(bundle.results.map((r) => r.verdict)).toEqual(['not met', 'met', 'met', 'met']);
    expect(verdicts[1].judgements[1].postHoc).toBe(true);
    expect(verdicts[1].judgements[1].text).toMatch(/^Post hoc/);
    expect(JSON.stringify(b)).toBe(before);
    expect((bundle.preregistration as unknown as { judgements: { items: { status: string }[] }[] }).judgements[0].items[0].status).toBe('not met');
  });
  it('an inconclusive criterion is not success', () => {
    const { bundle } = judgeRun(fixture(), [{ metric: 'precision', op: '>=', value: 0.3, at: { topPct: 10 } }]);
    // logistic: 0.27-0.38 includes 0.3
    expect(bundle.results[1].verdict).toBe('not met');
  });
  it('without criteria every verdict is null', () => {
    expect(judgeRun(fixture(), []).bundle.results.every((r) => r.verdict === null)).toBe(true);
  });
});
