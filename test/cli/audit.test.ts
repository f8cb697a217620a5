import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/audit.ts';
import type { Bundle, SubgroupResult } from '../../src/lib/bundle/schema.ts';
import { captureOutput } from './output.ts';

const repoRoot = path.resolve(__dirname, '../..');
const compas = path.resolve(repoRoot, '../shared/data/compas/compas_all.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'candour-audit-'));

const io = captureOutput();

function csv(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** ProPublica's table for COMPAS "Medium/High" (decile >= 5) against two-year recidivism. */
const PROPUBLICA = {
  'African-American': { tp: 1369, fp: 805, fn: 532, tn: 990, fpr: 0.4485, fnr: 0.2799 },
  Caucasian: { tp: 505, fp: 349, fn: 461, tn: 1139, fpr: 0.2345, fnr: 0.4772 },
};

function checkPropublica(bundle: Bundle): void {
  const subs = bundle.results[0].subgroups;
  for (const [group, want] of Object.entries(PROPUBLICA)) {
    const s = subs.find((x) => x.attribute === 'race' && x.group === group) as SubgroupResult;
    const a = s.atThreshold;
    expect({ tp: a.tp, fp: a.fp, fn: a.fn, tn: a.tn }).toEqual({ tp: want.tp, fp: want.fp, fn: want.fn, tn: want.tn });
    expect(Math.round(a.fpr! * 10000) / 10000).toBe(want.fpr);
    expect(Math.round(a.fnr! * 10000) / 10000).toBe(want.fnr);
  }
}

describe('candour audit on COMPAS reproduces ProPublica', () => {
  it('in-process: counts and error rates by race, and the FPR disparity is flagged', async () => {
    const code = await run(['--data', compas, '--outcome', 'two_year_recid', '--score', 'decile_score', '--threshold', '5', '--group', 'race', '--replicates', '100']);
    expect(io.err()).not.toMatch(/left out/);
    expect(code).toBe(0);
    const bundle = JSON.parse(io.out()) as Bundle;
    expect(bundle.schema).toBe('candour.bundle/2');
    expect(bundle.data.rows).toBe(7214);
    expect(bundle.task.operatingPoint.threshold).toBe(5);
    expect(bundle.results[0].model).toBe('external');
    checkPropublica(bundle);
    const cau = bundle.results[0].subgroups.find((x) => x.group === 'Caucasian')!;
    // Reference is the largest group (African-American); Caucasian FPR is about half of it.
    expect(cau.disparity.fpr!.reference).toBe('African-American');
    expect(cau.disparity.fpr!.ratio).toBeCloseTo(0.2345430 / 0.4484680, 5);
    expect(cau.disparity.fpr!.verdict).toBe('disparity');
    expect(cau.disparity.fnr!.verdict).toBe('disparity');
    expect(bundle.results[0].subgroups.find((x) => x.group === 'Native American')!.small).toBe(true);
    expect(bundle.data.columns.find((c) => c.name === 'priors_count')).toEqual({ name: 'priors_count', role: 'unused', type: 'number' });
    const { validateBundle } = await import('../../src/lib/bundle/validate.ts');
    expect(validateBundle(bundle).ok).toBe(true);
  });
  it('through the command, writing --json', async () => {
    const json = path.join(dir, 'compas.json');
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'bin/candour.js'), 'audit', '--data', compas, '--outcome', 'two_year_recid', '--score', 'decile_score', '--threshold', '5', '--group', 'race', '--group', 'sex', '--replicates', '20', '--json', json],
      { cwd: repoRoot },
    );
    expect(stderr).toMatch(/wrote .*compas\.json/);
    const bundle = JSON.parse(readFileSync(json, 'utf8')) as Bundle;
    checkPropublica(bundle);
    expect(bundle.results[0].subgroups.filter((s) => s.attribute === 'sex').map((s) => s.group).sort()).toEqual(['Female', 'Male']);
  }, 60_000);
});

