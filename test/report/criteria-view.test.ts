import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/lib/project/criteria.ts';
import { criteriaLinesOf, criteriaSummaryOf, headlineWithCriteria } from '../../src/lib/report/criteria-view.ts';
import { loadFixture } from './policy-fixture.ts';

describe('criteria as sentences', () => {
  it('each criterion judged in the run is a sentence with its verdict, value and interval; never JSON, never a bare "not met"', () => {
    const b = loadFixture('synthetic-models.json');
    const r = {
      ...b.results[1],
      verdict: 'not met' as const,
      criteria: [
        { status: 'met', sentence: 'Average precision at least 0.2: met. Estimate 0.31 (95% interval 0.27 to 0.35); the whole 95% interval is at or above 0.2.', postHoc: false },
        { status: 'undefined', sentence: 'Precision at recall 0.99 at least 0.5: undefined, because no cut reaches that recall on these data.', postHoc: false },
        { status: 'not met', sentence: 'Post hoc (set after results were seen): ROC AUC at least 0.9: not met. Estimate 0.74 (95% interval 0.71 to 0.77).', postHoc: true },
      ],
    };
    const lines = criteriaLinesOf(b, r as unknown as typeof b.results[number]);
    expect(lines.map((l) => [l.tag.text, l.postHoc])).toEqual([['Met', false], ['Undefined', false], ['Not met', true]]);
    expect(lines.every((l) => !l.sentence.includes('{'))).toBe(true);
    expect(criteriaSummaryOf(lines)).toBe('Not a success as fixed beforehand: 1 of 2 criteria met (each one below says why).');
    expect(headlineWithCriteria(b, r as unknown as typeof b.results[number]).tag.text).toBe('1 of 2 criteria met');
  });

  it('a report judged on the main thread (older) is read from its judgements, per model', () => {
    const run = loadFixture('synthetic-models.json');
    const b = { ...run, results: run.results.map(({ criteria: _c, ...r }) => r) };
    const judged = judgeRun(b, [{ metric: 'rocAuc', op: '>=', value: 0.6 }, { metric: 'precision', op: '>=', value: 0.9, at: { topPct: 10 } }]).bundle;
    const lines = criteriaLinesOf(judged, judged.results[1]);
    expect(lines).toHaveLength(2);
    expect(lines[0].sentence).toMatch(/^ROC AUC at least 0\.6: met\. Estimate 0\.\d\d \(95% interval/);
    expect(lines[1].tag.text).toBe('Not met');
  });

  it('no criteria: said plainly', () => {
    const b = loadFixture('synthetic-models.json');
    expect(criteriaSummaryOf(criteriaLinesOf({ ...b, preregistration: null }, { ...b.results[0], criteria: undefined }))).toBe('No success criteria were set for this run.');
  });
});
