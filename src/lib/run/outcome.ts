/**
 * Turning the analyst's outcome column into 0/1 labels, honestly: the "yes" value is
 * named (or guessed from the usual spellings), rows with a missing outcome are excluded
 * and counted (never labelled "no"), and a column with more than two values is refused
 * with the values seen.
 */
import type { Table } from 'apache-arrow';
import type { AppError, Result } from '../errors.ts';
import { stringColumn } from '../data/schema.ts';

export interface Outcome {
  /** 0/1 per kept row. */
  labels: Uint8Array;
  /** Indices (into the table) of the rows kept, Int32Array (nKept). */
  rows: Int32Array;
  /** The value that means "yes". */
  positive: string;
  /** The other value, when there is one. */
  negative: string | null;
  /** Rows left out because the outcome was missing. */
  missing: number;
}

const YES = ['1', 'yes', 'y', 'true', 't', 'a) yes', 'positive', 'pos'];
const NO = ['0', 'no', 'n', 'false', 'f', 'b) no', 'negative', 'neg'];
const MISSING = new Set(['', 'na', 'n/a', 'null', 'nan']);

const norm = (s: string) => s.trim().toLowerCase();
/** `1.0` and `1` are the same outcome value, and so are `Yes` and `yes `. */
const canonical = (s: string) => {
  const t = s.trim();
  const x = Number(t);
  return t !== '' && Number.isFinite(x) ? String(x) : t.toLowerCase();
};

/** Guess which of (at most two) values means "yes". */
export function guessPositive(values: readonly string[]): string | null {
  for (const v of values) if (YES.includes(norm(v))) return v;
  if (values.length === 2) {
    const other = values.find((v) => NO.includes(norm(v)));
    if (other !== undefined) return values.find((v) => v !== other) ?? null;
  }
  return null;
}

/** Labels from `column`; `positive` names the "yes" value (compared after trimming; 1 and 1.0 agree). */
export function outcomeLabels(table: Table, column: string, positive?: string, file?: string): Result<Outcome> {
  const err = (e: Omit<AppError, 'file'>): Result<Outcome> => ({ ok: false, error: { ...e, file } });
  if (!table.getChild(column)) return err({ code: 'missing-column', message: `there is no outcome column named '${column}'`, column });
  const raw = stringColumn(table, column);
  const values = raw.map((v) => (v === null || MISSING.has(norm(v)) ? null : canonical(v)));
  // Report values as first written (`Yes`), compare them canonically (`yes`).
  const shownAs = new Map<string, string>();
  raw.forEach((v, i) => {
    const c = values[i];
    if (c !== null && v !== null && !shownAs.has(c)) shownAs.set(c, v.trim());
  });
  const distinct = [...shownAs.values()];
  if (distinct.length === 0) return err({ code: 'no-outcome', message: `the outcome column '${column}' is empty`, column });
  if (distinct.length > 2) {
    const shown = distinct.slice(0, 6).map((v) => `'${v}'`).join(', ');
    return err({
      code: 'not-binary',
      message: `the outcome must have two values (yes/no), but '${column}' has ${distinct.length}: ${shown}${distinct.length > 6 ? ', …' : ''}`,
      column,
    });
  }
  let pos: string | null;
  if (positive !== undefined) {
    pos = distinct.find((v) => canonical(v) === canonical(positive)) ?? null;
    if (pos === null) {
      return err({ code: 'positive-not-found', message: `the value '${positive}' does not occur in '${column}' (values: ${distinct.map((v) => `'${v}'`).join(', ')})`, column });
    }
  } else {
    pos = guessPositive(distinct);
    if (pos === null) {
      return err({ code: 'positive-unknown', message: `say which value of '${column}' means yes (values: ${distinct.map((v) => `'${v}'`).join(', ')})`, column });
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== null) kept.push(i);
  const rows = Int32Array.from(kept);
  const labels = new Uint8Array(rows.length);
  const posKey = canonical(pos);
  for (let k = 0; k < rows.length; k++) labels[k] = values[rows[k]] === posKey ? 1 : 0;
  return { ok: true, value: { labels, rows, positive: pos, negative: distinct.find((v) => v !== pos) ?? null, missing: values.length - rows.length } };
}
