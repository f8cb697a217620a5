/**
 * Precision-recall and ROC curves with the same points as scikit-learn 1.2's
 * `precision_recall_curve` and `roc_curve(drop_intermediate=True)`. For charts.
 * Undefined rates are NaN, as in scikit-learn (a curve is drawn, never serialised).
 */
import { groupSums, rankingOf, type Ranking } from './ranking.ts';

export interface PrCurve {
  /** Increasing-threshold order, with a final point precision 1, recall 0 (length groups + 1). */
  precision: Float64Array;
  recall: Float64Array;
  /** Distinct scores, increasing (length groups). */
  thresholds: Float64Array;
}

export interface RocCurve {
  /** Starts at (0, 0); the first threshold is the highest score + 1 (scikit-learn 1.2). */
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing. */
  thresholds: Float64Array;
}

/** Precision-recall curve. With no positives, recall is 1 at every threshold (scikit-learn's rule). */
export function precisionRecallCurve(labels: Uint8Array, scores: Float64Array): PrCurve {
  return precisionRecallCurveOf(rankingOf(labels, scores));
}

export function precisionRecallCurveOf(r: Ranking): PrCurve {
  const { tp, fp } = groupSums(r);
  const G = tp.length;
  const tps = new Float64Array(G);
  const fps = new Float64Array(G);
  let ct = 0;
  let cf = 0;
  for (let g = 0; g < G; g++) {
    ct += tp[g];
    cf += fp[g];
    tps[g] = ct;
    fps[g] = cf;
  }
  const P = ct;
  const precision = new Float64Array(G + 1);
  const recall = new Float64Array(G + 1);
  const thresholds = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const j = G - 1 - g;
    const ps = tps[g] + fps[g];
    precision[j] = ps !== 0 ? tps[g] / ps : 0;
    recall[j] = P === 0 ? 1 : tps[g] / P;
    thresholds[j] = r.groupScore[g];
  }
  precision[G] = 1;
  recall[G] = 0;
  return { precision, recall, thresholds };
}

/** ROC curve, dropping collinear intermediate points exactly as scikit-learn does. */
export function rocCurve(labels: Uint8Array, scores: Float64Array): RocCurve {
  return rocCurveOf(rankingOf(labels, scores));
}

export function rocCurveOf(r: Ranking): RocCurve {
  const { tp, fp } = groupSums(r);
  const G = tp.length;
  if (G === 0) return { fpr: new Float64Array(0), tpr: new Float64Array(0), thresholds: new Float64Array(0) };
  const tps = new Float64Array(G);
  const fps = new Float64Array(G);
  let ct = 0;
  let cf = 0;
  for (let g = 0; g < G; g++) {
    ct += tp[g];
    cf += fp[g];
    tps[g] = ct;
    fps[g] = cf;
  }
  const keep: number[] = [];
  for (let g = 0; g < G; g++) {
    if (G <= 2 || g === 0 || g === G - 1) keep.push(g);
    else if (fps[g + 1] - 2 * fps[g] + fps[g - 1] !== 0 || tps[g + 1] - 2 * tps[g] + tps[g - 1] !== 0) keep.push(g);
  }
  const m = keep.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thresholds = new Float64Array(m);
  const N = cf;
  const P = ct;
  thresholds[0] = r.groupScore[0] + 1;
  fpr[0] = N > 0 ? 0 : NaN;
  tpr[0] = P > 0 ? 0 : NaN;
  for (let j = 0; j < keep.length; j++) {
    const g = keep[j];
    fpr[j + 1] = N > 0 ? fps[g] / N : NaN;
    tpr[j + 1] = P > 0 ? tps[g] / P : NaN;
    thresholds[j + 1] = r.groupScore[g];
  }
  return { fpr, tpr, thresholds };
}
