import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTable, type LoadedTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { guessId, guessRoles, mappingKey, positiveGuessOf } from '../../src/lib/data/roles.ts';
import { NATIONAL_REFERENCE, psi, qualityReport, rocAuc } from '../../src/lib/data/quality.ts';
import { normaliseGroup } from '../../src/lib/data/reference.ts';

async function load(text: string, name = 't.csv'): Promise<LoadedTable> {
  const r = await loadTable(sourceFromBytes(name, new TextEncoder().encode(text)));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const CASES = [
  'Child ID,Gender,Ethnicity,Date of Birth,Date of Referral,Age,Case note,Plan end date,Escalated,Risk score',
  'A1,a) Male,a) WBRI,01/01/2010,01/06/2019,9,"Police attended a domestic incident at home",01/01/2020,Yes,0.9',
  'A2,b) Female,k) APKN,01/01/2012,01/06/2019,7,"School raised concerns about attendance",,No,0.2',
  'A3,a) Male,a) WBRI,01/01/2015,01/06/2020,5,"Health visitor noted missed appointments",,No,0.1',
  'A4,b) Female,XXXX,01/01/2021,01/06/2020,-1,"Anonymous call about neglect",01/01/2021,Yes,0.8',
  'A4,b) Female,XXXX,01/01/2021,01/06/2020,-1,"Anonymous call about neglect",01/01/2021,Yes,0.8',
  'A5,a) Male,s) NOBT,01/01/2008,01/06/2020,12,"Self-referral by parent asking for help",,No,0.3',
].join('\n');

describe('guessRoles', () => {
  it('guesses outcome, positive value, date, id, groups, text and score', async () => {
    const t = await load(CASES);
    const roles = guessRoles(t.columns, t.table);
    expect(roles).toMatchObject({
      outcome: 'Escalated', positive: 'Yes', date: 'Date of Referral', id: 'Child ID',
      groups: ['Gender', 'Ethnicity', 'Age'], text: ['Case note'], score: 'Risk score',
    });
  });

  it('takes group columns such as colour and citizen, and prefers an outcome named with its window (COMPAS)', async () => {
    const t = await load('released,colour,year,age,sex,employed,citizen,checks\nYes,White,2002,21,Male,Yes,Yes,3\nNo,Black,1999,17,Male,Yes,Yes,3\n');
    expect(guessRoles(t.columns, t.table).groups).toEqual(['colour', 'age', 'sex', 'citizen']);
    const compas = await load(readFileSync(path.resolve(__dirname, '../../../shared/data/compas/compas.csv'), 'utf8'));
    expect(guessRoles(compas.columns, compas.table)).toMatchObject({ outcome: 'two_year_recid', positive: '1', groups: ['sex', 'age', 'race'], score: 'decile_score' });
  });

  it('guesses the rarer value when the names give no clue, and doubts a "yes" that is the majority', () => {
    expect(positiveGuessOf(new Map([['>50K', 10], ['<=50K', 30]]))?.value).toBe('>50K');
    expect(positiveGuessOf(new Map([['>50K', 10], ['<=50K', 30]]))?.doubt).toMatch(/rarer one, '>50K' \(10, 25%\)/);
    const yes = positiveGuessOf(new Map([['Yes', 4337], ['No', 889]]))!;
    expect(yes.value).toBe('Yes');
    expect(yes.doubt).toMatch(/'Yes' \(4,337, 83%\) reads as yes, but it is the more common value \(against 'No' \(889, 17%\)\)/);
    expect(positiveGuessOf(new Map([['0', 80], ['1', 20]]))).toEqual({ value: '1', doubt: null });
    expect(positiveGuessOf(new Map([['No', 80], ['CP plan', 20]]))).toEqual({ value: 'CP plan', doubt: null });
    expect(positiveGuessOf(new Map([['a', 1], ['b', 1], ['c', 1]]))).toBeNull();
  });

  it('reads 0/1 outcomes with 1 as positive', async () => {
    const t = await load('x,outcome\n1,0\n2,1\n3,0\n');
    expect(guessRoles(t.columns, t.table)).toMatchObject({ outcome: 'outcome', positive: '1' });
  });
});

describe('guessId', () => {
  it('takes the identifier whose values repeat (a child with several referrals) over one unique per row, whatever the column order', async () => {
    const rows = ['referral_id,child_id,y'];
    for (let i = 0; i < 12; i++) rows.push(`R${i},C${i % 8},${i % 2}`);
    const t = await load(rows.join('\n'));
    expect(t.columns.filter((c) => c.type === 'id').map((c) => c.name)).toEqual(['referral_id', 'child_id']);
    expect(guessId(t.columns, t.table)).toEqual({ column: 'child_id', repeated: 4 });
    expect(guessRoles(t.columns, t.table).id).toBe('child_id');
  });
  it('with no repeats, takes the column named like an ID, counting no repeats', async () => {
    const t = await load(CASES.split('\n').filter((l, i, a) => a.indexOf(l) === i).join('\n'));
    expect(guessId(t.columns, t.table)).toEqual({ column: 'Child ID', repeated: 0 });
  });
});

describe('mappingKey', () => {
  it('ignores order, case and spaces, and differs for different columns', () => {
    expect(mappingKey(['Age', ' Sex', 'id'])).toBe(mappingKey(['sex', 'ID', 'age ']));
    expect(mappingKey(['a', 'b'])).not.toBe(mappingKey(['a', 'c']));
    expect(mappingKey(['a', 'b'])).toMatch(/^cols-2-[0-9a-f]{16}$/);
  });
});

describe('quality report', () => {
  it('psi and rocAuc give hand-worked values', () => {
    // (0.25-0.5) ln(0.5) + (0.75-0.5) ln(1.5)
    expect(psi([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
    expect(psi([0.3, 0.7], [0.3, 0.7])).toBe(0);
    // Pairs (pos,neg): (3,1) win, (3,2) win, (2,1) win, (2,2) tie -> 3.5/4
    expect(rocAuc(new Float64Array([0, 0, 1, 1]), new Float64Array([1, 2, 2, 3]))).toBe(0.875);
    expect(rocAuc(new Float64Array([1, 1]), new Float64Array([1, 2]))).toBeNull();
  });

  it('covers the four Rs and leakage on a small extract', async () => {
    const t = await load(CASES);
    const roles = guessRoles(t.columns, t.table);
    const q = qualityReport(t.table, t.columns, roles, { now: new Date(Date.UTC(2020, 11, 1)) });
    expect(q.rows).toBe(6);
    // Representativeness: gender against the national CIN split.
    const g = q.representativeness.find((r) => r.column === 'Gender')!;
    expect(g.attribute).toBe('gender');
    expect(g.groups.find((x) => x.group === 'Male')).toMatchObject({ count: 3, share: 0.5 });
    expect(g.groups.find((x) => x.group === 'Male')!.reference).toBeCloseTo(209430 / (209430 + 172030), 12);
    const e = q.representativeness.find((r) => r.column === 'Ethnicity')!;
    expect(e.unknown).toBe(3); // two invalid XXXX and one NOBT
    // Relevancy
    const plan = q.relevancy.find((r) => r.column === 'Plan end date')!;
    expect(plan).toMatchObject({ missing: 3, missingShare: 0.5 });
    // Recency
    expect(q.recency).toMatchObject({ dateColumn: 'Date of Referral', first: '2019-06-01', last: '2020-06-01', spanDays: 366 });
    expect(q.recency!.perYear).toEqual([
      { period: '2019', count: 2, outcomeRate: 0.5 },
      { period: '2020', count: 4, outcomeRate: 0.5 },
    ]);
    expect(q.recency!.drift.find((d) => d.column === 'Gender')!.steps[0].psi).toBeCloseTo(psi([0.5, 0.5], [0.5, 0.5]), 12);
    // Accuracy
    expect(q.accuracy.invalidCodes).toEqual([{ column: 'Ethnicity', count: 2, firstRow: 4, examples: ['XXXX'] }]);
    expect(q.accuracy.futureDates).toEqual([{ column: 'Date of Birth', count: 2, firstRow: 4 }, { column: 'Plan end date', count: 2, firstRow: 4 }]);
    expect(q.accuracy.birthAfterDecision).toEqual({ column: 'Date of Birth', count: 2, firstRow: 4 });
    expect(q.accuracy.duplicateRows).toEqual({ count: 1, firstRow: 5 });
    expect(q.accuracy.duplicateIds).toMatchObject({ column: 'Child ID', ids: 1, rows: 2, example: 'A4' });
    // Leakage: the plan end date comes after the referral; the score separates the outcome perfectly.
    expect(q.leakage.map((l) => [l.column, l.reason])).toEqual(
      expect.arrayContaining([['Plan end date', 'dated-after-decision'], ['Risk score', 'predicts-outcome']]),
    );
  });

  it('flags a category level that is always positive', async () => {
    const rows = ['team,outcome'];
    for (let i = 0; i < 200; i++) rows.push(`${i < 20 ? 'Legal' : ['North', 'South'][i % 2]},${i < 20 || i % 10 === 0 ? 1 : 0}`);
    const t = await load(rows.join('\n'));
    const q = qualityReport(t.table, t.columns, { outcome: 'outcome', positive: '1', groups: [], text: [], exclude: [] });
    expect(q.leakage).toEqual([expect.objectContaining({ column: 'team', reason: 'level-predicts-outcome' })]);
  });

  it('has national reference shares that sum to 1', () => {
    for (const ref of Object.values(NATIONAL_REFERENCE)) {
      const s = Object.values(ref!.shares).reduce((a, b) => a + b, 0);
      expect(s).toBeCloseTo(1, 12);
      expect(ref!.source.length).toBeGreaterThan(10);
    }
  });

  it('runs on COMPAS and finds is_recid leaks into two_year_recid', async () => {
    const repoRoot = path.resolve(__dirname, '../..');
    const text = readFileSync(path.resolve(repoRoot, '../shared/data/compas/compas_all.csv'), 'utf8');
    const t = await load(text, 'compas_all.csv');
    const roles = { outcome: 'two_year_recid', positive: '1', groups: ['race', 'sex'], text: [], exclude: [], id: 'id' };
    const q = qualityReport(t.table, t.columns, roles);
    expect(q.rows).toBe(7214);
    expect(q.accuracy.duplicateIds).toMatchObject({ ids: 0 });
    const sexes = q.representativeness.find((r) => r.column === 'sex')!.groups;
    expect(sexes.reduce((a, g) => a + g.count, 0)).toBe(7214);
  });
});

describe('national reference figures', () => {
  it('name their source for a reader, with no file path of this project', () => {
    for (const ref of Object.values(NATIONAL_REFERENCE)) expect(ref!.source).not.toMatch(/\.\.\/|\.json|\.md\b|shared\//);
  });
});

describe('representativeness reads ethnicity with the audit’s rule', () => {
  it('COMPAS labels: Caucasian is White, Hispanic and Native American are Other, refusals are unknown', () => {
    expect(normaliseGroup('ethnicity', 'Caucasian')).toBe('White');
    expect(normaliseGroup('ethnicity', 'African-American')).toBe('Black');
    expect(normaliseGroup('ethnicity', 'Hispanic')).toBe('Other');
    expect(normaliseGroup('ethnicity', 'Native American')).toBe('Other');
    expect(normaliseGroup('ethnicity', 'WBRI')).toBe('White');
    expect(normaliseGroup('ethnicity', 'a) MWBC')).toBe('Mixed');
    expect(normaliseGroup('ethnicity', 'Refused')).toBeNull();
    expect(normaliseGroup('ethnicity', 'NOBT')).toBeNull();
  });
});
