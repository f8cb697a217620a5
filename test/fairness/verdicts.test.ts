import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subgroupAudit } from '../../src/lib/fairness/audit.ts';
import { casesForCounts, MINIMUMS, rankingCheck } from '../../src/lib/evaluate/minimums.ts';
import { verdictLines } from '../../src/lib/report/view.ts';
import { rng } from '../../src/lib/random.ts';
import type { Verdict } from '../../src/lib/bundle/schema.ts';

/** n cases of group `name`: positives first; scores strongly separate the classes, shifted by `bias`. */
function cases(r: ReturnType<typeof rng>, n: number, prevalence: number, bias: number) {
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = r.next() < prevalence ? 1 : 0;
    labels.push(y);
    scores.push(r.normal() + 1.5 * y + bias);
  }
  return { labels, scores };
}

function audit(parts: { name: string; n: number; prevalence: number; bias: number }[], seed = 3) {
  const r = rng(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  const group: string[] = [];
  for (const p of parts) {
    const c = cases(r, p.n, p.prevalence, p.bias);
    labels.push(...c.labels);
    scores.push(...c.scores);
    for (let i = 0; i < p.n; i++) group.push(p.name);
  }
  return subgroupAudit(Uint8Array.from(labels), Float64Array.from(scores), [{ attribute: 'a', values: group }], { threshold: 1, replicates: 300, seed });
}

describe('minimums', () => {
  it('ranking metrics need 10 positives and 10 negatives; cases needed scale with the prevalence', () => {
    expect(rankingCheck(10, 20).enough).toBe(true);
    expect(rankingCheck(9, 200)).toMatchObject({ enough: false, casesNeeded: Math.ceil(10 / (9 / 200)) });
    expect(rankingCheck(1, 3)).toMatchObject({ enough: false, positives: 1, negatives: 2, casesNeeded: 30 });
  });
  it('cases needed: at least one more than now and at least the group minimum; null with no share to grow from', () => {
    expect(casesForCounts(3, [[3, 2]])).toBe(MINIMUMS.groupCases);
    expect(casesForCounts(50, [[5, 10]])).toBe(100);
    expect(casesForCounts(50, [[0, 10]])).toBeNull();
    expect(casesForCounts(50, [[0, 10, 0.25]])).toBe(51);
    expect(casesForCounts(20, [[0, 10, 0.25]])).toBe(40);
  });
});

describe('verdicts respect the minimums', () => {
  it('a 3-child group gets no verdict, however different it looks: too few to tell, with cases needed', () => {
    const res = audit([{ name: 'Big', n: 2000, prevalence: 0.3, bias: 0 }, { name: 'Tiny', n: 3, prevalence: 0.99, bias: 3 }]);
    const tiny = res.find((s) => s.group === 'Tiny')!;
    for (const block of [tiny.disparity, tiny.disparityTopK as typeof tiny.disparity]) {
      for (const d of Object.values(block)) {
        expect(d!.verdict).not.toBe('disparity');
        expect(d!.verdict).not.toBe('no disparity');
        expect(d!.tooFew).toBe(true);
      }
    }
    expect(tiny.disparity.flaggedRate!.verdict).toBeNull();
    expect(tiny.disparity.flaggedRate!.casesNeeded).toBeGreaterThanOrEqual(MINIMUMS.groupCases);
    expect(tiny.averagePrecision).toMatchObject({ lo: null, hi: null, tooFew: true });
  });
  it('a group of 40 with 2 positives: FNR is "too few to tell" (inconclusive) with about how many cases would do', () => {
    const res = audit([{ name: 'Big', n: 3000, prevalence: 0.3, bias: 0 }, { name: 'Few', n: 40, prevalence: 0.05, bias: 2 }], 5);
    const few = res.find((s) => s.group === 'Few')!;
    const d = few.disparity.fnr!;
    expect(few.positives!).toBeLessThan(MINIMUMS.rateDenominator);
    expect(d.tooFew).toBe(true);
    if (d.ratio !== null) expect(d.verdict).toBe('inconclusive');
    expect(d.casesNeeded === null || d.casesNeeded > 40).toBe(true);
  });
  it('a large group with a real difference is a disparity, with the Katz interval outside the band', () => {
    const res = audit([{ name: 'Big', n: 3000, prevalence: 0.3, bias: 0 }, { name: 'Other', n: 1500, prevalence: 0.3, bias: 1.5 }], 7);
    const d = res.find((s) => s.group === 'Other')!.disparity.fpr!;
    expect(d).toMatchObject({ verdict: 'disparity', method: 'katz-log' });
    expect(d.tooFew).toBeUndefined();
    expect(d.lo!).toBeGreaterThan(1.25);
  });
  it('no interval is ever of zero width in a tiny group (the bootstrap cannot collapse)', () => {
    const res = audit([{ name: 'Big', n: 500, prevalence: 0.3, bias: 0 }, { name: 'Tiny', n: 4, prevalence: 0.5, bias: 0 }]);
    const tiny = res.find((s) => s.group === 'Tiny')!;
    for (const e of Object.values(tiny.atThreshold.intervals!)) if (e!.value !== null) expect(e!.hi! - e!.lo!).toBeGreaterThan(0.2);
  });
});

describe('a verdict tag never contradicts its words', () => {
  const verdict = fc.constantFrom<Verdict | null>('disparity', 'no disparity', 'inconclusive', null);
  const num = fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null });
  it('Disparity words never say "too few"; "too few" words always carry the "Too few to tell" tag (property)', () => {
    fc.assert(fc.property(fc.array(fc.record({ verdict, ratio: num, lo: num, hi: num, tooFew: fc.boolean(), casesNeeded: fc.option(fc.integer({ min: 1, max: 9999 }), { nil: null }) }), { minLength: 1, maxLength: 5 }), (rows) => {
      const lines = verdictLines({ rows: rows.map((r, i) => ({ ...r, label: `g${i}` })), tolerance: { lower: 0.8, upper: 1.25 }, metricLabel: 'FPR', reference: 'R', id: 'f' });
      return lines.every((l) => {
        const saysFew = /too few/i.test(l.words);
        if (l.tag.text === 'Disparity' || l.tag.text === 'No disparity') return !saysFew;
        if (saysFew) return l.tag.text === 'Too few to tell';
        return true;
      });
    }));
  });
  it('ratio 0 in a judged group is described without "too few"', () => {
    const [line] = verdictLines({ rows: [{ label: 'G', ratio: 0, lo: 0.01, hi: 0.3, verdict: 'disparity' }], tolerance: { lower: 0.8, upper: 1.25 }, metricLabel: 'FPR', reference: 'R', id: 'f' });
    expect(line.tag.text).toBe('Disparity');
    expect(line.words).toBe('None at all in this group, against some in R; the whole interval (0.01 to 0.30) is outside the tolerance.');
  });
});
