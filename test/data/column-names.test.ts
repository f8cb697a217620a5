/**
 * Column names are data, not object keys. A column called `__proto__`, `constructor`,
 * `hasOwnProperty`, `toString` or `valueOf` goes through every format (CSV, Parquet, Excel,
 * Arrow) and every step (load, inspect and role guesses, retype, audit, evaluation, shareable
 * bundle and back) like any other name: no crash, no hang, no column lost or mistyped.
 */
import { tableToIPC, makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadTable, retype } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { xlsxBytes } from '../../src/lib/data/xlsx-write.ts';
import { stringVector, tableOfColumns } from '../../src/lib/data/arrow-vectors.ts';
import { recordOf } from '../../src/lib/data/names.ts';
import { inspectTable } from '../../workers/quality.ts';
import { runAudit } from '../../src/lib/run/audit-run.ts';
import { runEvaluation } from '../../src/lib/run/evaluate-run.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { bundleHtml } from '../../src/lib/bundle/write-html.ts';
import { readBundleFromHtml } from '../../src/lib/bundle/read.ts';

/** Group, group, outcome, feature, score: every role has a name an object already "has". */
const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'] as const;
const N = 120;
const cols = {
  group: Array.from({ length: N }, (_, i) => (i % 2 ? 'a' : 'b')),
  group2: Array.from({ length: N }, (_, i) => (i % 3 ? 'x' : 'z')),
  outcome: Array.from({ length: N }, (_, i) => (i % 4 === 0 || i % 7 === 0 ? 1 : 0)),
  feature: Array.from({ length: N }, (_, i) => (i * 13) % 17),
  score: Array.from({ length: N }, (_, i) => ((i * 37) % 100) / 100),
};
const rows = Array.from({ length: N }, (_, i) => [cols.group[i], cols.group2[i], cols.outcome[i], cols.feature[i], cols.score[i]]);

async function fileOf(format: string): Promise<[string, Uint8Array]> {
  if (format === 'csv') return ['names.csv', new TextEncoder().encode([NAMES.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n')];
  if (format === 'xlsx') return ['names.xlsx', xlsxBytes([{ name: 'Cases', rows: [[...NAMES], ...rows] }])];
  if (format === 'arrow') {
    const table = tableOfColumns([
      [NAMES[0], stringVector(cols.group)],
      [NAMES[1], stringVector(cols.group2)],
      [NAMES[2], makeVector(Int32Array.from(cols.outcome))],
      [NAMES[3], makeVector(Float64Array.from(cols.feature))],
      [NAMES[4], makeVector(Float64Array.from(cols.score))],
    ]);
    return ['names.arrow', tableToIPC(table, 'file')];
  }
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buf = parquetWriteBuffer({
    columnData: [
      { name: NAMES[0], data: cols.group, type: 'STRING' },
      { name: NAMES[1], data: cols.group2, type: 'STRING' },
      { name: NAMES[2], data: cols.outcome, type: 'INT32' },
      { name: NAMES[3], data: cols.feature, type: 'DOUBLE' },
      { name: NAMES[4], data: cols.score, type: 'DOUBLE' },
    ],
  });
  return ['names.parquet', new Uint8Array(buf)];
}

describe.each(['csv', 'parquet', 'xlsx', 'arrow'])('columns named like object properties, in %s', (format) => {
  it('load -> inspect and role guesses -> retype -> audit and evaluation -> shareable bundle', async () => {
    const [name, bytes] = await fileOf(format);
    const loaded = await loadTable(sourceFromBytes(name, bytes));
    if (!loaded.ok) throw new Error(loaded.error.message);
    const { table, columns } = loaded.value;
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['__proto__', 'category'], ['constructor', 'category'], ['hasOwnProperty', expect.any(String)], ['toString', 'number'], ['valueOf', 'number'],
    ]);
    expect(table.getChild('__proto__')?.get(0)).toBe('b');

    const inspection = inspectTable(table, columns);
    expect(Object.hasOwn(inspection.levels, '__proto__')).toBe(true);
    expect(inspection.levels['__proto__'].map((l) => l.value).sort()).toEqual(['a', 'b']);
    expect(inspection.levels['constructor'].map((l) => l.value).sort()).toEqual(['x', 'z']);
    expect(Object.hasOwn(inspection.levels, 'valueOf')).toBe(false);

    const retyped = retype(loaded.value, recordOf([['toString', 'category']]));
    if (!retyped.ok) throw new Error(retyped.error.message);
    expect(retyped.value.columns.map((c) => c.type)).toEqual([...columns.slice(0, 3).map((c) => c.type), 'category', 'number']);
    expect(retyped.value.table.schema.fields.map((f) => f.name)).toEqual([...NAMES]);

    const ctx = { name, fingerprint: 'f', createdAt: '2026-01-01T00:00:00Z' };
    const common = { outcome: 'hasOwnProperty', positive: '1', groups: ['__proto__', 'constructor'], intersections: [['__proto__', 'constructor']] as [string, string][], reference: [{ attribute: 'constructor', group: 'z' }], seed: 1, replicates: 10 };
    const audit = runAudit(table, columns, { ...common, score: 'valueOf' }, ctx);
    if (!audit.ok) throw new Error(audit.error.message);
    const subs = audit.value.results[0].subgroups;
    expect(subs.map((s) => `${s.attribute}=${s.group}`)).toEqual(['__proto__=b', '__proto__=a', 'constructor=z', 'constructor=x', '__proto__ × constructor=b × z', '__proto__ × constructor=a × x', '__proto__ × constructor=b × x', '__proto__ × constructor=a × z']);
    expect(audit.value.data.columns.map((c) => c.role)).toEqual(['group', 'group', 'outcome', 'unused', 'score']);

    const ev = await runEvaluation(table, columns, { ...common, models: ['baseline', 'logistic'], split: { kind: 'random', testFraction: 0.3 }, text: [], drop: [] }, ctx);
    if (!ev.ok) throw new Error(ev.error.message);
    expect(ev.value.data.columns.map((c) => [c.name, c.role, typeof c.type])).toEqual([
      ['__proto__', 'group', 'string'], ['constructor', 'group', 'string'], ['hasOwnProperty', 'outcome', 'string'], ['toString', 'feature', 'string'], ['valueOf', 'feature', 'string'],
    ]);
    expect((ev.value.task.features as { numeric: string[] }).numeric.sort()).toEqual(['toString', 'valueOf']);

    for (const report of [audit.value, ev.value]) {
      const html = bundleHtml(shareableBundle(report), { js: '', css: '' });
      const back = readBundleFromHtml(html);
      if (!back.ok) throw new Error(back.error.message);
      expect(back.value.data.columns.map((c) => c.name)).toEqual([...NAMES]);
      expect(back.value.results.some((r) => r.subgroups.some((s) => s.attribute === '__proto__'))).toBe(true);
    }
  }, 60_000);
});

describe('a model input named like an object property', () => {
  it('maps onto its column and stays a column of the mapped table', async () => {
    const { mappedTable } = await import('../../src/lib/external/apply.ts');
    const table = tableOfColumns([['src', makeVector(Float64Array.from([1, 2, 3]))]]);
    const mapped = mappedTable(table, [
      { input: '__proto__', type: 'number', column: 'src', how: 'mapped' },
      { input: 'constructor', type: 'number', column: null, how: 'not recorded' },
    ]);
    expect(mapped.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'constructor']);
    expect(mapped.getChild('__proto__')?.toArray()).toEqual(Float64Array.from([1, 2, 3]));
    expect(mapped.getChild('constructor')?.get(0)).toBeNull();
  });
});
