import { describe, expect, it } from 'vitest';
import { runEvaluation } from '../../src/lib/run/evaluate-run.ts';
import { generateCases } from '../../src/lib/synth/generate.ts';
import { scenarioFrom } from '../../src/lib/synth/scenarios.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';
import { validateBundle } from '../../src/lib/bundle/validate.ts';

function synthetic(preset: Parameters<typeof scenarioFrom>[0], rows: number, seed: number) {
  const { table } = generateCases(scenarioFrom(preset, { rows, seed }));
  const columns: ColumnInfo[] = table.schema.fields.map((f) => {
    const type: ColumnInfo['type'] = ['child_id', 'referral_id'].includes(f.name) ? 'id' : f.name === 'note' ? 'text' : f.name === 'referral_date' ? 'date' : /Utf8|Dictionary/.test(String(f.type)) ? 'category' : 'number';
    return { name: f.name, type, inferredType: type };
  });
  return { table, columns };
}

const base: EvaluateSpec = {
  outcome: 'outcome',
  models: ['baseline', 'logistic', 'gbdt'],
  split: { kind: 'temporal', date: 'referral_date' },
  date: 'referral_date',
  id: 'child_id',
  groups: ['gender', 'ethnicity_group'],
  text: [],
  drop: ['referral_id'],
  seed: 3,
  replicates: 100,
};

describe('runEvaluation', () => {
  it('trains, evaluates and audits on a temporal split, producing a valid report', async () => {
    const { table, columns } = synthetic('realistic', 3000, 1);
    const phases = new Set<string>();
    const r = await runEvaluation(table, columns, base, { name: 'synthetic.csv', fingerprint: 'abc', createdAt: '2026-01-01T00:00:00Z' }, (p) => phases.add(p.kind === 'phase' ? p.phase : 'epoch'));
    if (!r.ok) throw new Error(r.error.message);
    const b = r.value;
    expect(b.results.map((x) => x.model)).toEqual(['baseline', 'logistic', 'gbdt']);
    const baseline = b.results[0];
    const logistic = b.results[1];
    // The baseline is the chance line: AP equals the test prevalence.
    expect(baseline.metrics.averagePrecision.value).toBeCloseTo(baseline.metrics.prevalence!, 10);
    expect(logistic.metrics.averagePrecision.value!).toBeGreaterThan(baseline.metrics.averagePrecision.value! + 0.05);
    expect(logistic.subgroups.some((s) => s.attribute === 'gender')).toBe(true);
    expect(logistic.curves?.operating).toHaveLength(100);
    expect((b.task.split as { method: string }).method).toBe('temporal');
    expect(b.comparisons).toBeDefined();
    expect(phases.has('fitting') && phases.has('evaluating')).toBe(true);
    // The report must cross a worker boundary intact: structured clone refuses functions.
    expect(() => structuredClone(b)).not.toThrow();
    const coefficients = logistic.coefficients as { name: string; value: number; lo: number | null }[];
    expect(coefficients.length).toBeGreaterThan(5);
    expect(coefficients[0].lo).not.toBeNull();
    const valid = validateBundle(JSON.parse(JSON.stringify(b)));
    expect(valid.ok ? [] : valid.error.message).toEqual([]);
  });

  it('shows that text helps when the notes carry signal (paired difference above zero)', async () => {
    const { table, columns } = synthetic('text-that-helps', 4000, 2);
    const r = await runEvaluation(table, columns, { ...base, models: ['logistic'], text: ['note'], groups: [] }, { name: 's', fingerprint: 'f' });
    if (!r.ok) throw new Error(r.error.message);
    const cmp = (r.value.comparisons as { a: string; b: string; difference: { value: number; lo: number } }[]).find((c) => c.a.includes('text'));
    expect(cmp).toBeDefined();
    expect(cmp!.difference.lo).toBeGreaterThan(0);
  });

  it('refuses unknown columns and a missing outcome column with a clear message', async () => {
    const { table, columns } = synthetic('realistic', 300, 1);
    const r1 = await runEvaluation(table, columns, { ...base, groups: ['nope'] }, { name: 'x.csv', fingerprint: 'f' });
    expect(!r1.ok && r1.error).toMatchObject({ code: 'missing-column', column: 'nope', file: 'x.csv' });
    const r2 = await runEvaluation(table, columns, { ...base, outcome: 'gone' }, { name: 'x.csv', fingerprint: 'f' });
    expect(!r2.ok && r2.error.code).toBe('missing-column');
  });

  it('k-fold scores every case once, out of fold', async () => {
    const { table, columns } = synthetic('realistic', 1000, 4);
    const r = await runEvaluation(table, columns, { ...base, models: ['logistic'], split: { kind: 'kfold', folds: 3 }, groups: [] }, { name: 's', fingerprint: 'f' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.data.testRows).toBe(r.value.data.rows);
    expect((r.value.task.split as { k: number }).k).toBe(3);
  });
});
