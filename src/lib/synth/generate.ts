/**
 * Entry points: the flat case table (whole or streamed in chunks), and the Annex A lists with
 * the flat table derived from the same histories, each with its truth.
 */
import type { Table } from 'apache-arrow';
import { throwIfCancelled, type CancelToken } from '../errors.ts';
import { rng } from '../random.ts';
import { rowsToCsv } from '../data/write-csv.ts';
import { xlsxBytes, type XlsxCell } from '../data/xlsx-write.ts';
import { annexALists } from './annex-a.ts';
import type { AnnexAList } from '../annex-a/lists.ts';
import { addMonths, msOfDay, ukOfDay } from '../annex-a/dates.ts';
import { FlatRows, appendFlatRows, noteRngFor } from './flat-table.ts';
import type { Scenario } from './scenarios.ts';
import { contextFor, simulateChild, type Child, type SimContext } from './simulate.ts';
import { truthHeader, type Truth, type TruthChunk, type TruthCounts } from './truth.ts';

/** More rows than one child can ever contribute (one referral a week over ten years is 522). */
const CHILD_SLACK = 1024;

const interceptCache = new Map<string, number>();

/**
 * Intercept of true need that gives the scenario's base rate of recorded outcome among
 * flat-table rows, found by bisection on a pilot population. The pilot uses a fixed seed, so the
 * model (not the sample) is a function of the scenario's knobs alone.
 */
export function calibratedIntercept(scenario: Scenario): number {
  const key = JSON.stringify({ ...scenario, rows: 0, seed: 0 });
  const cached = interceptCache.get(key);
  if (cached !== undefined) return cached;
  const pilotRows = 10_000;
  const rate = (b0: number): number => {
    const ctx = contextFor(scenario, b0);
    const r = rng(0x2545f491);
    let rows = 0, positives = 0;
    for (let i = 0; rows < pilotRows; i++) {
      const child = simulateChild(ctx, r, i);
      const o = outcomesOf(child, ctx);
      rows += o.rows;
      positives += o.positives;
    }
    return positives / rows;
  };
  // logit(rate) is close to linear in the intercept, so a safeguarded secant (regula falsi,
  // Illinois variant) needs a handful of pilot runs where bisection needs twenty.
  const target = Math.log(scenario.baseRate / (1 - scenario.baseRate));
  const f = (b: number): number => {
    const r = Math.min(Math.max(rate(b), 1e-6), 1 - 1e-6);
    return Math.log(r / (1 - r)) - target;
  };
  let a = -40, fa = f(a), b = 10, fb = f(b);
  let b0 = a;
  if (fa >= 0) b0 = a;
  else if (fb <= 0) b0 = b;
  else {
    let side = 0;
    for (let it = 0; it < 20; it++) {
      const c = b - (fb * (b - a)) / (fb - fa);
      const fc = f(c);
      b0 = c;
      // 0.01 on the logit scale is well inside the pilot's own sampling error (about 0.03)
      if (Math.abs(fc) < 0.01 || Math.abs(b - a) < 1e-3) break;
      if (fc > 0) {
        b = c; fb = fc;
        if (side === 1) fa /= 2;
        side = 1;
      } else {
        a = c; fa = fc;
        if (side === -1) fb /= 2;
        side = -1;
      }
    }
  }
  interceptCache.set(key, b0);
  return b0;
}

/** Rows and positive outcomes a child contributes (the flat-table definition, without building rows). */
function outcomesOf(child: Child, ctx: SimContext): { rows: number; positives: number } {
  const starts: number[] = [];
  for (const r of child.referrals) {
    if (r.cp) starts.push(r.cp.start);
    if (r.cla) starts.push(r.cla.start);
  }
  let rows = 0, positives = 0;
  for (const r of child.referrals) {
    if (r.date > ctx.lastComplete) continue;
    rows++;
    const end = addMonths(r.date, 12);
    if (starts.some((x) => x > r.date && x <= end)) positives++;
  }
  return { rows, positives };
}

/** Simulates children in order and hands out their flat rows; shared by every entry point. */
class Run {
  readonly ctx: SimContext;
  private readonly rng;
  private readonly noteRng;
  readonly counts: TruthCounts = { children: 0, referrals: 0, rows: 0, incompleteWindow: 0 };

  constructor(readonly scenario: Scenario) {
    this.ctx = contextFor(scenario, calibratedIntercept(scenario));
    this.rng = rng(scenario.seed);
    this.noteRng = noteRngFor(scenario.seed);
  }

  /** Simulate the next child and append its rows. */
  next(rows: FlatRows): Child {
    const child = simulateChild(this.ctx, this.rng, this.counts.children);
    const before = rows.length;
    this.counts.incompleteWindow += appendFlatRows(rows, child, this.ctx.lastComplete, this.noteRng, this.scenario.text);
    this.counts.children++;
    this.counts.referrals += child.referrals.length;
    this.counts.rows += rows.length - before;
    return child;
  }

