/**
 * A realistic Bundle built from a seeded synthetic extract, for the bundle tests. The counts are
 * computed from the cases (so totals add up exactly as in a real report, which is what secondary
 * suppression has to cope with); intervals are normal approximations, good enough here.
 */
import { rng } from '../../src/lib/random.ts';
import type { Bundle, ModelResult, OperatingPointResult, SubgroupResult, TopKResult, Estimate, PrPoint, RocPoint, CalibrationBin, Disparity } from '../../src/lib/bundle/schema.ts';

export const MODELS = ['baseline', 'logistic', 'gbdt', 'mlp'] as const;
export const ATTRIBUTES = ['ethnicity', 'ageBand', 'disability', 'locality'] as const;

export interface Case {
  id: string;
  referralDate: string;
  ethnicity: string;
  ageBand: string;
  disability: string;
  locality: string;
  note: string;
  outcome: 0 | 1;
  scores: Record<(typeof MODELS)[number], number>;
}

const LEVELS: Record<(typeof ATTRIBUTES)[number], [string, number][]> = {
  ethnicity: [['White British', 0.62], ['Asian', 0.14], ['Black', 0.1], ['Mixed', 0.09], ['Other', 0.045], ['Gypsy Roma Traveller', 0.005]],
  ageBand: [['under 1', 0.1], ['1-4', 0.22], ['5-9', 0.27], ['10-15', 0.3], ['16-17', 0.1], ['unborn', 0.01]],
  disability: [['none recorded', 0.9], ['learning', 0.06], ['physical', 0.03], ['sensory', 0.01]],
  locality: [['Northfield', 0.25], ['Southgate', 0.25], ['Eastbrook', 0.2], ['Westmoor', 0.2], ['Central', 0.09], ['Out of area', 0.01]],
};

const WORDS = ['neighbour', 'reported', 'shouting', 'school', 'attendance', 'concern', 'bruising', 'mother', 'father', 'partner', 'alcohol', 'police', 'visited', 'housing', 'overcrowded', 'worried', 'health', 'visitor', 'missed', 'appointment'];

function pick(levels: [string, number][], u: number): string {
  let c = 0;
  for (const [name, p] of levels) {
    c += p;
    if (u < c) return name;
  }
  return levels[levels.length - 1][0];
}

/** n synthetic referrals with IDs, dates and notes (the things that must never reach a bundle). */
export function syntheticCases(n: number, seed = 7): Case[] {
  const r = rng(seed);
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const c = {
      id: `CH${(100000 + r.int(900000)).toString()}${String.fromCharCode(65 + r.int(26))}`,
      referralDate: new Date(Date.UTC(2019, 0, 1) + r.int(4 * 365) * 86400000).toISOString().slice(0, 10),
      ethnicity: pick(LEVELS.ethnicity, r.next()),
      ageBand: pick(LEVELS.ageBand, r.next()),
      disability: pick(LEVELS.disability, r.next()),
      locality: pick(LEVELS.locality, r.next()),
      note: Array.from({ length: 4 + r.int(6) }, () => WORDS[r.int(WORDS.length)]).join(' ') + ` ref${r.int(10000)}`,
    };
    const risk = -1.6 + (c.disability !== 'none recorded' ? 0.6 : 0) + (c.ageBand === 'under 1' ? 0.5 : 0) + r.normal() * 0.9;
    const outcome: 0 | 1 = r.bernoulli(1 / (1 + Math.exp(-risk))) ? 1 : 0;
    const noisy = (s: number) => 1 / (1 + Math.exp(-(risk + r.normal() * s)));
    cases.push({
      ...c,
      outcome,
      scores: { baseline: Math.round(noisy(2.5) * 20) / 20, logistic: noisy(1), gbdt: noisy(0.9), mlp: noisy(1.1) },
    });
  }
  return cases;
}

const z = 1.959963984540054;
const clamp = (x: number) => Math.min(1, Math.max(0, x));
const est = (v: number | null, n: number): Estimate =>
  v === null || n === 0 ? { value: v, lo: null, hi: null } : { value: v, lo: clamp(v - z * Math.sqrt((v * (1 - v)) / n)), hi: clamp(v + z * Math.sqrt((v * (1 - v)) / n)) };

