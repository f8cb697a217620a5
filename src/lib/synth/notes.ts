/**
 * Short case notes written at referral. In 'repeat' mode a note only restates the structured
 * columns (source, factors, age, history), so it adds nothing a model could not already see;
 * in 'signal' mode it also mentions the family's hidden circumstances, which drive true need
 * but appear in no structured column.
 */
import type { Rng } from '../random.ts';
import { SOURCES, sourceGroup } from '../annex-a/codes.ts';
import { F_ALC, F_CMH, F_DA, F_DRG, F_NEG, F_PMH } from './simulate.ts';
import type { TextMode } from './scenarios.ts';

const OPENING: Record<string, string[]> = {
  Police: ['Police notification', 'Police report received', 'Referral from police'],
  Schools: ['School raised concerns', 'Referral from school DSL', 'School reports worries'],
  'Health services': ['Health professional raised concerns', 'Referral from health', 'Health visitor concerned'],
  'LA services': ['Referral from council service', 'Internal referral', 'LA service raised concerns'],
  Individual: ['Family member called', 'Call from relative', 'Member of public called'],
  Housing: ['Housing officer raised concerns'],
  'Education services': ['Education service raised concerns'],
  'Other legal agency': ['Probation raised concerns', 'CAFCASS raised concerns'],
  Other: ['Voluntary agency raised concerns', 'Children\'s centre raised concerns'],
  Anonymous: ['Anonymous caller', 'Anonymous referral'],
  Unknown: ['Referral received', 'Concerns reported'],
};

/** Phrases that restate each factor bit (F_DA, F_PMH, F_ALC, F_DRG, F_NEG, F_CMH). */
export const FACTOR_PHRASES: readonly [number, string][] = [
  [F_DA, 'domestic abuse incident at home'],
  [F_PMH, 'parental mental health a concern'],
  [F_ALC, 'parental alcohol misuse'],
  [F_DRG, 'parental drug use'],
  [F_NEG, 'signs of neglect'],
  [F_CMH, 'child\'s mental health a concern'],
];

/** Phrases that reveal hidden circumstances (only in 'signal' mode): [text, weight on hidden, offset]. */
export const HIDDEN_PHRASES: readonly [string, number, number][] = [
  ['unexplained bruising seen', 1.6, -2.6],
  ['child disclosed harm', 1.6, -3.0],
  ['home conditions very poor', 1.2, -2.4],
  ['missed health appointments', 0.9, -2.0],
  ['family engaging well with support', -1.4, -1.8],
];

export function noteFor(
  rng: Rng, mode: TextMode, source: number, factors: number, age: number | null, prevReferrals: number, hidden: number,
): string | null {
  if (mode === 'none') return null;
  const group = source >= 0 ? sourceGroup(SOURCES[source].code) : 'Unknown';
  const openings = OPENING[group] ?? OPENING.Unknown;
  const parts: string[] = [openings[rng.int(openings.length)]];
  const about: string[] = [];
  for (const [bit, text] of FACTOR_PHRASES) if (factors & bit) about.push(text);
  if (mode === 'signal') {
    for (const [text, w, b] of HIDDEN_PHRASES) if (rng.next() < 1 / (1 + Math.exp(-(w * hidden + b)))) about.push(text);
  }
  if (about.length) parts.push(about.join('; '));
  else parts.push('no specific concerns identified');
  if (age !== null) parts.push(age < 1 ? 'baby' : age < 5 ? 'pre-school child' : age < 13 ? 'primary-age child' : 'teenager');
  if (prevReferrals > 0) parts.push(prevReferrals === 1 ? 'previously known to services' : `known to services, ${prevReferrals} previous referrals`);
  return parts.join('. ') + '.';
}
