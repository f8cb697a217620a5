/**
 * The success criteria of one model, each as a sentence with its verdict tag: met, not met,
 * inconclusive, or undefined (the statistic or its interval could not be computed), with the
 * value and interval — read from the report (judged inside the run), never raw JSON and never a
 * bare "criteria not met".
 */
import type { Bundle, ModelResult } from '../bundle/schema.ts';
import { headlineOf, type Headline, type Tag } from './view.ts';

export type CriterionLineStatus = 'met' | 'not met' | 'inconclusive' | 'undefined';

export interface CriterionLine {
  status: CriterionLineStatus;
  tag: Tag;
  /** One sentence: the criterion, the verdict, the value with its interval, and why. */
  sentence: string;
  postHoc: boolean;
}

const TAGS: Record<CriterionLineStatus, Tag> = {
  met: { text: 'Met', className: 'govuk-tag--green' },
  'not met': { text: 'Not met', className: 'govuk-tag--red' },
  inconclusive: { text: 'Inconclusive', className: 'govuk-tag--yellow' },
  undefined: { text: 'Undefined', className: 'govuk-tag--grey' },
};

const STATUSES = Object.keys(TAGS) as CriterionLineStatus[];
const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

function lineOf(status: unknown, sentence: unknown, postHoc: unknown): CriterionLine[] {
  if (typeof sentence !== 'string' || sentence === '') return [];
  const s = STATUSES.includes(status as CriterionLineStatus) ? (status as CriterionLineStatus) : 'undefined';
  return [{ status: s, tag: TAGS[s], sentence, postHoc: postHoc === true }];
}

/**
 * Each criterion judged for this model: `result.criteria` (judged in the run), or in a report
 * made before that, its `preregistration.judgements` entry for the model. Empty when none was set.
 */
export function criteriaLinesOf(bundle: Bundle, r: ModelResult): CriterionLine[] {
  const own = (r as { criteria?: unknown }).criteria;
  if (Array.isArray(own)) return own.flatMap((c) => (isObj(c) ? lineOf(c.status, c.sentence ?? c.text, c.postHoc) : []));
  const judgements = (bundle.preregistration as { judgements?: unknown } | null)?.judgements;
  if (!Array.isArray(judgements)) return [];
  const mine = judgements.find((j) => isObj(j) && j.model === r.model && (j.features ?? null) === (r.features ?? null));
  if (!isObj(mine) || !Array.isArray(mine.items)) return [];
  return mine.items.flatMap((i) => (isObj(i) ? lineOf(i.status, i.text, i.postHoc) : []));
}

/** The overall verdict in words: how many criteria were met, never a bare "not met". */
export function criteriaSummaryOf(lines: readonly CriterionLine[]): string {
  const pre = lines.filter((l) => !l.postHoc);
  if (pre.length === 0) return lines.length ? 'No criteria were fixed before the results were seen; the ones below were set afterwards and decide nothing.' : 'No success criteria were set for this run.';
  const met = pre.filter((l) => l.status === 'met').length;
  const all = pre.length === 1 ? 'the one criterion' : `all ${pre.length} criteria`;
  if (met === pre.length) return `Success as fixed beforehand: ${all} met.`;
  return `Not a success as fixed beforehand: ${met} of ${pre.length} ${pre.length === 1 ? 'criterion' : 'criteria'} met (each one below says why).`;
}

/** The card's tag: how many criteria fixed beforehand were met ("2 of 3 criteria met"), or none set. */
export function criteriaTagOf(lines: readonly CriterionLine[], verdict: ModelResult['verdict']): Tag {
  const pre = lines.filter((l) => !l.postHoc);
  if (pre.length === 0) return verdict ? { text: `Criteria ${verdict}`, className: verdict === 'met' ? 'govuk-tag--green' : 'govuk-tag--red' } : { text: 'No criteria set', className: 'govuk-tag--grey' };
  const met = pre.filter((l) => l.status === 'met').length;
  return { text: `${met} of ${pre.length} ${pre.length === 1 ? 'criterion' : 'criteria'} met`, className: met === pre.length ? 'govuk-tag--green' : 'govuk-tag--red' };
}

/** The headline of a model with its criteria counted on the tag. */
export function headlineWithCriteria(bundle: Bundle, r: ModelResult): Headline {
  return { ...headlineOf(bundle, r), tag: criteriaTagOf(criteriaLinesOf(bundle, r), r.verdict) };
}
