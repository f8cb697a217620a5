/**
 * The operating-point table behind the report's live control: confusion counts when the top
 * 1%, 2%, ..., 100% of cases are flagged (DESIGN.md's top-K% rule: n_target = max(1, ceil(n K/100)),
 * t = the n_target-th highest score, flagged when score >= t, so ties at t are all flagged).
 * Subgroups get the counts of the same global cuts: one policy, audited across groups.
 */
import type { OperatingRow } from '../bundle/schema.ts';
import { topKTarget } from './operating-point.ts';

/** Scores sorted high to low with the positives' running count: Float64Array (n), Int32Array (n + 1). */
function sortedWithPrefix(labels: Uint8Array, scores: Float64Array, rows?: ArrayLike<number>): { sorted: Float64Array; tpPrefix: Int32Array; positives: number } {
  const idx = rows ? Array.from(rows) : Array.from(scores.keys());
  idx.sort((a, b) => scores[b] - scores[a]);
  const sorted = Float64Array.from(idx, (i) => scores[i]);
  const tpPrefix = new Int32Array(idx.length + 1);
  for (let k = 0; k < idx.length; k++) tpPrefix[k + 1] = tpPrefix[k] + labels[idx[k]];
  return { sorted, tpPrefix, positives: tpPrefix[idx.length] };
}

/** Number of sorted (descending) scores >= t. */
function countAtOrAbove(sorted: Float64Array, t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function row(topPct: number, threshold: number | null, flagged: number, tp: number, positives: number, n: number): OperatingRow {
  const fp = flagged - tp;
  const fn = positives - tp;
  return { topPct, threshold, nFlagged: flagged, tp, fp, fn, tn: n - flagged - fn };
}

/** Rows for K = 1..100 over all cases. Empty input gives no rows. */
export function operatingRows(labels: Uint8Array, scores: Float64Array): OperatingRow[] {
  const n = scores.length;
  if (n === 0) return [];
  const { sorted, tpPrefix, positives } = sortedWithPrefix(labels, scores);
  const out: OperatingRow[] = [];
  for (let k = 1; k <= 100; k++) {
    const t = sorted[topKTarget(n, k) - 1];
    const flagged = countAtOrAbove(sorted, t);
    out.push(row(k, t, flagged, tpPrefix[flagged], positives, n));
  }
  return out;
}

/** The same global cuts (`global[i].threshold`) applied to the cases in `rows` (a subgroup). */
export function operatingRowsWithin(labels: Uint8Array, scores: Float64Array, rows: ArrayLike<number>, global: readonly OperatingRow[]): OperatingRow[] {
  const { sorted, tpPrefix, positives } = sortedWithPrefix(labels, scores, rows);
  const n = sorted.length;
  return global.map((g) => {
    const flagged = g.threshold === null ? 0 : countAtOrAbove(sorted, g.threshold);
    return row(g.topPct, g.threshold, flagged, tpPrefix[flagged], positives, n);
  });
}
