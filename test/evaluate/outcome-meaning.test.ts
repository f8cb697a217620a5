import { describe, expect, it } from 'vitest';
import { outcomeMeaning } from '../../src/lib/evaluate/outcome-meaning.ts';
import { draftModelCard, tripodItems } from '../../src/lib/bundle/model-card.ts';
import { exampleBundle } from '../bundle/make-bundle.ts';

describe('label honesty: outcomes defined by a later service decision', () => {
  it('the Annex A outcomes say what they measure, with their window, and what they cannot', () => {
    const cp = outcomeMeaning('cp-or-cla-12m')!;
    expect(cp.measures).toBe('This outcome measures whether the child later became subject to a child protection plan or became looked after (in care), within 12 months.');
    expect(cp.cannot).toContain('A child who needed help but was never referred again, or whose need was not recognised, is counted as "no"');
    expect(outcomeMeaning('s47-12m')!.measures).toMatch(/section 47 enquiry .* within 12 months\.$/);
    expect(outcomeMeaning('rereferral-12m')!.measures).toMatch(/referred to children's social care again, within 12 months\.$/);
  });
  it('column names that say so are recognised; other outcomes are not labelled', () => {
    expect(outcomeMeaning('became_looked_after')?.kind).toBe('service decision');
    expect(outcomeMeaning('CP_plan_within_6m')!.measures).toMatch(/within 6 months\.$/);
    expect(outcomeMeaning('Section 47 enquiry')?.kind).toBe('service decision');
    expect(outcomeMeaning('outcome')).toBeNull();
    expect(outcomeMeaning('two_year_recid')).toBeNull();
  });
});

describe('model card: TRIPOD+AI items filled from the report', () => {
  it('has each applicable item, with the outcome meaning, the interval methods and the sample size', () => {
    const b = exampleBundle();
    b.task.outcome = 'cp-or-cla-12m';
    b.task.outcomeMeaning = outcomeMeaning('cp-or-cla-12m')!;
    b.sampleSize = { ...(b.sampleSize ?? {}), sentence: '700 cases (35 with the outcome, 5.0%) support at most 3 candidate predictor parameters.' } as never;
    const items = tripodItems(b);
    expect(items.map((i) => i.item)).toEqual(['Source of data', 'Outcome and its window', 'Predictors', 'Sample size', 'Missing data', 'Model type and evaluation design', 'Performance with intervals', 'Calibration', 'Fairness', 'Limitations']);
    const text = Object.fromEntries(items.map((i) => [i.item, i.text]));
    expect(text['Outcome and its window']).toContain('within 12 months');
    expect(text['Sample size']).toContain('support at most 3');
    expect(text['Limitations']).toContain('selective labels');
    expect(text['Performance with intervals']).toMatch(/95% intervals by /);
    expect(items.every((i) => i.text.length > 20)).toBe(true);
    const card = draftModelCard(b);
    expect(card.tripod).toEqual(items);
    expect(card.caveats).toContain('is counted as "no"');
  });
});
