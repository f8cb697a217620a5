/**
 * The case table out of an Annex A return: one row per referral (or per contact), with only what
 * was known on that day, and an outcome whose window is complete at the extract date. The column
 * definitions are those of the synthetic flat table (src/lib/synth/flat-columns.ts), so an import
 * of generated lists equals the generator's table on every column Annex A can supply.
 *
 * Leakage rules, each logged with what it touched:
 * - age is recomputed from Date of Birth at the decision date (the "Age" column is as at extract);
 * - prior counts are recomputed from event dates, strictly before the decision date (the
 *   "... in the last 12 months" columns are rolling counts at the extract date and never read);
 * - events dated after the extract date are ignored (they were not known then);
 * - "as at extract" columns (disability, allocated team, case status, latest category, placement,
 *   legal status) are left out unless the caller asks for them, and then carry `_at_extract`;
 * - a decision whose outcome window ends after the extract date is excluded and counted, never
 *   labelled "no".
 */
import type { Table, Vector } from 'apache-arrow';
import { categoryVector, stringVector, tableOfColumns } from '../data/arrow-vectors.ts';
import type { AppError, CancelToken, Result } from '../errors.ts';
import { fail, ok, throwIfCancelled } from '../errors.ts';
import { dateVector, float64Vector } from '../data/build-table.ts';
import type { ColumnInfo, ColumnType } from '../data/schema.ts';
import { ANNEX_A_COLUMNS } from './lists.ts';
import { addMonths, ageInYears, isoOfDay, parseIsoDay } from './dates.ts';
import type { AnnexASheets, SheetColumn, SheetData } from './read.ts';
import { EVENT_DATE, LIST_TITLES, USED_LISTS, listOfColumns, listOfSheetName, matchHeader, specNameOf, type FieldKey, type Timing } from './spec.ts';
import {
  abuseCategoryOf, cellText, dayOfCell, disabilityOf, ethnicityOf, genderOf, sourceCodeOf, sourceGroupOf, type Cell,
} from './values.ts';

// ------------------------------------------------------------------ options and log

export type AnnexAOutcomeKind = 'cp-or-cla' | 's47' | 'rereferral';
/** Outcome ids: `cp-or-cla-12m` (default), `s47-12m`, `rereferral-12m`; any whole number of months may replace 12. */
export type AnnexAOutcome = `${AnnexAOutcomeKind}-${number}m`;
export const ANNEX_A_OUTCOMES: readonly AnnexAOutcome[] = ['cp-or-cla-12m', 's47-12m', 'rereferral-12m'];
export const DEFAULT_OUTCOME: AnnexAOutcome = 'cp-or-cla-12m';

export interface AnnexAOptions {
  /** Default `cp-or-cla-12m`. */
  outcome?: string;
  /** Window length in calendar months; overrides the number in the outcome id. */
  months?: number;
  /** One row per referral (List 3, default) or per contact (List 1). */
  unit?: 'referral' | 'contact';
  /** `yyyy-mm-dd`; default the latest date found in the return (the log says which). */
  extractDate?: string;
  /** Add the "as at extract" columns back, knowingly (named `..._at_extract`, flagged in the log). */
  includeAsAtExtract?: boolean;
  cancel?: CancelToken;
}

export interface AnnexAListSummary {
  list: number;
  title: string;
  /** Sheet (or file) names the list was read from. */
  sheets: string[];
  headerRow: number;
  rows: number;
  /** The case table reads this list. */
  used: boolean;
  /** The event date column its date range is taken from. */
  dateColumn: string | null;
  firstDate: string | null;
  lastDate: string | null;
  unrecognisedColumns: string[];
  missingColumns: string[];
}

export interface AnnexARule {
  id: string;
  text: string;
  /** Rows or values the rule changed, when it counts something. */
  count?: number;
  /** Something the analyst should look at (leakage knowingly added, values not recognised). */
  warning?: boolean;
}

export type DropReason = 'blank-child-id' | 'no-date' | 'unreadable-date' | 'after-extract' | 'duplicate-referral' | 'incomplete-window';

export interface AnnexADrop {
  reason: DropReason;
  list: number;
  count: number;
  text: string;
}

export interface AnnexALeftOut {
  list: number;
  column: string;
  timing: Exclude<Timing, 'event' | 'static'>;
  /** Added back by `includeAsAtExtract`. */
  included: boolean;
  reason: string;
}

export interface AnnexALog {
  source: string;
  format: AnnexASheets['format'];
  unit: 'referral' | 'contact';
  outcome: AnnexAOutcome;
  months: number;
  /** The outcome in words. */
  outcomeText: string;
  extractDate: string;
  extractDateFrom: { kind: 'given' } | { kind: 'latest'; list: number; column: string };
  lists: AnnexAListSummary[];
  unrecognisedSheets: { name: string; rows: number }[];
  unreadableSheets: { name: string; reason: string }[];
  rules: AnnexARule[];
  dropped: AnnexADrop[];
  leftOut: AnnexALeftOut[];
  /** Rows of the case table, and those with outcome 1. */
  rows: number;
  positives: number;
  children: number;
  /** Decisions before the extract date whose outcome window is not complete (excluded). */
  incompleteWindow: number;
  /** Cell-level problems naming file, row and column (the first of each kind per column), and how many there were in all. */
  issues: AppError[];
  issueCount: number;
}

