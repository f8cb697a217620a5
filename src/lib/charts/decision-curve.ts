/**
 * Decision curve (Vickers & Elkin 2006): net benefit of acting on the model's score at each
 * threshold probability, against flagging every child and flagging none; its data table and a
 * sentence. Line styles differ (solid, dashed, dotted), so colour is never the only cue.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { DecisionCurve } from '../bundle/schema.ts';
import { usefulRange } from '../evaluate/decision-curve.ts';
import { axisBottom, axisLeft, legendItem, num3, PALETTE, pct, px, svgFrame, type DataTable } from './svg.ts';

export interface DecisionChartInput {
  curve: DecisionCurve;
  /** Whose curve ("Logistic regression", "Group: Female"). */
  label: string;
  id: string;
}

const W = 560, H = 424;
const M = { top: 16, right: 20, bottom: 136, left: 70 };

function yDomain(c: DecisionCurve): [number, number] {
  const values = [...c.model, ...c.all].filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0.01, c.prevalence ?? 0, ...values);
  // Flag-all falls steeply below zero at high thresholds: cut the axis a little below zero.
  return [-0.25 * top, top * 1.05];
}

export function decisionCurveSvg(input: DecisionChartInput): string {
  const c = input.curve;
  const t = c.thresholds;
  const x = scaleLinear().domain([0, Math.max(...t)]).range([M.left, W - M.right]);
  const [y0, y1] = yDomain(c);
  const y = scaleLinear().domain([y0, y1]).range([H - M.bottom, M.top]).clamp(true);
  const xTicks = [0, 0.1, 0.2, 0.3, 0.4, 0.5].filter((v) => v <= Math.max(...t) + 1e-9);
  const yTicks = y.ticks(5);
  let body = axisBottom(x, H - M.bottom, xTicks, pct, 'Threshold probability (risk at which a child would be flagged)', M.top);
  body += axisLeft(y, M.left, yTicks, (v) => num3(v), 'Net benefit (true flags per child, less weighted false alarms)', W - M.right);
  const path = (values: readonly (number | null)[]) =>
    line<number>()
      .defined((k) => values[k] !== null && Number.isFinite(values[k]!))
      .x((k) => x(t[k]))
      .y((k) => y(Math.max(y0, values[k]!)))
      .digits(1)(t.map((_, k) => k));
  body += `<line x1="${px(x(0))}" x2="${px(x(Math.max(...t)))}" y1="${px(y(0))}" y2="${px(y(0))}" stroke="${PALETTE.darkGrey}" stroke-width="2" stroke-dasharray="2 4"/>`;
  const all = path(c.all);
  if (all) body += `<path d="${all}" fill="none" stroke="${PALETTE.grey}" stroke-width="2" stroke-dasharray="8 5"/>`;
  const model = path(c.model);
  if (model) body += `<path d="${model}" fill="none" stroke="${PALETTE.darkBlue}" stroke-width="3"/>`;
  const ly = H - 78;
  body += legendItem(M.left, ly, 'line', PALETTE.darkBlue, input.label);
  body += legendItem(M.left, ly + 22, 'dash', PALETTE.grey, 'Flag every child');
  body += legendItem(M.left, ly + 44, 'dash', PALETTE.darkGrey, 'Flag no child (net benefit 0)');
  return svgFrame({ width: W, height: H, id: input.id, title: `Decision curve: ${input.label}`, desc: decisionCurveSentence(input), body });
}

export function decisionCurveTable(input: DecisionChartInput): DataTable {
  const c = input.curve;
  return {
    caption: `Net benefit at each threshold probability: ${input.label}, flagging every child, flagging none`,
    head: ['Threshold', input.label, 'Flag every child', 'Flag no child'],
    rows: c.thresholds
      .map((t, k) => [pct(t), c.model[k] === null ? 'withheld' : num3(c.model[k]), c.all[k] === null ? 'withheld' : num3(c.all[k]), num3(0)])
      .filter((_, k) => (k + 1) % 5 === 0 || k === 0),
  };
}

/** Plain words: over which thresholds acting on the score beats both simple strategies. */
export function decisionCurveSentence(input: DecisionChartInput): string {
  const r = usefulRange(input.curve);
  if (!r) return `At no threshold between ${pct(input.curve.thresholds[0])} and ${pct(input.curve.thresholds[input.curve.thresholds.length - 1])} does acting on the score do better than flagging every child or flagging none: it adds no decision value here.`;
  return `Acting on the score does better than flagging every child or flagging none for thresholds from ${pct(r.from)} to ${pct(r.to)} (the risk at which a child would be flagged); outside that range a simpler rule does as well.`;
}
