/**
 * Label honesty. In children's social care the outcome is usually a later service decision (a
 * child protection plan, becoming looked after, a section 47 enquiry, a re-referral), observed
 * only for children the service saw again: the "selective labels" problem (Lakkaraju et al.
 * 2017). When the outcome's name says it is such a decision (the Annex A outcomes
 * `cp-or-cla-12m`, `s47-12m`, `rereferral-12m`, or a column named for one), the report says, in
 * plain words, what it measures and what it cannot.
 */
import type { OutcomeMeaning } from '../bundle/schema.ts';

const CANNOT =
  'It records what the service later decided, not what happened to the child. A child who needed help but was never referred again, or whose need was not recognised, is counted as "no"; and the decisions carry past practice, including any bias in who was referred, investigated or taken into care. A model trained on this outcome learns to predict those decisions, not harm.';

const KINDS: { test: RegExp; measures: string }[] = [
  { test: /^cp-or-cla|child.?protection|\bcpp?\b|\bcp[_-]?plan|\bcla\b|looked.?after|in.?care|\bplacement/i, measures: 'whether the child later became subject to a child protection plan or became looked after (in care)' },
  { test: /^s47|\bs\.?47\b|section.?47|strategy.?discussion/i, measures: 'whether a section 47 enquiry (a child protection investigation) was later started' },
  { test: /re-?referr|repeat.?referr/i, measures: 'whether the child was referred to children\'s social care again' },
];

/** What the outcome measures and cannot, when its name says it is a later service decision; null otherwise. */
export function outcomeMeaning(outcome: string): OutcomeMeaning | null {
  const name = outcome.replace(/_/g, ' ');
  const window = /(\d+)\s*-?\s*m(onths?)?\b/i.exec(outcome);
  for (const k of KINDS) {
    if (k.test.test(outcome) || k.test.test(name)) {
      return {
        kind: 'service decision',
        measures: `This outcome measures ${k.measures}${window ? `, within ${window[1]} months` : ''}.`,
        cannot: CANNOT,
      };
    }
  }
  return null;
}
