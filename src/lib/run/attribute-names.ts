/**
 * The names of the attributes a run audits, from its grouping choices alone (no data): the app
 * offers them for intersections and reference groups, and the run names its attributes so.
 */
import type { ColumnInfo } from '../data/schema.ts';
import type { Grouping, GroupingKind } from './spec.ts';

/** A number column named like "age": grouped by default in the national statistics' age bands. */
export const isAgeColumn = (c: Pick<ColumnInfo, 'name' | 'type'>): boolean => c.type === 'number' && /(^|[^a-z])age([^a-z]|$)/i.test(c.name.replace(/_/g, ' '));

export const GROUPING_SUFFIX: Record<GroupingKind, string> = { recorded: '', 'age-bands': ' (band)', 'ethnicity-major': ' (major group)', 'ethnicity-code': ' (code)' };

/** The attribute name of a column grouped one way: "COL", "COL (band)", "COL (major group)" or "COL (code)". */
export const attributeName = (g: Pick<Grouping, 'column' | 'kind'>): string => g.column + GROUPING_SUFFIX[g.kind];

/** The attributes the group columns give (before intersections), in audit order: what an intersection or a reference can name. */
export function attributeNamesOf(spec: { groups: readonly string[]; grouping?: readonly Grouping[] }): string[] {
  const names = spec.groups.flatMap((column) => {
    const ways = (spec.grouping ?? []).filter((g) => g.column === column);
    return ways.length ? ways.map(attributeName) : [column];
  });
  return [...new Set(names)];
}

