import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { subgroupAudit, type DisparityDetail } from '../../src/lib/fairness/audit.ts';
import { katzLogRatio } from '../../src/lib/evaluate/intervals.ts';
import { rng } from '../../src/lib/random.ts';
import { Cancelled } from '../../src/lib/errors.ts';
import type { SubgroupResult } from '../../src/lib/bundle/schema.ts';

interface GoldenOp {
  tp: number; fp: number; fn: number; tn: number; nFlagged: number;
  precision: number | null; recall: number | null; fpr: number | null; fnr: number | null;
  flaggedRate: number | null; falseOmissionRate: number | null;
}
interface GoldenGroup {
  attribute: string; group: string; n: number; positives: number;
  averagePrecision: number | null; rocAuc: number | null; meanScore: number;
  atThreshold: GoldenOp; topK: GoldenOp;
}
const golden = JSON.parse(readFileSync(path.resolve(__dirname, '../golden/fairness.json'), 'utf8')) as {
  threshold: number; topPct: number; topThreshold: number; nTarget: number;
  labels: number[]; scores: number[]; group: string[]; sex: string[]; subgroups: GoldenGroup[];
};

const close = (a: number | null | undefined, b: number | null) => {
  if (b === null) expect(a).toBeNull();
  else expect(a).toBeCloseTo(b, 12);
};

describe('subgroupAudit against scikit-learn on each subset', () => {
  const labels = Uint8Array.from(golden.labels);
  const scores = Float64Array.from(golden.scores);
  const results = subgroupAudit(labels, scores, [
    { attribute: 'group', values: golden.group },
    { attribute: 'sex', values: golden.sex },
  ], { threshold: golden.threshold, topPct: golden.topPct, replicates: 50, seed: 3 });

  it('has one result per attribute and group, in first-seen order', () => {
    expect(results.map((r) => `${r.attribute}:${r.group}`)).toEqual(golden.subgroups.map((g) => `${g.attribute}:${g.group}`));
  });
  for (const g of golden.subgroups) {
    it(`${g.attribute} = ${g.group}: counts, AP, AUC and both operating points`, () => {
      const r = results.find((x) => x.attribute === g.attribute && x.group === g.group)!;
      expect(r.n).toBe(g.n);
      expect(r.positives).toBe(g.positives);
      close(r.prevalence, g.positives / g.n);
      close(r.averagePrecision.value, g.averagePrecision);
      close(r.rocAuc.value, g.rocAuc);
      close((r.calibration as { meanScore: number }).meanScore, g.meanScore);
      for (const [mine, ref] of [[r.atThreshold, g.atThreshold], [r.topK, g.topK]] as const) {
        for (const k of ['tp', 'fp', 'fn', 'tn', 'nFlagged'] as const) expect(mine[k]).toBe(ref[k]);
        for (const k of ['precision', 'recall', 'fpr', 'fnr', 'flaggedRate', 'falseOmissionRate'] as const) close(mine[k], ref[k]);
      }
      expect(r.topK.threshold).toBe(golden.topThreshold);
      expect(r.topK.nTarget).toBe(golden.nTarget);
    });
  }
  it('flags small groups and never hides them; undefined metrics are null, not NaN', () => {
    const d = results.find((x) => x.group === 'D')!;
    expect(d.small).toBe(true);
    expect(d.positives).toBe(0);
    expect(d.averagePrecision).toEqual({ value: null, lo: null, hi: null, method: 'none', tooFew: true });
    expect(d.atThreshold.fnr).toBeNull();
    expect(d.disparity.fnr!.ratio).toBeNull();
    expect(d.disparity.fnr!.verdict).toBeNull();
    expect(d.disparity.fnr!.tooFew).toBe(true);
    expect(JSON.stringify(results)).not.toMatch(/NaN|Infinity/);
    expect(results.find((x) => x.group === 'A')!.small).toBe(false);
  });
  it('uses the largest group as reference and marks it', () => {
    const a = results.find((x) => x.group === 'A')!;
    expect(a.isReference).toBe(true);
    expect(a.disparity).toEqual({});
    const b = results.find((x) => x.group === 'B')!;
    expect(b.disparity.fpr!.reference).toBe('A');
    const bf = b.atThreshold.fpr!;
    const af = a.atThreshold.fpr!;
    close(b.disparity.fpr!.ratio, bf / af);
    close(b.disparity.fpr!.difference, bf - af);
  });
  it('intervals contain their point estimates', () => {
    for (const r of results) {
      for (const e of [r.averagePrecision, r.rocAuc, r.atThreshold.intervals!.fpr!, r.atThreshold.intervals!.precision!]) {
        if (e.value === null || e.lo === null || e.hi === null) continue;
        expect(e.lo).toBeLessThanOrEqual(e.hi);
      }
    }
  });
});

