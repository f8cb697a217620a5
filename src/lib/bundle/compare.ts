/**
 * Several bundles side by side (e.g. four councils): one row per bundle and model, one column per
 * metric, with notes where the bundles are not like for like (different outcome, threshold,
 * top-K share), so a table never invites a comparison it cannot support.
 */
import type { Bundle, Estimate, ModelResult, OperatingPointResult } from './schema.ts';
import { checkAuthenticity, type AuthenticityStatus } from './signing.ts';

export type CompareKind = 'estimate' | 'rate' | 'count';

export interface CompareColumn {
  /** e.g. 'averagePrecision', 'atThreshold.precision'. */
  key: string;
  label: string;
  kind: CompareKind;
}

export interface CompareCell {
  value: number | null;
  lo: number | null;
  hi: number | null;
  /** true when disclosure control withheld the value (as opposed to undefined). */
  withheld: boolean;
}

export interface CompareRow {
  bundle: number;
  label: string;
  model: ModelResult['model'];
  features: ModelResult['features'];
  verdict: ModelResult['verdict'];
  cells: Record<string, CompareCell>;
}

export interface BundleSummary {
  label: string;
  dataName: string;
  rows: number | null;
  createdAt: string;
  outcome: string;
  threshold: number | null;
  topPct: number | null;
  /** null when the bundle has no integrity hash. */
  integrityOk: boolean | null;
  /** Hash and signature check (no key trusted: trust is the reader's, see project/compare.ts). */
  authenticity: AuthenticityStatus;
  shareable: boolean;
}

export interface Comparison {
  columns: CompareColumn[];
  rows: CompareRow[];
  bundles: BundleSummary[];
  /** Reasons the bundles are not directly comparable, in words. */
  notes: string[];
}

export const COMPARE_COLUMNS: CompareColumn[] = [
  { key: 'averagePrecision', label: 'Average precision', kind: 'estimate' },
  { key: 'rocAuc', label: 'ROC AUC', kind: 'estimate' },
  { key: 'brier', label: 'Brier score', kind: 'estimate' },
  { key: 'prevalence', label: 'Prevalence', kind: 'rate' },
  ...(['atThreshold', 'topK'] as const).flatMap((op): CompareColumn[] => {
    const at = op === 'atThreshold' ? 'at threshold' : 'top K%';
    return [
      { key: `${op}.nFlagged`, label: `Flagged (${at})`, kind: 'count' },
      { key: `${op}.precision`, label: `Precision (${at})`, kind: 'rate' },
      { key: `${op}.recall`, label: `Recall (${at})`, kind: 'rate' },
      { key: `${op}.fnr`, label: `Children missed, FNR (${at})`, kind: 'rate' },
      { key: `${op}.fpr`, label: `False positive rate (${at})`, kind: 'rate' },
      { key: `${op}.flaggedRate`, label: `Flagged rate (${at})`, kind: 'rate' },
    ];
  }),
];

function cellOf(r: ModelResult, key: string): CompareCell {
  const [head, field] = key.split('.');
  if (field === undefined) {
    const m = (r.metrics as Record<string, unknown> | undefined)?.[head];
    const withheld = !!r.withheld?.[`metrics.${head}`];
    if (m && typeof m === 'object' && 'value' in (m as object)) {
      const e = m as Estimate;
      return { value: e.value, lo: e.lo, hi: e.hi, withheld };
    }
    return { value: typeof m === 'number' ? m : null, lo: null, hi: null, withheld };
  }
  const op = r[head as 'atThreshold' | 'topK'] as OperatingPointResult | undefined;
  if (!op) return { value: null, lo: null, hi: null, withheld: false };
  const v = (op as unknown as Record<string, unknown>)[field];
  const interval = op.intervals?.[field as keyof NonNullable<OperatingPointResult['intervals']>];
  return {
    value: typeof v === 'number' ? v : null,
    lo: interval?.lo ?? null,
    hi: interval?.hi ?? null,
    withheld: !!op.withheld?.[field === 'nFlagged' ? 'nFlagged' : field],
  };
}

