/**
 * The report object, which is also the bundle's JSON (schema "candour.bundle/1").
 * DESIGN.md fixes these names and meanings; keys may be added, never renamed.
 * `candour audit --json` and `candour evaluate --json` write exactly this object.
 */

export const BUNDLE_SCHEMA = 'candour.bundle/1' as const;

/** A point estimate with its 95% bootstrap interval; any part null when undefined. */
export interface Estimate {
  value: number | null;
  lo: number | null;
  hi: number | null;
}

/** Confusion counts and rates at one operating point. Rates are null when their denominator is 0. */
export interface OperatingPointResult {
  threshold: number | null;
  nFlagged: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  fpr: number | null;
  fnr: number | null;
  /** nFlagged / n. */
  flaggedRate?: number | null;
  /** FN / (FN + TN): of the children not flagged, the share who went on to need help. */
  falseOmissionRate?: number | null;
  /** Intervals for the rates, when computed. */
  intervals?: Partial<Record<'precision' | 'recall' | 'fpr' | 'fnr' | 'flaggedRate', Estimate>>;
}

export interface TopKResult extends OperatingPointResult {
  topPct: number;
  nTarget: number;
}

export type DisparityMetric = 'fpr' | 'fnr' | 'precision' | 'flaggedRate' | 'averagePrecision';
export type Verdict = 'disparity' | 'no disparity' | 'inconclusive';

export interface Disparity {
  /** The reference group's name. */
  reference: string;
  /** group − reference. */
  difference: number | null;
  /** group / reference. */
  ratio: number | null;
  /** 95% bootstrap bounds of the ratio. */
  lo: number | null;
  hi: number | null;
  verdict: Verdict | null;
  /** For inconclusive: estimated cases in this group needed for a verdict at 80% power. */
  casesNeeded: number | null;
}

export interface SubgroupResult {
  attribute: string;
  group: string;
  n: number;
  positives: number;
  prevalence: number | null;
  averagePrecision: Estimate;
  rocAuc: Estimate;
  atThreshold: OperatingPointResult;
  topK: TopKResult;
  /** true when counts were suppressed by disclosure control (or the group is too small to report). */
  suppressed: boolean;
  /** Below the small-group threshold: flagged, never hidden. */
  small?: boolean;
  disparity: Partial<Record<DisparityMetric, Disparity>>;
  [extra: string]: unknown;
}

export interface ModelResult {
  model: 'baseline' | 'logistic' | 'gbdt' | 'mlp' | 'external';
  features: 'structured' | 'structured+text' | null;
  metrics: {
    averagePrecision: Estimate;
    rocAuc: Estimate;
    brier: Estimate;
    prevalence: number | null;
    [extra: string]: unknown;
  };
  atThreshold: OperatingPointResult;
  topK: TopKResult;
  subgroups: SubgroupResult[];
  verdict: 'met' | 'not met' | null;
  [extra: string]: unknown;
}

export interface ColumnDescriptor {
  name: string;
  role: string;
  type: string;
}

export interface Bundle {
  schema: typeof BUNDLE_SCHEMA;
  tool: { name: 'candour'; version: string; backend: string };
  createdAt: string;
  data: {
    name: string;
    rows: number;
    positives: number;
    prevalence: number | null;
    fingerprint: string;
    columns: ColumnDescriptor[];
    [extra: string]: unknown;
  };
  task: {
    outcome: string;
    positive: string;
    split: Record<string, unknown>;
    operatingPoint: { threshold?: number; topPct?: number; [extra: string]: unknown };
    [extra: string]: unknown;
  };
  preregistration: { criteria: unknown[]; sha256: string; lockedAt: string; [extra: string]: unknown } | null;
  results: ModelResult[];
  [extra: string]: unknown;
}
