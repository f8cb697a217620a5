/**
 * The minimum sizes below which Candour says "too few to tell" instead of a number or a
 * verdict: defined here and nowhere else, recorded in every report and shown on the pages.
 * See docs/statistics.md for the reasons, in words.
 */
import type { MinimumCheck, MinimumsRecord } from '../bundle/schema.ts';

/**
 * - rankingPositives / rankingNegatives: average precision and ROC AUC rank positives against
 *   negatives; with fewer than 10 of either the ranking has too few pairs to mean anything
 *   (and the bootstrap can only reshuffle the same handful of cases).
 * - rateDenominator: a rate (precision, FPR, FNR...) needs at least 10 cases in its
 *   denominator before it can be compared between groups.
 * - groupCases: a group smaller than the disclosure threshold (10) gets no verdict: any verdict
 *   about it would be a statement about a handful of identifiable children.
 * - bootstrapEvents: a bootstrap percentile interval of a rate is used only when both the count
 *   and its complement are at least 10; below that the exact (Clopper-Pearson) interval is used.
 * - bootstrapDistinct: a bootstrap distribution with fewer distinct values than this (or of zero
 *   width) is degenerate: it only reshuffles too few cases, and a fallback interval is used.
 * - bootstrapDefinedShare: a statistic undefined in more than half of the replicates gets no
 *   bootstrap interval (conditioning on the rare replicates where it exists would mislead).
 * - smallGroupCases: a group under 30 cases is marked "small: read with care" (never hidden).
 */
export const MINIMUMS = {
  rankingPositives: 10,
  rankingNegatives: 10,
  rateDenominator: 10,
  groupCases: 10,
  bootstrapEvents: 10,
  bootstrapDistinct: 10,
  bootstrapDefinedShare: 0.5,
  smallGroupCases: 30,
} as const;

/** The minimums as recorded in a report, with the reason for each in words. */
export function minimumsRecord(): MinimumsRecord {
  return {
    rankingPositives: MINIMUMS.rankingPositives,
    rankingNegatives: MINIMUMS.rankingNegatives,
    rateDenominator: MINIMUMS.rateDenominator,
    groupCases: MINIMUMS.groupCases,
    bootstrapEvents: MINIMUMS.bootstrapEvents,
    bootstrapDistinct: MINIMUMS.bootstrapDistinct,
    rules: minimumRules(),
  };
}

export function minimumRules(): string[] {
  return [
    `Average precision and ROC AUC need at least ${MINIMUMS.rankingPositives} children who needed help and ${MINIMUMS.rankingNegatives} who did not; with fewer they are marked "too few to evaluate".`,
    `A group gets a disparity verdict only with at least ${MINIMUMS.groupCases} children, and at least ${MINIMUMS.rateDenominator} in the denominator of the rate compared (in the group and in the reference group); otherwise "too few to tell", with about how many more cases would settle it.`,
    `A bootstrap interval is replaced by an exact or closed-form interval when the rate's count or its complement is below ${MINIMUMS.bootstrapEvents}, or when the replicates take fewer than ${MINIMUMS.bootstrapDistinct} distinct values (the interval would collapse into false certainty).`,
    `Groups under ${MINIMUMS.smallGroupCases} children are marked "small: read with care" and never hidden.`,
  ];
}

/**
 * Whether a test side (or a group) has enough positives and negatives for ranking metrics, and
 * if not, about how many cases in all would give it enough at its own prevalence.
 */
export function rankingCheck(positives: number, n: number): MinimumCheck {
  const negatives = n - positives;
  const enough = positives >= MINIMUMS.rankingPositives && negatives >= MINIMUMS.rankingNegatives;
  return {
    enough,
    positives,
    negatives,
    needPositives: MINIMUMS.rankingPositives,
    needNegatives: MINIMUMS.rankingNegatives,
    casesNeeded: enough ? null : casesForCounts(n, [
      [positives, MINIMUMS.rankingPositives],
      [negatives, MINIMUMS.rankingNegatives],
    ]),
  };
}

/**
 * Total cases needed so that each count reaches its minimum, if counts grow in proportion to
 * the cases: max over counts of ceil(need · n / have). A count of zero has no share to grow
 * from: then its `fallbackShare` (e.g. the reference group's share) is used, and the answer is
 * null when there is none. At least n + 1 (it is asked only when a minimum is not met) and at
 * least MINIMUMS.groupCases.
 */
export function casesForCounts(n: number, counts: readonly (readonly [have: number, need: number, fallbackShare?: number | null])[]): number | null {
  let total = Math.max(n + 1, MINIMUMS.groupCases);
  for (const [have, need, fallback] of counts) {
    if (have >= need) continue;
    const share = have > 0 && n > 0 ? have / n : fallback ?? null;
    if (share === null || !(share > 0) || !Number.isFinite(share)) return null;
    total = Math.max(total, Math.ceil(need / share - 1e-9));
  }
  return total;
}
