/**
 * Annex A from files: a generated workbook and one CSV per list give the generator's flat table;
 * the two real-layout samples load; sheets are found by name or by their columns, headers below
 * title rows, and the messy values councils type are read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { xlsxBytes } from '../../src/lib/data/xlsx-write.ts';
import { annexACsvFiles, annexAWorkbook, generateAnnexA, scenarioFrom } from '../../src/lib/synth/index.ts';
import { annexABundleSummary, importAnnexA, listOfSheetName } from '../../src/lib/annex-a/index.ts';
import { abuseCategoryOf, dayOfCell, ethnicityOf, genderOf, sourceCodeOf, sourceGroupOf } from '../../src/lib/annex-a/values.ts';

const repoRoot = path.resolve(__dirname, '../..');
const sample = (f: string) => sourceFromBytes(f, readFileSync(path.resolve(repoRoot, '../shared/data/annex-a', f)));

function expectSameAsFlat(got: Table, flat: Table): void {
  expect(got.numRows).toBe(flat.numRows);
  for (const c of ['referral_date', 'age_at_referral', 'prev_contacts', 'prev_referrals', 'prev_assessments', 'prev_s47', 'prev_cp_plans', 'prev_cla_episodes', 'days_since_prev_referral', 'outcome'])
    expect(Array.from(numericColumn(got, c)), c).toEqual(Array.from(numericColumn(flat, c)));
  for (const c of ['child_id', 'referral_id', 'gender', 'ethnicity', 'ethnicity_group', 'referral_source']) expect(stringColumn(got, c), c).toEqual(stringColumn(flat, c));
}

describe('synthetic returns through files', () => {
  const { lists, flat, extractDate } = generateAnnexA(scenarioFrom(undefined, { rows: 700, seed: 3 }));

  it('a workbook (one sheet per list, Excel dates) gives the flat table', async () => {
    const r = await importAnnexA(sourceFromBytes('annex-a.xlsx', annexAWorkbook(lists)), { extractDate });
    if (!r.ok) throw new Error(r.error.message);
    expectSameAsFlat(r.value.table, flat);
    expect(r.value.log.format).toBe('xlsx');
    expect(r.value.log.lists.map((l) => l.list)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('one CSV per list (UK text dates) gives the flat table', async () => {
    const files = annexACsvFiles(lists).map((f) => sourceFromBytes(f.name, new TextEncoder().encode(f.text)));
    const r = await importAnnexA(files, { extractDate });
    if (!r.ok) throw new Error(r.error.message);
    expectSameAsFlat(r.value.table, flat);
    expect(r.value.log.lists.find((l) => l.list === 3)?.sheets).toEqual(['List_3.csv']);
  });
});

describe('the real-layout samples', () => {
  for (const f of ['Annex_A_2024_Jan.xlsx', 'liia_Annex_A.xlsx'])
    it(`${f} loads: 11 lists found, every referral too recent at the latest date, six rows at a later extract date`, async () => {
      const r = await importAnnexA(sample(f));
      if (!r.ok) throw new Error(r.error.message);
      const { log } = r.value;
      expect(log.lists.map((l) => [l.list, l.rows])).toEqual([[1, 5], [2, 5], [3, 6], [4, 5], [5, 5], [6, 5], [7, 7], [8, 5], [9, 6], [10, 5], [11, 5]]);
      expect(log.lists.find((l) => l.list === 3)).toMatchObject({ firstDate: '2020-09-16', lastDate: '2020-09-16', unrecognisedColumns: [] });
      expect(log.extractDate).toBe('2021-03-15');
      expect(log.extractDateFrom).toEqual({ kind: 'latest', list: 6, column: 'Date Child Was Last Seen' });
      expect(r.value.table.numRows).toBe(0);
      expect(log.incompleteWindow).toBe(6);
      const later = await importAnnexA(sample(f), { extractDate: '2022-06-30' });
      if (!later.ok) throw new Error(later.error.message);
      const t = later.value.table;
      expect(t.numRows).toBe(6);
      expect(stringColumn(t, 'referral_source')).toEqual(['6', '6', '2A', '3D', '8', '6']);
      expect(stringColumn(t, 'ethnicity_group')).toEqual(['Unknown', 'Other', 'White', 'White', 'White', 'White']);
      expect(Array.from(numericColumn(t, 'age_at_referral'))).toEqual([10, 2, 11, 11, 16, 0]);
      expect(annexABundleSummary(later.value.log)).toMatchObject({ rows: 6, positives: 0, extractDateFrom: 'given', lists: { '3': { rows: 6, used: true }, '9': { rows: 6, used: false } } });
    });
});

describe('recognising a return', () => {
  it('names sheets and files the way councils do', () => {
    const cases: [string, number | null][] = [
      ['List 3', 3], ['List_3', 3], ['LIST3', 3], ['List 03 - Referrals', 3], ['AnnexA_List_7.csv', 7], ['Referrals', 3], ['Contacts', 1],
      ['Early Help', 2], ['Assessments', 4], ['Sec47 and ICPC', 5], ['Children in Need', 6], ['Child Protection', 7], ['Children in Care', 8],
      ['Care leavers', 9], ['Adopters', 11], ['List 12', null], ['Summary', null], ['Sheet1', null],
    ];
    for (const [name, list] of cases) expect(listOfSheetName(name), name).toBe(list);
  });

  it('finds a list by its columns, and its header below title rows', async () => {
    const rows = [
      ['Annex A return: referrals'], ['Produced 01/04/2024'], [],
      ['Child ID', 'Gender', 'Ethnicity', 'DOB', 'Age', 'Referral Date', 'Referral Source'],
      ['77', 'M', 'WBRI', new Date(Date.UTC(2012, 4, 1)), 11.9, new Date(Date.UTC(2022, 0, 5)), '6 - Police'],
      ['78', 'Female', 'Black African', new Date(Date.UTC(2010, 1, 1)), 14.1, new Date(Date.UTC(2022, 1, 7)), 'School'],
    ];
    const care = [['Child Unique ID', 'Date Started to be Looked After'], ['78', new Date(Date.UTC(2022, 5, 1))]];
    const bytes = xlsxBytes([{ name: 'Sheet1', rows }, { name: 'Looked after', rows: care }]);
    const r = await importAnnexA(sourceFromBytes('la.xlsx', bytes), { extractDate: '2024-03-31' });
    if (!r.ok) throw new Error(r.error.message);
    const t = r.value.table;
    expect(r.value.log.lists.map((l) => [l.list, l.sheets[0], l.headerRow])).toEqual([[3, 'Sheet1', 4], [8, 'Looked after', 1]]);
    expect(stringColumn(t, 'gender')).toEqual(['Male', 'Female']);
    expect(stringColumn(t, 'ethnicity')).toEqual(['WBRI', null]);
    expect(stringColumn(t, 'ethnicity_group')).toEqual(['White', 'Black']);
    expect(stringColumn(t, 'referral_source')).toEqual(['6', null]);
    expect(stringColumn(t, 'referral_source_group')).toEqual(['Police', 'Schools']);
    expect(Array.from(numericColumn(t, 'age_at_referral'))).toEqual([9, 12]);
    expect(Array.from(numericColumn(t, 'outcome'))).toEqual([0, 1]);
  });
});

describe('values councils type', () => {
  it('gender, ethnicity, source, category of abuse and dates', () => {
    expect(['a) Male', 'M', '1', 'b) Female', 'F', 'd) Neither', 'Unborn', null].map(genderOf)).toEqual(['Male', 'Male', 'Male', 'Female', 'Female', 'Neither', 'Unknown', 'Unknown']);
    expect(genderOf('robot')).toBeNull();
    expect(ethnicityOf('a) WBRI')).toEqual({ code: 'WBRI', group: 'White', recognised: true });
    expect(ethnicityOf('u) UNKNOWN')).toEqual({ code: null, group: 'Unknown', recognised: true });
    expect(ethnicityOf('xyzzy').recognised).toBe(false);
    expect(['q) 6: Police', 'p1) 5D: LA services', '3b: Health services - GP', '10', 6, 'v) 11: Other agency', 'Police'].map(sourceCodeOf)).toEqual(['6', '5D', '3B', '10', '6', null, null]);
    expect(['Police', 'v) 11: Other agency', 'e) 2A: Schools'].map(sourceGroupOf)).toEqual(['Police', null, 'Schools']);
    expect(['a) Neglect', 'Physical abuse', 'NNYN', 'e) Multiple/not recommended', 'Emotional abuse only', 'spoons'].map(abuseCategoryOf)).toEqual(['Neglect', 'Physical', 'Sexual', 'Multiple', 'Emotional', null]);
    expect(dayOfCell('29/02/2024', false)).toEqual({ day: 19782, how: 'text' });
    expect(dayOfCell('2024-02-29', false)).toEqual({ day: 19782, how: 'text' });
    expect(dayOfCell(45351, false)).toEqual({ day: 19782, how: 'serial' });
    expect(dayOfCell('02/29/2024', false)).toEqual({ day: null, how: 'us-order' });
    expect(dayOfCell('', false)).toEqual({ day: null, how: 'blank' });
  });
});
