/**
 * An icon array of 100 children: flagged and needed help, false alarm, missed, correctly not
 * flagged; each with its own shape and colour and a legend with the counts. Natural frequencies
 * ("of every 100 children referred...") read better than percentages for most people.
 */
import type { OperatingRow } from '../bundle/schema.ts';
import { esc, PALETTE, px, shapeAt, svgFrame, type Shape, type DataTable } from './svg.ts';
import { unitWords } from '../project/words.ts';

/** Of 100 children: how many fall in each box of the confusion table (sums to 100). */
export interface IconCounts {
  flaggedNeeded: number;
  falseAlarm: number;
  missed: number;
  correctlyNotFlagged: number;
}

export const ICON_KINDS: readonly { key: keyof IconCounts; shape: Shape; colour: string; label: string; plain: string }[] = [
  { key: 'flaggedNeeded', shape: 'circle', colour: PALETTE.darkBlue, label: 'Flagged, and needed help', plain: 'flagged and needed help' },
  { key: 'falseAlarm', shape: 'triangle', colour: PALETTE.orange, label: 'Flagged, but did not need help (false alarm)', plain: 'false alarms' },
  { key: 'missed', shape: 'square', colour: PALETTE.darkPink, label: 'Not flagged, but needed help (missed)', plain: 'missed' },
  { key: 'correctlyNotFlagged', shape: 'ring', colour: PALETTE.grey, label: 'Not flagged, and did not need help', plain: 'correctly not flagged' },
];

/**
 * Counts per 100 children from confusion counts, by largest remainder so they sum to exactly 100
 * (ties broken in ICON_KINDS order). Null when a count is withheld or there are no cases.
 */
export function iconCounts(row: Pick<OperatingRow, 'tp' | 'fp' | 'fn' | 'tn'>): IconCounts | null {
  const { tp, fp, fn, tn } = row;
  if (tp === null || fp === null || fn === null || tn === null) return null;
  const n = tp + fp + fn + tn;
  if (!(n > 0)) return null;
  const raw = [tp, fp, fn, tn].map((c) => (100 * c) / n);
  const out = raw.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) out[order[k % 4].i]++;
  return { flaggedNeeded: out[0], falseAlarm: out[1], missed: out[2], correctlyNotFlagged: out[3] };
}

export interface IconArrayInput {
  counts: IconCounts;
  id: string;
  /** Heading inside the picture, e.g. a group's name in the workshop comparison. */
  caption?: string;
  /** Size of one icon's cell in pixels (default 28; the workshop uses larger). */
  cell?: number;
  /** Legend beside (default) or below the icons. */
  legend?: 'right' | 'below' | 'none';
  /** What one icon stands for (`task.unit`: child, family, referral, person; children when absent). */
  unit?: unknown;
  /** 'short' legend words ("false alarms") for small multiples; default the full labels. */
  legendText?: 'full' | 'short';
}

export function iconArraySvg(input: IconArrayInput): string {
  const cell = input.cell ?? 28;
  const legend = input.legend ?? 'right';
  const top = input.caption ? 34 : 6;
  const grid = cell * 10;
  const kinds: { shape: Shape; colour: string }[] = [];
  for (const k of ICON_KINDS) for (let i = 0; i < input.counts[k.key]; i++) kinds.push(k);
  let body = input.caption ? `<text x="6" y="22" font-weight="bold" font-size="${Math.max(16, cell * 0.6)}" fill="#0b0c0c">${esc(input.caption)}</text>` : '';
  body += '<g class="icons">';
  kinds.forEach((k, i) => {
    const cx = 6 + (i % 10) * cell + cell / 2;
    const cy = top + Math.floor(i / 10) * cell + cell / 2;
    body += shapeAt(k.shape, cx, cy, cell * 0.36, k.colour, k.shape === 'triangle' ? ' stroke="#0b0c0c" stroke-width="0.75"' : '');
  });
  body += '</g>';
  const fs = Math.max(14, Math.round(cell * 0.55));
  const lx = legend === 'right' ? grid + 30 : 6;
  const ly0 = legend === 'right' ? top + cell / 2 : top + grid + 24;
  const step = Math.max(30, fs * 2.2);
  const text = (k: (typeof ICON_KINDS)[number]) => (input.legendText === 'short' ? k.plain : k.label);
  if (legend !== 'none') {
    ICON_KINDS.forEach((k, j) => {
      const ly = ly0 + j * step;
      body += shapeAt(k.shape, lx + 11, ly, 9, k.colour, k.shape === 'triangle' ? ' stroke="#0b0c0c" stroke-width="0.75"' : '');
      body += `<text x="${px(lx + 30)}" y="${px(ly)}" dy="0.32em" font-size="${fs}" fill="#0b0c0c"><tspan font-weight="bold">${input.counts[k.key]}</tspan> ${esc(text(k))}</text>`;
    });
  }
  // About 0.55 em per character of the longest legend line (count + words).
  const longest = Math.max(...ICON_KINDS.map((k) => text(k).length)) + 4;
  const legendW = 40 + Math.ceil(fs * 0.55 * longest);
  const width = legend === 'right' ? grid + 30 + legendW : legend === 'below' ? Math.max(grid + 12, legendW) : grid + 12;
  const height = legend === 'below' ? top + grid + 24 + 4 * step : top + grid + 8;
  return svgFrame({ width, height, id: input.id, title: input.caption ? `${input.caption}: 100 ${unitWords(input.unit).many}` : `100 ${unitWords(input.unit).many}`, desc: iconArraySentence(input.counts, input.unit), body, className: 'candour-icons' });
}

export function iconArrayTable(counts: IconCounts, unit?: unknown): DataTable {
  return {
    caption: `Of every 100 ${unitWords(unit).many}`,
    head: ['', 'Went on to need help', 'Did not need help'],
    rows: [
      ['Flagged by the model', String(counts.flaggedNeeded), String(counts.falseAlarm)],
      ['Not flagged', String(counts.missed), String(counts.correctlyNotFlagged)],
    ],
  };
}

export function iconArraySentence(c: IconCounts, unit?: unknown): string {
  const flagged = c.flaggedNeeded + c.falseAlarm;
  const needed = c.flaggedNeeded + c.missed;
  const w = unitWords(unit);
  const referred = w.many === 'referrals' ? 'referrals' : `${w.many} referred`;
  return `Of every 100 ${referred}, the model flags ${flagged}: ${c.flaggedNeeded} of them ${w.yes} and ${c.falseAlarm} were false alarms. Of the ${needed} who ${w.yes}, ${c.missed} were not flagged (missed).`;
}
