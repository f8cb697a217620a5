/**
 * What the Data page needs to know about the table held in the worker, computed next to it:
 * first guesses at column roles, the levels of small columns (to pick the outcome's "yes"
 * value), and the data-quality report for the roles chosen. Aggregates only; nothing here is a row.
 */
import type { Table } from 'apache-arrow';
import { numericColumn, stringColumn, type ColumnInfo } from '../src/lib/data/schema.ts';
import { scoreRange, type ScoreRange } from '../src/lib/project/thresholds.ts';
import { guessRoles, type RoleMapping } from '../src/lib/data/roles.ts';
import { qualityReport, type QualityReport } from '../src/lib/data/quality.ts';
import { recordOf } from '../src/lib/data/names.ts';

export interface LevelCount {
  value: string;
  count: number;
}

export interface TableInspection {
  /** Role guesses from names and types (guessRoles). */
  guessed: RoleMapping;
  /** For columns with at most MAX_LEVELS distinct values: each value and its count, most frequent first.
   *  Keyed by column name: read it with `ownValue` (a column may be called `__proto__`). */
  levels: Record<string, LevelCount[]>;
  /** The quality report for `roles` (the guesses when none were given). */
  quality: QualityReport;
  /** The existing score's range and thresholds proposed from its values (audit mode). */
  score?: ScoreRange | null;
}

export const MAX_LEVELS = 20;

/** Distinct non-blank values of a column with counts, or null when it has more than `cap`. */
export function levelCounts(table: Table, name: string, cap = MAX_LEVELS): LevelCount[] | null {
  const counts = new Map<string, number>();
  for (const s of stringColumn(table, name)) {
    if (s === null || s.trim() === '') continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    if (counts.size > cap) return null;
  }
  return [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** Guesses, small-column levels and the quality report for `roles` (default: the guesses). */
export function inspectTable(table: Table, columns: ColumnInfo[], roles?: RoleMapping, now?: Date): TableInspection {
  const guessed = guessRoles(columns, table);
  const levels = recordOf<LevelCount[]>();
  for (const c of columns) {
    if (c.type === 'text' || c.type === 'id' || c.type === 'date') continue;
    if (c.distinct !== undefined && c.distinct > MAX_LEVELS) continue;
    const lv = levelCounts(table, c.name);
    if (lv) levels[c.name] = lv;
  }
  const r = roles ?? guessed;
  const scoreInfo = r.score ? columns.find((c) => c.name === r.score) : undefined;
  const score = scoreInfo?.type === 'number' ? scoreRange(numericColumn(table, scoreInfo.name)) : undefined;
  return { guessed, levels, quality: qualityReport(table, columns, r, now ? { now } : {}), ...(score !== undefined ? { score } : {}) };
}
