import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { printable } from '../../src/cli/messages.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'candour-evaluate-'));

/** 240 referrals of 120 children (each twice) over one year, 2019; a few outcomes blank. */
function extract(): string {
  const lines = ['child_id,referral_date,year,checks,share,amount,outcome'];
  let s = 3;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 240; i++) {
    const day = 1 + Math.floor((i / 240) * 360);
    const date = new Date(Date.UTC(2019, 0, day)).toISOString().slice(0, 10);
    const risk = u();
    const outcome = i % 40 === 7 ? '' : risk + u() * 0.5 > 1 ? '1' : '0';
    lines.push(`C${String(i % 120).padStart(3, '0')},${date},${2015 + (i % 5)},${Math.floor(risk * 6)},${Math.round(risk * 100)}%,"${(1000 + i * 7).toLocaleString('en-GB')}",${outcome}`);
  }
  return lines.join('\n') + '\n';
}

async function evaluate(argv: string[]): Promise<{ code: number; err: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((b: string | Uint8Array) => (chunks.push(String(b)), true));
  try {
    const code = await main(['evaluate', ...argv]);
    return { code, err: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

const file = path.join(dir, 'one-year.csv');
writeFileSync(file, extract());
const quick = ['--models', 'baseline', '--replicates', '20'];

describe('candour evaluate: what it says on stderr', () => {
  it('explains a temporal split with no training cases in the data\'s own dates, with the remedies', async () => {
    const { code, err } = await evaluate(['--data', file, '--outcome', 'outcome', '--date', 'referral_date', ...quick, '--json', path.join(dir, 'x.json')]);
    expect(code).toBe(2);
    expect(err).toMatch(/the temporal split leaves no training cases: the data run from 2019-01-01 to 2019-12-2\d \(35\d days\), the test period starts on 2019-09-\d\d/);
    expect(err).toMatch(/outcome window \(365 days\)/);
    expect(err).toMatch(/Remedies: a longer extract .*--gap-days.*--split random with --id/);
    // The remedy works: a 60-day window leaves training cases.
    expect((await evaluate(['--data', file, '--outcome', 'outcome', '--date', 'referral_date', '--gap-days', '60', ...quick, '--json', path.join(dir, 'y.json')])).code).toBe(0);
  });

  it('says how numbers were read, the rows left out for a blank outcome, the yes value, and the child ID it used', async () => {
    const out = path.join(dir, 'r.json');
    const { code, err } = await evaluate(['--data', file, '--outcome', 'outcome', '--split', 'random', ...quick, '--json', out]);
    expect(code).toBe(0);
    expect(err).toMatch(/note: column 'share': percentages \(45%\) were read as the number before the % sign \(45\)/);
    expect(err).toMatch(/note: column 'amount': numbers written with thousands separators \(1,234\) were read as numbers/);
    expect(err).toMatch(/left out: 6 rows with a blank outcome 'outcome' \(never counted as no\)/);
    expect(err).toMatch(/outcome 'outcome': '1' read as yes \(\d+ rows\) and '0' as no \(\d+ rows\)/);
    expect(err).toMatch(/child ID: 'child_id' \(read as an identifier; 120 of its values appear on more than one row\), so each child is kept on one side of the split and resampled whole/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.task.split.method ?? report.task.split.kind).toMatch(/grouped/);
  });

  it('reads a whole-number year as the decision date from its 1 January, and refuses other numbers with the reason', async () => {
    const ok = await evaluate(['--data', file, '--outcome', 'outcome', '--date', 'year', '--gap-days', '365', ...quick, '--json', path.join(dir, 'z.json')]);
    expect(ok.err).toMatch(/note: column 'year' read as dates for the decision date: whole years \(2019\) were read as the first day of that year/);
    expect(ok.code).toBe(0);
    const bad = await evaluate(['--data', file, '--outcome', 'outcome', '--date', 'checks', ...quick]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/column 'checks': --date names a column read as number, and none of its values is a date/);
  });

  it('escapes control bytes from the command line or the file in its messages', async () => {
    const { code, err } = await evaluate(['--data', file, '--outcome', 'x\u001b[2J\u202e', ...quick]);
    expect(code).toBe(2);
    expect(err).not.toMatch(/\u001b|\u202e/);
    expect(err).toContain('x\\x1b[2J\\u{202e}');
    expect(printable('a\tb\u0085c')).toBe('a\\x09b\\x85c');
  });
});
