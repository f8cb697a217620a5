/**
 * The attributes a run audits, from the spec: each group column grouped by default (ages in the
 * national statistics' bands, anything else as recorded) or as the spec says (age bands with chosen
 * edges, ethnicity major group or DfE code, as recorded), then intersections of two attributes and
 * chosen reference groups. Shared by audit and evaluation runs, so the app and `candour` group alike.
 */
import type { Table } from 'apache-arrow';
import type { AppError, Result } from '../errors.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { ageBandLabels, ageBands, DEFAULT_AGE_EDGES, ethnicityGroups, intersectionValues, INTERSECTION_SEPARATOR } from '../fairness/groups.ts';
import { DEFAULT_TOLERANCE, type Tolerance } from '../fairness/power.ts';
import { referenceDescription } from '../report/audit-report.ts';
import type { AuditAttribute } from '../fairness/audit.ts';
import type { Grouping } from './spec.ts';
import { attributeName, GROUPING_SUFFIX, isAgeColumn } from './attribute-names.ts';

export { attributeName, attributeNamesOf, isAgeColumn } from './attribute-names.ts';


/** Group value per row of `rows` (table row indices) for a column grouped by default. */
export function groupValuesOf(table: Table, columns: readonly ColumnInfo[], name: string, rows: ArrayLike<number>): (string | null)[] {
  const info = columns.find((c) => c.name === name);
  if (info && isAgeColumn(info)) {
    const ages = numericColumn(table, name);
    return ageBands(Array.from(rows, (i) => ages[i])).values;
  }
  const values = stringColumn(table, name);
  return Array.from(rows, (i) => values[i]);
}

export interface GroupSpec {
  groups: readonly string[];
  grouping?: readonly Grouping[];
  intersections?: readonly (readonly [string, string])[];
  reference?: readonly { attribute: string; group: string }[];
}

export interface AuditAttributes {
  attributes: AuditAttribute[];
  /** What the grouping did that a reader should know (values not recognised, impossible ages), one sentence each. */
  notes: string[];
}

/** "no column named 'X' (columns: a, b, …)": the first 20 names, so a typo can be seen at once. */
export function missingColumnError(table: Table, name: string): Omit<AppError, 'file'> {
  const names = table.schema.fields.map((f) => f.name);
  const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
  return { code: 'missing-column', message: `no column named '${name}' (columns: ${shown})`, column: name };
}

/** The group columns' roles and checks: every grouping names a group column, every kind is known. */
function groupingProblem(spec: GroupSpec, table: Table): Omit<AppError, 'file'> | null {
  for (const c of spec.groups) if (!table.getChild(c)) return missingColumnError(table, c);
  for (const g of spec.grouping ?? []) {
    if (!spec.groups.includes(g.column)) return { code: 'bad-grouping', message: `'${g.column}' is grouped as ${g.kind} but is not a group column`, column: g.column };
    if (!Object.hasOwn(GROUPING_SUFFIX, g.kind)) return { code: 'bad-grouping', message: `unknown grouping '${String(g.kind)}' for '${g.column}'`, column: g.column };
  }
  return null;
}

/**
 * Safe groups only: a group is published value by value, so an ID, free-text or exact-date column
 * would publish child IDs, notes or dates, and a number would make a group of each value. Those
 * are refused; a numeric column is grouped only in bands (an age column by default, or asked for).
 */
export function unsafeGroup(columns: readonly ColumnInfo[], spec: GroupSpec): Omit<AppError, 'file'> | null {
  for (const column of spec.groups) {
    const info = columns.find((c) => c.name === column);
    if (!info) continue;
    const ways = (spec.grouping ?? []).filter((g) => g.column === column);
    const banded = ways.length > 0 ? ways.every((g) => g.kind === 'age-bands') : isAgeColumn(info);
    const why =
      info.type === 'id' ? 'it identifies children, so each group would be one child'
      : info.type === 'text' ? 'it is free text, so each group would be one note'
      : info.type === 'date' ? 'it holds exact dates, so a group could be one child\'s date'
      : info.type === 'number' && !banded ? 'it is a number, so each value would be a group: group it in age bands, or set its type to category if its values are categories'
      : null;
    if (why) return { code: 'unsafe-group', message: `'${column}' cannot be a group column: ${why}`, column };
  }
  return null;
}

