/**
 * Bundles opened on the Compare page: each file's hash and signature check in words, which files
 * may be pooled (never a failed one, never one counted twice, never different questions), the
 * models that can be pooled, and a pooled estimate as a sentence (random effects, with
 * heterogeneity).
 */
import type { Bundle, ModelResult } from '../bundle/schema.ts';
import { parseBundleText } from '../bundle/read.ts';
import { canonicalJson } from '../bundle/integrity.ts';
import { checkAuthenticity, describeAuthenticity, parsePublicKey, withTrust, type Authenticity, type AuthenticityStatus } from '../bundle/signing.ts';
import { poolBundles, type PoolMetric, type PooledMetric, type OperatingPointName } from '../bundle/pool.ts';
import type { Result } from '../errors.ts';
import { formatError } from '../errors.ts';
import { percent } from './words.ts';

export type OpenStatus = AuthenticityStatus | 'unreadable';

export interface OpenedBundle {
  file: string;
  status: OpenStatus;
  /** Plain words for the status (what was checked, and what it does not show). */
  message: string;
  bundle: Bundle | null;
  /** The hash and signature check with no key trusted (see `withTrust`); null when unreadable. */
  authenticity: Authenticity | null;
}

/** A file's text read as a bundle: schema checked, hash and signature checked and reported (a failed file is shown, flagged). */
export function openBundle(file: string, text: string, trustedKeys: readonly string[] = []): OpenedBundle {
  const parsed = parseBundleText(text, { file });
  if (!parsed.ok) return { file, status: 'unreadable', message: formatError(parsed.error), bundle: null, authenticity: null };
  const authenticity = checkAuthenticity(parsed.value.bundle, trustedKeys);
  return { file, status: authenticity.status, message: describeAuthenticity(authenticity).text, bundle: parsed.value.bundle, authenticity };
}

/** `o` re-read against the keys the reader trusts now (no second hash). */
export function trustOpened(o: OpenedBundle, trustedKeys: readonly string[]): OpenedBundle {
  if (!o.authenticity) return o;
  const authenticity = withTrust(o.authenticity, trustedKeys);
  return authenticity === o.authenticity ? o : { ...o, authenticity, message: describeAuthenticity(authenticity).text };
}

/** Whether a bundle's origin is verified: signed, unchanged, by a key the reader trusts. */
export const isVerified = (o: OpenedBundle): boolean => o.authenticity?.status === 'signed' && o.authenticity.trusted;

export interface PoolCandidate {
  /** Index into the opened files. */
  index: number;
  file: string;
  pooled: boolean;
  /** Why it is left out, in words; null when pooled. */
  reason: string | null;
}

export interface PoolPlan {
  /** One per opened file, in order. */
  candidates: PoolCandidate[];
  /** The bundles to pool and their labels (file names), each counted once. */
  bundles: Bundle[];
  labels: string[];
  /** Why nothing may be pooled (different questions), in words; null when pooling may go ahead. */
  refusal: string | null;
  /** What could not be confirmed alike (e.g. an outcome window not stated), in words. */
  cautions: string[];
}

export interface PoolPlanOptions {
  /** The reader chose to pool bundles whose origin is not verified (unsigned, unknown key, no hash). Default false. */
  includeUnverified?: boolean;
  /** The operating point of the measure pooled; null for threshold-free measures (AP, ROC AUC). */
  operatingPoint?: OperatingPointName | null;
}

/** The outcome window in days when the bundle states one (the temporal split's gap), else null. */
export function outcomeWindowDays(b: Bundle): number | null {
  const t = b.task as unknown as Record<string, unknown>;
  for (const v of [t.outcomeWindowDays, (b.task.split as unknown as Record<string, unknown>)?.gapDays]) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
}

/** The operating policy the bundle states (`task.policy`), or null (older bundles have none). */
function policyOf(b: Bundle): { kind?: string; threshold?: number; topPct?: number; perMonth?: number } | null {
  return b.task.policy?.policy ?? null;
}

/**
 * Where the bundle's numbers at `op` were cut, in words; bundles whose words differ flagged
 * children differently there. The fixed points depend only on their threshold or share; the
 * operating policy's point on the policy.
 */
