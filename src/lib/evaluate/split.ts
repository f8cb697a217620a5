/**
 * Train/test splits that cannot cheat, each returned as sorted row indices with a description
 * (sizes, date ranges and prevalence of each side, and every excluded row counted by reason).
 *
 * - temporal (the default when there is a decision date): train on cases decided before the cut,
 *   test on cases from the cut on, leaving out training cases whose outcome window would reach past
 *   the cut, so no training label comes from the test period;
 * - random, stratified by outcome; stratified k-fold;
 * - grouped by child ID, so the same child is never on both sides;
 * - a user-given column of train/test values.
 * All randomness comes from `rng(seed)`.
 */
import { type AppError, type Result, ok, fail } from '../errors.ts';
import { rng, type Rng } from '../random.ts';

export type SplitMethod = 'temporal' | 'random' | 'kfold' | 'grouped' | 'column';

export interface SideSummary {
  n: number;
  positives: number;
  /** positives / n; null when n = 0. */
  prevalence: number | null;
  /** Earliest and latest decision date (YYYY-MM-DD) when dates were given. */
  dateFrom: string | null;
  dateTo: string | null;
}

export interface SplitDescription {
  method: SplitMethod;
  seed: number | null;
  testFraction: number | null;
  /** Temporal: first day of the test period (YYYY-MM-DD) and the gap left before it. */
  cutDate?: string;
  gapDays?: number;
  /** k-fold: which fold is the test side, of how many. */
  fold?: number;
  k?: number;
  /** Grouped: the ID column and how many distinct children are on each side. */
  groupColumn?: string;
  trainGroups?: number;
  testGroups?: number;
  /** Grouped: rows without an ID, each kept as its own group. */
  ungroupedRows?: number;
  /** Column split: the column read. */
  column?: string;
  train: SideSummary;
  test: SideSummary;
  /** Rows on neither side, by reason (never silently dropped). */
  excluded: { reason: string; count: number }[];
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
  description: SplitDescription;
}

const MS_PER_DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Size, positives, prevalence and date range of one side. */
export function describeSide(rows: Int32Array, y: Uint8Array, dates?: Float64Array): SideSummary {
  let positives = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    positives += y[i];
    if (dates) {
      const d = dates[i];
      if (d < lo) lo = d;
      if (d > hi) hi = d;
    }
  }
  return {
    n: rows.length,
    positives,
    prevalence: rows.length ? positives / rows.length : null,
    dateFrom: Number.isFinite(lo) ? isoDay(lo) : null,
    dateTo: Number.isFinite(hi) ? isoDay(hi) : null,
  };
}

function shuffleInPlace<T>(a: T[] | Int32Array, r: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

const sorted = (xs: number[]): Int32Array => Int32Array.from(xs).sort();

function checkFraction(f: number): AppError | null {
  return f > 0 && f < 1 ? null : { code: 'bad-split', message: `invalid test fraction: ${f}` };
}

function bothSides(split: Split): Result<Split> {
  const d = split.description;
  if (split.train.length === 0) return fail({ code: 'empty-split', message: `the ${d.method} split leaves no training rows` });
  if (split.test.length === 0) return fail({ code: 'empty-split', message: `the ${d.method} split leaves no test rows` });
  return ok(split);
}

export interface TemporalOptions {
  /** Outcome window in days: training cases decided within this many days before the cut are left out. */
  gapDays: number;
  /** First instant of the test period (ms since epoch). Default: the date that puts `testFraction` of dated rows in test. */
  cutDate?: number;
  /** Default 0.3. */
  testFraction?: number;
}

/** Train before the cut (minus the gap), test from the cut on. `dates`: decision date per row, ms, NaN when missing. */
export function temporalSplit(y: Uint8Array, dates: Float64Array, opts: TemporalOptions): Result<Split> {
  const testFraction = opts.testFraction ?? 0.3;
  const bad = checkFraction(testFraction);
  if (bad) return fail(bad);
  if (!(opts.gapDays >= 0)) return fail({ code: 'bad-split', message: `invalid gap: ${opts.gapDays} days` });
  const dated: number[] = [];
  for (let i = 0; i < dates.length; i++) if (Number.isFinite(dates[i])) dated.push(dates[i]);
  if (dated.length === 0) return fail({ code: 'no-dates', message: 'a temporal split needs decision dates, and none are present' });
  let cut = opts.cutDate;
  if (cut === undefined) {
    dated.sort((a, b) => a - b);
    cut = dated[Math.min(dated.length - 1, Math.floor(dated.length * (1 - testFraction)))];
  }
  const trainEnd = cut - opts.gapDays * MS_PER_DAY;
  const train: number[] = [];
  const test: number[] = [];
  let inGap = 0;
  let noDate = 0;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    if (!Number.isFinite(d)) noDate++;
    else if (d >= cut) test.push(i);
    // A case decided at trainEnd has its outcome window ending exactly at the cut: allowed.
    else if (d <= trainEnd) train.push(i);
    else inGap++;
  }
  const tr = Int32Array.from(train);
  const te = Int32Array.from(test);
  const excluded = [];
  if (inGap) excluded.push({ reason: `decided within ${opts.gapDays} days before the cut (outcome not yet known at the cut)`, count: inGap });
  if (noDate) excluded.push({ reason: 'no decision date', count: noDate });
  return bothSides({
    train: tr,
    test: te,
    description: {
      method: 'temporal',
      seed: null,
      testFraction,
      cutDate: isoDay(cut),
      gapDays: opts.gapDays,
      train: describeSide(tr, y, dates),
      test: describeSide(te, y, dates),
      excluded,
    },
  });
}

