import { describe, expect, it } from 'vitest';
import { runEvaluation } from '../../src/lib/run/evaluate-run.ts';
import { generateCases } from '../../src/lib/synth/generate.ts';
import { scenarioFrom } from '../../src/lib/synth/scenarios.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { validateBundle } from '../../src/lib/bundle/validate.ts';
import { stringColumn, type ColumnInfo } from '../../src/lib/data/schema.ts';
import { countOf } from '../../src/lib/bundle/disclosure-run.ts';

describe('disclosure of a training run', () => {
  it('keeps comparisons and a short training record, perturbs counts like the tables and keeps dates to the month', async () => {
    const { table } = generateCases(scenarioFrom('realistic', { rows: 2000, seed: 5 }));
    const columns: ColumnInfo[] = table.schema.fields.map((f) => {
      const type: ColumnInfo['type'] = /_id$/.test(f.name) ? 'id' : f.name === 'note' ? 'text' : f.name === 'referral_date' ? 'date' : /Utf8|Dictionary/.test(String(f.type)) ? 'category' : 'number';
      return { name: f.name, type, inferredType: type };
    });
    const r = await runEvaluation(table, columns, {
      outcome: 'outcome', models: ['baseline', 'logistic'], split: { kind: 'temporal', date: 'referral_date' }, date: 'referral_date',
      id: 'child_id', groups: ['gender'], text: [], drop: [], seed: 1, replicates: 50,
    }, { name: 's.csv', fingerprint: 'f' });
    if (!r.ok) throw new Error(r.error.message);
    const shared = shareableBundle(r.value);
    const text = JSON.stringify(shared);
    const valid = validateBundle(JSON.parse(text));
    expect(valid.ok ? [] : valid.error.message).toEqual([]);
    expect((shared.comparisons as unknown[]).length).toBeGreaterThan(0);
    const training = shared.results[1].training as { engine: string; curve: unknown[] };
    expect(training.engine).toBe('typed-arrays');
    expect(training.curve.length).toBeLessThanOrEqual(51);
    // The test rows are the models' population: the same cell, the same published (perturbed) count.
    expect(shared.data.testRows).toBe(shared.results[0].curves!.operating!.find((row) => row.topPct === 100)!.nFlagged);
    // No single referral date survives: the split description is kept to the month.
    const dates = new Set(stringColumn(table, 'referral_date').map((ms) => new Date(Number(ms)).toISOString().slice(0, 10)));
    for (const d of dates) expect(text.includes(d), d).toBe(false);
  });

  it('withholds small counts and rounds the others', () => {
    const o = { threshold: 10, rounding: 5, rateDecimals: 3 };
    expect(countOf(7, o)).toBeNull();
    expect(countOf(12, o)).toBe(10);
    expect(countOf(13, o)).toBe(15);
    expect(countOf('x', o)).toBeNull();
  });
});
