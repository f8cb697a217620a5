/** `--annex-a` input for the command line: a workbook file or a folder of list CSVs, and bad input as an AppFailure (exit 2). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { numericColumn } from '../../src/lib/data/schema.ts';
import { AppFailure } from '../../src/lib/errors.ts';
import { annexACsvFiles, annexAWorkbook, generateAnnexA, scenarioFrom } from '../../src/lib/synth/index.ts';
import { loadAnnexAInput, logLines } from '../../src/cli/annex-a-input.ts';

const repoRoot = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'candour-annex-a-'));
const { lists, flat, extractDate } = generateAnnexA(scenarioFrom(undefined, { rows: 400, seed: 9 }));
const book = path.join(dir, 'annex.xlsx');
writeFileSync(book, annexAWorkbook(lists));
const folder = path.join(dir, 'lists');
mkdirSync(folder);
for (const f of annexACsvFiles(lists)) writeFileSync(path.join(folder, f.name), f.text);

describe('loadAnnexAInput', () => {
  it('reads a workbook and a folder of list CSVs to the same case table', async () => {
    const a = await loadAnnexAInput(book, 'cp-or-cla-12m', { extractDate, quiet: true });
    const b = await loadAnnexAInput(folder, 'cp-or-cla-12m', { extractDate, quiet: true });
    expect(a.table.numRows).toBe(flat.numRows);
    expect(Array.from(numericColumn(a.table, 'outcome'))).toEqual(Array.from(numericColumn(flat, 'outcome')));
    expect(Array.from(numericColumn(b.table, 'prev_contacts'))).toEqual(Array.from(numericColumn(flat, 'prev_contacts')));
    expect(a.name).toBe('annex.xlsx');
    expect(b.name).toBe('lists');
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(b.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(logLines(a.log).at(-1)).toBe(`case table: ${flat.numRows} rows, ${a.log.positives} with the outcome, ${a.log.children} children`);
  });

  it('fails with one clear error when no referral has a complete window, or the path is wrong', async () => {
    const sample = path.resolve(repoRoot, '../shared/data/annex-a/Annex_A_2024_Jan.xlsx');
    await expect(loadAnnexAInput(sample, 'cp-or-cla-12m', { quiet: true })).rejects.toSatisfy((e) => e instanceof AppFailure && e.error.code === 'no-rows' && /2021-03-15/.test(e.error.message));
    await expect(loadAnnexAInput(path.join(dir, 'nope.xlsx'), 'cp-or-cla-12m', { quiet: true })).rejects.toSatisfy((e) => e instanceof AppFailure && e.error.code === 'no-file');
    await expect(loadAnnexAInput(book, 's47-soon', { quiet: true })).rejects.toSatisfy((e) => e instanceof AppFailure && e.error.code === 'bad-outcome');
  });
});
