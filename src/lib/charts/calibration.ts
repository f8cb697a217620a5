/**
 * Calibration plot: in each score band, the average score against the share who went on to need
 * help, with the diagonal of perfect calibration; its data table and a sentence.
 */
import { scaleLinear, scaleSqrt } from 'd3-scale';
import { line } from 'd3-shape';
import type { CalibrationBin } from '../bundle/schema.ts';
import { axisBottom, axisLeft, count, legendItem, PALETTE, pct, px, svgFrame, unitTicks, type DataTable } from './svg.ts';

export interface CalibrationChartInput {
  bins: readonly CalibrationBin[];
  id: string;
}

const W = 560, H = 424;
const M = { top: 16, right: 20, bottom: 136, left: 70 };

const usable = (bins: readonly CalibrationBin[]) => bins.filter((b) => b.meanScore !== null && b.observed !== null);

export function calibrationSvg(input: CalibrationChartInput): string {
  const x = scaleLinear().domain([0, 1]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const bins = usable(input.bins);
  const maxN = Math.max(1, ...bins.map((b) => b.n ?? 0));
  const r = scaleSqrt().domain([0, maxN]).range([3, 11]);
  let body = axisBottom(x, H - M.bottom, unitTicks(), pct, 'Average score in the band', M.top);
  body += axisLeft(y, M.left, unitTicks(), pct, 'Went on to need help', W - M.right);
  body += `<line class="chance" x1="${px(x(0))}" y1="${px(y(0))}" x2="${px(x(1))}" y2="${px(y(1))}" stroke="${PALETTE.grey}" stroke-width="2" stroke-dasharray="6 4"/>`;
  const path = line<CalibrationBin>()
    .x((b) => x(b.meanScore ?? 0))
    .y((b) => y(b.observed ?? 0))
    .digits(1)(bins);
  if (path) body += `<path d="${path}" fill="none" stroke="${PALETTE.darkBlue}" stroke-width="2"/>`;
  for (const b of bins) body += `<circle cx="${px(x(b.meanScore!))}" cy="${px(y(b.observed!))}" r="${px(r(b.n ?? 0))}" fill="${PALETTE.darkBlue}" fill-opacity="0.85" stroke="#ffffff"/>`;
  const ly = H - 70;
  body += legendItem(M.left, ly, 'circle', PALETTE.darkBlue, 'A score band (bigger = more cases)');
  body += legendItem(M.left, ly + 24, 'dash', PALETTE.grey, 'Perfect match between score and outcome');
  return svgFrame({ width: W, height: H, id: input.id, title: 'Calibration plot', desc: calibrationSentence(input), body });
}

export function calibrationTable(input: CalibrationChartInput): DataTable {
  return {
    caption: 'Scores against outcomes, by score band',
    head: ['Score band', 'Cases', 'Average score', 'Went on to need help'],
    rows: input.bins.map((b) => [`${pct(b.lo)} to ${pct(b.hi)}`, count(b.n), pct(b.meanScore), b.observed === null ? 'withheld' : pct(b.observed)]),
  };
}

/** Plain words: where the scores and the outcomes disagree most (bands of 30+ cases). */
export function calibrationSentence(input: CalibrationChartInput): string {
  const bins = usable(input.bins).filter((b) => (b.n ?? 0) >= 30);
  if (bins.length === 0) return 'There are too few cases in any score band to compare scores with outcomes (or the scores are not probabilities).';
  let worst = bins[0];
  for (const b of bins) if (Math.abs(b.observed! - b.meanScore!) > Math.abs(worst.observed! - worst.meanScore!)) worst = b;
  const gap = worst.observed! - worst.meanScore!;
  if (Math.abs(gap) < 0.05) return 'In every score band with at least 30 cases, the share who went on to need help is within 5 percentage points of the average score: the scores can be read as chances.';
  return `Where the average score was ${pct(worst.meanScore)}, ${pct(worst.observed)} went on to need help: the scores ${gap < 0 ? 'overstate' : 'understate'} the risk there, so do not read them as chances without checking.`;
}
