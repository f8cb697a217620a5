/**
 * Attacks on the Compare page's pooling, each with bundles the product writes: a failed file, an
 * unverified one, the same bundle twice, the same data twice, different questions.
 */
import { describe, it, expect } from 'vitest';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { withIntegrity } from '../../src/lib/bundle/integrity.ts';
import { createKeyFile, signBundle } from '../../src/lib/bundle/signing.ts';
import { openBundle, poolingPlan, poolOpened, trustOpened, POOL_METRICS, type OpenedBundle } from '../../src/lib/project/compare.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { exampleBundle } from './make-bundle.ts';

const counter = (start: number) => {
  let c = start;
  return (n: number) => Uint8Array.from({ length: n }, () => c++ & 255);
};
const A = createKeyFile(new Date(0), counter(1));
const B = createKeyFile(new Date(0), counter(50));
const TRUSTED = [A.ed25519.publicKey, B.ed25519.publicKey];

/** A council's shareable bundle: its own data (fingerprint) and its own key. */
function council(seed: number, key = seed % 2 ? A : B, edit?: (b: Bundle) => void): Bundle {
  const b = shareableBundle(exampleBundle(1500, seed));
  b.data.fingerprint = `sha256:${String(seed).padStart(64, '0')}`;
  edit?.(b);
  return signBundle(b, key);
}
const open = (file: string, b: Bundle, trusted = TRUSTED): OpenedBundle => openBundle(file, JSON.stringify(b), trusted);
const AP = POOL_METRICS.findIndex((m) => m.metric === 'averagePrecision');
const PRECISION_AT_T = POOL_METRICS.findIndex((m) => m.metric === 'precision' && m.operatingPoint === 'atThreshold');
const PRECISION_AT_POLICY = POOL_METRICS.findIndex((m) => m.metric === 'precision' && m.operatingPoint === 'atPolicy');
const pool = (opened: OpenedBundle[], includeUnverified = false, metric = AP) => poolOpened(opened, { metric, model: null, includeUnverified });

