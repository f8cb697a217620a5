/**
 * Disclosure control for what a training run adds to the report (beyond the audit's fields):
 * paired model comparisons, each model's training record, the test-side size and exclusion
 * counts, and the split description. Applied by `applyDisclosureControl` after the main rules.
 *
 * - comparisons: differences of AP with intervals, rounded like every rate;
 * - training: only the engine, the fit time and a loss curve of at most 50 points (never
 *   coefficients or other per-feature detail, which can be large);
 * - counts (test rows, exclusions, split side sizes): withheld below the threshold, else rounded;
 * - dates in the split description (each side's first and last decision date, the cut): kept to
 *   the month, since the earliest or latest date is a single case's date;
 * - the sample-size check (`sampleSize`): its training cases and events published like any count
 *   (withheld below the threshold, and then the whole check with them), the prevalence from those,
 *   the cases each criterion requires rounded up to 10, the R² figures to `rateDecimals`, and the
 *   sentence rewritten from the published figures; whether the criteria were met and the number
 *   of candidate parameters supported are kept.
 */
import type { SampleSizeRecord } from './schema.ts';
import { sampleSizeSentence } from '../evaluate/sample-size.ts';

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export interface RunDisclosureOptions {
  threshold: number;
  rounding: number;
  rateDecimals: number;
  /** How a count at `path` is published (withheld, perturbed, rounded); default: withheld below the threshold, else rounded. */
  count?: (path: string, value: unknown) => number | null;
}

export function countOf(x: unknown, o: RunDisclosureOptions, path = ''): number | null {
  if (o.count) return o.count(path, x);
  if (!isNum(x)) return null;
  if (x < o.threshold) return null;
  return Math.round(x / o.rounding) * o.rounding;
}

const COUNT_KEYS = new Set(['n', 'positives', 'trainGroups', 'testGroups', 'ungroupedRows', 'count', 'testRows', 'missingOutcome', 'missingScore']);
const DATE_KEYS = new Set(['dateFrom', 'dateTo', 'cutDate']);

/** Counts rounded or withheld, dates to the month, everything else as it is (recursively). */
function coarsen(value: unknown, o: RunDisclosureOptions, key = '', path = key): unknown {
  if (Array.isArray(value)) return value.map((v, i) => coarsen(v, o, '', `${path}[${i}]`));
  if (isObj(value)) {
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coarsen(v, o, k, `${path}.${k}`)]));
    // A prevalence next to its counts is worked out from the published counts, never the exact ones.
    if ('prevalence' in out && 'n' in out && 'positives' in out) {
      out.prevalence = isNum(out.n) && isNum(out.positives) && out.n > 0 ? Number(Math.min(1, out.positives / out.n).toFixed(o.rateDecimals)) : null;
    }
    return out;
  }
  if (COUNT_KEYS.has(key)) return countOf(value, o, path);
  if (DATE_KEYS.has(key) && typeof value === 'string') return value.slice(0, 7);
  if (key === 'prevalence' && isNum(value)) return Number(value.toFixed(o.rateDecimals));
  return value;
}

/** The Annex A import summary: every count rounded or withheld, every date kept to the month. */
function coarsenAnnexA(summary: Record<string, unknown>, o: RunDisclosureOptions): unknown {
  const walk = (v: unknown, key: string, path: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, '', `${path}[${i}]`));
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, `${path}.${k}`)]));
    if (isNum(v) && key !== 'months') return countOf(v, o, path);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 7);
    return v;
  };
  return walk(summary, '', 'data.annexA');
}

export function discloseRunExtras(out: Record<string, unknown>, source: Record<string, unknown>, o: RunDisclosureOptions): void {
  const round = (x: unknown) => (isNum(x) ? Number(x.toFixed(o.rateDecimals)) : null);
  if (Array.isArray(source.comparisons)) {
    out.comparisons = source.comparisons.filter(isObj).map((c) => {
      const d = isObj(c.difference) ? c.difference : {};
      return { a: String(c.a), b: String(c.b), metric: String(c.metric), difference: { value: round(d.value), lo: round(d.lo), hi: round(d.hi) } };
    });
  }
  const results = Array.isArray(out.results) ? out.results : [];
  const sourceResults = Array.isArray(source.results) ? source.results : [];
  results.forEach((r, i) => {
    const t = isObj(sourceResults[i]) ? (sourceResults[i] as Record<string, unknown>).training : undefined;
    if (!isObj(r) || !isObj(t)) return;
    const curve = Array.isArray(t.curve) ? t.curve.filter(isObj) : [];
    const step = Math.max(1, Math.ceil(curve.length / 50));
    r.training = {
      engine: String(t.engine ?? ''),
      fitMs: isNum(t.fitMs) ? Math.round(t.fitMs) : null,
      curve: curve.filter((_, k) => k % step === 0 || k === curve.length - 1).map((p) => ({ step: p.step, loss: round(p.loss), ...(isNum(p.valLoss) ? { valLoss: round(p.valLoss) } : {}) })),
    };
  });
  const data = isObj(out.data) ? out.data : null;
  const sourceData = isObj(source.data) ? source.data : {};
  if (data) {
    if ('testRows' in sourceData) data.testRows = countOf(sourceData.testRows, o, 'data.testRows');
    if (isObj(sourceData.excluded)) data.excluded = coarsen(sourceData.excluded, o, '', 'data.excluded');
    if (isObj(sourceData.annexA)) data.annexA = coarsenAnnexA(sourceData.annexA, o);
  }
  if (isObj(out.task)) out.task = coarsen(out.task, o, '', 'task');
  const size = isObj(source.sampleSize) ? publishedSampleSize(source.sampleSize as unknown as SampleSizeRecord, o) : null;
  if (size) out.sampleSize = size;
  else delete out.sampleSize;
}

/** The sample-size check with its figures coarsened (see the header); null when its counts are withheld. */
export function publishedSampleSize(s: SampleSizeRecord, o: RunDisclosureOptions): SampleSizeRecord | null {
  const n = countOf(s.n, o, 'sampleSize.n');
  const events = countOf(s.events, o, 'sampleSize.events');
  if (n === null || events === null || n <= 0 || !isNum(s.parameters)) return null;
  const rate = (x: unknown) => (isNum(x) ? Number(x.toFixed(o.rateDecimals)) : 0);
  const tens = (x: unknown) => (isNum(x) ? Math.ceil(x / 10) * 10 : 0);
  const published: SampleSizeRecord = {
    method: String(s.method ?? ''),
    n,
    events,
    prevalence: rate(Math.min(1, events / n)),
    parameters: s.parameters,
    shrinkage: rate(s.shrinkage),
    assumedNagelkerkeR2: isNum(s.assumedNagelkerkeR2) ? rate(s.assumedNagelkerkeR2) : null,
    coxSnellR2: rate(s.coxSnellR2),
    maxCoxSnellR2: rate(s.maxCoxSnellR2),
    criteria: { shrinkage: tens(s.criteria?.shrinkage), optimism: tens(s.criteria?.optimism), intercept: tens(s.criteria?.intercept) },
    shrinkageForOptimism: rate(s.shrinkageForOptimism),
    required: tens(s.required),
    enough: s.enough === true,
    maxParameters: isNum(s.maxParameters) ? s.maxParameters : 0,
    eventsPerParameter: isNum(s.eventsPerParameter) ? Number(s.eventsPerParameter.toFixed(1)) : 0,
  };
  return { ...published, sentence: sampleSizeSentence(published) };
}