/** A model x metric table over `bundles`; `labels` name them (default: each data name). */
export function compareBundles(bundles: Bundle[], opts: { labels?: string[]; columns?: CompareColumn[] } = {}): Comparison {
  const columns = opts.columns ?? COMPARE_COLUMNS;
  const label = (b: Bundle, i: number) => opts.labels?.[i] ?? (b.data?.name || `bundle ${i + 1}`);
  const summaries: BundleSummary[] = bundles.map((b, i) => ({ b, i, a: checkAuthenticity(b) })).map(({ b, i, a }) => ({
    label: label(b, i),
    dataName: b.data.name,
    rows: b.data.rows,
    createdAt: b.createdAt,
    outcome: b.task.outcome,
    threshold: b.task.operatingPoint?.threshold ?? b.results[0]?.atThreshold?.threshold ?? null,
    topPct: b.task.operatingPoint?.topPct ?? b.results[0]?.topK?.topPct ?? null,
    integrityOk: a.expectedHash === null ? null : a.expectedHash.toLowerCase() === a.actualHash,
    authenticity: a.status,
    shareable: !!b.disclosure,
  }));
  const rows: CompareRow[] = bundles.flatMap((b, i) =>
    b.results.map((r) => ({
      bundle: i, label: summaries[i].label, model: r.model, features: r.features, verdict: r.verdict,
      cells: Object.fromEntries(columns.map((c) => [c.key, cellOf(r, c.key)])),
    })),
  );
  const notes: string[] = [];
  const distinct = <T>(xs: T[]) => [...new Set(xs.map((x) => JSON.stringify(x)))];
  if (distinct(summaries.map((s) => s.outcome)).length > 1) {
    notes.push(`The bundles measure different outcomes (${summaries.map((s) => `${s.label}: ${s.outcome}`).join('; ')}); their numbers answer different questions.`);
  }
  if (distinct(summaries.map((s) => s.threshold)).length > 1) {
    notes.push(`The score thresholds differ (${summaries.map((s) => `${s.label}: ${s.threshold ?? '—'}`).join('; ')}); compare rates at the threshold with care.`);
  }
  if (distinct(summaries.map((s) => s.topPct)).length > 1) {
    notes.push(`The top-K shares differ (${summaries.map((s) => `${s.label}: ${s.topPct ?? '—'}%`).join('; ')}).`);
  }
  const prevalences = bundles.map((b) => b.data.prevalence).filter((p): p is number => typeof p === 'number' && p > 0);
  if (prevalences.length > 1 && Math.max(...prevalences) / Math.min(...prevalences) > 1.5) {
    notes.push('Prevalence differs by more than half between bundles; precision and average precision rise with prevalence, so compare them against each bundle\'s prevalence.');
  }
  for (const s of summaries) {
    if (s.authenticity === 'failed') notes.push(`${s.label}: failed its check — it was changed after it was written or signed; its numbers are shown but never pooled.`);
    if (!s.shareable) notes.push(`${s.label}: no disclosure control was applied; this is an analyst's local result, not for sharing.`);
  }
  return { columns, rows, bundles: summaries, notes };
}

export interface SubgroupComparisonRow {
  bundle: number;
  label: string;
  model: ModelResult['model'];
  group: string;
  n: number | null;
  cell: CompareCell;
}

/**
 * One metric for every group of one attribute, across bundles: e.g. FNR at the threshold by
 * ethnicity in four councils. `metric` is 'averagePrecision', 'rocAuc' or an operating-point rate
 * such as 'atThreshold.fnr'.
 */
export function compareSubgroups(bundles: Bundle[], attribute: string, metric: string, opts: { labels?: string[]; model?: ModelResult['model'] } = {}): SubgroupComparisonRow[] {
  const out: SubgroupComparisonRow[] = [];
  bundles.forEach((b, i) => {
    const label = opts.labels?.[i] ?? (b.data?.name || `bundle ${i + 1}`);
    for (const r of b.results) {
      if (opts.model && r.model !== opts.model) continue;
      for (const g of r.subgroups) {
        if (g.attribute !== attribute) continue;
        const [head, field] = metric.split('.');
        let cell: CompareCell;
        if (field === undefined) {
          const e = g[head as 'averagePrecision' | 'rocAuc'] as Estimate | undefined;
          cell = { value: e?.value ?? null, lo: e?.lo ?? null, hi: e?.hi ?? null, withheld: !!g.withheld?.[head] };
        } else {
          const op = g[head as 'atThreshold' | 'topK'];
          const v = op ? (op as unknown as Record<string, unknown>)[field] : null;
          const iv = op?.intervals?.[field as keyof NonNullable<OperatingPointResult['intervals']>];
          cell = { value: typeof v === 'number' ? v : null, lo: iv?.lo ?? null, hi: iv?.hi ?? null, withheld: !!op?.withheld?.[field] };
        }
        out.push({ bundle: i, label, model: r.model, group: g.group, n: g.n, cell });
      }
    }
  });
  return out;
}
