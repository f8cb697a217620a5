/**
 * Precision-recall curve with the chance line (precision = prevalence, what flagging at random
 * would achieve) and the chosen operating point; its data table and a sentence.
 */
import { scaleLinear } from 'd3-scale';
import { curveStepBefore, line } from 'd3-shape';
import type { PrPoint } from '../bundle/schema.ts';
import { axisBottom, axisLeft, legendItem, PALETTE, pct, px, shapeAt, svgFrame, unitTicks, type DataTable } from './svg.ts';

export interface PrChartInput {
  points: readonly PrPoint[];
  /** Share of cases that are positive: the chance line. */
  prevalence: number | null;
  /** The operating point shown by the rest of the page. */
  marker?: { recall: number | null; precision: number | null } | null;
  /** Unique on the page (ids of <title>/<desc>). */
  id: string;
  modelLabel?: string;
}

const W = 560, H = 424;
const M = { top: 16, right: 20, bottom: 136, left: 70 };

/** Best precision reachable at recall `r` or more (the PR curve's upper envelope), null when none. */
export function bestPrecisionAtRecall(points: readonly PrPoint[], r: number): number | null {
  let best: number | null = null;
  for (const p of points) {
    if (p.precision === null || p.recall < r - 1e-12) continue;
    if (best === null || p.precision > best) best = p.precision;
  }
  return best;
}

function sortedPoints(points: readonly PrPoint[]): PrPoint[] {
  return points.filter((p) => p.precision !== null && Number.isFinite(p.recall)).sort((a, b) => a.recall - b.recall || (b.precision ?? 0) - (a.precision ?? 0));
}

export function prCurveSvg(input: PrChartInput): string {
  const x = scaleLinear().domain([0, 1]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const pts = sortedPoints(input.points);
  const path = line<PrPoint>()
    .x((p) => x(p.recall))
    .y((p) => y(p.precision ?? 0))
    .curve(curveStepBefore)
    .digits(1)(pts);
  let body = axisBottom(x, H - M.bottom, unitTicks(), pct, 'Children found (recall)', M.top);
  body += axisLeft(y, M.left, unitTicks(), pct, 'Flags that were right (precision)', W - M.right);
  if (input.prevalence !== null) {
    const cy = px(y(input.prevalence));
    body += `<line class="chance" x1="${px(M.left)}" x2="${px(W - M.right)}" y1="${cy}" y2="${cy}" stroke="${PALETTE.grey}" stroke-width="2" stroke-dasharray="6 4"/>`;
  }
  if (path) body += `<path class="curve" d="${path}" fill="none" stroke="${PALETTE.darkBlue}" stroke-width="3"/>`;
  const m = input.marker;
  if (m && m.recall !== null && m.precision !== null) body += shapeAt('diamond', x(m.recall), y(m.precision), 8, PALETTE.orange, ' stroke="#0b0c0c" stroke-width="1.5" class="marker"');
  const ly = H - 70;
  body += legendItem(M.left, ly, 'line', PALETTE.darkBlue, input.modelLabel ?? 'The model');
  body += legendItem(M.left, ly + 24, 'dash', PALETTE.grey, `Chance: ${pct(input.prevalence)} needed help`);
  body += legendItem(M.left, ly + 48, 'diamond', PALETTE.orange, 'The chosen point (the control above)');
  return svgFrame({ width: W, height: H, id: input.id, title: 'Precision-recall curve', desc: prCurveSentence(input), body });
}

const GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export function prCurveTable(input: PrChartInput): DataTable {
  return {
    caption: 'Best share of flags that were right, for each share of children found',
    head: ['Children found (recall)', 'Flags that were right (precision)', 'Chance'],
    rows: GRID.map((r) => [pct(r), pct(bestPrecisionAtRecall(input.points, r)), pct(input.prevalence)]),
  };
}

export function prCurveSentence(input: PrChartInput): string {
  const half = bestPrecisionAtRecall(input.points, 0.5);
  if (half === null) return 'There is no precision-recall curve to describe: no child in these data went on to need help, or the curve was withheld.';
  const chance = input.prevalence;
  const times = chance && chance > 0 ? half / chance : null;
  const vs = times === null ? '' : times >= 1.1 ? `, ${times.toFixed(1)} times the ${pct(chance)} that flagging at random would give` : `, no better than the ${pct(chance)} that flagging at random would give`;
  return `To find half of the children who went on to need help, at best ${pct(half)} of the children flagged would really need it${vs}.`;
}

