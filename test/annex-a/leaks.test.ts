/**
 * Planted leaks and bad input on small hand-made returns, each checked against values worked
 * out by hand: a CP plan before the referral (an earlier episode) and one after the window (a
 * later episode), "as at extract" columns, a referral too recent for its window, rolling
 * 12-month counts, and rows that cannot be linked or dated.
 */
import { describe, expect, it } from 'vitest';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { caseTableFromSheets, type AnnexAOptions, type SheetData } from '../../src/lib/annex-a/index.ts';

const COMMON = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'];

function sheet(name: string, header: string[], rows: (string | number | null)[][], headerRow = 1): SheetData {
  return {
    name, where: `return.xlsx [${name}]`, headerRow, rows: rows.length, issues: [],
    columns: header.map((h, j) => ({ name: h, dates: false, values: rows.map((r) => r[j] ?? null) })),
  };
}

// Child A (born 2010-06-15): referrals 2021-01-10, 2022-03-01 and 2023-11-20 (too recent for a
// 2024-06-30 extract). A CP plan started 2020-11-02 (earlier episode, still open), another
// 2023-08-01 (later episode, after the first referral's window). Child B: one referral, care
// starting 2022-01-09 (within 12 months of 2021-03-04).
const A = ['A1', 'a) Male', 'a) WBRI', '15/06/2010', 14.04];
const B = ['B2', 'Female', 'WBRI - White British', '2015-02-28', 9.3];
const lists = (): SheetData[] => [
  sheet('List 1', [...COMMON, 'Date of Contact', 'Contact Source'], [
    [...A, '02/01/2021', 'q) 6: Police'], [...A, '10/01/2021', 'q) 6: Police'], [...B, '04/03/2021', 'e) 2A: Schools'],
  ]),
  sheet('List 3', [...COMMON, 'Date of Referral', 'Referral Source', 'Referral NFA?', 'Number of Referrals in Last 12 Months', 'Allocated Team', 'Allocated Worker'], [
    [...A, '10/01/2021', 'q) 6: Police', 'b) No', 99, 'Team X', 'W'],
    [...A, '01/03/2022', '2A - Schools', 'No', 99, 'Team X', 'W'],
    [...A, '20/11/2023', 'Police', 'No', 99, 'Team X', 'W'],
    [...B, '04/03/2021', 'e) 2A: Schools', 'b) No', 99, 'Team Y', 'V'],
  ]),
  sheet('List 7', [...COMMON, 'Does the Child have a Disability', 'Child Protection Plan Start Date', 'Initial Category of Abuse', 'Latest Category of Abuse', 'Number of Previous Child Protection Plans'], [
    [...A, 'a) Yes', '02/11/2020', 'a) Neglect', 'd) Emotional abuse', 0],
    [...A, 'a) Yes', '01/08/2023', 'b) Physical abuse', 'b) Physical abuse', 1],
  ]),
  sheet('List 8', [...COMMON, 'Does the Child have a Disability', 'Date Started to be Looked After', "Child's Legal Status", 'Placement Type'], [
    [...B, 'b) No', '09/01/2022', 'C2: FCO', 'f) U6: Foster placement - not FFA'],
  ]),
];
const input = (sheets = lists()) => ({ name: 'return.xlsx', format: 'xlsx' as const, sheets, unreadable: [] });
const build = (opts: AnnexAOptions = {}, sheets = lists()) => {
  const r = caseTableFromSheets(input(sheets), { extractDate: '2024-06-30', ...opts });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const col = (t: ReturnType<typeof build>['table'], c: string) => Array.from(numericColumn(t, c), (x) => (Number.isNaN(x) ? null : x));

describe('planted leaks', () => {
  it('a CP plan before the referral is a previous plan, never the outcome; a later episode after the window is not the outcome either', () => {
    const { table } = build();
    expect(stringColumn(table, 'referral_id')).toEqual(['A1-1', 'A1-2', 'B2-1']);
    // A1-1: plan 2020-11-02 before; plan 2023-08-01 after 2022-01-10 -> 0. A1-2: window to 2023-03-01 -> 0. B2-1: care 2022-01-09 <= 2022-03-04 -> 1.
    expect(col(table, 'outcome')).toEqual([0, 0, 1]);
    expect(col(table, 'prev_cp_plans')).toEqual([1, 1, 0]);
    expect(stringColumn(table, 'prev_abuse_category')).toEqual(['Neglect', 'Neglect', 'None']);
  });

  it('a referral too recent for its window is excluded and counted, not labelled 0', () => {
    const { table, log } = build();
    expect(stringColumn(table, 'referral_date').some((d) => d?.startsWith('2023-11-20'))).toBe(false);
    expect(log.incompleteWindow).toBe(1);
    expect(log.dropped).toContainEqual(expect.objectContaining({ reason: 'incomplete-window', list: 3, count: 1 }));
    // the excluded referral is still a referral: it numbers as A1-3 and would count as prior for later rows
    const later = build({ extractDate: '2025-01-01' });
    expect(stringColumn(later.table, 'referral_id')).toEqual(['A1-1', 'A1-2', 'A1-3', 'B2-1']);
    // A1-3 (window to 2024-11-20, complete by 2025-01-01): the 2023-08-01 plan came before it -> 0
    expect(col(later.table, 'outcome')).toEqual([0, 0, 0, 1]);
    expect(later.log.incompleteWindow).toBe(0);
  });

  it('rolling 12-month counts and the extract-date age are never read', () => {
    const { table, log } = build();
    expect(col(table, 'prev_referrals')).toEqual([0, 1, 0]);
    expect(col(table, 'days_since_prev_referral')).toEqual([null, 415, null]);
    expect(col(table, 'age_at_referral')).toEqual([10, 11, 6]);
    expect(col(table, 'prev_contacts')).toEqual([1, 2, 0]);
    expect(log.rules.map((r) => r.id)).toContain('rolling-counts-ignored');
    expect(log.leftOut).toContainEqual(expect.objectContaining({ list: 3, column: 'Number of Referrals in Last 12 Months', timing: 'rolling-count', included: false }));
  });

  it('"as at extract" columns are left out with the reason, and added back only knowingly', () => {
    const plain = build();
    const names = plain.table.schema.fields.map((f) => f.name);
    for (const c of ['disability', 'disability_at_extract', 'allocated_team_at_extract', 'latest_abuse_category_at_extract']) expect(names).not.toContain(c);
    expect(plain.log.leftOut.filter((o) => o.timing === 'as-at-extract').map((o) => o.column)).toEqual(
      expect.arrayContaining(['Does the Child have a Disability', 'Allocated Team', 'Latest Category of Abuse', "Child's Legal Status", 'Placement Type']),
    );
    const knowing = build({ includeAsAtExtract: true });
    expect(stringColumn(knowing.table, 'disability_at_extract')).toEqual(['Yes', 'Yes', 'No']);
    expect(stringColumn(knowing.table, 'latest_abuse_category_at_extract')).toEqual(['Physical', 'Physical', null]);
    expect(stringColumn(knowing.table, 'allocated_team_at_extract')).toEqual(['Team X', 'Team X', 'Team Y']);
    expect(knowing.log.rules.find((r) => r.id === 'as-at-extract-included')?.warning).toBe(true);
    expect(knowing.log.leftOut.find((o) => o.column === 'Placement Type')?.included).toBe(true);
  });
});

describe('outcomes and units', () => {
  it('re-referral within 12 months, and section 47 from the referral day on', () => {
    const re = build({ outcome: 'rereferral-12m' });
    expect(col(re.table, 'outcome')).toEqual([0, 0, 0]); // 2021-01-10 -> 2022-03-01 is 415 days later
    expect(col(build({ outcome: 'rereferral-15m' }).table, 'outcome')).toEqual([1, 0, 0]);
    const withS47 = [...lists(), sheet('List 5', [...COMMON, 'Strategy discussion initiating Section 47 Enquiry Start Date'], [[...B, '04/03/2021'], [...A, '09/01/2021']])];
    const s47 = build({ outcome: 's47-12m' }, withS47);
    expect(col(s47.table, 'outcome')).toEqual([0, 0, 1]);
    expect(col(s47.table, 'prev_s47')).toEqual([1, 1, 0]);
    expect(s47.log.outcome).toBe('s47-12m');
  });

  it('a window of N months moves the completeness cut', () => {
    const six = build({ outcome: 'cp-or-cla-12m', months: 6, extractDate: '2022-08-31' });
    // 2022-03-01 + 6 months = 2022-09-01 > 2022-08-31: excluded
    expect(stringColumn(six.table, 'referral_id')).toEqual(['A1-1', 'B2-1']);
    expect(six.log.outcome).toBe('cp-or-cla-6m');
    expect(col(six.table, 'outcome')).toEqual([0, 0]); // care 2022-01-09 is after 2021-09-04
  });

  it('one row per contact, by option', () => {
    const { table } = build({ unit: 'contact' });
    expect(stringColumn(table, 'contact_id')).toEqual(['A1-c1', 'A1-c2', 'B2-c1']);
    expect(col(table, 'prev_referrals')).toEqual([0, 0, 0]);
    expect(col(table, 'prev_contacts')).toEqual([0, 1, 0]);
    expect(stringColumn(table, 'contact_source')).toEqual(['6', '6', '2A']);
  });

  it('the extract date defaults to the latest date found, and says so', () => {
    const r = caseTableFromSheets(input(), {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.log.extractDate).toBe('2023-11-20');
    expect(r.value.log.extractDateFrom).toEqual({ kind: 'latest', list: 3, column: 'Date of Referral' });
    expect(r.value.log.rules.find((x) => x.id === 'extract-date')?.warning).toBe(true);
  });
});

describe('bad input is reported, never dropped silently', () => {
  it('rows without an ID or a readable date are left out, counted and located', () => {
    const sheets = lists();
    const l3 = sheets[1];
    l3.columns[0].values.push(null);
    l3.columns[5].values.push('12/01/2021');
    l3.columns[0].values.push('C3');
    l3.columns[5].values.push('not a date');
    l3.columns[0].values.push('C4');
    l3.columns[5].values.push('01/13/2021');
    for (const c of l3.columns.slice(1)) if (c.values.length < 7) while (c.values.length < 7) c.values.push(c.name === 'Date of Referral' ? null : 'x');
    l3.rows = 7;
    const { log, table } = build({}, sheets);
    expect(table.numRows).toBe(3);
    const byReason = Object.fromEntries(log.dropped.filter((d) => d.list === 3).map((d) => [d.reason, d.count]));
    expect(byReason).toEqual({ 'blank-child-id': 1, 'unreadable-date': 2, 'incomplete-window': 1 });
    expect(log.issues).toContainEqual(expect.objectContaining({ code: 'blank-child-id', file: 'return.xlsx [List 3]', row: 6, column: 'Child Unique ID' }));
    expect(log.issues).toContainEqual(expect.objectContaining({ code: 'unreadable-date', row: 7, column: 'Date of Referral' }));
    expect(log.issues.find((e) => e.row === 8)?.message).toMatch(/month\/day\/year/);
  });

  it('a return with no recognisable list, or without what the outcome needs, fails with a clear message', () => {
    const none = caseTableFromSheets(input([sheet('Summary', ['a', 'b'], [[1, 2]])]), {});
    expect(!none.ok && none.error.code).toBe('not-annex-a');
    const noL5 = caseTableFromSheets(input(), { outcome: 's47-12m' });
    expect(!noL5.ok && noL5.error.message).toMatch(/List 5/);
    const noId = caseTableFromSheets(input([sheet('Referrals', ['Gender', 'Date of Referral'], [['a) Male', '01/01/2020']]), lists()[2]]), {});
    expect(!noId.ok && noId.error).toMatchObject({ code: 'missing-column', column: 'Child Unique ID', file: 'return.xlsx [Referrals]' });
    const badOutcome = caseTableFromSheets(input(), { outcome: 'cp-soon' });
    expect(!badOutcome.ok && badOutcome.error.code).toBe('bad-outcome');
    const badDate = caseTableFromSheets(input(), { extractDate: '2024-02-30' });
    expect(!badDate.ok && badDate.error.code).toBe('bad-extract-date');
  });

  it('unrecognised sheets and columns are reported', () => {
    const sheets = [...lists(), sheet('Notes', ['Comment'], [['hello']])];
    sheets[1].columns.push({ name: 'Worker Phone', dates: false, values: sheets[1].columns[0].values.map(() => '0') });
    const { log } = build({}, sheets);
    expect(log.unrecognisedSheets).toEqual([{ name: 'Notes', rows: 1 }]);
    expect(log.lists.find((l) => l.list === 3)?.unrecognisedColumns).toEqual(['Worker Phone']);
    expect(log.lists.find((l) => l.list === 3)).toMatchObject({ firstDate: '2021-01-10', lastDate: '2023-11-20', rows: 4 });
  });
});