export interface RandomOptions {
  seed: number;
  /** Default 0.3. */
  testFraction?: number;
  /** Decision dates, only to report each side's date range. */
  dates?: Float64Array;
}

/** Random split stratified by outcome: each class sends round(testFraction x its size) rows to test. */
export function randomSplit(y: Uint8Array, opts: RandomOptions): Result<Split> {
  const testFraction = opts.testFraction ?? 0.3;
  const bad = checkFraction(testFraction);
  if (bad) return fail(bad);
  const r = rng(opts.seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    shuffleInPlace(idx, r);
    const nTest = Math.round(idx.length * testFraction);
    for (let k = 0; k < idx.length; k++) (k < nTest ? test : train).push(idx[k]);
  }
  const tr = sorted(train);
  const te = sorted(test);
  return bothSides({
    train: tr,
    test: te,
    description: {
      method: 'random',
      seed: opts.seed,
      testFraction,
      train: describeSide(tr, y, opts.dates),
      test: describeSide(te, y, opts.dates),
      excluded: [],
    },
  });
}

/** Stratified k-fold: within each class, shuffled rows are dealt to folds in turn. Fold f is the test side of split f. */
export function kfoldSplits(y: Uint8Array, opts: { k?: number; seed: number; dates?: Float64Array }): Result<Split[]> {
  const k = opts.k ?? 5;
  if (!Number.isInteger(k) || k < 2) return fail({ code: 'bad-split', message: `invalid number of folds: ${k}` });
  if (y.length < k) return fail({ code: 'bad-split', message: `${k} folds need at least ${k} rows, there are ${y.length}` });
  const r = rng(opts.seed);
  const fold = new Int32Array(y.length);
  let dealt = 0;
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    shuffleInPlace(idx, r);
    // Continue dealing where the previous class stopped so fold sizes differ by at most one.
    for (const i of idx) fold[i] = dealt++ % k;
  }
  const out: Split[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < y.length; i++) (fold[i] === f ? test : train).push(i);
    const tr = Int32Array.from(train);
    const te = Int32Array.from(test);
    const s = bothSides({
      train: tr,
      test: te,
      description: {
        method: 'kfold',
        seed: opts.seed,
        testFraction: te.length / y.length,
        fold: f,
        k,
        train: describeSide(tr, y, opts.dates),
        test: describeSide(te, y, opts.dates),
        excluded: [],
      },
    });
    if (!s.ok) return s;
    out.push(s.value);
  }
  return ok(out);
}

export interface GroupedOptions {
  seed: number;
  /** Default 0.3 (of rows, reached by whole groups). */
  testFraction?: number;
  /** The ID column's name, for the description. */
  groupColumn?: string;
  dates?: Float64Array;
}

/** Whole children go to one side: groups are shuffled and sent to test until it holds testFraction of rows.
 *  A row without an ID is its own group (counted in the description, not dropped). */
export function groupedSplit(y: Uint8Array, ids: readonly (string | null)[], opts: GroupedOptions): Result<Split> {
  const testFraction = opts.testFraction ?? 0.3;
  const bad = checkFraction(testFraction);
  if (bad) return fail(bad);
  if (ids.length !== y.length) return fail({ code: 'bad-split', message: `${ids.length} IDs for ${y.length} rows` });
  const groupOf = new Map<string, number[]>();
  const groups: number[][] = [];
  let noId = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === null || id === '') {
      noId++;
      groups.push([i]);
      continue;
    }
    let g = groupOf.get(id);
    if (!g) {
      g = [];
      groupOf.set(id, g);
      groups.push(g);
    }
    g.push(i);
  }
  shuffleInPlace(groups, rng(opts.seed));
  const target = testFraction * y.length;
  const train: number[] = [];
  const test: number[] = [];
  let trainGroups = 0;
  let testGroups = 0;
  for (const g of groups) {
    // Add a group to test while that brings test closer to its target size.
    if (test.length + g.length / 2 <= target) {
      test.push(...g);
      testGroups++;
    } else {
      train.push(...g);
      trainGroups++;
    }
  }
  const tr = sorted(train);
  const te = sorted(test);
  return bothSides({
    train: tr,
    test: te,
    description: {
      method: 'grouped',
      seed: opts.seed,
      testFraction,
      groupColumn: opts.groupColumn,
      trainGroups,
      testGroups,
      train: describeSide(tr, y, opts.dates),
      test: describeSide(te, y, opts.dates),
      // Rows without an ID are kept (each its own group) and reported.
      excluded: [],
      ...(noId ? { ungroupedRows: noId } : {}),
    },
  });
}

/** The analyst's own split: a column whose values are `train` or `test` (any case, trimmed).
 *  Blank values are excluded and counted; any other value is an error naming its row. */
export function columnSplit(y: Uint8Array, values: readonly (string | null)[], column: string, dates?: Float64Array): Result<Split> {
  const train: number[] = [];
  const test: number[] = [];
  let blank = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]?.trim().toLowerCase() ?? '';
    if (v === 'train') train.push(i);
    else if (v === 'test') test.push(i);
    else if (v === '') blank++;
    else {
      return fail({
        code: 'bad-split-value',
        message: `split column values must be 'train' or 'test', found '${values[i]}'`,
        row: i + 2,
        column,
      });
    }
  }
  const tr = Int32Array.from(train);
  const te = Int32Array.from(test);
  return bothSides({
    train: tr,
    test: te,
    description: {
      method: 'column',
      seed: null,
      testFraction: null,
      column,
      train: describeSide(tr, y, dates),
      test: describeSide(te, y, dates),
      excluded: blank ? [{ reason: `blank '${column}' value`, count: blank }] : [],
    },
  });
}
