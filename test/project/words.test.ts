import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { generateCases } from '../../src/lib/synth/generate.ts';
import { scenarioFrom } from '../../src/lib/synth/scenarios.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import { inspectTable, levelCounts } from '../../workers/quality.ts';
import { capitalised, featureWords, loadSummary, qualitySentences, representativenessSentence, unitCount, unitWords } from '../../src/lib/project/words.ts';

async function load(name: string) {
  const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
  const r = await loadTable(sourceFromBytes(name, bytes));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('loadSummary', () => {
  it('says what was read and lists each problem with its row and column', async () => {
    const l = await load('ragged.csv');
    const s = loadSummary('ragged.csv', l.table.numRows, l.columns.length, l.report);
    expect(s.sentence).toMatch(/^ragged\.csv was read as a comma-separated text file \(CSV\): \d+ cases in 3 columns, with \d+ things? to check/);
    expect(s.rows.find((r) => r.key === 'Columns separated by')?.value).toBe('commas');
    expect(s.issues.length).toBeGreaterThan(0);
    expect(s.issues.every((line) => line.startsWith('ragged.csv'))).toBe(true);
    expect(s.issues[0]).toBe("ragged.csv, row 3, column 'b': row has 1 of 3 cells; the missing cells are read as missing");
    expect(s.counts.join(' ')).toMatch(/rows with (more|fewer) cells than the header/);
  });

  it('a clean file has nothing to check', async () => {
    const l = await load('quoted.csv');
    const s = loadSummary('quoted.csv', l.table.numRows, l.columns.length, l.report);
    expect(s.rows.find((r) => r.key === 'Things to check')?.value).toBe(l.report.issues.length ? expect.any(String) : 'none');
  });

  it('synthetic data has no file report', () => {
    expect(loadSummary('synthetic', 1000, 20).sentence).toBe('1,000 cases and 20 columns made here in the browser.');
  });
});

describe('inspectTable and the quality sentences (synthetic council)', () => {
  const { table } = generateCases(scenarioFrom('realistic', { rows: 3000, seed: 3 }));
  const columns: ColumnInfo[] = table.schema.fields.map((f) => {
    const type: ColumnInfo['type'] = f.name === 'child_id' || f.name === 'referral_id' ? 'id' : f.name === 'note' ? 'text' : f.name === 'referral_date' ? 'date' : /Utf8|Dictionary/.test(String(f.type)) ? 'category' : 'number';
    return { name: f.name, type, inferredType: type };
  });
  const inspection = inspectTable(table, columns, undefined, new Date('2030-01-01'));

  it('guesses the outcome, date, ID and groups', () => {
    expect(inspection.guessed.date).toBe('referral_date');
    expect(inspection.guessed.id).toBeDefined();
    expect(inspection.guessed.groups.length).toBeGreaterThan(0);
    expect(inspection.guessed.outcome).toBeDefined();
  });

  it('counts the levels of small columns, most frequent first, adding up to the non-blank rows', () => {
    const out = inspection.guessed.outcome!;
    const lv = inspection.levels[out];
    expect(lv.length).toBe(2);
    expect(lv[0].count).toBeGreaterThanOrEqual(lv[1].count);
    expect(lv[0].count + lv[1].count).toBe(table.numRows);
    expect(inspection.levels.note).toBeUndefined();
  });

  it('refuses to list a column with more distinct values than the cap', () => {
    expect(levelCounts(table, 'child_id', 20)).toBeNull();
  });

  it('gives one plain sentence for each of the four Rs and leakage', () => {
    const s = qualitySentences(inspection.quality);
    expect(s.map((x) => x.id)).toEqual(['representativeness', 'relevancy', 'recency', 'accuracy', 'leakage']);
    expect(s[0].sentence).toMatch(/national figures|no national figures/);
    expect(s[2].sentence).toMatch(/^Cases run from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    for (const x of s) expect(x.sentence).toMatch(/\.$/);
  });

  it('without roles: asks for groups and a date', () => {
    const q = inspectTable(table, columns, { groups: [], text: [], exclude: [] }).quality;
    const s = qualitySentences(q);
    expect(s[0].sentence).toMatch(/No group columns were chosen/);
    expect(s[2].sentence).toMatch(/No decision date was chosen/);
  });
});

describe('representativenessSentence', () => {
  it('names the biggest gap from the national figures', () => {
    expect(representativenessSentence({
      column: 'gender', attribute: 'gender', source: 'x', unknown: 3,
      groups: [{ group: 'Male', count: 60, share: 0.6, reference: 0.52, difference: 0.08 }, { group: 'Female', count: 40, share: 0.4, reference: 0.48, difference: -0.08 }],
    })).toBe('gender: the biggest gap from the national figures is Male, 60% of these cases against 52% of children in need in England (more here). 3 cases had no recognised gender.');
  });
});

describe('representativeness with no case', () => {
  it('says there is nothing to compare rather than quoting 0% against the national figures', () => {
    const r = { column: 'gender', attribute: 'gender' as const, source: 'x', unknown: 0, groups: [{ group: 'Female', count: 0, share: 0, reference: 0.45, difference: -0.45 }] };
    expect(representativenessSentence(r)).toBe('gender: no case to compare with the national figures.');
  });
});

describe('unitWords', () => {
  it('names the unit the analyst chose, and children when none or an unknown one is given', () => {
    expect(unitWords('person')).toEqual({ one: 'person', many: 'people', yes: 'had the outcome', had: 'had the outcome', hadNot: 'did not have the outcome' });
    expect(unitWords('family')).toMatchObject({ had: 'needed help', hadNot: 'did not need help' });
    expect(unitWords('family').many).toBe('families');
    expect(unitWords('referral').many).toBe('referrals');
    expect(unitWords(undefined).many).toBe('children');
    expect(unitWords('__proto__').many).toBe('children');
    expect([unitCount(1, 'person'), unitCount(1204, 'person'), unitCount(2, undefined)]).toEqual(['1 person', '1,204 people', '2 children']);
  });
});

describe('capitalised', () => {
  it('starts a sentence with a capital and leaves the rest as it is', () => {
    expect([capitalised('children'), capitalised('flag the top 10% of cases'), capitalised('')]).toEqual(['Children', 'Flag the top 10% of cases', '']);
  });
});

describe('featureWords', () => {
  it('turns encoded model inputs into words', () => {
    expect(featureWords('cat__gender_Unknown')).toBe('gender: Unknown');
    expect(featureWords('num__age')).toBe('age');
    expect(featureWords('num__missingindicator_prev_referrals')).toBe('prev_referrals: missing');
    expect(featureWords('cat__referral_source_Police_Force', ['referral_source', 'referral'])).toBe('referral_source: Police_Force');
    expect(featureWords('cat__ethnicity_group_White')).toBe('ethnicity_group: White');
    expect(featureWords('deprivation')).toBe('deprivation');
  });
});