export interface AnnexAImport {
  table: Table;
  columns: ColumnInfo[];
  log: AnnexALog;
}

/** `cp-or-cla-12m` -> kind and months; null when it is not an outcome id. */
export function parseOutcome(id: string): { kind: AnnexAOutcomeKind; months: number } | null {
  const m = /^(cp-or-cla|s47|rereferral)-(\d{1,3})m$/.exec(id.trim());
  if (!m || Number(m[2]) < 1) return null;
  return { kind: m[1] as AnnexAOutcomeKind, months: Number(m[2]) };
}

// ------------------------------------------------------------------ reading the lists

interface MatchedSheet {
  sheet: SheetData;
  cols: Partial<Record<FieldKey, SheetColumn>>;
}

interface ListRows {
  list: number;
  sheets: MatchedSheet[];
  /** Row refs of rows kept: sheet index and row within it. */
  sheetOf: number[];
  rowOf: number[];
  child: string[];
  day: number[];
}

const MAX_ISSUES = 50;

class Issues {
  list: AppError[] = [];
  count = 0;
  private seen = new Set<string>();
  add(kind: string, e: AppError): void {
    this.count++;
    const key = `${kind}|${e.file}|${e.column}`;
    if (this.seen.has(key) || this.list.length >= MAX_ISSUES) return;
    this.seen.add(key);
    this.list.push(e);
  }
}

/** Sorted copy. */
const sorted = (xs: number[]): number[] => xs.slice().sort((a, b) => a - b);

