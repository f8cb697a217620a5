/** The worker's Annex A import: dropped files (File objects) or bytes, with a load report and fingerprint. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { annexACsvFiles, generateAnnexA, scenarioFrom } from '../../src/lib/synth/index.ts';
import { importAnnexAFiles } from '../../workers/annex-a.ts';
import { loadSummary } from '../../src/lib/project/words.ts';

const repoRoot = path.resolve(__dirname, '../..');

describe('importAnnexAFiles', () => {
  it('imports the sample workbook from bytes at a given extract date', async () => {
    const bytes = new Uint8Array(readFileSync(path.resolve(repoRoot, '../shared/data/annex-a/Annex_A_2024_Jan.xlsx')));
    const r = await importAnnexAFiles({ name: 'Annex_A_2024_Jan.xlsx', bytes }, { extractDate: '2022-06-30' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.table.numRows).toBe(6);
    expect(r.value.report).toMatchObject({ format: 'xlsx', rows: 6, skippedRows: 0 });
    expect(r.value.report.sheets).toHaveLength(11);
    expect(r.value.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says why referrals were left out (the window is not complete), not "blank lines"', async () => {
    const bytes = new Uint8Array(readFileSync(path.resolve(repoRoot, '../shared/data/annex-a/Annex_A_2024_Jan.xlsx')));
    const r = await importAnnexAFiles({ name: 'Annex_A_2024_Jan.xlsx', bytes });
    if (!r.ok) throw new Error(r.error.message);
    const left = loadSummary('Annex_A_2024_Jan.xlsx', r.value.table.numRows, r.value.columns.length, r.value.report).rows.find((x) => x.key === 'Rows left out')!.value;
    expect(left).toMatch(/^6 \(6 referrals after 2020-03-15: their 12-month outcome window is not complete at the extract date/);
    expect(left).not.toMatch(/blank lines/);
  });

  it('imports dropped list CSVs in any order to the same table and fingerprint', async () => {
    const { lists, extractDate } = generateAnnexA(scenarioFrom(undefined, { rows: 300, seed: 4 }));
    const files = annexACsvFiles(lists).map((f) => new File([f.text], f.name));
    const a = await importAnnexAFiles(files, { extractDate });
    const b = await importAnnexAFiles([...files].reverse(), { extractDate });
    if (!a.ok || !b.ok) throw new Error('import failed');
    expect(a.value.name).toBe('8 files');
    expect(b.value.table.numRows).toBe(a.value.table.numRows);
    expect(b.value.fingerprint).toBe(a.value.fingerprint);
    expect(a.value.report.format).toBe('csv');
  });

  it('nothing dropped is a failure, not a crash', async () => {
    const r = await importAnnexAFiles([]);
    expect(!r.ok && r.error.code).toBe('no-file');
  });
});
