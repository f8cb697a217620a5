/**
 * The values an audited attribute takes per case. Ages (a numeric column named like "age") are
 * put in the national statistics' bands (under 1, 1-4, 5-9, 10-15, 16+); other columns are used
 * as they are, so each distinct value is a group.
 */
import type { Table } from 'apache-arrow';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { ageBands } from '../fairness/groups.ts';

export const isAgeColumn = (c: Pick<ColumnInfo, 'name' | 'type'>): boolean => c.type === 'number' && /(^|[^a-z])age([^a-z]|$)/i.test(c.name.replace(/_/g, ' '));

/** Group value per row of `rows` (table row indices) for attribute `name`. */
export function groupValuesOf(table: Table, columns: readonly ColumnInfo[], name: string, rows: ArrayLike<number>): (string | null)[] {
  const info = columns.find((c) => c.name === name);
  if (info && isAgeColumn(info)) {
    const ages = numericColumn(table, name);
    return ageBands(Array.from(rows, (i) => ages[i])).values;
  }
  const values = stringColumn(table, name);
  return Array.from(rows, (i) => values[i]);
}
