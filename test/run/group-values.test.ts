import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { ageBandsUsed, auditAttributes, groupValuesOf, isAgeColumn } from '../../src/lib/run/group-values.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';

it('bands ages as national statistics do and leaves other columns as they are', () => {
  const table = tableFromArrays({ age_at_referral: Float64Array.from([0, 3, 7, 12, 17, NaN]), sex: ['F', 'M', 'F', null, 'M', 'F'] as string[] });
  const columns: ColumnInfo[] = [
    { name: 'age_at_referral', type: 'number', inferredType: 'number' },
    { name: 'sex', type: 'category', inferredType: 'category' },
  ];
  const all = [0, 1, 2, 3, 4, 5];
  expect(groupValuesOf(table, columns, 'age_at_referral', all)).toEqual(['under 1', '1-4', '5-9', '10-15', '16+', null]);
  expect(groupValuesOf(table, columns, 'sex', [3, 0])).toEqual([null, 'F']);
  expect(isAgeColumn({ name: 'Age of Child', type: 'number' })).toBe(true);
  expect(isAgeColumn({ name: 'page_count', type: 'number' })).toBe(false);
  expect(isAgeColumn({ name: 'age', type: 'category' })).toBe(false);
});

describe('auditAttributes: the groupings of the run spec', () => {
  const table = tableFromArrays({
    age: Float64Array.from([0, 3, 7, 12, 17, -1]),
    eth: ['WBRI', 'a) WBRI', 'BCRB', 'zz', '', 'AIND'],
    sex: ['F', 'M', 'F', 'M', 'F', 'M'],
  });
  const columns: ColumnInfo[] = [
    { name: 'age', type: 'number', inferredType: 'number' },
    { name: 'eth', type: 'category', inferredType: 'category' },
    { name: 'sex', type: 'category', inferredType: 'category' },
  ];
  const all = [0, 1, 2, 3, 4, 5];
  it('groups each column by default or as the spec says, crosses two attributes and sets references', () => {
    const r = auditAttributes(table, columns, {
      groups: ['sex', 'age', 'eth'],
      grouping: [{ column: 'age', kind: 'age-bands', edges: [5, 10] }, { column: 'eth', kind: 'recorded' }, { column: 'eth', kind: 'ethnicity-major' }],
      intersections: [['eth (major group)', 'sex']],
      reference: [{ attribute: 'sex', group: 'M' }],
    }, all);
    if (!r.ok) throw new Error(r.error.message);
    const { attributes, notes } = r.value;
    expect(attributes.map((a) => a.attribute)).toEqual(['sex', 'age (band)', 'eth', 'eth (major group)', 'eth (major group) × sex']);
    expect(attributes[1].values).toEqual(['under 5', 'under 5', '5-9', '10+', '10+', null]);
    expect(attributes[3].values).toEqual(['White', 'White', 'Black', 'Unrecognised', null, 'Asian']);
    expect(attributes[4].values[0]).toBe('White × F');
    expect(attributes[0].reference).toBe('M');
    expect(notes).toEqual(["1 negative age(s) in 'age' counted as Missing", "1 ethnicity value(s) in 'eth' not recognised (e.g. 'zz'): audited as 'Unrecognised'"]);
  });
  it('an age-like number column in groups alone is banded by default and keeps its name', () => {
    const r = auditAttributes(table, columns, { groups: ['age'] }, all);
    expect(r.ok && r.value.attributes).toEqual([{ attribute: 'age', values: ['under 1', '1-4', '5-9', '10-15', '16+', null] }]);
  });
  it('refuses a grouping of a column that is not a group, an unknown intersection and an unknown reference attribute', () => {
    expect(auditAttributes(table, columns, { groups: [], grouping: [{ column: 'eth', kind: 'ethnicity-code' }] }, all)).toMatchObject({ ok: false, error: { code: 'bad-grouping', column: 'eth' } });
    expect(auditAttributes(table, columns, { groups: ['sex'], intersections: [['sex', 'age']] }, all)).toMatchObject({ ok: false, error: { code: 'bad-intersection' } });
    expect(auditAttributes(table, columns, { groups: ['sex'], reference: [{ attribute: 'race', group: 'x' }] }, all)).toMatchObject({ ok: false, error: { code: 'bad-reference' } });
    expect(auditAttributes(table, columns, { groups: ['sex', 'eth'], grouping: [{ column: 'sex', kind: 'age-bands' }] }, all)).toMatchObject({ ok: false, error: { code: 'not-numeric', row: 2, column: 'sex' } });
  });
});

describe('the report says which age bands the run used', () => {
  it('default bands for an age-like column, the chosen edges for one grouped in bands, none otherwise', () => {
    const columns: ColumnInfo[] = [{ name: 'age', type: 'number', inferredType: 'number' }, { name: 'years', type: 'number', inferredType: 'number' }, { name: 'sex', type: 'category', inferredType: 'category' }];
    expect(ageBandsUsed(columns, { groups: ['age', 'years'], grouping: [{ column: 'years', kind: 'age-bands', edges: [5, 12] }] })).toBe('age: under 1, 1-4, 5-9, 10-15, 16+; years (band): under 5, 5-11, 12+');
    expect(ageBandsUsed(columns, { groups: ['sex'] })).toBe('none');
  });
});
