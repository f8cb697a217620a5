/**
 * Forest plot of disparity ratios (group / reference) with their 95% intervals, the reference
 * line at 1 and the tolerance band shaded; the marker's shape says the verdict, so colour is
 * never the only cue. Its data table and a sentence.
 */
import { scaleLog } from 'd3-scale';
import type { Verdict } from '../bundle/schema.ts';
import { esc, legendItem, num2, PALETTE, px, shapeAt, svgFrame, type DataTable, type Shape } from './svg.ts';

export interface ForestRow {
  /** Group name (intersections "Black × Female"). */
  label: string;
  ratio: number | null;
  lo: number | null;
  hi: number | null;
  verdict: Verdict | null;
  /** Why there is no estimate, or a qualifier: "reference group", "withheld (small numbers)", "small group". */
  note?: string;
  casesNeeded?: number | null;
  /** Below the minimums (evaluate/minimums.ts): read "too few to tell", never as a verdict. */
  tooFew?: boolean;
  /** Cases in the group now, so "cases needed" can be said as "more". */
  n?: number | null;
}

export interface ForestInput {
  rows: readonly ForestRow[];
  tolerance: { lower: number; upper: number };
  /** The metric in words ("False alarm rate (FPR)"). */
  metricLabel: string;
  reference: string;
  id: string;
  /** What one case is (the report's `task.unit`), for the words; children when absent. */
  unit?: unknown;
}

export const VERDICT_MARKS: Record<Verdict | 'none', { shape: Shape; colour: string; label: string }> = {
  disparity: { shape: 'diamond', colour: PALETTE.darkPink, label: 'Disparity' },
  'no disparity': { shape: 'circle', colour: PALETTE.darkBlue, label: 'No disparity' },
  inconclusive: { shape: 'ring', colour: PALETTE.darkGrey, label: 'Inconclusive' },
  none: { shape: 'ring', colour: PALETTE.grey, label: 'No verdict' },
};

const W = 720;
const LABEL_W = 230;
const ROW_H = 30;
const M = { top: 12, right: 24, bottom: 100 };

function domainOf(input: ForestInput): [number, number] {
  let lo = Math.min(0.5, input.tolerance.lower * 0.8);
  let hi = Math.max(2, input.tolerance.upper * 1.25);
  for (const r of input.rows) {
    for (const v of [r.lo, r.hi, r.ratio]) {
      if (v === null || !(v > 0) || !Number.isFinite(v)) continue;
      lo = Math.min(lo, v * 0.9);
      hi = Math.max(hi, v * 1.1);
    }
  }
  return [Math.max(lo, 1 / 64), Math.min(hi, 64)];
}

const TICKS = [1 / 64, 1 / 32, 1 / 16, 0.125, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 8, 16, 32, 64];
const tickText = (t: number) => (t >= 1 ? String(t) : t >= 0.125 ? String(t) : `1/${Math.round(1 / t)}`);

export function forestPlotSvg(input: ForestInput): string {
  const [d0, d1] = domainOf(input);
  const x = scaleLog().domain([d0, d1]).range([LABEL_W, W - M.right]).clamp(true);
  const plotH = Math.max(1, input.rows.length) * ROW_H;
  const H = M.top + plotH + M.bottom;
  const yb = M.top + plotH;
  let body = `<rect class="band" x="${px(x(input.tolerance.lower))}" y="${M.top}" width="${px(x(input.tolerance.upper) - x(input.tolerance.lower))}" height="${plotH}" fill="${PALETTE.band}" stroke="${PALETTE.lightGrey}" stroke-dasharray="2 2"/>`;
  body += `<line class="reference" x1="${px(x(1))}" x2="${px(x(1))}" y1="${M.top}" y2="${yb}" stroke="${PALETTE.darkGrey}" stroke-width="2"/>`;
  input.rows.forEach((r, i) => {
    const cy = M.top + i * ROW_H + ROW_H / 2;
    if (i % 2 === 1) body += `<rect x="0" y="${px(cy - ROW_H / 2)}" width="${LABEL_W - 8}" height="${ROW_H}" fill="#f3f2f1"/>`;
    body += `<text x="6" y="${px(cy)}" dy="0.32em" fill="#0b0c0c">${esc(r.label.length > 28 ? r.label.slice(0, 27) + '…' : r.label)}</text>`;
    if (r.note === 'reference group') {
      body += `<text x="${px(x(1) + 8)}" y="${px(cy)}" dy="0.32em" fill="${PALETTE.darkGrey}" font-style="italic">reference group</text>`;
      return;
    }
    if (r.ratio === null || !(r.ratio > 0)) {
      const why = r.tooFew ? 'too few to tell' : r.ratio === 0 ? 'ratio 0: none at all in this group' : (r.note ?? 'no estimate');
      body += `<text x="${px(LABEL_W + 8)}" y="${px(cy)}" dy="0.32em" fill="${PALETTE.darkGrey}" font-style="italic">${esc(why)}</text>`;
      return;
    }
    if (r.lo !== null && r.hi !== null && r.lo > 0) {
      body += `<line x1="${px(x(r.lo))}" x2="${px(x(r.hi))}" y1="${px(cy)}" y2="${px(cy)}" stroke="#0b0c0c" stroke-width="2"/>`;
      for (const e of [r.lo, r.hi]) body += `<line x1="${px(x(e))}" x2="${px(x(e))}" y1="${px(cy - 5)}" y2="${px(cy + 5)}" stroke="#0b0c0c" stroke-width="2"/>`;
    }
    const mark = VERDICT_MARKS[r.tooFew ? 'none' : (r.verdict ?? 'none')];
    body += shapeAt(mark.shape, x(r.ratio), cy, 7, mark.colour, ' stroke="#0b0c0c" stroke-width="1"');
  });
  body += `<line x1="${LABEL_W}" x2="${W - M.right}" y1="${yb}" y2="${yb}" stroke="${PALETTE.darkGrey}"/>`;
  for (const t of TICKS.filter((t) => t >= d0 && t <= d1)) {
    body += `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${yb}" y2="${yb + 5}" stroke="${PALETTE.darkGrey}"/>`;
    body += `<text x="${px(x(t))}" y="${yb + 20}" text-anchor="middle" fill="#0b0c0c">${tickText(t)}</text>`;
  }
  body += `<text x="${px((LABEL_W + W - M.right) / 2)}" y="${yb + 42}" text-anchor="middle" font-weight="bold" fill="#0b0c0c">${esc(`Ratio to ${input.reference} (1 = the same)`)}</text>`;
  const ly = yb + 70;
  body += legendItem(6, ly, 'band', PALETTE.band, `Tolerance ${num2(input.tolerance.lower)}–${num2(input.tolerance.upper)}`);
  let lx = 200;
  for (const v of ['disparity', 'no disparity', 'inconclusive'] as const) {
    body += legendItem(lx, ly, VERDICT_MARKS[v].shape, VERDICT_MARKS[v].colour, VERDICT_MARKS[v].label);
    lx += 150;
  }
  return svgFrame({ width: W, height: H, id: input.id, title: `${input.metricLabel}: each group compared with ${input.reference}`, desc: forestSentence(input), body, className: 'candour-forest' });
}

