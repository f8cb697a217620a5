/**
 * What the pages say about calibration and decision value, from a report alone: the calibration
 * intercept and slope in words (overall and per group) and each group's decision-curve input.
 */
import type { CalibrationFitRecord, DecisionCurve, ModelResult } from '../bundle/schema.ts';
import type { DecisionChartInput } from '../charts/decision-curve.ts';
import { usefulRange } from '../evaluate/decision-curve.ts';
import { pct } from '../charts/svg.ts';
import { estimateWords } from './view.ts';

/** A sentence on the calibration intercept and slope (or why there is none). */
export function calibrationFitWords(fit: CalibrationFitRecord | undefined): string {
  if (!fit) return 'No calibration intercept or slope: the scores are not probabilities, or they are not in this report.';
  const { intercept, slope } = fit;
  if (slope.tooFew || intercept.tooFew) return 'Too few cases to estimate the calibration intercept and slope (at least 10 who needed help and 10 who did not are needed).';
  const parts: string[] = [`Calibration intercept ${estimateWords(intercept)}, slope ${estimateWords(slope)}.`];
  if (intercept.lo !== null && intercept.hi !== null) {
    if (intercept.lo > 0) parts.push('The scores understate the overall risk (the intercept is above 0).');
    else if (intercept.hi < 0) parts.push('The scores overstate the overall risk (the intercept is below 0).');
    else parts.push('On average the scores match the outcome rate (the interval of the intercept includes 0).');
  }
  if (slope.lo !== null && slope.hi !== null) {
    if (slope.hi < 1) parts.push('The scores are too extreme (slope below 1), as in an over-fitted model.');
    else if (slope.lo > 1) parts.push('The scores are too timid (slope above 1): high risks are higher and low risks lower than they say.');
    else parts.push('The spread of the scores fits the outcomes (the interval of the slope includes 1).');
  }
  return parts.join(' ');
}

export interface GroupCalibrationRow {
  group: string;
  intercept: string;
  slope: string;
  /** Thresholds over which acting on the score beats flagging all and flagging none, in this group. */
  useful: string;
  tooFew: boolean;
}

function usefulWords(c: DecisionCurve | undefined): string {
  if (!c) return 'not in this report';
  const r = usefulRange(c);
  return r ? `${pct(r.from)} to ${pct(r.to)}` : 'no threshold';
}

/** One row per group of the attribute: calibration intercept and slope with intervals, and decision value. */
export function groupCalibrationRows(r: ModelResult, attribute: string): GroupCalibrationRow[] {
  return r.subgroups
    .filter((s) => s.attribute === attribute && s.calibrationFit)
    .map((s) => {
      const fit = s.calibrationFit!;
      const tooFew = fit.slope.tooFew === true || s.minimums?.enough === false;
      return {
        group: s.group,
        intercept: estimateWords(fit.intercept),
        slope: estimateWords(fit.slope),
        useful: tooFew ? 'too few to evaluate' : usefulWords(s.decisionCurve),
        tooFew,
      };
    });
}

/** The groups whose decision curves can be drawn (enough cases), as chart inputs. */
export function groupDecisionInputs(r: ModelResult, attribute: string): DecisionChartInput[] {
  return r.subgroups
    .filter((s) => s.attribute === attribute && s.decisionCurve && s.minimums?.enough !== false)
    .map((s, k) => ({ curve: s.decisionCurve!, label: `${attribute}: ${s.group}`, id: `dca-${k}` }));
}

/** A sentence comparing the groups' calibration intercepts: where the same score means more risk. */
export function groupCalibrationSentence(r: ModelResult, attribute: string): string {
  const rows = r.subgroups.filter((s) => s.attribute === attribute && s.calibrationFit && s.calibrationFit.intercept.tooFew !== true && s.calibrationFit.intercept.lo !== null);
  if (rows.length === 0) return 'No group has enough cases (or probability scores) to estimate its calibration.';
  const under = rows.filter((s) => s.calibrationFit!.intercept.lo! > 0).map((s) => s.group);
  const over = rows.filter((s) => s.calibrationFit!.intercept.hi! < 0).map((s) => s.group);
  if (under.length === 0 && over.length === 0) return `In every group with enough cases, the scores match the outcome rate on average (each intercept's interval includes 0).`;
  const parts: string[] = [];
  if (under.length) parts.push(`for ${under.join(', ')} the same score means more risk than it says (intercept above 0)`);
  if (over.length) parts.push(`for ${over.join(', ')} it means less (intercept below 0)`);
  return `At the same score, groups do not fare alike: ${parts.join('; ')}. A score read the same way for every child treats these groups differently (${rows.length} groups checked).`;
}
