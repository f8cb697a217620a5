/**
 * The importer against the generator: the case table built from synthetic Annex A lists equals
 * the generator's flat table row for row on every column Annex A can supply (outcome included),
 * through the lists directly, a written workbook and one CSV per list.
 */
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { annexACsvFiles, annexAWorkbook, generateAnnexA, scenarioFrom, type PresetName } from '../../src/lib/synth/index.ts';
import { importAnnexA, importAnnexALists } from '../../src/lib/annex-a/index.ts';

const NUMERIC = ['referral_date', 'age_at_referral', 'prev_contacts', 'prev_referrals', 'prev_assessments', 'prev_s47', 'prev_cp_plans', 'prev_cla_episodes', 'days_since_prev_referral', 'outcome'];
const TEXT = ['child_id', 'referral_id', 'gender', 'ethnicity', 'ethnicity_group', 'referral_source'];

function expectSameAsFlat(got: Table, flat: Table): void {
  expect(got.numRows).toBe(flat.numRows);
  for (const c of NUMERIC) expect(Array.from(numericColumn(got, c)), c).toEqual(Array.from(numericColumn(flat, c)));
  for (const c of TEXT) expect(stringColumn(got, c), c).toEqual(stringColumn(flat, c));
}

describe('importAnnexALists equals the generator flat table', () => {
  const cases: [PresetName | undefined, number, number][] = [[undefined, 1500, 5], ['poverty-as-proxy', 1200, 11], ['drifting', 800, 23]];
  for (const [preset, rows, seed] of cases)
    it(`${preset ?? 'default'} preset, seed ${seed}`, () => {
      const scenario = scenarioFrom(preset, { rows, seed });
      const { lists, flat, extractDate } = generateAnnexA(scenario);
      const r = importAnnexALists(lists, { extractDate });
      if (!r.ok) throw new Error(r.error.message);
      expectSameAsFlat(r.value.table, flat);
      expect(numericColumn(flat, 'outcome').some((v) => v === 1)).toBe(true);
    });
});
