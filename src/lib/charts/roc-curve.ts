/**
 * ROC curve (children found against false alarms among those who did not need help) with the
 * diagonal of chance and the chosen operating point; its data table and a sentence.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { RocPoint } from '../bundle/schema.ts';
import { axisBottom, axisLeft, legendItem, num2, PALETTE, pct, px, shapeAt, svgFrame, unitTicks, type DataTable } from './svg.ts';

export interface RocChartInput {
  points: readonly RocPoint[];
  /** Area under the curve, for the sentence. */
  auc: number | null;
  marker?: { fpr: number | null; tpr: number | null } | null;
  id: string;
  modelLabel?: string;
}

const W = 560, H = 424;
const M = { top: 16, right: 20, bottom: 136, left: 70 };

/** Best true-positive rate at a false-positive rate of `f` or less, null when none. */
export function bestTprAtFpr(points: readonly RocPoint[], f: number): number | null {
  let best: number | null = null;
  for (const p of points) {
    if (p.tpr === null || p.fpr > f + 1e-12) continue;
    if (best === null || p.tpr > best) best = p.tpr;
  }
  return best;
}

export function rocCurveSvg(input: RocChartInput): string {
  const x = scaleLinear().domain([0, 1]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const pts = input.points.filter((p) => p.tpr !== null).slice().sort((a, b) => a.fpr - b.fpr || (a.tpr ?? 0) - (b.tpr ?? 0));
  const path = line<RocPoint>()
    .x((p) => x(p.fpr))
    .y((p) => y(p.tpr ?? 0))
    .digits(1)(pts);
  let body = axisBottom(x, H - M.bottom, unitTicks(), pct, 'False alarms among children who did not need help', M.top);
  body += axisLeft(y, M.left, unitTicks(), pct, 'Children found (recall)', W - M.right);
  body += `<line class="chance" x1="${px(x(0))}" y1="${px(y(0))}" x2="${px(x(1))}" y2="${px(y(1))}" stroke="${PALETTE.grey}" stroke-width="2" stroke-dasharray="6 4"/>`;
  if (path) body += `<path class="curve" d="${path}" fill="none" stroke="${PALETTE.darkBlue}" stroke-width="3"/>`;
  const m = input.marker;
  if (m && m.fpr !== null && m.tpr !== null) body += shapeAt('diamond', x(m.fpr), y(m.tpr), 8, PALETTE.orange, ' stroke="#0b0c0c" stroke-width="1.5" class="marker"');
  const ly = H - 70;
  body += legendItem(M.left, ly, 'line', PALETTE.darkBlue, input.modelLabel ?? 'The model');
  body += legendItem(M.left, ly + 24, 'dash', PALETTE.grey, 'Chance (a coin toss)');
  body += legendItem(M.left, ly + 48, 'diamond', PALETTE.orange, 'The chosen point (the control above)');
  return svgFrame({ width: W, height: H, id: input.id, title: 'ROC curve', desc: rocCurveSentence(input), body });
}

const GRID = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];

export function rocCurveTable(input: RocChartInput): DataTable {
  return {
    caption: 'Best share of children found, for each share of false alarms among children who did not need help',
    head: ['False alarm rate (FPR)', 'Children found (recall)', 'Chance'],
    rows: GRID.map((f) => [pct(f), pct(bestTprAtFpr(input.points, f)), pct(f)]),
  };
}

export function rocCurveSentence(input: RocChartInput): string {
  const at10 = bestTprAtFpr(input.points, 0.1);
  const auc = input.auc;
  const first = auc === null ? 'The area under the curve is not defined.' : `The area under the curve is ${num2(auc)}: given one child who went on to need help and one who did not, the model gives the first a higher score about ${Math.round(auc * 10)} times in 10 (a coin toss would manage 5).`;
  const second = at10 === null ? '' : ` Accepting false alarms for 1 in 10 children who did not need help, it finds ${pct(at10)} of those who did.`;
  return first + second;
}
