import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAuditReport, dataFingerprint, type AuditProgress } from '../../src/lib/report/audit-report.ts';
import { evaluateScores } from '../../src/lib/evaluate/evaluate-scores.ts';
import { rng } from '../../src/lib/random.ts';
import { Cancelled } from '../../src/lib/errors.ts';

function cases(n: number, seed: number) {
  const r = rng(seed);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  const sex: string[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = r.bernoulli(0.25) ? 1 : 0;
    scores[i] = Math.min(1, Math.max(0, 0.3 + 0.3 * labels[i] + 0.2 * r.normal()));
    sex.push(r.next() < 0.5 ? 'F' : 'M');
  }
  return { labels, scores, sex };
}

const base = (n = 500, seed = 1) => {
  const { labels, scores, sex } = cases(n, seed);
  return {
    labels,
    scores,
    groups: [{ attribute: 'sex', values: sex }],
    threshold: 0.5,
    topPct: 10,
    replicates: 50,
    seed: 7,
    dataInfo: { name: 'cases.csv', fingerprint: 'abc', columns: [{ name: 'y', role: 'outcome', type: 'category' }] },
    task: { outcome: 'y', positive: '1', score: 's' },
    createdAt: '2025-01-01T00:00:00.000Z',
  };
};

describe('buildAuditReport', () => {
  it('is a candour.bundle/2 with one external result, subgroups filled and no verdict', () => {
    const input = base();
    const b = buildAuditReport(input);
    expect(b.schema).toBe('candour.bundle/2');
    expect(b.tool.name).toBe('candour');
    expect(b.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(b.preregistration).toBeNull();
    expect(b.results).toHaveLength(1);
    const r = b.results[0];
    expect(r.model).toBe('external');
    expect(r.features).toBeNull();
    expect(r.verdict).toBeNull();
    expect(r.subgroups.map((s) => s.group).sort()).toEqual(['F', 'M']);
    let positives = 0;
    for (const y of input.labels) positives += y;
    expect(b.data).toMatchObject({ name: 'cases.csv', rows: 500, positives, prevalence: positives / 500, fingerprint: 'abc' });
    expect(b.task).toMatchObject({ outcome: 'y', positive: '1', operatingPoint: { threshold: 0.5, topPct: 10 } });
    expect(JSON.stringify(b)).not.toMatch(/NaN|Infinity/);
  });
  it('overall numbers are evaluateScores\' with the same options', () => {
    const input = base();
    const ev = evaluateScores(input.labels, input.scores, { threshold: 0.5, topPct: 10, replicates: 50, seed: 7 });
    const r = buildAuditReport(input).results[0];
    expect(r.metrics.averagePrecision).toEqual(ev.metrics.averagePrecision);
    expect(r.atThreshold).toEqual(ev.atThreshold);
    expect(r.topK).toEqual(ev.topK);
  });
  it('subgroup counts add up to the whole', () => {
    const r = buildAuditReport(base()).results[0];
    const sum = (k: 'tp' | 'fp' | 'fn' | 'tn') => r.subgroups.reduce((s, g) => s + (g.atThreshold[k] ?? 0), 0);
    expect([sum('tp'), sum('fp'), sum('fn'), sum('tn')]).toEqual([r.atThreshold.tp, r.atThreshold.fp, r.atThreshold.fn, r.atThreshold.tn]);
    expect(r.subgroups.reduce((s, g) => s + (g.n ?? 0), 0)).toBe(500);
  });
  it('is reproducible for a seed', () => {
    expect(JSON.stringify(buildAuditReport(base()))).toBe(JSON.stringify(buildAuditReport(base())));
  });
  it('records a preregistration as given', () => {
    const prereg = { criteria: [{ metric: 'averagePrecision' as const, op: '>=' as const, value: 0.5 }], sha256: 'f'.repeat(64), lockedAt: '2024-12-01T00:00:00Z' };
    expect(buildAuditReport({ ...base(), preregistration: prereg }).preregistration).toEqual(prereg);
  });
  it('reports progress for both phases and can be cancelled', () => {
    const seen: AuditProgress[] = [];
    buildAuditReport({ ...base(), onProgress: (p) => seen.push(p) });
    expect(seen.some((p) => p.phase === 'overall')).toBe(true);
    expect(seen.filter((p) => p.phase === 'subgroups').at(-1)).toEqual({ phase: 'subgroups', done: 50, total: 50 });
    const token = { cancelled: false };
    expect(() => buildAuditReport({ ...base(), cancel: token, onProgress: (p) => { if (p.phase === 'subgroups') token.cancelled = true; } })).toThrow(Cancelled);
  });
  it('rejects empty input and mismatched lengths', () => {
    expect(() => buildAuditReport({ ...base(), labels: new Uint8Array(0), scores: new Float64Array(0), groups: [] })).toThrow(/no cases/);
    expect(() => buildAuditReport({ ...base(), scores: new Float64Array(3) })).toThrow(/differ in length/);
  });
});

describe('dataFingerprint', () => {
  it('is the SHA-256 hex of the bytes (checked against node:crypto)', () => {
    for (const text of ['', 'abc', 'y,score\n1,0.9\n'.repeat(1000)]) {
      const bytes = new TextEncoder().encode(text);
      expect(dataFingerprint(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(dataFingerprint(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
