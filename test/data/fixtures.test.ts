import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { stringColumn } from '../../src/lib/data/schema.ts';
import { sourceFromPath } from '../../src/cli/node-source.ts';
import { CASES, bigCsvChunks, type FixtureCase } from '../../scripts/make-fixtures.ts';

const root = path.resolve(__dirname, '../..');
const dir = path.join(root, 'test/fixtures');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as FixtureCase[];

describe('nasty-file corpus (test/fixtures, made by scripts/make-fixtures.ts)', () => {
  it('matches what the script makes now', () => {
    expect(manifest).toEqual(CASES.map(([c]) => c));
    for (const [c, b] of CASES) expect(new Uint8Array(readFileSync(path.join(dir, c.file)))).toEqual(b);
  });

  for (const c of manifest) {
    it(`${c.file}: ${'error' in c.expect ? `fails with ${c.expect.error.code}` : 'reads every cell'}`, async () => {
      for (const chunk of [7, 1 << 20]) {
        const r = await loadTable(sourceFromBytes(c.file, new Uint8Array(readFileSync(path.join(dir, c.file))), chunk));
        if ('error' in c.expect) {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error).toMatchObject({ ...c.expect.error, file: c.file });
          continue;
        }
        if (!r.ok) throw new Error(r.error.message);
        const t = r.value;
        expect(t.columns.map((x) => x.name)).toEqual(Object.keys(c.expect.columns));
        for (const [col, want] of Object.entries(c.expect.columns)) expect(stringColumn(t.table, col)).toEqual(want);
        for (const [col, type] of Object.entries(c.expect.types ?? {})) expect(t.columns.find((x) => x.name === col)!.type).toBe(type);
        expect(t.report.issues.map((e) => e.code)).toEqual(c.expect.issues ?? []);
        for (const e of t.report.issues) expect(e.file).toBe(c.file);
        if (c.expect.encoding) expect(t.report.encoding).toBe(c.expect.encoding);
      }
    });
  }
});

function checkBig(text: string, t: Awaited<ReturnType<typeof loadTable>>): void {
  if (!t.ok) throw new Error(t.error.message);
  const lines = text.trimEnd().split('\n');
  const names = lines[0].split(',');
  expect(t.value.report.rows).toBe(lines.length - 1);
  expect(t.value.columns.map((c) => c.type)).toEqual(names.map((n) => (n.startsWith('num') ? 'number' : n.startsWith('cat') ? 'category' : n.startsWith('date') ? 'date' : 'code')));
  const cols = names.map((n) => stringColumn(t.value.table, n));
  // One expect per cell would take minutes at this size: collect mismatches instead.
  const bad: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    for (let j = 0; j < names.length; j++) {
      const want = cells[j];
      const got = cols[j][i - 1];
      let same: boolean;
      if (names[j].startsWith('num')) same = Number(got) === Number(want);
      else if (names[j].startsWith('date')) {
        const [d, m, y] = want.split('/').map(Number);
        same = got === String(Date.UTC(y, m - 1, d));
      } else same = got === want;
      if (!same && bad.length < 5) bad.push(`row ${i + 1} ${names[j]}: ${got} != ${want}`);
    }
  }
  expect(bad).toEqual([]);
}

describe('large files', () => {
  it('a 20 MB CSV loads cell by cell in small chunks', async () => {
    const parts: string[] = [];
    bigCsvChunks(80_000, (s) => parts.push(s));
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(19e6);
    checkBig(text, await loadTable(sourceFromBytes('big-20mb.csv', new TextEncoder().encode(text), 1 << 20)));
  });

  const big = path.join(dir, 'generated/big-200mb.csv');
  it.skipIf(!existsSync(big) && !process.env.CANDOUR_BIG_TESTS)('the 200 MB CSV (npx tsx scripts/make-fixtures.ts --big)', async () => {
    checkBig(readFileSync(big, 'utf8'), await loadTable(sourceFromPath(big)));
  }, 300_000);
});