describe('subgroupAudit options and bad input', () => {
  const labels = Uint8Array.from([1, 0, 1, 0, 1, 0]);
  const scores = Float64Array.from([0.9, 0.8, 0.4, 0.3, 0.7, 0.1]);
  it('takes a chosen reference group', () => {
    const r = subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x', 'x', 'x', 'y', 'y', 'y'], reference: 'y' }], { threshold: 0.5, replicates: 0 });
    expect(r[1].isReference).toBe(true);
    expect(r[0].disparity.precision!.reference).toBe('y');
  });
  it('rejects an unknown reference and mismatched lengths with AppFailure', () => {
    expect(() => subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x', 'x', 'x', 'y', 'y', 'y'], reference: 'z' }], { threshold: 0.5 })).toThrow(/reference group 'z'/);
    expect(() => subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x'] }], { threshold: 0.5 })).toThrow(/1 values for 6 cases/);
  });
  it('with no replicates every interval is null', () => {
    const r = subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x', 'x', 'x', 'y', 'y', 'y'] }], { threshold: 0.5, replicates: 0 });
    expect(r[0].averagePrecision.lo).toBeNull();
    expect(r[1].disparity.fpr!.verdict).toBeNull();
  });
  it('reports progress and can be cancelled', () => {
    const seen: number[] = [];
    subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x', 'x', 'x', 'y', 'y', 'y'] }], { threshold: 0.5, replicates: 5, onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const token = { cancelled: false };
    expect(() =>
      subgroupAudit(labels, scores, [{ attribute: 'g', values: ['x', 'x', 'x', 'y', 'y', 'y'] }], {
        threshold: 0.5, replicates: 100, cancel: token, onProgress: (d) => { if (d === 3) token.cancelled = true; },
      }),
    ).toThrow(Cancelled);
  });
});

/** Synthetic cases: group "B" (30%) gets `fprBoost` added to negatives' scores, raising its FPR. */
function synthetic(seed: number, n: number, fprBoost: number) {
  const r = rng(seed);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = r.next() < 0.3 ? 'B' : 'A';
    group.push(g);
    labels[i] = r.bernoulli(0.2) ? 1 : 0;
    let s = 0.3 + 0.25 * labels[i] + 0.15 * r.normal();
    if (g === 'B' && labels[i] === 0) s += fprBoost;
    scores[i] = s;
  }
  return { labels, scores, group };
}

function disparityOfB(seed: number, n: number, boost: number): DisparityDetail {
  const { labels, scores, group } = synthetic(seed, n, boost);
  const res: SubgroupResult[] = subgroupAudit(labels, scores, [{ attribute: 'group', values: group }], { threshold: 0.5, replicates: 200, seed });
  return res.find((x) => x.group === 'B')!.disparity.fpr as DisparityDetail;
}

describe('planted disparity (synthetic, seeded)', () => {
  it('a planted higher FPR for one group is a disparity above the band, over several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const d = disparityOfB(seed, 3000, 0.15);
      expect(d.verdict).toBe('disparity');
      expect(d.ratio!).toBeGreaterThan(1.25);
      expect(d.lo!).toBeGreaterThan(1.25);
      expect(d.casesNeeded).toBeNull();
    }
  });
  it('with nothing planted, no seed reports a disparity', () => {
    const verdicts = [11, 12, 13, 14, 15].map((seed) => disparityOfB(seed, 3000, 0).verdict);
    expect(verdicts).not.toContain('disparity');
    for (const v of verdicts) expect(['no disparity', 'inconclusive']).toContain(v);
  });
  it('more data gives a narrower interval and, when inconclusive, fewer extra cases needed relative to the group', () => {
    const small = disparityOfB(21, 800, 0.03);
    const large = disparityOfB(21, 8000, 0.03);
    expect(Math.log(large.hi! / large.lo!)).toBeLessThan(Math.log(small.hi! / small.lo!));
    if (small.verdict === 'inconclusive') expect(small.casesNeeded!).toBeGreaterThan(0);
  });
});

