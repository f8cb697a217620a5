/**
 * Shared pieces of the chart functions: escaping, number formats, the palette, axes and the
 * accessible frame (role="img", <title>, <desc>). Pure strings: no DOM, so charts render and
 * snapshot-test in Node and are inserted in the page with {@html}.
 */
import { format } from 'd3-format';
import type { ScaleContinuousNumeric } from 'd3-scale';

/** Government Analysis Function categorical palette (colour-blind checked), in its order. */
export const PALETTE = {
  darkBlue: '#12436d',
  turquoise: '#28a197',
  darkPink: '#801650',
  orange: '#f46a25',
  darkGrey: '#3d3d3d',
  lightPurple: '#a285d1',
  /** Chance lines, reference lines, gridlines. */
  grey: '#6f777b',
  lightGrey: '#b1b4b6',
  band: '#e8f1f8',
} as const;

/** A chart's data table, formatted for reading: a caption, column heads and rows of text. */
export interface DataTable {
  caption: string;
  head: string[];
  rows: string[][];
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Pixel coordinates to one decimal: small SVGs and stable snapshots. */
export const px = (x: number): string => String(Math.round(x * 10) / 10);

const pct0 = format('.0%');
const pct1 = format('.1%');
/** 0.4567 -> "46%"; values under 10% keep one decimal ("4.5%"). Null -> "not defined". */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'not defined';
  return Math.abs(x) < 0.1 && x !== 0 ? pct1(x) : pct0(x);
}

const dec2 = format('.2f');
const dec3 = format('.3f');
/** Two decimals ("0.43"); null -> "not defined". */
export function num2(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'not defined' : dec2(x);
}
export function num3(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'not defined' : dec3(x);
}

/** Whole numbers with thousands separators ("1,234"); null -> "withheld". */
export function count(x: number | null | undefined): string {
  return x === null || x === undefined ? 'withheld' : format(',.0f')(x);
}

/** The accessible SVG frame every chart shares. */
export function svgFrame(opts: { width: number; height: number; title: string; desc: string; id: string; body: string; className?: string }): string {
  const { width, height, title, desc, id, body } = opts;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" class="candour-chart${opts.className ? ' ' + opts.className : ''}" font-family="inherit" font-size="14">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>${body}</svg>`
  );
}

/** A horizontal axis along y = `y` with ticks, tick labels and a label under them. */
export function axisBottom(scale: ScaleContinuousNumeric<number, number>, y: number, ticks: number[], tickFormat: (x: number) => string, label: string, gridTo?: number): string {
  const [r0, r1] = scale.range();
  let s = `<g class="axis axis--x"><line x1="${px(r0)}" x2="${px(r1)}" y1="${px(y)}" y2="${px(y)}" stroke="${PALETTE.darkGrey}"/>`;
  for (const t of ticks) {
    const x = px(scale(t));
    if (gridTo !== undefined) s += `<line x1="${x}" x2="${x}" y1="${px(gridTo)}" y2="${px(y)}" stroke="${PALETTE.lightGrey}" stroke-width="0.5"/>`;
    s += `<line x1="${x}" x2="${x}" y1="${px(y)}" y2="${px(y + 5)}" stroke="${PALETTE.darkGrey}"/>`;
    s += `<text x="${x}" y="${px(y + 20)}" text-anchor="middle" fill="#0b0c0c">${esc(tickFormat(t))}</text>`;
  }
  s += `<text x="${px((r0 + r1) / 2)}" y="${px(y + 42)}" text-anchor="middle" fill="#0b0c0c" font-weight="bold">${esc(label)}</text></g>`;
  return s;
}