describe('candour audit bad input -> exit 2 with one line naming the problem', () => {
  const good = 'y,score,g\n1,0.9,a\n0,0.2,b\n1,0.7,a\n0,0.4,b\n';
  it('missing column', async () => {
    const code = await run(['--data', csv('a.csv', good), '--outcome', 'y', '--score', 'risk']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/column 'risk': no column named 'risk' \(columns: y, score, g\)/);
    // Reading progress aside, the failure is one line.
    expect(io.err().trim().split('\n').filter((l) => l.startsWith('candour audit:'))).toHaveLength(1);
  });
  it('missing group column', async () => {
    expect(await run(['--data', csv('a.csv', good), '--outcome', 'y', '--score', 'score', '--group', 'sex'])).toBe(2);
    expect(io.err()).toMatch(/no column named 'sex'/);
  });
  it('non-binary outcome names the values seen', async () => {
    const code = await run(['--data', csv('b.csv', 'y,score\n1,0.9\n2,0.3\n0,0.1\n'), '--outcome', 'y', '--score', 'score']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/b\.csv, column 'y': the outcome must have two values \(yes\/no\), but 'y' has 3: '1', '2', '0'/);
  });
  it('two values that are not 0/1 need --positive, then work', async () => {
    const p = csv('c.csv', 'y,score\nplan,0.9\nnone,0.3\nplan,0.6\nnone,0.1\n');
    expect(await run(['--data', p, '--outcome', 'y', '--score', 'score'])).toBe(2);
    expect(io.err()).toMatch(/--positive/);
    io.clear();
    expect(await run(['--data', p, '--outcome', 'y', '--score', 'score', '--positive', 'plan', '--replicates', '10'])).toBe(0);
    expect((JSON.parse(io.out()) as Bundle).data.positives).toBe(2);
  });
  it('non-numeric score names row and value', async () => {
    const code = await run(['--data', csv('d.csv', 'y,score\n1,0.9\n0,high\n'), '--outcome', 'y', '--score', 'score']);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/d\.csv, row 3, column 'score': the score must be a number, but row 3 has 'high'/);
  });
  it('missing file', async () => {
    expect(await run(['--data', path.join(dir, 'nope.csv'), '--outcome', 'y', '--score', 's'])).toBe(2);
    expect(io.err()).toMatch(/nope\.csv: no such file$/m);
  });
  it('a short row is read as the app reads it (missing cells blank), noted and counted, never silently', async () => {
    expect(await run(['--data', csv('e.csv', 'y,score\n1,0.9\n0\n'), '--outcome', 'y', '--score', 'score', '--replicates', '5'])).toBe(0);
    expect(io.err()).toMatch(/notes: 1 short-row/);
    expect(io.err()).toMatch(/left out 1 of 2 rows \(0 with no outcome, 1 with no score\)/);
  });
  it('missing flags and bad numbers are usage errors', async () => {
    expect(await run(['--outcome', 'y'])).toBe(2);
    expect(io.err()).toMatch(/--data is required/);
    expect(await run(['--data', 'x', '--outcome', 'y', '--score', 's', '--threshold', 'abc'])).toBe(2);
    expect(io.err()).toMatch(/--threshold must be a number/);
  });
  it('--bundle writes a shareable HTML file that reads back with its integrity', async () => {
    const lines = ['y,score,g'];
    for (let i = 0; i < 200; i++) lines.push(`${i % 4 === 0 ? 1 : 0},${((i * 37) % 100) / 100},${i % 3 === 0 ? 'a' : 'b'}`);
    const html = path.join(dir, 'audit.html');
    expect(await run(['--data', csv('h.csv', lines.join('\n')), '--outcome', 'y', '--score', 'score', '--group', 'g', '--replicates', '10', '--bundle', html])).toBe(0);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/wrote .*audit\.html \(shareable/);
    const { readBundleFromHtml } = await import('../../src/lib/bundle/read.ts');
    const text = readFileSync(html, 'utf8');
    expect(text).toMatch(/Content-Security-Policy/);
    const back = readBundleFromHtml(text);
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.value.disclosure).toBeDefined();
      expect(back.value.results[0].subgroups.map((s) => s.group)).toEqual(['a', 'b']);
      // The operating tables the report's icon array and live control draw from, as in any app report.
      expect(back.value.results[0].curves?.operating?.length).toBeGreaterThan(0);
      expect(back.value.results[0].subgroups.every((s) => Array.isArray(s.operating) && s.operating.length > 0)).toBe(true);
    }
  });
  it('blank outcomes and scores are left out and counted, never silently', async () => {
    const code = await run(['--data', csv('f.csv', 'y,score,g\n1,0.9,a\n,0.5,a\n0,,b\n0,0.1,b\n1,0.8,b\n0,0.3,a\n'), '--outcome', 'y', '--score', 'score', '--group', 'g', '--replicates', '10']);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/left out 2 of 6 rows \(1 with no outcome, 1 with no score\)/);
    const b = JSON.parse(io.out()) as Bundle;
    expect(b.data.rows).toBe(4);
    expect(b.data.excluded).toEqual({ missingOutcome: 1, missingScore: 1 });
  });
});

