/**
 * Column roles: what the analyst says each column is for. guessRoles gives
 * sensible first guesses from names and types; the analyst confirms them.
 */
import type { Table } from 'apache-arrow';
import type { ColumnInfo } from './schema.ts';
import { stringColumn } from './schema.ts';
import { isIdName } from './build-table.ts';
import { guessPositive as positiveByName } from '../run/outcome.ts';

export interface RoleMapping {
  outcome?: string;
  /** The outcome value that means "yes". */
  positive?: string;
  /** Set when `positive` is a guess the analyst should confirm before training: why it is uncertain. */
  positiveDoubt?: string;
  /** The decision date (e.g. date of referral). */
  date?: string;
  id?: string;
  /** Protected characteristics for the fairness audit. */
  groups: string[];
  text: string[];
  /** An existing risk score (audit mode). */
  score?: string;
  exclude: string[];
}

const OUTCOME_NAME = /outcome|target|label|^y$|recid|income|escalat|cp[ _-]?plan|protection plan|looked[ _-]?after|\bcla\b|re-?referr|s47|section 47|harm/i;
const OUTCOME_STRONG = /outcome|target|label/i;
const DECISION_DATE = /referral|decision|contact|start|assessment|date/i;
const BIRTH = /birth|dob/i;
const GROUP_NAME = /gender|\bsex\b|ethnic|\brace\b|^age\b|age band|age group|\bage\b|disab|colou?r|citizen|nationality|religio/i;
/** An outcome named with its window (`two_year_recid`, `cp-or-cla-12m`) says when it was measured: preferred over one that does not (`is_recid`). */
const OUTCOME_WINDOW = /(^|[^a-z])(one|two|three|\d+)[ _-]?(years?|yrs?|months?|m)(?![a-z])/i;
const SCORE_NAME = /score|risk|prob|pred|decile/i;

/** Distinct non-missing values of a column as text, up to `cap` (+1 to show it was exceeded). */
function levelsOf(table: Table, name: string, cap: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of stringColumn(table, name)) {
    if (s === null || s.trim() === '') continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    if (counts.size > cap) break;
  }
  return counts;
}

export interface PositiveGuess {
  value: string;
  /** Why the guess is uncertain (the analyst is asked to confirm it); null when the values say it plainly. */
  doubt: string | null;
}

const share = (n: number, total: number) => `${Math.round((100 * n) / total)}%`;

/**
 * The level of a binary column that most likely means "yes". The value's name decides first
 * (1, Yes, True...; or the value opposite 0, No, False); with no such clue, the rarer value (an
 * outcome of interest is usually the less common one). The guess is doubtful, and the analyst
 * asked to confirm it, when the names give no clue or when the "yes" they name is the more
 * common value. Null when the column does not have exactly two values.
 */
export function positiveGuessOf(levels: ReadonlyMap<string, number>): PositiveGuess | null {
  const names = [...levels.keys()];
  if (names.length !== 2) {
    const yes = names.length === 1 ? positiveByName(names) : null;
    return yes === null ? null : { value: yes, doubt: null };
  }
  const total = names.reduce((s, v) => s + levels.get(v)!, 0);
  const counted = (v: string) => `'${v}' (${levels.get(v)!.toLocaleString('en-GB')}, ${share(levels.get(v)!, total)})`;
  const [a, b] = names;
  const rarer = levels.get(a)! <= levels.get(b)! ? a : b;
  const other = (v: string) => (v === a ? b : a);
  const named = positiveByName(names);
  if (named === null) return { value: rarer, doubt: `the values do not say which means yes, so the rarer one, ${counted(rarer)}, was guessed over ${counted(other(rarer))}` };
  if (levels.get(named)! > levels.get(other(named))!)
    return { value: named, doubt: `${counted(named)} reads as yes, but it is the more common value (against ${counted(other(named))}); an outcome of interest is usually the rarer one` };
  return { value: named, doubt: null };
}