describe('bootstrap intervals', () => {
  it('equal an independent recomputation with the same replicate weights (metrics called directly, top-K cut re-taken on each resample)', async () => {
    const { weightSampler, percentileInterval } = await import('../../src/lib/evaluate/bootstrap.ts');
    const { rankingOf } = await import('../../src/lib/evaluate/ranking.ts');
    const { averagePrecision } = await import('../../src/lib/evaluate/metrics.ts');
    const { confusionAt, topKThreshold } = await import('../../src/lib/evaluate/operating-point.ts');
    const labels = Uint8Array.from(golden.labels);
    const scores = Float64Array.from(golden.scores);
    const R = 40;
    const res = subgroupAudit(labels, scores, [{ attribute: 'group', values: golden.group }], { threshold: 0.5, topPct: 20, replicates: R, seed: 9 });
    const b = res.find((x) => x.group === 'B')!;
    const a = res.find((x) => x.group === 'A')!;
    const idxB = golden.group.flatMap((g, i) => (g === 'B' ? [i] : []));
    const idxA = golden.group.flatMap((g, i) => (g === 'A' ? [i] : []));
    const sub = (idx: number[], w?: Float64Array) => ({
      l: Uint8Array.from(idx, (i) => labels[i]), s: Float64Array.from(idx, (i) => scores[i]), w: w ? Float64Array.from(idx, (i) => w[i]) : undefined,
    });
    // The top-20% cut of a replicate: expand the multiplicities into a resample and take its n_target-th highest score.
    const cutOf = (w: Float64Array) => {
      const resample: number[] = [];
      for (let i = 0; i < w.length; i++) for (let k = 0; k < w[i]; k++) resample.push(scores[i]);
      return topKThreshold(Float64Array.from(resample), 20).threshold;
    };
    const ap: number[] = [];
    const fprB: number[] = [];
    const ratio: number[] = [];
    // The audit draws replicate b's weights in score order (as evaluateScores does): the same sampler, mapped back to cases.
    const ranking = rankingOf(labels, scores);
    const sample = weightSampler(ranking.sortedLabels, 9);
    const wSorted = new Float64Array(labels.length);
    for (let r = 0; r < R; r++) {
      sample(wSorted, r);
      const w = new Float64Array(labels.length);
      for (let k = 0; k < labels.length; k++) w[ranking.order[k]] = wSorted[k];
      const B = sub(idxB, w);
      const A = sub(idxA, w);
      ap.push(averagePrecision(B.l, B.s, B.w) ?? NaN);
      const top = cutOf(w);
      const fb = confusionAt(B.l, B.s, top, B.w).fpr!;
      fprB.push(confusionAt(B.l, B.s, 0.5, B.w).fpr!);
      ratio.push(fb / confusionAt(A.l, A.s, top, A.w).fpr!);
    }
    const apI = percentileInterval(ap);
    expect(b.averagePrecision.lo).toBeCloseTo(apI.lo!, 12);
    expect(b.averagePrecision.hi).toBeCloseTo(apI.hi!, 12);
    // With clusters the rate's interval is the cluster bootstrap's (each case its own cluster here).
    const clustered = subgroupAudit(labels, scores, [{ attribute: 'group', values: golden.group }], { threshold: 0.5, topPct: 20, replicates: R, seed: 9, clusters: Int32Array.from(labels, (_, i) => i) });
    const fI = percentileInterval(fprB);
    const bc = clustered.find((x) => x.group === 'B')!;
    const f = bc.atThreshold.intervals!.fpr!;
    if (f.method === 'bootstrap') {
      expect(f.lo).toBeCloseTo(fI.lo!, 12);
      expect(f.hi).toBeCloseTo(fI.hi!, 12);
    } else expect(Math.min(bc.atThreshold.fp!, bc.atThreshold.tn!)).toBeLessThan(10);
    expect(b.atThreshold.intervals!.fpr!.method).not.toBe('bootstrap');
    const rI = percentileInterval(ratio);
    const d = (b.disparityTopK as Record<string, DisparityDetail>).fpr;
    // Independent cases: the Katz interval of two independent rates.
    const k = katzLogRatio(b.topK.fp!, b.topK.fp! + b.topK.tn!, a.topK.fp!, a.topK.fp! + a.topK.tn!);
    expect(d.method).toBe('katz-log');
    expect([d.lo, d.hi]).toEqual([k.lo, k.hi]);
    // With clusters, the paired bootstrap (unless a count is small).
    const dc = (clustered.find((x) => x.group === 'B')!.disparityTopK as Record<string, DisparityDetail>).fpr;
    if (dc.method === 'bootstrap') {
      expect(dc.lo).toBeCloseTo(rI.lo!, 12);
      expect(dc.hi).toBeCloseTo(rI.hi!, 12);
    } else expect(dc.method).toBe('katz-log');
    expect(d.ratio).toBeCloseTo(b.topK.fpr! / a.topK.fpr!, 12);
  });
});