function averagePrecision(y: number[], s: number[]): number | null {
  const P = y.reduce((a, b) => a + b, 0);
  if (P === 0) return null;
  const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
  let tp = 0, fp = 0, ap = 0, prevR = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i]) tp++; else fp++;
    if (k + 1 < order.length && s[order[k + 1]] === s[i]) continue;
    const R = tp / P;
    ap += (R - prevR) * (tp / (tp + fp));
    prevR = R;
  }
  return ap;
}

/** Mann-Whitney AUC with ties counted half, from average ranks: O(n log n). */
function rocAuc(y: number[], s: number[]): number | null {
  const order = s.map((_, i) => i).sort((a, b) => s[a] - s[b]);
  let P = 0, rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]] === s[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]]) { P++; rankSum += avg; }
    i = j + 1;
  }
  const N = y.length - P;
  return P === 0 || N === 0 ? null : (rankSum - (P * (P + 1)) / 2) / (P * N);
}

function confusion(y: number[], s: number[], t: number): OperatingPointResult {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < y.length; i++) {
    const f = s[i] >= t;
    if (f && y[i]) tp++; else if (f) fp++; else if (y[i]) fn++; else tn++;
  }
  const d = (a: number, b: number) => (b === 0 ? null : a / b);
  const n = tp + fp + fn + tn;
  const precision = d(tp, tp + fp), recall = d(tp, tp + fn), fpr = d(fp, fp + tn), fnr = d(fn, fn + tp);
  return {
    threshold: t, nFlagged: tp + fp, tp, fp, fn, tn, precision, recall, fpr, fnr,
    flaggedRate: d(tp + fp, n), falseOmissionRate: d(fn, fn + tn),
    intervals: { precision: est(precision, tp + fp), recall: est(recall, tp + fn), fpr: est(fpr, fp + tn), fnr: est(fnr, fn + tp) },
  };
}

function curves(y: number[], s: number[]): { pr: PrPoint[]; roc: RocPoint[]; calibration: CalibrationBin[] } {
  const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
  const P = y.reduce((a, b) => a + b, 0), N = y.length - P;
  const pr: PrPoint[] = [], roc: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i]) tp++; else fp++;
    if (k + 1 < order.length && s[order[k + 1]] === s[i]) continue;
    pr.push({ recall: tp / P, precision: tp / (tp + fp), threshold: s[i] });
    roc.push({ fpr: fp / N, tpr: tp / P, threshold: s[i] });
  }
  const calibration: CalibrationBin[] = [];
  for (let b = 0; b < 10; b++) {
    const lo = b / 10, hi = (b + 1) / 10;
    let n = 0, pos = 0, sum = 0;
    for (let i = 0; i < y.length; i++) if (s[i] >= lo && (s[i] < hi || (b === 9 && s[i] <= 1))) { n++; pos += y[i]; sum += s[i]; }
    calibration.push({ lo, hi, n, positives: pos, meanScore: n ? sum / n : null, observed: n ? pos / n : null });
  }
  return { pr, roc, calibration };
}

/** Counts at the top 1..100% cuts of all cases, for the cases in idx. */
function operatingRows(y: number[], s: number[], cuts: number[], idx: number[]) {
  return cuts.map((t, i) => {
    const c = confusion(idx.map((j) => y[j]), idx.map((j) => s[j]), t);
    return { topPct: i + 1, threshold: t, nFlagged: c.nFlagged, tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn };
  });
}

function topK(y: number[], s: number[], pct: number): TopKResult {
  const nTarget = Math.max(1, Math.ceil((y.length * pct) / 100));
  const t = [...s].sort((a, b) => b - a)[nTarget - 1];
  return { ...confusion(y, s, t), topPct: pct, nTarget };
}

function disparity(g: OperatingPointResult, ref: OperatingPointResult, refName: string, key: 'fpr' | 'fnr' | 'precision' | 'flaggedRate'): Disparity {
  const a = g[key] ?? null, b = ref[key] ?? null;
  const ratio = a !== null && b ? a / b : null;
  return {
    reference: refName, difference: a !== null && b !== null ? a - b : null, ratio,
    lo: ratio === null ? null : ratio * 0.7, hi: ratio === null ? null : ratio * 1.4,
    verdict: ratio === null ? null : ratio > 1.4 || ratio < 0.7 ? 'disparity' : 'inconclusive', casesNeeded: ratio === null ? null : 517,
  };
}