export function operatingWords(b: Bundle, op: OperatingPointName): string {
  if (op === 'topK') return `top ${b.task.operatingPoint?.topPct ?? b.results[0]?.topK?.topPct ?? '?'}%`;
  if (op === 'atThreshold') return `score of ${b.task.operatingPoint?.threshold ?? b.results[0]?.atThreshold?.threshold ?? '?'} or more`;
  const p = policyOf(b);
  if (p?.kind === 'capacity') return `${p.perMonth} cases a month`;
  if (p?.kind === 'threshold') return `score of ${p.threshold} or more`;
  if (p?.kind === 'topPct') return `top ${p.topPct}%`;
  return p ? canonicalJson(p) : 'no policy stated';
}

const OPERATING_DIFFER: Record<OperatingPointName, string> = {
  atThreshold: 'score thresholds',
  topK: 'top-K shares',
  atPolicy: 'operating policies',
};

/**
 * Which opened bundles may be pooled, and whether pooling may go ahead at all:
 * - a file that failed its check is never pooled;
 * - one whose origin is not verified (see `isVerified`) only when the reader chose to include them;
 * - a bundle seen already (the same content, or the same data fingerprint) is counted once;
 * - bundles of different outcomes, outcome windows or (for a measure at an operating point)
 *   operating policies are not pooled at all: the pooled number would answer no one question.
 */
export function poolingPlan(opened: OpenedBundle[], opts: PoolPlanOptions = {}): PoolPlan {
  const candidates: PoolCandidate[] = [];
  const kept: { o: OpenedBundle; b: Bundle }[] = [];
  opened.forEach((o, index) => {
    const out = (reason: string) => candidates.push({ index, file: o.file, pooled: false, reason });
    if (!o.bundle || !o.authenticity) return out('not readable');
    const a = o.authenticity;
    if (a.status === 'failed') return out('it failed its check (see beside it); a file that fails its check is never pooled');
    if (!isVerified(o) && !opts.includeUnverified) {
      const why = a.status === 'signed'
        ? `it is signed with key ${a.signer!.fingerprint}, which you have not marked as trusted`
        : a.status === 'unsigned' ? 'it is not signed, so who wrote it is not shown' : 'it carries no hash or signature, so it cannot be checked';
      return out(`${why}; it is pooled only if you choose to include bundles whose origin is not verified`);
    }
    const same = kept.find((k) => k.o.authenticity!.actualHash === a.actualHash);
    if (same) return out(`it is the same bundle as ${same.o.file} (opened twice); counted once`);
    const fp = o.bundle.data.fingerprint;
    const sameData = fp ? kept.find((k) => k.b.data.fingerprint === fp) : undefined;
    if (sameData) return out(`it was computed from the same data as ${sameData.o.file} (data fingerprint ${fp.slice(0, 12)}); the same cases are counted once`);
    kept.push({ o, b: o.bundle });
    candidates.push({ index, file: o.file, pooled: true, reason: null });
  });
  const bundles = kept.map((k) => k.b);
  const labels = kept.map((k) => k.o.file);
  const differ = (key: (b: Bundle) => string) => new Set(bundles.map(key)).size > 1;
  const list = (words: (b: Bundle) => string) => kept.map((k) => `${k.o.file}: ${words(k.b)}`).join('; ');
  let refusal: string | null = null;
  const cautions: string[] = [];
  const outcomeOf = (b: Bundle) => `“${b.task.outcome}” = ${b.task.positive}`;
  if (differ(outcomeOf)) {
    refusal = `Not pooled: the bundles measure different outcomes (${list(outcomeOf)}). A pooled number would mix different questions; remove the bundles that do not match.`;
  } else {
    const windows = bundles.map(outcomeWindowDays);
    const stated = windows.filter((w): w is number => w !== null);
    if (new Set(stated).size > 1) {
      refusal = `Not pooled: the outcome windows differ (${list((b) => (outcomeWindowDays(b) === null ? 'not stated' : `${outcomeWindowDays(b)} days`))}). Outcomes counted over different periods are different questions; remove the bundles that do not match.`;
    } else if (stated.length > 0 && stated.length < windows.length) {
      cautions.push(`The outcome window is not stated in ${kept.filter((k) => outcomeWindowDays(k.b) === null).map((k) => k.o.file).join(', ')}; check it is ${stated[0]} days there too.`);
    }
    const op = opts.operatingPoint ?? null;
    if (!refusal && op && differ((b) => operatingWords(b, op))) {
      refusal = `Not pooled: the bundles flag children under different ${OPERATING_DIFFER[op]} (${list((b) => operatingWords(b, op))}), so their rates there answer different questions. Pool a measure that does not depend on where children are flagged (average precision, ROC AUC), or bundles that flag them the same way.`;
    }
  }
  return { candidates, bundles, labels, refusal, cautions };
}

