import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { runAudit } from '../../src/lib/run/audit-run.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import { rng } from '../../src/lib/random.ts';

function fixture(n: number, seed: number) {
  const r = rng(seed);
  const y: string[] = [], score: number[] = [], sex: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = r.normal();
    y.push(r.bernoulli(1 / (1 + Math.exp(-(s - 1)))) ? 'Yes' : 'No');
    score.push(Math.round((s + 3) * 10) / 10);
    sex.push(r.bernoulli(0.5) ? 'Female' : 'Male');
  }
  const table = tableFromArrays({ y, score: Float64Array.from(score), sex });
  const columns: ColumnInfo[] = ['y', 'score', 'sex'].map((name) => ({ name, type: name === 'score' ? 'number' : 'category', inferredType: 'category' }));
  return { table, columns };
}

describe('runAudit', () => {
  it('builds a report with overall and subgroup operating tables that add up', () => {
    const { table, columns } = fixture(400, 1);
    const r = runAudit(table, columns, { outcome: 'y', score: 'score', groups: ['sex'], seed: 1, replicates: 50, threshold: 3 }, { name: 'x.csv', fingerprint: 'f', createdAt: '2026-01-01T00:00:00Z' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const result = r.value.results[0];
    expect(result.model).toBe('external');
    const op = result.curves?.operating;
    expect(op).toHaveLength(100);
    const groups = result.subgroups.filter((s) => s.attribute === 'sex');
    expect(groups).toHaveLength(2);
    for (const k of [0, 9, 49]) {
      const sum = groups.reduce((a, g) => a + ((g.operating as { tp: number }[])[k].tp), 0);
      expect(sum).toBe(op![k].tp);
    }
    expect(r.value.data.columns.find((c) => c.name === 'score')?.role).toBe('score');
  });

  it('names the row of a score that is not a number', () => {
    const table = tableFromArrays({ y: ['1', '0', '1'], score: ['0.2', 'high', '0.9'] });
    const r = runAudit(table, [], { outcome: 'y', score: 'score', groups: [], seed: 1, replicates: 0 }, { name: 'v.csv', fingerprint: 'f' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'not-numeric', row: 3, column: 'score', file: 'v.csv' });
  });

  it('names a missing group column', () => {
    const { table, columns } = fixture(20, 2);
    const r = runAudit(table, columns, { outcome: 'y', score: 'score', groups: ['race'], seed: 1 }, { name: 'x.csv', fingerprint: 'f' });
    expect(!r.ok && r.error.column).toBe('race');
  });
});