/** Number of xs (sorted) strictly below d. */
function countBelow(xs: readonly number[], d: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Some x (sorted) with lo < x <= hi; lower is inclusive when `fromDay` is true (lo <= x). */
function anyIn(xs: readonly number[], lo: number, hi: number, inclusiveLo = false): boolean {
  const i = inclusiveLo ? countBelow(xs, lo) : countBelow(xs, lo + 1);
  return i < xs.length && xs[i] <= hi;
}

interface ChildEvents {
  contacts: number[];
  referrals: number[];
  assessments: number[];
  s47: number[];
  cp: number[];
  /** Initial category of each plan, in `cp` order (after sorting). */
  cpCategory: (string | null)[];
  cla: number[];
  dob: number | null;
}

const newChild = (): ChildEvents => ({ contacts: [], referrals: [], assessments: [], s47: [], cp: [], cpCategory: [], cla: [], dob: null });

const OUTCOME_TEXT: Record<AnnexAOutcomeKind, (months: number, unit: string) => string> = {
  'cp-or-cla': (m, u) => `a child protection plan started (List 7) or the child became looked after (List 8) within ${m} months after the ${u} date`,
  s47: (m, u) => `a section 47 enquiry started (List 5) on the ${u} date or within ${m} months after it`,
  rereferral: (m, u) => `another referral of the same child (List 3) within ${m} months after the ${u} date`,
};

type OutCol = { name: string; type: ColumnType; values: (string | number | null)[] };

/** What the import noticed along the way: issues, rules (in words), rows dropped, columns left out. */
class ImportNotes {
  issues = new Issues();
  rules: AnnexARule[] = [];
  dropped: AnnexADrop[] = [];
  leftOut: AnnexALeftOut[] = [];
  drop(reason: DropReason, list: number, count: number, text: string): void {
    if (count > 0) this.dropped.push({ reason, list, count, text });
  }
}

interface ImportPlan {
  unit: 'referral' | 'contact';
  kind: AnnexAOutcomeKind;
  months: number;
  outcome: AnnexAOutcome;
  /** Day number of the extract date when given. */
  givenExtract: number | null;
  /** List 3 (referrals) or List 1 (contacts): one row per entry. */
  decisionList: number;
}

/** Phase 1: the options checked and resolved. */
function importPlanOf(options: AnnexAOptions): Result<ImportPlan> {
  const unit = options.unit ?? 'referral';
  if (unit !== 'referral' && unit !== 'contact') return fail({ code: 'bad-option', message: `unit must be referral or contact, got '${String(unit)}'` });
  const parsed = parseOutcome(options.outcome ?? DEFAULT_OUTCOME);
  if (!parsed) return fail({ code: 'bad-outcome', message: `unknown Annex A outcome '${options.outcome}' (choose from ${ANNEX_A_OUTCOMES.join(', ')}; any number of months may replace 12)` });
  const months = options.months ?? parsed.months;
  if (!Number.isInteger(months) || months < 1 || months > 120) return fail({ code: 'bad-option', message: `the outcome window must be a whole number of months from 1 to 120, got ${months}` });
  let givenExtract: number | null = null;
  if (options.extractDate !== undefined) {
    givenExtract = parseIsoDay(options.extractDate.trim());
    if (Number.isNaN(givenExtract)) return fail({ code: 'bad-extract-date', message: `the extract date must be a real date written yyyy-mm-dd, got '${options.extractDate}'` });
  }
  return ok({ unit, kind: parsed.kind, months, outcome: `${parsed.kind}-${months}m` as AnnexAOutcome, givenExtract, decisionList: unit === 'referral' ? 3 : 1 });
}

interface MatchedLists {
  bySheet: Map<number, MatchedSheet[]>;
  headers: Map<number, ReturnType<typeof matchHeader>[]>;
  unrecognisedSheets: AnnexALog['unrecognisedSheets'];
}

/** Phase 2: which sheet is which list, and whether the lists and columns the plan needs are there. */
function matchLists(input: AnnexASheets, plan: ImportPlan, notes: ImportNotes): Result<MatchedLists> {
  const bySheet = new Map<number, MatchedSheet[]>();
  const unrecognisedSheets: AnnexALog['unrecognisedSheets'] = [];
  const headers = new Map<number, ReturnType<typeof matchHeader>[]>();
  for (const sheet of input.sheets) {
    const list = listOfSheetName(sheet.name) ?? listOfColumns(sheet.columns.map((c) => c.name));
    if (list === null) {
      unrecognisedSheets.push({ name: sheet.name, rows: sheet.rows });
      continue;
    }
    const h = matchHeader(list, sheet.columns.map((c) => c.name));
    const cols: MatchedSheet['cols'] = {};
    for (const [field, fileName] of Object.entries(h.fields)) cols[field as FieldKey] = sheet.columns.find((c) => c.name === fileName);
    if (!bySheet.has(list)) bySheet.set(list, []);
    bySheet.get(list)!.push({ sheet, cols });
    if (!headers.has(list)) headers.set(list, []);
    headers.get(list)!.push(h);
    for (const e of sheet.issues) notes.issues.add(e.code, e);
  }
  if (bySheet.size === 0)
    return fail({
      code: 'not-annex-a',
      message: `no Annex A list was recognised in ${input.name} (sheets or files: ${input.sheets.map((s) => s.name).join(', ') || 'none'}); name them "List 1" ... "List 8" or "Contacts", "Referrals", ...`,
      file: input.name,
    });
  const { decisionList, kind, outcome, unit } = plan;
  const needs: number[] = [decisionList, ...(kind === 'cp-or-cla' ? [] : kind === 's47' ? [5] : [3])];
  for (const l of needs)
    if (!bySheet.has(l))
      return fail({ code: 'missing-list', message: `List ${l} (${LIST_TITLES[l]}) was not found in ${input.name}; it is needed for ${l === decisionList ? `one row per ${unit}` : `the outcome ${outcome}`}`, file: input.name });
  if (kind === 'cp-or-cla' && !bySheet.has(7) && !bySheet.has(8))
    return fail({ code: 'missing-list', message: `neither List 7 (child protection plans) nor List 8 (children in care) was found in ${input.name}; the outcome ${outcome} needs them`, file: input.name });
  if (kind === 'cp-or-cla' && (!bySheet.has(7) || !bySheet.has(8)))
    notes.rules.push({ id: 'outcome-one-list', text: `Only List ${bySheet.has(7) ? 7 : 8} was found, so the outcome counts only ${bySheet.has(7) ? 'child protection plans' : 'periods of care'}.`, warning: true });
  for (const l of USED_LISTS) {
    for (const m of bySheet.get(l) ?? []) {
      const where = m.sheet.where;
      if (!m.cols.childId) return fail({ code: 'missing-column', message: `List ${l} has no Child Unique ID column, so its rows cannot be linked`, file: where, column: 'Child Unique ID' });
      const dateField = EVENT_DATE[l];
      if (!m.cols[dateField]) {
        const name = specNameOf(dateField);
        return fail({ code: 'missing-column', message: `List ${l} has no '${name}' column, which dates its rows`, file: where, column: name });
      }
    }
  }
  return ok({ bySheet, headers, unrecognisedSheets });
}

/** Phase 3: the extract date, given or the latest date in the lists read (and the rule saying which). */
function extractDateOf(input: AnnexASheets, plan: ImportPlan, bySheet: MatchedLists['bySheet'], notes: ImportNotes): Result<{ day: number; from: AnnexALog['extractDateFrom'] }> {
  let day = plan.givenExtract;
  let from: AnnexALog['extractDateFrom'] = { kind: 'given' };
  if (day === null) {
    let best = -Infinity, bestList = 0, bestCol = '';
    for (const l of USED_LISTS)
      for (const m of bySheet.get(l) ?? []) {
        const types = new Map((ANNEX_A_COLUMNS[l]?.columns ?? []).map(([n, t]) => [n, t]));
        for (const cm of matchHeader(l, m.sheet.columns.map((c) => c.name)).matched) {
          if (types.get(cm.specName) !== 'date') continue;
          const col = m.sheet.columns.find((c) => c.name === cm.fileName)!;
          for (const v of col.values) {
            const r = dayOfCell(v, col.dates);
            if (r.day !== null && r.day > best) {
              best = r.day;
              bestList = l;
              bestCol = cm.fileName;
            }
          }
        }
      }
    if (!Number.isFinite(best)) return fail({ code: 'no-dates', message: `no readable date was found in ${input.name}, so the extract date is unknown; give it (yyyy-mm-dd)`, file: input.name });
    day = best;
    from = { kind: 'latest', list: bestList, column: bestCol };
  }
  notes.rules.push({
    id: 'extract-date',
    text: from.kind === 'given'
      ? `Extract date ${isoOfDay(day)}, as given.`
      : `Extract date ${isoOfDay(day)}: the latest date found in the return (List ${from.list}, '${from.column}'). Give the real extract date if it was later.`,
    warning: from.kind === 'latest',
  });
  return ok({ day, from });
}

/** The rows of one list that can be used: linked by child, dated on or before the extract date; the rest dropped and counted. */
function usableRows(list: number, ms: MatchedSheet[], extract: number, summary: AnnexAListSummary, notes: ImportNotes): { rows: ListRows; serialDates: number } {
  const dateField = EVENT_DATE[list];
  summary.dateColumn = ms[0].cols[dateField]!.name;
  const lr: ListRows = { list, sheets: ms, sheetOf: [], rowOf: [], child: [], day: [] };
  let blankId = 0, noDate = 0, badDate = 0, after = 0, serialDates = 0, lo = Infinity, hi = -Infinity;
  ms.forEach((m, si) => {
    const ids = m.cols.childId!.values;
    const dates = m.cols[dateField]!;
    const rowNo = (i: number) => m.sheet.headerRow + 1 + i;
    for (let i = 0; i < m.sheet.rows; i++) {
      const id = cellText(ids[i]);
      if (id === null) {
        blankId++;
        notes.issues.add('blank-child-id', { code: 'blank-child-id', message: 'a row without a Child Unique ID cannot be linked and is left out', file: m.sheet.where, row: rowNo(i), column: m.cols.childId!.name });
        continue;
      }
      const r = dayOfCell(dates.values[i], dates.dates);
      if (r.day === null) {
        if (r.how === 'blank') noDate++;
        else {
          badDate++;
          notes.issues.add(r.how, {
            code: 'unreadable-date',
            message: r.how === 'us-order' ? `'${cellText(dates.values[i])}' looks like a month/day/year date; UK day/month order is expected, so the row is left out` : `'${cellText(dates.values[i])}' is not a date; the row is left out`,
            file: m.sheet.where, row: rowNo(i), column: dates.name,
          });
        }
        continue;
      }
      if (r.how === 'serial') serialDates++;
      if (r.day > extract) {
        after++;
        continue;
      }
      if (r.day < lo) lo = r.day;
      if (r.day > hi) hi = r.day;
      lr.sheetOf.push(si);
      lr.rowOf.push(i);
      lr.child.push(id);
      lr.day.push(r.day);
    }
  });
  if (Number.isFinite(lo)) {
    summary.firstDate = isoOfDay(lo);
    summary.lastDate = isoOfDay(hi);
  }
  notes.drop('blank-child-id', list, blankId, `rows of List ${list} without a Child Unique ID (cannot be linked)`);
  notes.drop('no-date', list, noDate, `rows of List ${list} with a blank '${summary.dateColumn}'`);
  notes.drop('unreadable-date', list, badDate, `rows of List ${list} whose '${summary.dateColumn}' is not a readable date`);
  notes.drop('after-extract', list, after, `rows of List ${list} dated after the extract date (not known then)`);
  return { rows: lr, serialDates };
}

/** Phase 4: every list summarised, and the usable rows of the lists the table is built from. */
function listRowsOf(matched: MatchedLists, extract: number, notes: ImportNotes, cancel?: CancelToken): { rowsOf: Map<number, ListRows>; summaries: AnnexAListSummary[] } {
  const rowsOf = new Map<number, ListRows>();
  const summaries: AnnexAListSummary[] = [];
  let serialDates = 0;
  for (const [list, ms] of [...matched.bySheet.entries()].sort((a, b) => a[0] - b[0])) {
    throwIfCancelled(cancel);
    const hs = matched.headers.get(list)!;
    const used = (USED_LISTS as readonly number[]).includes(list);
    const summary: AnnexAListSummary = {
      list, title: LIST_TITLES[list], sheets: ms.map((m) => m.sheet.name), headerRow: ms[0].sheet.headerRow,
      rows: ms.reduce((s, m) => s + m.sheet.rows, 0), used, dateColumn: null, firstDate: null, lastDate: null,
      unrecognisedColumns: used ? [...new Set(hs.flatMap((h) => h.unrecognised))] : [],
      missingColumns: used ? hs[0].missing.filter((s) => hs.every((h) => h.missing.includes(s))) : [],
    };
    summaries.push(summary);
    if (!used) continue;
    for (const h of hs)
      for (const cm of h.matched)
        if (cm.timing !== 'event' && cm.timing !== 'static' && !notes.leftOut.some((o) => o.list === list && o.column === cm.specName))
          notes.leftOut.push({ list, column: cm.specName, timing: cm.timing, included: false, reason: reasonFor(cm.timing) });
    const got = usableRows(list, ms, extract, summary, notes);
    serialDates += got.serialDates;
    rowsOf.set(list, got.rows);
  }
  if (serialDates > 0) notes.rules.push({ id: 'serial-dates', text: 'Numbers in date columns were read as Excel serial dates (the cells had lost their date format).', count: serialDates, warning: true });
  return { rowsOf, summaries };
}

/** The cell of a kept row (row k of `lr`) in the column matched to `field`; null when the list has no such column. */
function cellOf(lr: ListRows, k: number, field: FieldKey): Cell {
  const m = lr.sheets[lr.sheetOf[k]];
  const col = m.cols[field];
  return col ? (col.values[lr.rowOf[k]] ?? null) : null;
}

/** The Date of Birth of a kept row, as a day number, or null. */
function dobOf(lr: ListRows, k: number): number | null {
  const m = lr.sheets[lr.sheetOf[k]];
  const col = m.cols.dob;
  return col ? dayOfCell(col.values[lr.rowOf[k]] ?? null, col.dates).day : null;
}

const EVENT_FIELD: Record<number, keyof ChildEvents> = { 1: 'contacts', 3: 'referrals', 4: 'assessments', 5: 's47', 7: 'cp', 8: 'cla' };

/** Phase 5: each child's dated events, sorted (plans with their initial category); unreadable categories counted. */
function childEventsOf(rowsOf: Map<number, ListRows>): { children: Map<string, ChildEvents>; badCategory: number } {
  const children = new Map<string, ChildEvents>();
  for (const [list, lr] of rowsOf) {
    const key = EVENT_FIELD[list];
    for (let k = 0; k < lr.child.length; k++) {
      let c = children.get(lr.child[k]);
      if (!c) children.set(lr.child[k], (c = newChild()));
      if (c.dob === null) c.dob = dobOf(lr, k);
      if (key) (c[key] as number[]).push(lr.day[k]);
    }
  }
  // plans carry their initial category; sort them together
  const l7 = rowsOf.get(7);
  const cpRows = new Map<string, { day: number; cat: string | null }[]>();
  let badCategory = 0;
  if (l7)
    for (let k = 0; k < l7.child.length; k++) {
      const raw = cellOf(l7, k, 'cpInitialCategory');
      const cat = abuseCategoryOf(raw);
      if (cat === null && cellText(raw) !== null) badCategory++;
      if (!cpRows.has(l7.child[k])) cpRows.set(l7.child[k], []);
      cpRows.get(l7.child[k])!.push({ day: l7.day[k], cat });
    }
  for (const [id, c] of children) {
    c.contacts = sorted(c.contacts);
    c.referrals = sorted(c.referrals);
    c.assessments = sorted(c.assessments);
    c.s47 = sorted(c.s47);
    c.cla = sorted(c.cla);
    const plans = (cpRows.get(id) ?? []).sort((a, b) => a.day - b.day);
    c.cp = plans.map((p) => p.day);
    c.cpCategory = plans.map((p) => p.cat);
  }
  return { children, badCategory };
}

/** Phase 6: the decisions (rows of the decision list) ordered by child then date; a referral listed twice is kept once. */
function decisionOrder(dl: ListRows, plan: ImportPlan, children: Map<string, ChildEvents>, notes: ImportNotes): number[] {
  const order = Array.from(dl.child.keys()).sort((a, b) => (dl.child[a] < dl.child[b] ? -1 : dl.child[a] > dl.child[b] ? 1 : dl.day[a] - dl.day[b] || a - b));
  if (plan.unit !== 'referral') return order;
  // A referral listed twice (same child, same day) is one referral.
  let duplicates = 0;
  const kept: number[] = [];
  for (const k of order) {
    const prev = kept[kept.length - 1];
    if (prev !== undefined && dl.child[prev] === dl.child[k] && dl.day[prev] === dl.day[k]) duplicates++;
    else kept.push(k);
  }
  for (const c of children.values()) c.referrals = c.referrals.filter((d, i, xs) => i === 0 || xs[i - 1] !== d);
  notes.drop('duplicate-referral', plan.decisionList, duplicates, 'referrals listed twice (same child, same date): kept once');
  return kept;
}

/** What building the rows counted, for the rules. */
interface RowCounts {
  incomplete: number;
  unborn: number;
  noDob: number;
  dobElsewhere: number;
  genderUnknown: number;
  ethUnknown: number;
  sourceUnknown: number;
  positives: number;
  /** Children with at least one row. */
  children: number;
  /** The last decision date whose outcome window is complete at the extract date. */
  lastComplete: number;
}

/** Phase 7: the case table's columns, one row per decision whose outcome window is complete. */
function caseColumns(
  dl: ListRows, order: readonly number[], children: Map<string, ChildEvents>, rowsOf: Map<number, ListRows>, plan: ImportPlan, extract: number, options: AnnexAOptions,
): { cols: OutCol[]; counts: RowCounts; asAtAdded: Set<string> | null } {
  const { unit, months, kind } = plan;
  const cols: OutCol[] = [];
  const col = (name: string, type: ColumnType): OutCol => {
    const c: OutCol = { name, type, values: [] };
    cols.push(c);
    return c;
  };
  const cChild = col('child_id', 'id');
  const cId = col(`${unit}_id`, 'id');
  const cDate = col(`${unit}_date`, 'date');
  const cAge = col(`age_at_${unit}`, 'number');
  const cGender = col('gender', 'category');
  const cEth = col('ethnicity', 'category');
  const cGroup = col('ethnicity_group', 'category');
  const cSource = col(`${unit}_source`, 'category');
  const cSourceGroup = col(`${unit}_source_group`, 'category');
  const cPrev = {
    contacts: col('prev_contacts', 'number'),
    referrals: col('prev_referrals', 'number'),
    assessments: col('prev_assessments', 'number'),
    s47: col('prev_s47', 'number'),
    cp: col('prev_cp_plans', 'number'),
    cla: col('prev_cla_episodes', 'number'),
  };
  const cDays = col('days_since_prev_referral', 'number');
  const cPrevCat = col('prev_abuse_category', 'category');
  const extra = options.includeAsAtExtract ? asAtExtractColumns(rowsOf, cellOf, col) : null;
  const cOutcome = col('outcome', 'number');

  const counts: RowCounts = { incomplete: 0, unborn: 0, noDob: 0, dobElsewhere: 0, genderUnknown: 0, ethUnknown: 0, sourceUnknown: 0, positives: 0, children: 0, lastComplete: extract };
  // Last decision date whose window ends on or before the extract date.
  while (addMonths(counts.lastComplete, months) > extract) counts.lastComplete--;
  let ordinal = 0, lastChild = '';
  const rowChildren = new Set<string>();
  for (let j = 0; j < order.length; j++) {
    if ((j & 1023) === 0) throwIfCancelled(options.cancel);
    const k = order[j];
    const id = dl.child[k];
    ordinal = id === lastChild ? ordinal + 1 : 1;
    lastChild = id;
    const d = dl.day[k];
    if (d > counts.lastComplete) {
      counts.incomplete++;
      continue;
    }
    const c = children.get(id)!;
    const end = addMonths(d, months);
    let y = 0;
    if (kind === 'cp-or-cla') y = anyIn(c.cp, d, end) || anyIn(c.cla, d, end) ? 1 : 0;
    else if (kind === 's47') y = anyIn(c.s47, d, end, true) ? 1 : 0;
    else y = anyIn(c.referrals, d, end) ? 1 : 0;
    counts.positives += y;
    rowChildren.add(id);
    let dob = dobOf(dl, k);
    if (dob === null && c.dob !== null) {
      dob = c.dob;
      counts.dobElsewhere++;
    }
    let age: number | null = null;
    if (dob === null) counts.noDob++;
    else if (dob > d) {
      age = -1;
      counts.unborn++;
    } else age = ageInYears(dob, d);
    const g = genderOf(cellOf(dl, k, 'gender'));
    if (g === null) counts.genderUnknown++;
    const eth = ethnicityOf(cellOf(dl, k, 'ethnicity'));
    if (!eth.recognised) counts.ethUnknown++;
    const srcCell = cellOf(dl, k, unit === 'referral' ? 'referralSource' : 'contactSource');
    const src = sourceCodeOf(srcCell);
    const srcGroup = sourceGroupOf(srcCell);
    if (srcGroup === null && cellText(srcCell) !== null) counts.sourceUnknown++;
    const prevRefs = countBelow(c.referrals, d);
    const prevPlans = countBelow(c.cp, d);

    cChild.values.push(id);
    cId.values.push(unit === 'referral' ? `${id}-${ordinal}` : `${id}-c${ordinal}`);
    cDate.values.push(d);
    cAge.values.push(age);
    cGender.values.push(g ?? 'Unknown');
    cEth.values.push(eth.code);
    cGroup.values.push(eth.group);
    cSource.values.push(src);
    cSourceGroup.values.push(srcGroup);
    cPrev.contacts.values.push(countBelow(c.contacts, d));
    cPrev.referrals.values.push(prevRefs);
    cPrev.assessments.values.push(countBelow(c.assessments, d));
    cPrev.s47.values.push(countBelow(c.s47, d));
    cPrev.cp.values.push(prevPlans);
    cPrev.cla.values.push(countBelow(c.cla, d));
    cDays.values.push(prevRefs > 0 ? d - c.referrals[prevRefs - 1] : null);
    cPrevCat.values.push(prevPlans > 0 ? c.cpCategory[prevPlans - 1] : 'None');
    extra?.push(dl, k, id, unit);
    cOutcome.values.push(y);
  }
  counts.children = rowChildren.size;
  return { cols, counts, asAtAdded: extra ? extra.added() : null };
}

/** Phase 8: the rules, in words, with what each touched. */
function caseTableRules(plan: ImportPlan, counts: RowCounts, badCategory: number, asAtAdded: Set<string> | null, notes: ImportNotes): void {
  const { unit, months, kind, decisionList } = plan;
  const { rules, leftOut } = notes;
  notes.drop('incomplete-window', decisionList, counts.incomplete, `${unit}s after ${isoOfDay(counts.lastComplete)}: their ${months}-month outcome window is not complete at the extract date, so the outcome is unknown (not "no")`);
  const unitList = `List ${decisionList} (${LIST_TITLES[decisionList]})`;
  rules.push(
    { id: 'row-unit', text: `One row per ${unit} in ${unitList}, linked to the other lists by Child Unique ID; rows ordered by child, then date.` },
    { id: 'outcome', text: `Outcome 1 when ${OUTCOME_TEXT[kind](months, unit)}; otherwise 0.` },
    { id: 'window-complete', text: `Only ${unit}s on or before ${isoOfDay(counts.lastComplete)} are rows: later ones are excluded because their outcome is not yet known.`, count: counts.incomplete },
    { id: 'age-from-dob', text: `Age recomputed in whole years from Date of Birth at the ${unit} date; the "Age" column (age at the extract date) is not used.`, count: counts.noDob ? counts.noDob : undefined },
    { id: 'prior-counts', text: `Previous contacts, referrals, assessments, section 47 enquiries, CP plans and care episodes counted from their own event dates, strictly before the ${unit} date; events after the extract date are ignored.` },
    { id: 'prev-category', text: `Previous category of abuse: the initial category of the latest CP plan started before the ${unit} date ('None' when there was none); the "Latest Category of Abuse" column (as at extract) is not used.`, count: badCategory || undefined, warning: badCategory > 0 },
  );
  if (leftOut.some((o) => o.timing === 'rolling-count'))
    rules.push({ id: 'rolling-counts-ignored', text: `Rolling "in the last 12 months" columns are counts at the extract date and are never used: ${[...new Set(leftOut.filter((o) => o.timing === 'rolling-count').map((o) => o.column))].join('; ')}.` });
  const asAt = leftOut.filter((o) => o.timing === 'as-at-extract');
  if (asAtAdded) {
    for (const o of leftOut) if (asAtAdded.has(o.column)) o.included = true;
    rules.push({ id: 'as-at-extract-included', text: `As asked, columns recorded as at the extract date were added back (${[...asAtAdded].join(', ') || 'none found'}): they can show a model the future, so results using them are optimistic.`, warning: true });
  } else if (asAt.length)
    rules.push({ id: 'as-at-extract-left-out', text: `Columns recorded as at the extract date, not at the ${unit}, are left out: ${[...new Set(asAt.map((o) => o.column))].join('; ')}.` });
  if (leftOut.some((o) => o.timing === 'after-decision'))
    rules.push({ id: 'after-decision-left-out', text: 'Referral NFA? is decided after the referral (what happened next), so it is left out.' });
  if (counts.dobElsewhere) rules.push({ id: 'dob-from-other-list', text: 'Date of Birth blank on the row: taken from the same child on another list.', count: counts.dobElsewhere });
  if (counts.unborn) rules.push({ id: 'unborn', text: `Date of Birth after the ${unit} date (a pre-birth ${unit}): age set to -1.`, count: counts.unborn });
  if (counts.genderUnknown) rules.push({ id: 'gender-unrecognised', text: 'Gender values not recognised were read as Unknown.', count: counts.genderUnknown, warning: true });
  if (counts.ethUnknown) rules.push({ id: 'ethnicity-unrecognised', text: 'Ethnicity values naming no DfE code or group were read as Unknown.', count: counts.ethUnknown, warning: true });
  if (counts.sourceUnknown) rules.push({ id: 'source-unrecognised', text: `${unit === 'referral' ? 'Referral' : 'Contact'} source values naming no known code or group were left blank.`, count: counts.sourceUnknown, warning: true });
}

/** Phase 9: the columns as an Arrow table, with their types and missing counts. */
function arrowOf(cols: readonly OutCol[]): { table: Table; columns: ColumnInfo[] } {
  const columns = cols.map((c): ColumnInfo => ({ name: c.name, type: c.type, inferredType: c.type, missing: c.values.reduce<number>((s, v) => s + (v === null ? 1 : 0), 0) }));
  return { table: tableOfColumns(cols.map((c) => [c.name, vectorOf(c)] as const)), columns };
}

/** Build the case table from the sheets of an Annex A return, phase by phase. */
export function caseTableFromSheets(input: AnnexASheets, options: AnnexAOptions = {}): Result<AnnexAImport> {
  const plan = importPlanOf(options);
  if (!plan.ok) return plan;
  const notes = new ImportNotes();
  const matched = matchLists(input, plan.value, notes);
  if (!matched.ok) return matched;
  const extract = extractDateOf(input, plan.value, matched.value.bySheet, notes);
  if (!extract.ok) return extract;
  const x = extract.value.day;
  const { rowsOf, summaries } = listRowsOf(matched.value, x, notes, options.cancel);
  const { children, badCategory } = childEventsOf(rowsOf);
  const dl = rowsOf.get(plan.value.decisionList)!;
  const order = decisionOrder(dl, plan.value, children, notes);
  const { cols, counts, asAtAdded } = caseColumns(dl, order, children, rowsOf, plan.value, x, options);
  caseTableRules(plan.value, counts, badCategory, asAtAdded, notes);
  const { table, columns } = arrowOf(cols);
  const { unit, outcome, months, kind } = plan.value;
  const log: AnnexALog = {
    source: input.name,
    format: input.format,
    unit,
    outcome,
    months,
    outcomeText: OUTCOME_TEXT[kind](months, unit),
    extractDate: isoOfDay(x),
    extractDateFrom: extract.value.from,
    lists: summaries,
    unrecognisedSheets: matched.value.unrecognisedSheets,
    unreadableSheets: input.unreadable,
    rules: notes.rules,
    dropped: notes.dropped,
    leftOut: notes.leftOut,
    rows: table.numRows,
    positives: counts.positives,
    children: counts.children,
    incompleteWindow: counts.incomplete,
    issues: notes.issues.list,
    issueCount: notes.issues.count,
  };
  return ok({ table, columns, log });
}

function reasonFor(t: Timing): string {
  if (t === 'as-at-extract') return 'recorded as at the extract date, not at the decision: it can show the future';
  if (t === 'rolling-count') return 'a rolling count at the extract date: recomputed from event dates instead';
  return 'settled after the decision (what happened next)';
}

const MS_PER_DAY = 86_400_000;

function vectorOf(c: OutCol): Vector {
  const n = c.values.length;
  if (c.type === 'number' || c.type === 'date') {
    const xs = new Float64Array(n);
    const missing = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (v === null) {
        xs[i] = NaN;
        missing[i] = 1;
      } else xs[i] = c.type === 'date' ? (v as number) * MS_PER_DAY : (v as number);
    }
    return c.type === 'date' ? dateVector(xs, missing) : float64Vector(xs, missing);
  }
  // Not vectorFromArray: Arrow's builders compile code with Function(), which the app's CSP refuses.
  if (c.type === 'category') return categoryVector(c.values as (string | null)[]);
  return stringVector(c.values as (string | null)[]);
}