/** How many distinct non-blank values of `column` appear on more than one row. */
function repeatedValues(table: Table, column: string): number {
  const seen = new Map<string, number>();
  for (const v of stringColumn(table, column)) if (v !== null && v !== '') seen.set(v, (seen.get(v) ?? 0) + 1);
  let repeated = 0;
  for (const n of seen.values()) if (n > 1) repeated++;
  return repeated;
}

export interface IdGuess {
  column: string;
  /** Values of the column that appear on more than one row (a child with several referrals); 0 when each row has its own. */
  repeated: number;
}

/**
 * The child ID column, of those read as identifiers: one whose values repeat first (a child with
 * several rows, who must stay on one side of a split and be resampled whole), then one named like
 * an ID, then the first. One rule for the app's guess and the command line's.
 */
export function guessId(columns: readonly ColumnInfo[], table: Table): IdGuess | undefined {
  const ids = columns.filter((c) => c.type === 'id');
  const ranked = [...ids.filter((c) => isIdName(c.name)), ...ids.filter((c) => !isIdName(c.name))];
  let first: IdGuess | undefined;
  for (const c of ranked) {
    const guess = { column: c.name, repeated: repeatedValues(table, c.name) };
    if (guess.repeated > 0) return guess;
    first ??= guess;
  }
  return first;
}

export function guessRoles(columns: ColumnInfo[], table: Table): RoleMapping {
  const m: RoleMapping = { groups: [], text: [], exclude: [] };
  const binary = (c: ColumnInfo): Map<string, number> | null => {
    if (c.type === 'text' || c.type === 'id' || c.type === 'date') return null;
    const lv = levelsOf(table, c.name, 2);
    return lv.size === 2 ? lv : null;
  };
  // Outcome: a binary column with an outcome-like name (explicit words first).
  const windowFirst = [...columns.filter((c) => OUTCOME_WINDOW.test(c.name)), ...columns.filter((c) => !OUTCOME_WINDOW.test(c.name))];
  for (const strong of [true, false]) {
    if (m.outcome) break;
    for (const c of windowFirst) {
      if (!(strong ? OUTCOME_STRONG : OUTCOME_NAME).test(c.name) || SCORE_NAME.test(c.name)) continue;
      const lv = binary(c);
      if (lv) {
        m.outcome = c.name;
        const g = positiveGuessOf(lv);
        m.positive = g?.value;
        if (g?.doubt) m.positiveDoubt = g.doubt;
        break;
      }
    }
  }
  m.id = guessId(columns, table)?.column;
  const dates = columns.filter((c) => c.type === 'date' && !BIRTH.test(c.name));
  m.date = (dates.find((c) => /referral/i.test(c.name)) ?? dates.find((c) => DECISION_DATE.test(c.name)) ?? dates[0])?.name;
  for (const c of columns) {
    if (c.name === m.outcome || c.name === m.id) continue;
    if (GROUP_NAME.test(c.name) && c.type !== 'date' && c.type !== 'text' && c.type !== 'id') m.groups.push(c.name);
    else if (c.type === 'text') m.text.push(c.name);
    else if (!m.score && c.type === 'number' && SCORE_NAME.test(c.name)) m.score = c.name;
  }
  // Columns with nothing in them, or one value only, cannot inform anything.
  for (const c of columns) {
    if (c.name === m.outcome) continue;
    if (c.missing !== undefined && c.missing === table.numRows) m.exclude.push(c.name);
    else if (c.distinct === 1) m.exclude.push(c.name);
  }
  return m;
}

/**
 * A stable key for a set of column names (order, case and surrounding spaces
 * ignored), so a mapping can be remembered for the next file with the same
 * columns. Holds no data, only a hash of the names.
 */
export function mappingKey(columnNames: string[]): string {
  const names = columnNames.map((n) => n.trim().toLowerCase()).sort();
  const text = names.join('\u001f');
  let h1 = 0x811c9dc5, h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `cols-${names.length}-${hex(h1)}${hex(h2)}`;
}
