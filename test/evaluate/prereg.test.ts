import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalJson, criterionProblem, criterionStatistic, estimateCriterion, judgeCriteria, judgeEstimate,
  lockedText, lockPreregistration, overallVerdict, postHoc, sha256Hex, verifyPreregistration, type Criterion,
} from '../../src/lib/evaluate/prereg.ts';
import { averagePrecision } from '../../src/lib/evaluate/metrics.ts';
import { AppFailure } from '../../src/lib/errors.ts';
import { rng } from '../../src/lib/random.ts';

const apAtLeast = (value: number): Criterion => ({ metric: 'averagePrecision', op: '>=', value });
const precisionAtRecall: Criterion = { metric: 'precision', at: { recall: 0.5 }, op: '>=', value: 0.5 };

describe('locking', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 'é' }], c: undefined } })).toBe('{"a":{"d":[1,{"x":"é","y":2}]},"b":1}');
  });
  it('SHA-256 is the standard digest (FIPS 180-2 "abc" vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('the lock hash equals sha256sum of the canonical bytes, whatever the key order', async () => {
    const config = { topPct: 10, threshold: 0.5, models: ['logistic'], seed: 1, note: '£ and é' };
    const lock = await lockPreregistration([apAtLeast(0.65), precisionAtRecall], 'fp:abc123', config, new Date('2026-01-02T03:04:05Z'));
    const dir = mkdtempSync(join(tmpdir(), 'prereg-'));
    const file = join(dir, 'locked.json');
    writeFileSync(file, lockedText(lock.criteria, 'fp:abc123', config), 'utf8');
    const sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    expect(lock.sha256).toBe(sum);
    expect(lock.lockedAt).toBe('2026-01-02T03:04:05.000Z');
    const reordered = await lockPreregistration([{ value: 0.65, op: '>=', metric: 'averagePrecision' }, precisionAtRecall], 'fp:abc123', { seed: 1, models: ['logistic'], threshold: 0.5, topPct: 10, note: '£ and é' });
    expect(reordered.sha256).toBe(lock.sha256);
  });
  it('verification fails when criteria, data or configuration change', async () => {
    const lock = await lockPreregistration([apAtLeast(0.65)], 'fp:1', { topPct: 10 });
    expect(await verifyPreregistration(lock)).toBe(true);
    expect(await verifyPreregistration({ ...lock, criteria: [apAtLeast(0.6)] })).toBe(false);
    expect(await verifyPreregistration({ ...lock, dataFingerprint: 'fp:2' })).toBe(false);
    expect(await verifyPreregistration({ ...lock, config: { topPct: 20 } })).toBe(false);
  });
  it('refuses invalid, empty and post-hoc criteria', async () => {
    await expect(lockPreregistration([], 'fp', {})).rejects.toThrow(AppFailure);
    await expect(lockPreregistration([postHoc(apAtLeast(0.5))], 'fp', {})).rejects.toThrow(/post hoc/);
    await expect(lockPreregistration([{ metric: 'precision', op: '>=', value: 0.5 }], 'fp', {})).rejects.toThrow(/criterion 1: precision needs exactly one operating point/);
    expect(criterionProblem({ metric: 'rocAuc', op: '>=', value: 0.7, at: { topPct: 10 } })).toMatchObject({ code: 'invalid-criterion' });
    expect(criterionProblem({ metric: 'recall', op: '>=', value: 0.5, at: { recall: 0.5 } })).not.toBeNull();
    expect(criterionProblem({ metric: 'precision', op: '>=', value: 0.5, at: { topPct: 0 } })).not.toBeNull();
    expect(criterionProblem({ metric: 'nonsense' as 'rocAuc', op: '>=', value: 0.5 })).not.toBeNull();
    expect(criterionProblem(precisionAtRecall)).toBeNull();
  });
});

