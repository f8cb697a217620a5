import { expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { groupValuesOf, isAgeColumn } from '../../src/lib/run/group-values.ts';
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
