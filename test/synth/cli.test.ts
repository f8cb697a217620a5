import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { stringColumn, numericColumn } from '../../src/lib/data/schema.ts';
import { tableToCsv } from '../../src/lib/data/write-csv.ts';
import { generateCases, scenarioFrom } from '../../src/lib/synth/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'candour-synth-'));
const quiet = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

describe('candour synth', () => {
  const expected = generateCases(scenarioFrom('biased-recording', { rows: 1500, seed: 4 }));

  it('streams CSV identical to the library table, with the truth beside it', async () => {
    const spy = quiet();
    const out = path.join(dir, 'a.csv'), truth = path.join(dir, 'a.json');
    expect(await main(['synth', '--rows', '1500', '--scenario', 'biased-recording', '--seed', '4', '--out', out, '--truth', truth])).toBe(0);
    spy.mockRestore();
    expect(readFileSync(out, 'utf8')).toBe(tableToCsv(expected.table));
    const t = JSON.parse(readFileSync(truth, 'utf8'));
    expect(t.cases.length).toBe(1500);
    expect(t.cases[10][0]).toBe(expected.truth.cases.referralId[10]);
    expect(t.effects.find((e: { name: string }) => e.name === 'label bias')).toMatchObject({ planted: true, group: 'Black', size: 0.06 });
  });

  it('writes an Arrow IPC file batch by batch that reads back as the same table', async () => {
    const spy = quiet();
    const out = path.join(dir, 'a.arrow');
    expect(await main(['synth', '--rows', '1500', '--scenario', 'biased-recording', '--seed', '4', '--out', out])).toBe(0);
    spy.mockRestore();
    const t = tableFromIPC(readFileSync(out));
    expect(t.numRows).toBe(1500);
    expect(stringColumn(t, 'referral_id')).toEqual(stringColumn(expected.table, 'referral_id'));
    expect(stringColumn(t, 'ethnicity')).toEqual(stringColumn(expected.table, 'ethnicity'));
    expect([...numericColumn(t, 'referral_date')]).toEqual([...numericColumn(expected.table, 'referral_date')]);
  });

  it('writes Annex A lists to a folder of CSVs and to a workbook', async () => {
    const spy = quiet();
    expect(await main(['synth', '--rows', '300', '--annex-a', '--out', path.join(dir, 'lists') + '/'])).toBe(0);
    expect(await main(['synth', '--rows', '300', '--annex-a', '--out', path.join(dir, 'lists.xlsx')])).toBe(0);
    spy.mockRestore();
    expect(readdirSync(path.join(dir, 'lists')).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((k) => `List_${k}.csv`));
    expect(readFileSync(path.join(dir, 'lists.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });

  it('exits 2 with one line for bad input', async () => {
    for (const argv of [
      ['--rows', '10', '--out', 'x.csv'],
      ['--rows', '500', '--scenario', 'nope', '--out', 'x.csv'],
      ['--rows', '500', '--out', 'x.txt'],
      ['--rows', '500', '--annex-a', '--out', 'x.csv'],
      ['--rows', '500', '--base-rate', '0.9', '--out', path.join(dir, 'x.csv')],
      ['--out', 'x.csv'],
    ]) {
      const lines: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (lines.push(String(s)), true));
      expect(await main(['synth', ...argv])).toBe(2);
      spy.mockRestore();
      expect(lines.join('').trim().split('\n')).toHaveLength(1);
    }
  });
});