/** One column grouped one way: values per row of `rows`, or why not. */
function groupedValues(table: Table, g: Grouping, rows: ArrayLike<number>, fileRow: (i: number) => number, notes: string[]): Result<(string | null)[]> {
  const text = stringColumn(table, g.column);
  const raw = Array.from(rows, (i) => text[i]);
  if (g.kind === 'recorded') return { ok: true, value: raw };
  if (g.kind === 'age-bands') {
    const numbers = numericColumn(table, g.column);
    const ages = Float64Array.from(rows, (i) => numbers[i]);
    const bad = raw.findIndex((s, j) => s !== null && s.trim() !== '' && Number.isNaN(ages[j]));
    if (bad >= 0) {
      const row = fileRow(rows[bad]);
      return { ok: false, error: { code: 'not-numeric', message: `age '${raw[bad]}' in row ${row} is not a number`, row, column: g.column } };
    }
    let bands: ReturnType<typeof ageBands>;
    try {
      bands = ageBands(ages, g.edges ?? DEFAULT_AGE_EDGES);
    } catch (e) {
      return { ok: false, error: { code: 'bad-age-bands', message: (e as Error).message, column: g.column } };
    }
    if (bands.invalid > 0) notes.push(`${bands.invalid} negative age(s) in '${g.column}' counted as Missing`);
    return { ok: true, value: bands.values };
  }
  const level = g.kind === 'ethnicity-major' ? 'major' : 'detailed';
  const eth = ethnicityGroups(raw, level);
  let total = 0;
  for (const k of eth.unrecognised.values()) total += k;
  if (total > 0) {
    const examples = [...eth.unrecognised.keys()].slice(0, 3).map((v) => `'${v}'`).join(', ');
    notes.push(`${total} ethnicity value(s) in '${g.column}' not recognised (e.g. ${examples}): ${level === 'major' ? "audited as 'Unrecognised'" : 'audited as written'}`);
  }
  return { ok: true, value: eth.values };
}

/**
 * The attributes to audit over `rows` (table row indices), in the order of `spec.groups` (each
 * column's groupings in the order given), then the intersections; with the chosen references.
 */
export function auditAttributes(table: Table, columns: readonly ColumnInfo[], spec: GroupSpec, rows: ArrayLike<number>, fileRow: (i: number) => number = (i) => i + 2): Result<AuditAttributes> {
  const problem = groupingProblem(spec, table) ?? unsafeGroup(columns, spec);
  if (problem) return { ok: false, error: problem };
  const attributes: AuditAttribute[] = [];
  const notes: string[] = [];
  const add = (a: AuditAttribute) => {
    if (!attributes.some((x) => x.attribute === a.attribute)) attributes.push(a);
  };
  for (const column of spec.groups) {
    // One grouping per attribute name (attributeNamesOf): the first given wins.
    const ways = (spec.grouping ?? []).filter((g) => g.column === column);
    if (ways.length === 0) add({ attribute: column, values: groupValuesOf(table, columns, column, rows) });
    for (const g of ways) {
      const values = groupedValues(table, g, rows, fileRow, notes);
      if (!values.ok) return values;
      add({ attribute: attributeName(g), values: values.value });
    }
  }
  const audited = attributes.map((a) => a.attribute);
  const find = (name: string) => attributes.find((a) => a.attribute === name);
  for (const [a, b] of spec.intersections ?? []) {
    const va = find(a);
    const vb = find(b);
    if (!va || !vb || a === b) {
      return { ok: false, error: { code: 'bad-intersection', message: `an intersection needs two different audited attributes (audited: ${audited.join(', ') || 'none'}), got '${a}' and '${b}'` } };
    }
    add({ attribute: `${a}${INTERSECTION_SEPARATOR}${b}`, values: intersectionValues(va.values, vb.values) });
  }
  for (const r of spec.reference ?? []) {
    const a = find(r.attribute);
    if (!a) return { ok: false, error: { code: 'bad-reference', message: `a reference group is chosen for '${r.attribute}', which is not audited (audited: ${attributes.map((x) => x.attribute).join(', ') || 'none'})` } };
    a.reference = r.group;
  }
  return { ok: true, value: { attributes, notes } };
}


/** The age bands the run used, per banded attribute ("age_at_referral: under 1, 1-4, ..."); 'none' when no attribute is banded. */
export function ageBandsUsed(columns: readonly ColumnInfo[], spec: GroupSpec): string {
  const used: string[] = [];
  for (const column of spec.groups) {
    const ways = (spec.grouping ?? []).filter((g) => g.column === column);
    const info = columns.find((c) => c.name === column);
    if (ways.length === 0 && info && isAgeColumn(info)) used.push(`${column}: ${ageBandLabels().join(', ')}`);
    for (const g of ways) if (g.kind === 'age-bands') used.push(`${attributeName(g)}: ${ageBandLabels(g.edges ?? DEFAULT_AGE_EDGES).join(', ')}`);
  }
  return used.length ? used.join('; ') : 'none';
}

/** The report's account of the fairness audit a run did: attributes, how references were chosen, the tolerance and the age bands. */
export function fairnessTask(attributes: readonly AuditAttribute[], columns: readonly ColumnInfo[], spec: GroupSpec & { tolerance?: Tolerance }) {
  return { attributes: attributes.map((a) => a.attribute), reference: referenceDescription(attributes), tolerance: spec.tolerance ?? DEFAULT_TOLERANCE, ageBands: ageBandsUsed(columns, spec) };
}