describe('pooling hygiene', () => {
  const one = council(1), two = council(2), three = council(3);

  it('pools three verified councils', () => {
    const r = pool([open('a.html', one), open('b.html', two), open('c.html', three)]);
    expect(r.kind).toBe('pooled');
    if (r.kind === 'pooled') expect(r.value.analysis.k).toBe(3);
  });

  it('never pools a file that failed its check, even when the reader includes unverified files', () => {
    const t = JSON.parse(JSON.stringify(three)) as Bundle;
    t.results[0].metrics.averagePrecision.value = 0.99;
    const opened = [open('a.html', one), open('b.html', two), open('t.html', t)];
    expect(opened[2].status).toBe('failed');
    for (const include of [false, true]) {
      const r = pool(opened, include);
      expect(r.kind === 'pooled' && r.value.analysis.k).toBe(2);
      expect(r.plan.candidates[2]).toMatchObject({ pooled: false });
      expect(r.plan.candidates[2].reason).toMatch(/failed its check.*never pooled/);
    }
  });

  it('pools a forged bundle (numbers edited, hash recomputed) only by explicit choice', () => {
    const forged = JSON.parse(JSON.stringify(three)) as Bundle;
    forged.results[0].metrics.averagePrecision.value = 0.99;
    const reHashed = withIntegrity(forged);
    const opened = [open('a.html', one), open('b.html', two), open('f.html', reHashed)];
    expect(opened[2].status).toBe('unsigned');
    const strict = pool(opened);
    expect(strict.kind === 'pooled' && strict.value.analysis.k).toBe(2);
    expect(strict.plan.candidates[2].reason).toMatch(/not signed.*only if you choose/);
    const chosen = pool(opened, true);
    expect(chosen.kind === 'pooled' && chosen.value.analysis.k).toBe(3);
  });

  it('does not pool a bundle signed by a key the reader has not trusted, until the key is trusted', () => {
    const opened = [open('a.html', one, []), open('b.html', two, [])];
    const r = pool(opened);
    expect(r.kind).toBe('too-few');
    expect(r.plan.candidates[0].reason).toMatch(/not marked as trusted/);
    const trusted = opened.map((o) => trustOpened(o, TRUSTED));
    expect(pool(trusted).kind).toBe('pooled');
  });

  it('counts the same bundle opened twice once, and says so', () => {
    const r = pool([open('a.html', one), open('b.html', two), open('a copy.html', one)]);
    expect(r.kind === 'pooled' && r.value.analysis.k).toBe(2);
    expect(r.plan.candidates[2].reason).toBe('it is the same bundle as a.html (opened twice); counted once');
  });

  it('counts two bundles of the same data once (same data fingerprint), even re-signed with another key', () => {
    const again = council(1, B, (b) => { b.createdAt = '2026-02-02T00:00:00.000Z'; });
    const r = pool([open('a.html', one), open('b.html', two), open('a-rerun.html', again)]);
    expect(r.kind === 'pooled' && r.value.analysis.k).toBe(2);
    expect(r.plan.candidates[2].reason).toMatch(/same data as a\.html.*counted once/);
  });

  it('refuses to pool different outcomes, saying why', () => {
    const other = council(3, A, (b) => { b.task.outcome = 'rereferral'; });
    const r = pool([open('a.html', one), open('b.html', two), open('c.html', other)]);
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.message).toMatch(/^Not pooled: the bundles measure different outcomes \(a\.html: “outcome” = 1; b\.html: “outcome” = 1; c\.html: “rereferral” = 1\)/);
  });

  it('refuses to pool different outcome windows, and cautions when one is not stated', () => {
    const w = (days: number | null) => (b: Bundle) => { (b.task as unknown as Record<string, unknown>).split = days === null ? { kind: 'random' } : { kind: 'temporal', gapDays: days }; };
    const r = pool([open('a.html', council(1, A, w(365))), open('b.html', council(2, B, w(180)))]);
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.message).toMatch(/outcome windows differ \(a\.html: 365 days; b\.html: 180 days\)/);
    const c = pool([open('a.html', council(1, A, w(365))), open('b.html', council(2, B, w(null)))]);
    expect(c.kind).toBe('pooled');
    expect(c.plan.cautions.join(' ')).toMatch(/not stated in b\.html; check it is 365 days/);
  });

  it('refuses to pool rates at different operating policies, but pools measures that do not depend on the policy', () => {
    const policy = (p: object) => (b: Bundle) => {
      (b.task as unknown as Record<string, unknown>).policy = { policy: p, words: '', testRows: null, testMonths: null, nTarget: null, topPct: null };
      for (const r of b.results) r.atPolicy = { ...r.atThreshold, topPct: null, nTarget: null };
    };
    const opened = [open('a.html', council(1, A, policy({ kind: 'capacity', perMonth: 40 }))), open('b.html', council(2, B, policy({ kind: 'capacity', perMonth: 60 })))];
    const rate = pool(opened, false, PRECISION_AT_POLICY);
    expect(rate.kind).toBe('refused');
    if (rate.kind === 'refused') expect(rate.message).toMatch(/different operating policies \(a\.html: 40 cases a month; b\.html: 60 cases a month\)/);
    expect(pool(opened, false, AP).kind).toBe('pooled');
    // The fixed score threshold is the same in both, whatever their policies.
    expect(pool(opened, false, PRECISION_AT_T).kind).toBe('pooled');
    const same = [open('a.html', council(1, A, policy({ kind: 'capacity', perMonth: 40 }))), open('b.html', council(2, B, policy({ kind: 'capacity', perMonth: 40 })))];
    expect(pool(same, false, PRECISION_AT_POLICY).kind).toBe('pooled');
  });

  it('refuses to pool rates at different score thresholds', () => {
    const thresholds = [open('a.html', council(1, A, (b) => { b.task.operatingPoint.threshold = 0.3; })), open('b.html', two)];
    const r = pool(thresholds, false, PRECISION_AT_T);
    expect(r.kind).toBe('refused');
    if (r.kind === 'refused') expect(r.message).toMatch(/different score thresholds \(a\.html: score of 0\.3 or more; b\.html: score of 0\.5 or more\)/);
  });

  it('offers the operating policy\'s measures only when every bundle has them', () => {
    expect(pool([open('a.html', one), open('b.html', two)]).metrics).not.toContain(PRECISION_AT_POLICY);
    expect(pool([open('a.html', one), open('b.html', two)]).metrics).toContain(PRECISION_AT_T);
  });

  it('defaults to a model that can be pooled', () => {
    // The most common model has AP withheld in one bundle: the default moves on to one that pools.
    const withheld = (b: Bundle) => { for (const r of b.results) if (r.model === 'baseline') r.metrics.averagePrecision = { value: null, lo: null, hi: null }; };
    const r = pool([open('a.html', council(1, A, withheld)), open('b.html', two)]);
    expect(r.models[0]).toBe('baseline');
    expect(r.kind).toBe('pooled');
    if (r.kind === 'pooled') expect(r.model).not.toBe('baseline');
  });

  it('a plan lists every file with a reason when it is left out', () => {
    const plan = poolingPlan([open('a.html', one), openBundle('junk.txt', 'hello')]);
    expect(plan.candidates.map((c) => [c.file, c.pooled, c.reason])).toEqual([['a.html', true, null], ['junk.txt', false, 'not readable']]);
  });
});

describe('choice of measure', () => {
  it('falls back to average precision when the chosen measure cannot be answered by every bundle', () => {
    const atPolicy = POOL_METRICS.findIndex((m) => m.operatingPoint === 'atPolicy');
    const r = poolOpened([open('a.html', council(1)), open('b.html', council(2))], { metric: atPolicy, model: null, includeUnverified: false });
    expect(r.metric).toBe(POOL_METRICS.findIndex((m) => m.metric === 'averagePrecision'));
    expect(r.kind).toBe('pooled');
  });
});