export const POOL_METRICS: { metric: PoolMetric; label: string; operatingPoint?: OperatingPointName }[] = [
  { metric: 'averagePrecision', label: 'Average precision' },
  { metric: 'rocAuc', label: 'ROC AUC' },
  { metric: 'precision', label: 'Precision at the operating policy', operatingPoint: 'atPolicy' },
  { metric: 'fnr', label: 'Children missed (FNR) at the operating policy', operatingPoint: 'atPolicy' },
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

export interface PoolChoice {
  /** Index into POOL_METRICS. */
  metric: number;
  /** The model the reader picked, or null for the default. */
  model: ModelResult['model'] | null;
  includeUnverified: boolean;
}

interface PoolBase {
  plan: PoolPlan;
  models: ModelResult['model'][];
  /** Indexes into POOL_METRICS that every pooled bundle can answer (the policy's only when all have one). */
  metrics: number[];
  /** The measure used: the one chosen when it can be answered, else average precision. */
  metric: number;
}
export type PoolOutcome =
  | (PoolBase & { kind: 'too-few' })
  | (PoolBase & { kind: 'refused'; message: string })
  | (PoolBase & { kind: 'failed'; model: ModelResult['model']; message: string })
  | (PoolBase & { kind: 'pooled'; model: ModelResult['model']; value: PooledMetric; sentence: string });

/** Indexes into POOL_METRICS that every bundle can answer. */
export function availableMetrics(bundles: Bundle[]): number[] {
  const hasPolicy = bundles.length > 0 && bundles.every((b) => b.results.some((r) => r.atPolicy && typeof r.atPolicy === 'object'));
  return POOL_METRICS.flatMap((m, i) => (m.operatingPoint === 'atPolicy' && !hasPolicy ? [] : [i]));
}

/**
 * The Compare page's pooled estimate: the plan (what is pooled, what is not and why), then the
 * chosen model, or by default the first model that can actually be pooled for this measure.
 */
export function poolOpened(opened: OpenedBundle[], choice: PoolChoice): PoolOutcome {
  // Which files are pooled does not depend on the measure; whether they may be pooled together can.
  const metrics = availableMetrics(poolingPlan(opened, { includeUnverified: choice.includeUnverified }).bundles);
  const metric = metrics.includes(choice.metric) ? choice.metric : 0;
  const m = POOL_METRICS[metric];
  const plan = poolingPlan(opened, { includeUnverified: choice.includeUnverified, operatingPoint: m.operatingPoint ?? null });
  const base: PoolBase = { plan, models: poolableModels(plan.bundles), metrics, metric };
  const models = base.models;
  if (plan.refusal) return { ...base, kind: 'refused', message: plan.refusal };
  if (plan.bundles.length < 2 || models.length === 0) return { ...base, kind: 'too-few' };
  const attempt = (model: ModelResult['model']) => pooledMetric(plan.bundles, model, m.metric, m.operatingPoint, plan.labels);
  const order = choice.model && models.includes(choice.model) ? [choice.model] : models;
  let first: { model: ModelResult['model']; message: string } | null = null;
  for (const model of order) {
    const r = attempt(model);
    if (r.ok) return { ...base, kind: 'pooled', model, value: r.value, sentence: pooledSentence(r.value, m.label) };
    first ??= { model, message: r.error.message };
  }
  return { ...base, kind: 'failed', model: first!.model, message: first!.message };
}

/** The localStorage key for the public keys the reader trusts (versioned). */
export const TRUSTED_KEYS_KEY = 'candour.trusted-keys/1';

/** Trusted public keys as stored: a JSON array of hex keys; anything else reads as none. */
export function parseTrustedKeys(text: string | null): string[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(v) ? [...new Set(v.flatMap((k) => (typeof k === 'string' && parsePublicKey(k) ? [parsePublicKey(k)!] : [])))] : [];
  } catch {
    return [];
  }
}
