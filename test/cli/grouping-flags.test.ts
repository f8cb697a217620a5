import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupingOf } from '../../src/cli/grouping-flags.ts';
import { parseArgs } from '../../src/cli/args.ts';
import { GROUPING_FLAGS } from '../../src/cli/grouping-flags.ts';
import { run as evaluate } from '../../src/cli/evaluate.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { captureOutput } from './output.ts';

const FLAGS = { ...GROUPING_FLAGS, group: { kind: 'list' as const, help: '' } };

describe('grouping flags -> the run spec', () => {
  it('a column named by --group and --ethnicity is audited both ways; --age-bands sets the edges', () => {
    const args = parseArgs(['--group', 'eth', '--group', 'sex', '--ethnicity', 'eth', '--age', 'age', '--age-bands', '5,10', '--intersect', 'eth (major group), sex', '--reference', 'sex=F', '--what-if'], FLAGS);
    expect(groupingOf(args)).toEqual({
      groups: ['eth', 'sex', 'age'],
      grouping: [{ column: 'eth', kind: 'recorded' }, { column: 'age', kind: 'age-bands', edges: [5, 10] }, { column: 'eth', kind: 'ethnicity-major' }],
      intersections: [['eth (major group)', 'sex']],
      reference: [{ attribute: 'sex', group: 'F' }],
      whatIf: true,
    });
  });
  it('bad flags are usage errors', () => {
    expect(() => groupingOf(parseArgs(['--intersect', 'a'], FLAGS))).toThrow(/--intersect needs two/);
    expect(() => groupingOf(parseArgs(['--reference', 'a'], FLAGS))).toThrow(/ATTRIBUTE=GROUP/);
    expect(() => groupingOf(parseArgs(['--age-bands', '5,2'], FLAGS))).toThrow(/--age-bands/);
  });
});

describe('candour evaluate takes the same grouping flags as candour audit', () => {
  const io = captureOutput();
  it('audits ethnicity by major group, crossed with sex, against a chosen reference', async () => {
    const eths = ['WBRI', 'BCRB', 'AIND', 'White Irish'];
    const lines = ['y,x,eth,sex'];
    for (let i = 0; i < 200; i++) lines.push(`${i % 3 === 0 ? 1 : 0},${(i * 7) % 11},${eths[i % 4]},${i % 2 ? 'F' : 'M'}`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'candour-grouping-')), 'g.csv');
    writeFileSync(file, lines.join('\n'));
    const code = await evaluate(['--data', file, '--outcome', 'y', '--models', 'logistic', '--ethnicity', 'eth', '--group', 'sex', '--intersect', 'eth (major group),sex', '--reference', 'sex=F', '--replicates', '5']);
    expect(code).toBe(0);
    const b = JSON.parse(io.out()) as Bundle;
    const subs = b.results.find((r) => r.model === 'logistic')!.subgroups;
    expect([...new Set(subs.map((s) => s.attribute))]).toEqual(['sex', 'eth (major group)', 'eth (major group) × sex']);
    expect(subs.filter((s) => s.attribute === 'eth (major group)').map((s) => s.group).sort()).toEqual(['Asian', 'Black', 'White']);
    expect(subs.find((s) => s.attribute === 'sex' && s.group === 'F')!.isReference).toBe(true);
    expect(b.data.columns.find((c) => c.name === 'eth')!.role).toBe('group');
  }, 60_000);
});