  header() {
    return truthHeader(this.scenario, this.ctx.intercept);
  }
}

function truthOf(rows: FlatRows, n: number, counts: TruthCounts): TruthChunk {
  return {
    referralId: rows.referralId.slice(0, n),
    risk: rows.risk.slice(0, n),
    need: rows.need.slice(0, n),
    group: rows.trueGroup.slice(0, n),
    deprivation: rows.deprivation.slice(0, n),
    counts: { ...counts },
  };
}

/** Flat case table as an Arrow Table (column storage per src/lib/data/schema.ts) + truth. Exactly `scenario.rows` rows. */
export function generateCases(
  scenario: Scenario,
  opts: { onProgress?: (done: number, total: number) => void; cancel?: CancelToken } = {},
): { table: Table; truth: Truth } {
  const run = new Run(scenario);
  const total = scenario.rows;
  const rows = new FlatRows(total + CHILD_SLACK);
  const step = Math.max(1000, Math.floor(total / 50));
  let nextReport = step;
  while (rows.length < total) {
    run.next(rows);
    if (run.counts.children % 256 === 0) throwIfCancelled(opts.cancel);
    if (rows.length >= nextReport) {
      opts.onProgress?.(Math.min(rows.length, total), total);
      nextReport += step;
    }
  }
  opts.onProgress?.(total, total);
  const counts = { ...run.counts, rows: total };
  const { counts: _c, ...cases } = truthOf(rows, total, counts);
  return { table: rows.toTable(total), truth: { ...run.header(), counts, cases } };
}

/** Streaming: the same rows as generateCases in chunks of about `chunkRows` (bounded memory), for 1M-row CLI output. */
export function* generateCaseChunks(scenario: Scenario, chunkRows = 65_536): Generator<{ table: Table; truth: TruthChunk }> {
  const run = new Run(scenario);
  const total = scenario.rows;
  let emitted = 0;
  let rows = new FlatRows(chunkRows + CHILD_SLACK);
  while (emitted < total) {
    run.next(rows);
    const remaining = total - emitted;
    if (rows.length >= chunkRows || rows.length >= remaining) {
      const n = Math.min(rows.length, remaining);
      emitted += n;
      const counts = { ...run.counts, rows: emitted };
      yield { table: rows.toTable(n), truth: truthOf(rows, n, counts) };
      // rows of the last child beyond `total` are dropped, as generateCases drops them
      rows = new FlatRows(chunkRows + CHILD_SLACK);
    }
  }
}

/** The truth file's header (scenario and planted effects) for a streamed run. */
export function truthHeaderFor(scenario: Scenario) {
  return truthHeader(scenario, calibratedIntercept(scenario));
}

/** Children until at least `scenario.rows` flat rows, and all their rows (for the Annex A lists). */
export function simulateChildren(scenario: Scenario): { children: Child[]; rows: FlatRows; ctx: SimContext; truth: Truth } {
  const run = new Run(scenario);
  const children: Child[] = [];
  const rows = new FlatRows(scenario.rows + CHILD_SLACK);
  while (rows.length < scenario.rows) children.push(run.next(rows));
  const counts = { ...run.counts };
  const { counts: _c, ...cases } = truthOf(rows, rows.length, counts);
  return { children, rows, ctx: run.ctx, truth: { ...run.header(), counts, cases } };
}

/** Annex A lists + the flat table derived from the same histories (all rows of the children simulated, at least `scenario.rows`). */
export function generateAnnexA(scenario: Scenario): { lists: AnnexAList[]; flat: Table; truth: Truth; extractDate: string } {
  const { children, rows, ctx, truth } = simulateChildren(scenario);
  return { lists: annexALists(children, ctx), flat: rows.toTable(), truth, extractDate: scenario.extractDate };
}

function cellsForWorkbook(list: AnnexAList): XlsxCell[][] {
  const dates = list.types.map((t) => t === 'date');
  return [list.columns, ...list.rows.map((r) => r.map((v, j) => (dates[j] && typeof v === 'number' ? new Date(msOfDay(v)) : v)))];
}

/** .xlsx bytes: one sheet per list, named as the lists name them (`List 1` ...), header on row 1, dates as Excel dates. */
export function annexAWorkbook(lists: AnnexAList[]): Uint8Array {
  return xlsxBytes(lists.map((l) => ({ name: l.sheet, rows: cellsForWorkbook(l) })));
}

/** One CSV per list: file name (`List_1.csv` ...) -> RFC 4180 text, dates `dd/mm/yyyy` as councils' exports write them. */
export function annexACsvFiles(lists: AnnexAList[]): { name: string; text: string }[] {
  return lists.map((l) => ({
    name: `${l.sheet.replace(/ /g, '_')}.csv`,
    text: rowsToCsv(l.columns, l.rows.map((r) => r.map((v, j) => (l.types[j] === 'date' && typeof v === 'number' ? ukOfDay(v) : v)))),
  }));
}
