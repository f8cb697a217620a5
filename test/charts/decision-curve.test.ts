import { describe, expect, it } from 'vitest';
import { decisionCurveSentence, decisionCurveSvg, decisionCurveTable } from '../../src/lib/charts/decision-curve.ts';
import { decisionCurve } from '../../src/lib/evaluate/decision-curve.ts';
import { calibrationFitWords, groupCalibrationRows, groupCalibrationSentence } from '../../src/lib/report/calibration-view.ts';
import type { ModelResult, SubgroupResult } from '../../src/lib/bundle/schema.ts';

const curve = decisionCurve(Uint8Array.from([1, 0, 1, 0]), Float64Array.from([0.9, 0.6, 0.3, 0.1]), [0.1, 0.25, 0.5])!;
const input = { curve, label: 'Model <A>', id: 'dca' };

describe('decision curve chart', () => {
  it('is an accessible SVG with the sentence as its description and escaped labels', () => {
    const svg = decisionCurveSvg(input);
    expect(svg).toContain('role="img"');
    expect(svg).toContain(decisionCurveSentence(input).slice(0, 40));
    expect(svg).toContain('Model &lt;A&gt;');
    expect(svg).not.toContain('<A>');
  });
  it('says over which thresholds acting on the score beats both simple rules', () => {
    expect(decisionCurveSentence(input)).toBe('Acting on the score does better than flagging every child or flagging none for thresholds from 25% to 25% (the risk at which a child would be flagged); outside that range a simpler rule does as well.');
  });
  it('its table has the model, flag all and flag none', () => {
    const t = decisionCurveTable(input);
    expect(t.head).toEqual(['Threshold', 'Model <A>', 'Flag every child', 'Flag no child']);
    // At 10% every case is flagged (0.1 >= 0.1), so the model equals flagging every child.
    expect(t.rows[0]).toEqual(['10%', '0.444', '0.444', '0.000']);
  });
});

describe('calibration words', () => {
  it('reads the intercept and slope intervals against 0 and 1', () => {
    expect(calibrationFitWords({ intercept: { value: 0.5, lo: 0.3, hi: 0.7 }, slope: { value: 0.8, lo: 0.7, hi: 0.9 } })).toBe(
      'Calibration intercept 0.50 (95% interval 0.30 to 0.70), slope 0.80 (95% interval 0.70 to 0.90). The scores understate the overall risk (the intercept is above 0). The scores are too extreme (slope below 1), as in an over-fitted model.',
    );
    expect(calibrationFitWords(undefined)).toMatch(/not probabilities/);
    expect(calibrationFitWords({ intercept: { value: 0.1, lo: null, hi: null, tooFew: true }, slope: { value: 1, lo: null, hi: null, tooFew: true } })).toMatch(/^Too few cases/);
  });
  it('by group: rows, "too few" for a small group, and which groups a score under-states', () => {
    const fit = (lo: number, hi: number, tooFew = false) => ({ intercept: { value: (lo + hi) / 2, lo: tooFew ? null : lo, hi: tooFew ? null : hi, tooFew }, slope: { value: 1, lo: tooFew ? null : 0.9, hi: tooFew ? null : 1.1, tooFew } });
    const sg = (group: string, f: ReturnType<typeof fit>, enough = true) => ({ attribute: 'eth', group, calibrationFit: f, minimums: { enough } }) as unknown as SubgroupResult;
    const r = { subgroups: [sg('White', fit(-0.1, 0.1)), sg('Black', fit(0.2, 0.6)), sg('Tiny', fit(0, 0, true), false)] } as unknown as ModelResult;
    const rows = groupCalibrationRows(r, 'eth');
    expect(rows.map((x) => [x.group, x.useful, x.tooFew])).toEqual([['White', 'not in this report', false], ['Black', 'not in this report', false], ['Tiny', 'too few to evaluate', true]]);
    expect(rows[2].slope).toBe('too few to evaluate');
    expect(groupCalibrationSentence(r, 'eth')).toBe('At the same score, groups do not fare alike: for Black the same score means more risk than it says (intercept above 0). A score read the same way for every child treats these groups differently (2 groups checked).');
  });
});
