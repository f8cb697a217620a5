/**
 * What-if: one threshold per group chosen to give every group the same recall as the
 * global policy ("equal opportunity"), and what that choice costs overall in false
 * alarms and missed children. A what-if to look at, never the default policy: group
 * thresholds treat children differently by group by design, which the analyst and
 * the council must choose openly.
 */
import type { OperatingPointResult } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';
import { confusionAt, operatingPointFromCounts } from '../evaluate/operating-point.ts';
import { groupVector } from './groups.ts';

export interface GroupThreshold {
  group: string;
  n: number;
  positives: number;
  /** The group's own threshold; the global one when the group has no positives (no recall to equalise). */
  threshold: number;
  /** The group at the global threshold, and at its own. */
  atGlobal: OperatingPointResult;
  atOwn: OperatingPointResult;
}

export interface EqualOpportunityWhatIf {
  attribute: string;
  globalThreshold: number;
  /** The global policy's recall on all cases: the recall every group is brought to (at least). */
  targetRecall: number | null;
  groups: GroupThreshold[];
  /** All cases under the global threshold, and under the group thresholds. */
  global: OperatingPointResult;
  withGroupThresholds: OperatingPointResult;
  /** Group thresholds minus global: more flagged, more false alarms (FP), fewer missed (FN) or the reverse. */
  change: { flagged: number; falseAlarms: number; missed: number; truePositives: number };
}

/**
 * The highest threshold at which the group's recall is at least `target` (flagging as few
 * cases as possible to reach it). Recall only takes the values k/P, so "equal" means the
 * smallest achievable recall >= target; ties in score are flagged together.
 */
function thresholdForRecall(labels: Uint8Array, scores: Float64Array, target: number): number | null {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  if (positives === 0) return null;
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    tp += labels[order[k]];
    const atTieEnd = k + 1 === order.length || scores[order[k + 1]] !== scores[order[k]];
    // Tolerance for recall values that equal the target up to rounding (e.g. 3/10 vs 0.3).
    if (atTieEnd && tp / positives >= target - 1e-12) return scores[order[k]];
  }
  return scores[order[order.length - 1]];
}

/**
 * Per-group thresholds equalising recall to the global policy's recall at `threshold`,
 * with the overall confusion under those thresholds and its change against the global one.
 */
export function equalOpportunityThresholds(
  labels: Uint8Array,
  scores: Float64Array,
  attribute: string,
  values: ArrayLike<string | null | undefined>,
  threshold: number,
): EqualOpportunityWhatIf {
  const n = labels.length;
  if (scores.length !== n || values.length !== n) {
    throw new AppFailure({ code: 'length-mismatch', message: `labels (${n}), scores (${scores.length}) and groups (${values.length}) differ in length`, column: attribute });
  }
  const global = confusionAt(labels, scores, threshold);
  const targetRecall = global.recall;
  const gv = groupVector(attribute, values);
  const members: number[][] = gv.levels.map(() => []);
  for (let i = 0; i < n; i++) members[gv.codes[i]].push(i);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const groups = gv.levels.map((group, k) => {
    const idx = members[k];
    const gl = Uint8Array.from(idx, (i) => labels[i]);
    const gs = Float64Array.from(idx, (i) => scores[i]);
    const own = targetRecall === null ? null : thresholdForRecall(gl, gs, targetRecall);
    const t = own ?? threshold;
    const atOwn = confusionAt(gl, gs, t);
    tp += atOwn.tp ?? 0;
    fp += atOwn.fp ?? 0;
    fn += atOwn.fn ?? 0;
    tn += atOwn.tn ?? 0;
    let positives = 0;
    for (let j = 0; j < gl.length; j++) positives += gl[j];
    return { group, n: idx.length, positives, threshold: t, atGlobal: confusionAt(gl, gs, threshold), atOwn };
  });
  const withGroupThresholds = operatingPointFromCounts(null, tp, fp, fn, tn);
  return {
    attribute,
    globalThreshold: threshold,
    targetRecall,
    groups,
    global,
    withGroupThresholds,
    change: {
      flagged: tp + fp - (global.nFlagged ?? 0),
      falseAlarms: fp - (global.fp ?? 0),
      missed: fn - (global.fn ?? 0),
      truePositives: tp - (global.tp ?? 0),
    },
  };
}