/**
 * The "as at extract" columns, added back on request: one value per child as the return shows
 * it at the extract date (the referral's own allocated team; otherwise the child's latest row).
 */
function asAtExtractColumns(
  rowsOf: Map<number, ListRows>,
  cellOf: (lr: ListRows, k: number, field: FieldKey) => Cell,
  col: (name: string, type: ColumnType) => OutCol,
) {
  const latest = (list: number, field: FieldKey, read: (v: Cell) => string | null) => {
    const m = new Map<string, { day: number; v: string | null }>();
    const lr = rowsOf.get(list);
    if (!lr || !lr.sheets.some((s) => s.cols[field])) return null;
    for (let k = 0; k < lr.child.length; k++) {
      const prev = m.get(lr.child[k]);
      if (!prev || lr.day[k] >= prev.day) m.set(lr.child[k], { day: lr.day[k], v: read(cellOf(lr, k, field)) });
    }
    return m;
  };
  const disability = new Map<string, string>();
  let anyDisability = false;
  for (const l of [4, 5, 6, 7, 8]) {
    const lr = rowsOf.get(l);
    if (!lr || !lr.sheets.some((s) => s.cols.disability)) continue;
    anyDisability = true;
    for (let k = 0; k < lr.child.length; k++) {
      const v = disabilityOf(cellOf(lr, k, 'disability'));
      const have = disability.get(lr.child[k]);
      if (v === 'Yes' || (v === 'No' && have !== 'Yes') || (v !== null && have === undefined)) disability.set(lr.child[k], v);
    }
  }
  const specs: { name: string; spec: string; values: Map<string, { v: string | null }> | Map<string, string> | null; own?: FieldKey }[] = [
    { name: 'disability_at_extract', spec: 'Does the Child have a Disability', values: anyDisability ? disability : null },
    { name: 'allocated_team_at_extract', spec: 'Allocated Team', values: latest(3, 'allocatedTeam', cellText), own: 'allocatedTeam' },
    { name: 'case_status_at_extract', spec: 'Case Status', values: latest(6, 'caseStatus', cellText) },
    { name: 'latest_abuse_category_at_extract', spec: 'Latest Category of Abuse', values: latest(7, 'cpLatestCategory', abuseCategoryOf) },
    { name: 'placement_type_at_extract', spec: 'Placement Type', values: latest(8, 'placementType', cellText) },
    { name: 'legal_status_at_extract', spec: "Child's Legal Status", values: latest(8, 'legalStatus', cellText) },
  ];
  const present = specs.filter((s) => s.values !== null);
  const outs = present.map((s) => col(s.name, 'category'));
  return {
    push(dl: ListRows, k: number, id: string, unit: string) {
      present.forEach((s, i) => {
        let v: string | null;
        if (s.own && unit === 'referral') v = cellText(cellOf(dl, k, s.own));
        else {
          const got = s.values!.get(id);
          v = got === undefined ? null : typeof got === 'string' ? got : got.v;
        }
        outs[i].values.push(v);
      });
    },
    added: () => new Set(present.map((s) => s.spec)),
  };
}