export function bundleFromCases(cases: Case[], opts: { threshold?: number; topPct?: number; name?: string } = {}): Bundle {
  const threshold = opts.threshold ?? 0.5, topPct = opts.topPct ?? 10;
  const y: number[] = cases.map((c) => c.outcome);
  const P = y.reduce((a, b) => a + b, 0);
  const results: ModelResult[] = MODELS.map((model) => {
    const s = cases.map((c) => c.scores[model]);
    const overallTop = topK(y, s, topPct);
    const sorted = [...s].sort((a, b) => b - a);
    const cuts = Array.from({ length: 100 }, (_, k) => sorted[Math.max(1, Math.ceil((y.length * (k + 1)) / 100)) - 1]);
    const subgroups: SubgroupResult[] = [];
    for (const attribute of ATTRIBUTES) {
      const groups = [...new Set(cases.map((c) => c[attribute]))].sort();
      const sizes = groups.map((g) => cases.filter((c) => c[attribute] === g).length);
      const ref = groups[sizes.indexOf(Math.max(...sizes))];
      const idxOf = (g: string) => cases.flatMap((c, i) => (c[attribute] === g ? [i] : []));
      const refIdx = idxOf(ref);
      const refAt = confusion(refIdx.map((i) => y[i]), refIdx.map((i) => s[i]), threshold);
      for (const group of groups) {
        const idx = idxOf(group);
        const gy = idx.map((i) => y[i]), gs = idx.map((i) => s[i]);
        const pos = gy.reduce((a, b) => a + b, 0);
        const at = confusion(gy, gs, threshold);
        const tk = { ...confusion(gy, gs, overallTop.threshold as number), topPct, nTarget: overallTop.nTarget };
        subgroups.push({
          attribute, group, n: idx.length, positives: pos, prevalence: pos / idx.length,
          averagePrecision: est(averagePrecision(gy, gs), pos), rocAuc: est(rocAuc(gy, gs), pos),
          atThreshold: at, topK: tk, suppressed: false, small: idx.length < 30, operating: operatingRows(y, s, cuts, idx),
          disparity: group === ref ? {} : {
            fpr: disparity(at, refAt, ref, 'fpr'), fnr: disparity(at, refAt, ref, 'fnr'),
            precision: disparity(at, refAt, ref, 'precision'), flaggedRate: disparity(at, refAt, ref, 'flaggedRate'),
          },
        });
      }
    }
    const brier = s.reduce((a, v, i) => a + (v - y[i]) ** 2, 0) / s.length;
    return {
      model, features: model === 'baseline' ? null : 'structured',
      metrics: { averagePrecision: est(averagePrecision(y, s), P), rocAuc: est(rocAuc(y, s), P), brier: { value: brier, lo: brier * 0.9, hi: brier * 1.1 }, prevalence: P / y.length },
      atThreshold: confusion(y, s, threshold), topK: overallTop, subgroups, verdict: 'not met', curves: { ...curves(y, s), operating: operatingRows(y, s, cuts, y.map((_, i) => i)) },
    };
  });
  return {
    schema: 'candour.bundle/1',
    tool: { name: 'candour', version: '0.1.0', backend: 'cpu' },
    createdAt: '2026-01-15T10:00:00.000Z',
    data: {
      name: opts.name ?? 'synthetic-extract.csv', rows: cases.length, positives: P, prevalence: P / cases.length,
      fingerprint: 'sha256:5f2b1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c',
      columns: [
        { name: 'id', role: 'id', type: 'id' }, { name: 'referralDate', role: 'date', type: 'date' },
        ...ATTRIBUTES.map((a) => ({ name: a, role: 'group', type: 'category' })),
        { name: 'note', role: 'text', type: 'text' }, { name: 'outcome', role: 'outcome', type: 'category' },
      ],
      testRows: cases.length,
    },
    task: { outcome: 'outcome', positive: '1', split: { kind: 'random', testFraction: 1, seed: 7 }, operatingPoint: { threshold, topPct } } as unknown as Bundle['task'],
    preregistration: { criteria: [{ metric: 'precision', at: { topPct: 10 }, op: '>=', value: 0.5 }], sha256: 'a'.repeat(64), lockedAt: '2026-01-15T09:00:00.000Z' },
    results,
  };
}

/** 4 models x 4 attributes x ~6 groups over `n` cases. */
export function exampleBundle(n = 1500, seed = 7): Bundle {
  const key = `${n}:${seed}`;
  if (!cache.has(key)) cache.set(key, bundleFromCases(syntheticCases(n, seed)));
  return structuredClone(cache.get(key)!);
}
const cache = new Map<string, Bundle>();