describe('criterion statistics (hand-worked)', () => {
  // Sorted by score: 1 0 1 0 1 1 ; four positives.
  const y = Uint8Array.from([1, 0, 1, 0, 1, 1]);
  const s = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
  const stat = (c: Criterion) => criterionStatistic(y, s, c)(undefined);
  it('precision at recall 0.5 is taken at the highest threshold reaching it: 2 of 3', () => {
    expect(stat(precisionAtRecall)).toBeCloseTo(2 / 3, 15);
    expect(stat({ ...precisionAtRecall, at: { recall: 1 } })).toBeCloseTo(4 / 6, 15);
  });
  it('rates at the top 50% (3 flagged) and at a threshold (4 flagged)', () => {
    expect(stat({ metric: 'precision', at: { topPct: 50 }, op: '>=', value: 0 })).toBeCloseTo(2 / 3, 15);
    expect(stat({ metric: 'recall', at: { topPct: 50 }, op: '>=', value: 0 })).toBeCloseTo(0.5, 15);
    expect(stat({ metric: 'precision', at: { threshold: 0.55 }, op: '>=', value: 0 })).toBeCloseTo(0.5, 15);
    expect(stat({ metric: 'fpr', at: { threshold: 0.55 }, op: '<=', value: 0 })).toBe(1);
    expect(stat({ metric: 'fnr', at: { threshold: 0.55 }, op: '<=', value: 0 })).toBe(0.5);
  });
  it('ranking metrics equal the metric functions', () => {
    expect(stat(apAtLeast(0))).toBe(averagePrecision(y, s));
  });
});

describe('judging', () => {
  const c: Criterion = apAtLeast(0.65);
  it('met only when the whole interval clears the bar, and says so', () => {
    const j = judgeEstimate(c, { value: 0.7, lo: 0.66, hi: 0.74 }, 1000);
    expect(j.status).toBe('met');
    expect(j.text).toBe('average precision at least 0.65: met. Estimate 0.70 (95% interval 0.66 to 0.74); the whole 95% interval is at or above 0.65.');
  });
  it('not met when the whole interval misses it', () => {
    expect(judgeEstimate(c, { value: 0.6, lo: 0.55, hi: 0.64 }).status).toBe('not met');
    expect(judgeEstimate({ metric: 'fpr', at: { topPct: 10 }, op: '<=', value: 0.1 }, { value: 0.2, lo: 0.15, hi: 0.25 }).status).toBe('not met');
  });
  it('inconclusive when the interval spans the bar, with the cases that would settle it', () => {
    // half-width 0.1, distance to the bar 0.05: the interval must shrink by 2, so 4× the cases.
    const j = judgeEstimate(c, { value: 0.6, lo: 0.5, hi: 0.7 }, 1000);
    expect(j.status).toBe('inconclusive');
    expect(j.casesNeeded).toBe(4000);
    expect(j.text).toContain('roughly 4,000 cases in all (now 1,000)');
    expect(judgeEstimate(c, { value: null, lo: null, hi: null }).status).toBe('inconclusive');
  });
  it('labels post-hoc criteria and leaves them out of the verdict', () => {
    const pre = judgeEstimate(c, { value: 0.7, lo: 0.66, hi: 0.74 });
    const late = judgeEstimate(postHoc(apAtLeast(0.9)), { value: 0.7, lo: 0.66, hi: 0.74 });
    expect(late.postHoc).toBe(true);
    expect(late.text.startsWith('Post hoc (set after results were seen): ')).toBe(true);
    expect(overallVerdict([pre, late])).toBe('met');
    expect(overallVerdict([late])).toBeNull();
    expect(overallVerdict([pre, judgeEstimate(c, { value: 0.6, lo: 0.5, hi: 0.7 })])).toBe('not met');
  });
  it('judges criteria on scores with bootstrap intervals', () => {
    const r = rng(5);
    const y = new Uint8Array(600), s = new Float64Array(600);
    for (let i = 0; i < 600; i++) (y[i] = r.bernoulli(0.3) ? 1 : 0), (s[i] = 1 / (1 + Math.exp(-(-1 + 1.5 * y[i] + r.normal()))));
    const [easy, hard, ...rest] = judgeCriteria([apAtLeast(0.3), apAtLeast(0.95), precisionAtRecall], y, s, { replicates: 200 });
    expect([easy.status, hard.status]).toEqual(['met', 'not met']);
    const e = estimateCriterion(y, s, precisionAtRecall, { replicates: 200 });
    expect(rest[0].estimate).toEqual(e);
    expect(e.lo!).toBeLessThanOrEqual(e.value!);
  });
});