describe('candour audit grouping flags', () => {
  it('age bands, ethnicity major groups, intersections and a chosen reference', async () => {
    const lines = ['y,score,age,eth,sex'];
    const eths = ['WBRI', 'a) WBRI', 'Black Caribbean', 'AIND', 'zz'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 3 === 0 ? 1 : 0},${(i % 7) / 7},${i % 18},${eths[i % 5]},${i % 2 ? 'F' : 'M'}`);
    const code = await run([
      '--data', csv('g.csv', lines.join('\n')), '--outcome', 'y', '--score', 'score', '--age', 'age', '--ethnicity', 'eth', '--group', 'sex',
      '--intersect', 'eth (major group),sex', '--reference', 'sex=F', '--replicates', '10',
    ]);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/12 ethnicity value\(s\) in 'eth' not recognised \(e\.g\. 'zz'\)/);
    const subs = (JSON.parse(io.out()) as Bundle).results[0].subgroups;
    expect(new Set(subs.filter((s) => s.attribute === 'age (band)').map((s) => s.group))).toEqual(new Set(['under 1', '1-4', '5-9', '10-15', '16+']));
    expect(subs.filter((s) => s.attribute === 'eth (major group)').map((s) => [s.group, s.n])).toEqual([['White', 24], ['Black', 12], ['Asian', 12], ['Unrecognised', 12]]);
    expect(subs.some((s) => s.attribute === 'eth (major group) × sex' && s.group === 'White × M')).toBe(true);
    expect(subs.find((s) => s.attribute === 'sex' && s.group === 'F')!.isReference).toBe(true);
  });
});

describe('candour audit options', () => {
  const lines = ['id,y,score,eth'];
  const eths = ['WBRI', 'a) WBRI', 'BCRB', 'AIND', 'White Irish'];
  for (let i = 0; i < 80; i++) lines.push(`c${Math.floor(i / 2)},${i % 3 === 0 ? 1 : 0},${((i * 37) % 100) / 100},${eths[i % 5]}`);
  const text = lines.join('\n');
  it('a tolerance band that does not contain 1 is exit 2', async () => {
    expect(await run(['--data', csv('o.csv', text), '--outcome', 'y', '--score', 'score', '--tolerance', '1.1,1.3', '--replicates', '5'])).toBe(2);
    expect(io.err()).toMatch(/invalid tolerance: \[1\.1, 1\.3\]/);
  });
  it('--id resamples whole clusters; --ethnicity-code groups by code; --what-if adds group thresholds', async () => {
    const code = await run(['--data', csv('o.csv', text), '--outcome', 'y', '--score', 'score', '--id', 'id', '--ethnicity-code', 'eth', '--what-if', '--replicates', '10']);
    expect(code).toBe(0);
    const b = JSON.parse(io.out()) as Bundle;
    expect((b.task.bootstrap as { clustered: boolean }).clustered).toBe(true);
    expect(b.data.columns.find((c) => c.name === 'id')).toMatchObject({ role: 'id', type: 'id' });
    expect(b.results[0].subgroups.map((s) => s.group)).toEqual(['WBRI', 'BCRB', 'AIND', 'White Irish']);
    expect(io.err()).toMatch(/16 ethnicity value\(s\) in 'eth' not recognised .*audited as written/);
    const whatIf = b.results[0].whatIf as { attributes: { attribute: string; groups: unknown[] }[] };
    expect(whatIf.attributes[0].attribute).toBe('eth (code)');
    expect(whatIf.attributes[0].groups).toHaveLength(4);
  });
});

describe('candour audit with columns named like object properties', () => {
  it('audits groups called __proto__ and constructor, an outcome called hasOwnProperty and a score called valueOf', async () => {
    const lines = ['__proto__,constructor,hasOwnProperty,valueOf'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 2 ? 'a' : 'b'},${i % 3 ? 'x' : 'z'},${i % 4 === 0 ? 1 : 0},${((i * 37) % 100) / 100}`);
    const code = await run(['--data', csv('proto.csv', lines.join('\n')), '--outcome', 'hasOwnProperty', '--score', 'valueOf', '--group', '__proto__', '--group', 'constructor',
      '--intersect', '__proto__,constructor', '--reference', 'constructor=x', '--type', 'toString=number', '--replicates', '5']);
    expect(io.err()).toMatch(/--type names a column that is not in the file: 'toString'/);
    expect(code).toBe(2);
    io.clear();
    expect(await run(['--data', csv('proto.csv', lines.join('\n')), '--outcome', 'hasOwnProperty', '--score', 'valueOf', '--group', '__proto__', '--group', 'constructor',
      '--intersect', '__proto__,constructor', '--reference', 'constructor=x', '--replicates', '5'])).toBe(0);
    const b = JSON.parse(io.out()) as Bundle;
    expect([...new Set(b.results[0].subgroups.map((s) => s.attribute))]).toEqual(['__proto__', 'constructor', '__proto__ × constructor']);
    expect(b.results[0].subgroups.find((s) => s.attribute === 'constructor' && s.group === 'x')!.isReference).toBe(true);
  });
  it('an option called --__proto__ or --constructor is an unknown option', async () => {
    expect(await run(['--__proto__', 'x'])).toBe(2);
    expect(io.err()).toMatch(/unknown option --__proto__/);
    expect(await run(['--constructor', 'x'])).toBe(2);
    expect(io.err()).toMatch(/unknown option --constructor/);
  });
});