/** A vertical axis along x = `x` with ticks, tick labels and a rotated label. */
export function axisLeft(scale: ScaleContinuousNumeric<number, number>, x: number, ticks: number[], tickFormat: (x: number) => string, label: string, gridTo?: number): string {
  const [r0, r1] = scale.range();
  let s = `<g class="axis axis--y"><line x1="${px(x)}" x2="${px(x)}" y1="${px(r0)}" y2="${px(r1)}" stroke="${PALETTE.darkGrey}"/>`;
  for (const t of ticks) {
    const y = px(scale(t));
    if (gridTo !== undefined) s += `<line x1="${px(x)}" x2="${px(gridTo)}" y1="${y}" y2="${y}" stroke="${PALETTE.lightGrey}" stroke-width="0.5"/>`;
    s += `<line x1="${px(x - 5)}" x2="${px(x)}" y1="${y}" y2="${y}" stroke="${PALETTE.darkGrey}"/>`;
    s += `<text x="${px(x - 8)}" y="${y}" dy="0.32em" text-anchor="end" fill="#0b0c0c">${esc(tickFormat(t))}</text>`;
  }
  const cy = (r0 + r1) / 2;
  s += `<text transform="translate(${px(x - 46)},${px(cy)}) rotate(-90)" text-anchor="middle" fill="#0b0c0c" font-weight="bold">${esc(label)}</text></g>`;
  return s;
}

/** A marker shape centred on (x, y): the same shape means the same thing in every chart. */
export type Shape = 'circle' | 'triangle' | 'square' | 'diamond' | 'ring';

export function shapeAt(shape: Shape, x: number, y: number, r: number, fill: string, extra = ''): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${px(x)}" cy="${px(y)}" r="${px(r)}" fill="${fill}"${extra}/>`;
    case 'ring':
      return `<circle cx="${px(x)}" cy="${px(y)}" r="${px(r * 0.85)}" fill="#ffffff" stroke="${fill}" stroke-width="${px(r * 0.3)}"${extra}/>`;
    case 'square':
      return `<rect x="${px(x - r * 0.9)}" y="${px(y - r * 0.9)}" width="${px(r * 1.8)}" height="${px(r * 1.8)}" fill="${fill}"${extra}/>`;
    case 'triangle':
      return `<path d="M${px(x)},${px(y - r * 1.1)}L${px(x + r * 1.05)},${px(y + r * 0.8)}L${px(x - r * 1.05)},${px(y + r * 0.8)}Z" fill="${fill}"${extra}/>`;
    case 'diamond':
      return `<path d="M${px(x)},${px(y - r * 1.2)}L${px(x + r * 1.2)},${px(y)}L${px(x)},${px(y + r * 1.2)}L${px(x - r * 1.2)},${px(y)}Z" fill="${fill}"${extra}/>`;
  }
}

/** A legend row: shape then text; returns the SVG and the width used. */
export function legendItem(x: number, y: number, shape: Shape | 'dash' | 'line' | 'band', colour: string, text: string): string {
  let mark: string;
  if (shape === 'dash') mark = `<line x1="${px(x)}" x2="${px(x + 22)}" y1="${px(y)}" y2="${px(y)}" stroke="${colour}" stroke-width="2" stroke-dasharray="5 4"/>`;
  else if (shape === 'line') mark = `<line x1="${px(x)}" x2="${px(x + 22)}" y1="${px(y)}" y2="${px(y)}" stroke="${colour}" stroke-width="3"/>`;
  else if (shape === 'band') mark = `<rect x="${px(x)}" y="${px(y - 7)}" width="22" height="14" fill="${colour}" stroke="${PALETTE.grey}" stroke-width="0.5"/>`;
  else mark = shapeAt(shape, x + 11, y, 6, colour);
  return `${mark}<text x="${px(x + 30)}" y="${px(y)}" dy="0.32em" fill="#0b0c0c">${esc(text)}</text>`;
}

/** Evenly spaced ticks 0..1 by `step`. */
export function unitTicks(step = 0.2): number[] {
  const n = Math.round(1 / step);
  return Array.from({ length: n + 1 }, (_, i) => Math.round(i * step * 1000) / 1000);
}
