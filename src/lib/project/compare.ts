/**
 * Bundles opened on the Compare page: each file's integrity status in words, the models that can
 * be pooled, and a pooled estimate as a sentence (random effects, with heterogeneity).
 */
import type { Bundle, ModelResult } from '../bundle/schema.ts';
import { parseBundleText } from '../bundle/read.ts';
import { poolBundles, type PoolMetric, type PooledMetric, type OperatingPointName } from '../bundle/pool.ts';
import type { Result } from '../errors.ts';
import { formatError } from '../errors.ts';
import { percent } from './words.ts';

export type OpenStatus = 'verified' | 'tampered' | 'unverified' | 'unreadable';

export interface OpenedBundle {
  file: string;
  status: OpenStatus;
  /** Plain words for the status. */
  message: string;
  bundle: Bundle | null;
}

/** A file's text read as a bundle: schema checked, integrity reported (a tampered file is shown, flagged). */
export function openBundle(file: string, text: string): OpenedBundle {
  const parsed = parseBundleText(text, { file });
  if (!parsed.ok) return { file, status: 'unreadable', message: formatError(parsed.error), bundle: null };
  const { bundle, integrity } = parsed.value;
  if (integrity.expected === null) return { file, status: 'unverified', message: 'No integrity hash: this is not a shared bundle (it may be an analyst\'s local result), so changes cannot be detected.', bundle };
  if (!integrity.ok) return { file, status: 'tampered', message: `Integrity check FAILED: the content was changed after export (it hashes to ${integrity.actual.slice(0, 12)}…, not ${integrity.expected.slice(0, 12)}…). Do not rely on its numbers.`, bundle };
  return { file, status: 'verified', message: `Integrity check passed (SHA-256 ${integrity.expected.slice(0, 12)}…): unchanged since export.`, bundle };
}

export const POOL_METRICS: { metric: PoolMetric; label: string; operatingPoint?: OperatingPointName }[] = [
  { metric: 'averagePrecision', label: 'Average precision' },
  { metric: 'rocAuc', label: 'ROC AUC' },
  { metric: 'precision', label: 'Precision at the score threshold', operatingPoint: 'atThreshold' },
  { metric: 'fnr', label: 'Children missed (FNR) at the score threshold', operatingPoint: 'atThreshold' },
  { metric: 'precision', label: 'Precision in the top K%', operatingPoint: 'topK' },
  { metric: 'fnr', label: 'Children missed (FNR) in the top K%', operatingPoint: 'topK' },
];

/** Model kinds found in at least two bundles, most common first. */
export function poolableModels(bundles: Bundle[]): ModelResult['model'][] {
  const counts = new Map<ModelResult['model'], number>();
  for (const b of bundles) for (const m of new Set(b.results.map((r) => r.model))) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]).map(([m]) => m);
}

/**
 * Each bundle's single result of `model` (the structured-only one when it was trained with and
 * without text), so every bundle contributes one estimate.
 */
export function oneResultEach(bundles: Bundle[], model: ModelResult['model']): Bundle[] {
  return bundles.map((b) => {
    const rs = b.results.filter((r) => r.model === model);
    const pick = rs.length > 1 ? (rs.find((r) => r.features !== 'structured+text') ?? rs[0]) : rs[0];
    return { ...b, results: pick ? [pick] : [] };
  });
}

export function pooledMetric(bundles: Bundle[], model: ModelResult['model'], metric: PoolMetric, operatingPoint?: OperatingPointName, labels?: string[]): Result<PooledMetric> {
  return poolBundles(oneResultEach(bundles, model), { metric, model, operatingPoint, labels, method: 'REML', hartungKnapp: bundles.length >= 3 });
}

/** The pooled estimate in one plain sentence. */
export function pooledSentence(p: PooledMetric, label: string): string {
  const a = p.analysis;
  const fmt = (x: number) => (p.metric === 'averagePrecision' || p.metric === 'rocAuc' ? x.toFixed(2) : percent(x));
  const het = a.i2 < 25 ? 'little' : a.i2 < 50 ? 'some' : a.i2 < 75 ? 'substantial' : 'considerable';
  const pi = p.pooled.predictionLo !== null && p.pooled.predictionHi !== null
    ? ` A new council like these could expect between ${fmt(p.pooled.predictionLo)} and ${fmt(p.pooled.predictionHi)} (95% prediction interval).`
    : ' With only two bundles no prediction interval for a new council can be given.';
  const left = p.excluded.length ? ` Left out: ${p.excluded.map((e) => `${e.label} (${e.reason})`).join('; ')}.` : '';
  return `Pooling ${a.k} bundles, ${label.charAt(0).toLowerCase() + label.slice(1)} is ${fmt(p.pooled.value)} (95% interval ${fmt(p.pooled.lo)} to ${fmt(p.pooled.hi)}). ` +
    `The bundles differ by ${het === 'little' ? 'little' : `a ${het} amount`} beyond chance (I² ${a.i2.toFixed(0)}%, τ² ${a.tau2.toPrecision(2)}).${pi}${left}`;
}