describe('candour audit on other formats', () => {
  it('names the row a spreadsheet shows: Excel with the header on row 3, CSV after a blank line', async () => {
    const { xlsxBytes } = await import('../../src/lib/data/xlsx-write.ts');
    const xlsx = path.join(dir, 'rows.xlsx');
    writeFileSync(xlsx, xlsxBytes([{ name: 'Cases', rows: [['Extract of 1 March'], [], ['y', 'score'], [1, 0.9], [0, 'high']] }]));
    expect(await run(['--data', xlsx, '--outcome', 'y', '--score', 'score'])).toBe(2);
    expect(io.err()).toMatch(/row 5, column 'score': the score must be a number, but row 5 has 'high'/);
    io.clear();
    expect(await run(['--data', csv('rows.csv', 'y,score\n1,0.9\n\n0,0.2\n1,high\n'), '--outcome', 'y', '--score', 'score'])).toBe(2);
    expect(io.err()).toMatch(/rows\.csv, row 5, column 'score'/);
  });

  it('reads Parquet through the shared loader', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'y', data: [1, 0, 1, 0, 1, 0], type: 'INT32' },
        { name: 'score', data: [0.9, 0.2, 0.7, 0.4, 0.6, 0.1], type: 'DOUBLE' },
        { name: 'g', data: ['a', 'b', 'a', 'b', 'a', 'b'], type: 'STRING' },
      ],
    });
    const p = path.join(dir, 't.parquet');
    writeFileSync(p, new Uint8Array(buf));
    expect(await run(['--data', p, '--outcome', 'y', '--score', 'score', '--group', 'g', '--replicates', '5'])).toBe(0);
    const b = JSON.parse(io.out()) as Bundle;
    expect(b.data.rows).toBe(6);
    expect(b.results[0].subgroups.map((s) => [s.group, s.n, s.atThreshold.tp])).toEqual([['a', 3, 3], ['b', 3, 0]]);
  });
});

