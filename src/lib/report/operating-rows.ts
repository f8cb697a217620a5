/**
 * The rows the report's operating-point control moves along: confusion counts at the top 1%,
 * 2%, ..., 100% of all cases (DESIGN.md's top-K rule: n_target = max(1, ceil(nK/100)), the cut
 * is the n_target-th highest score, ties at the cut all flagged). Subgroups get their counts at
 * the same global cuts: one policy, audited across groups.
 */
import type { OperatingRow } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';
import { topKTarget } from '../evaluate/operating-point.ts';
import { assertScoreInputs } from '../evaluate/ranking.ts';

/** Percentages 1..100, the rows of every operating table. */
export const OPERATING_PCTS: readonly number[] = Array.from({ length: 100 }, (_, i) => i + 1);

/** Score cut of each top-K% row (K = 1..100) over all cases: the n_target-th highest score. */
export function topKCuts(scores: Float64Array): Float64Array {
  const n = scores.length;
  const sorted = Float64Array.from(scores).sort().reverse();
  return Float64Array.from(OPERATING_PCTS, (k) => (n === 0 ? Infinity : sorted[topKTarget(n, k) - 1]));
}

/**
 * Confusion counts per top-K% row for the cases selected by `member` (all when omitted), at the
 * cuts `cuts` (from topKCuts over ALL cases). Sorts once: O(n log n + 100).
 */
export function operatingRows(labels: Uint8Array, scores: Float64Array, cuts: Float64Array = topKCuts(scores), member?: (i: number) => boolean): OperatingRow[] {
  assertScoreInputs(labels, scores);
  if (cuts.length !== OPERATING_PCTS.length) throw new AppFailure({ code: 'invalid-cuts', message: `expected ${OPERATING_PCTS.length} cuts, got ${cuts.length}` });
  const idx: number[] = [];
  let P = 0;
  for (let i = 0; i < labels.length; i++) {
    if (member && !member(i)) continue;
    idx.push(i);
    P += labels[i];
  }
  idx.sort((a, b) => scores[b] - scores[a]);
  const N = idx.length - P;
  const rows: OperatingRow[] = [];
  let k = 0;
  let tp = 0;
  let fp = 0;
  // Cuts fall as K grows, so one pass down the sorted cases serves every row.
  for (let r = 0; r < cuts.length; r++) {
    const t = cuts[r];
    while (k < idx.length && scores[idx[k]] >= t) {
      if (labels[idx[k]] === 1) tp++;
      else fp++;
      k++;
    }
    rows.push({ topPct: OPERATING_PCTS[r], threshold: Number.isFinite(t) ? t : null, nFlagged: tp + fp, tp, fp, fn: P - tp, tn: N - fp });
  }
  return rows;
}