/** "about 1,200 more cases needed" for an inconclusive result: `needed` is the group size that
 *  would settle it, `have` the group's size now (when known, the words say how many more). */
export function casesNeededWords(needed: number | null | undefined, have?: number | null): string {
  if (needed === null || needed === undefined || !Number.isFinite(needed)) return 'more cases would be needed to tell';
  const more = have !== null && have !== undefined && Number.isFinite(have) ? Math.max(1, needed - have) : needed;
  const rounded = more >= 1000 ? Math.round(more / 100) * 100 : more >= 100 ? Math.round(more / 10) * 10 : Math.ceil(more);
  return `about ${rounded.toLocaleString('en-GB')} more cases needed`;
}

/** The verdict cell in words: "too few to tell" never reads as a verdict. */
export function verdictWords(r: ForestRow): string {
  if (r.tooFew) return `too few to tell: ${casesNeededWords(r.casesNeeded, r.n)}`;
  if (r.verdict === null) return r.note ?? 'no verdict';
  return r.verdict === 'inconclusive' ? `inconclusive: ${casesNeededWords(r.casesNeeded, r.n)}` : r.verdict;
}

export function forestTable(input: ForestInput): DataTable {
  return {
    caption: `${input.metricLabel}: ratio of each group to ${input.reference}, with 95% interval`,
    head: ['Group', 'Ratio', '95% interval', 'Verdict'],
    rows: input.rows.map((r) => [
      r.label,
      r.ratio === null ? (r.note ?? 'no estimate') : num2(r.ratio),
      r.lo === null || r.hi === null ? '—' : `${num2(r.lo)} to ${num2(r.hi)}`,
      verdictWords(r),
    ]),
  };
}

export function forestSentence(input: ForestInput): string {
  const judged = input.rows.filter((r) => r.verdict !== null && !r.tooFew);
  if (judged.length === 0 && !input.rows.some((r) => r.tooFew)) return `No group could be compared with ${input.reference} on this measure.`;
  const by = (v: Verdict) => judged.filter((r) => r.verdict === v);
  const parts: string[] = [];
  const d = by('disparity');
  if (d.length) parts.push(`${d.length} ${d.length === 1 ? 'shows' : 'show'} a disparity beyond the tolerance (${d.map((r) => `${r.label}: ${num2(r.ratio)} times`).join('; ')})`);
  const nd = by('no disparity');
  if (nd.length) parts.push(`${nd.length} ${nd.length === 1 ? 'is' : 'are'} within the tolerance`);
  const inc = by('inconclusive').filter((r) => !r.tooFew);
  if (inc.length) parts.push(`${inc.length} ${inc.length === 1 ? 'is' : 'are'} inconclusive (the interval is too wide to tell)`);
  const few = input.rows.filter((r) => r.tooFew);
  if (few.length) parts.push(`${few.length} ${few.length === 1 ? 'has' : 'have'} too few cases to tell`);
  const compared = new Set([...judged, ...few]).size;
  return `Of ${compared} group${compared === 1 ? '' : 's'} compared with ${input.reference}, ${parts.join(', ')}.`;
}
