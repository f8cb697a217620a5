/**
 * The report object, which is also the bundle's JSON (schema "candour.bundle/2").
 * DESIGN.md fixes these names and meanings; keys may be added, never renamed.
 * `candour audit --json` and `candour evaluate --json` write exactly this object, and
 * `src/lib/run` is its only producer.
 *
 * The type is closed: every section the run produces is declared here, and a test checks that
 * docs/bundle.schema.json and the disclosure allow-lists name the same fields, so a new field
 * cannot reach a shared file unreviewed. To add a field: declare it here, in the JSON Schema,
 * and either allow it in disclosure or list it as dropped there.
 *
 * /2 changed one meaning: a subgroup's `disparity` (and every verdict) is computed at the
 * run's operating policy (`task.policy`); in /1 it was at the score threshold. Readers accept
 * both (see BUNDLE_SCHEMAS).
 */
import type { OperatingPolicy } from '../run/policy.ts';
import type { Criterion } from '../evaluate/prereg.ts';
import type { SplitDescription } from '../evaluate/split.ts';
import type { EqualOpportunityWhatIf } from '../fairness/what-if.ts';
import type { SmallCellRule } from '../fairness/groups.ts';
import type { AnnexABundleSummary } from '../annex-a/index.ts';
import type { TransparencyBlock } from './model-card.ts';

export const BUNDLE_SCHEMA = 'candour.bundle/2' as const;
/** Every schema version this build reads: /1 bundles open too (their disparities are at the threshold). */
export const BUNDLE_SCHEMAS: readonly string[] = ['candour.bundle/1', BUNDLE_SCHEMA];

/** How an interval was computed (see docs/statistics.md): a bootstrap percentile interval, or the
 *  fallback used when the bootstrap would collapse or cannot be trusted; 'none' = no interval. */
export type IntervalMethod = 'bootstrap' | 'clopper-pearson' | 'wilson' | 'katz-log' | 'logistic-wald' | 'none';

/** A point estimate with its 95% interval; any part null when undefined. */
export interface Estimate {
  value: number | null;
  lo: number | null;
  hi: number | null;
  /** Which method gave the interval (absent in bundles made before methods were recorded). */
  method?: IntervalMethod;
  /** true when below the minimums (evaluate/minimums.ts): "too few to evaluate". */
  tooFew?: boolean;
}

/** Whether a test side or group has enough positives and negatives for ranking metrics. */
export interface MinimumCheck {
  enough: boolean;
  positives: number | null;
  negatives: number | null;
  needPositives: number;
  needNegatives: number;
  /** When not enough: about how many cases in all would be (null when it cannot be estimated). */
  casesNeeded: number | null;
}

/** What an outcome defined by a later service decision measures, and what it cannot (evaluate/outcome-meaning.ts). */
export interface OutcomeMeaning {
  kind: 'service decision';
  measures: string;
  cannot: string;
}

/** Calibration intercept (slope fixed at 1) and slope: logistic regression of the outcome on logit(score). */
export interface CalibrationFitRecord {
  intercept: Estimate;
  slope: Estimate;
}

/** Net benefit across threshold probabilities (Vickers & Elkin 2006); flag none is 0 everywhere. */
export interface DecisionCurve {
  thresholds: number[];
  /** Net benefit of acting on score >= threshold. */
  model: (number | null)[];
  /** Net benefit of flagging everyone. */
  all: (number | null)[];
  n: number | null;
  prevalence: number | null;
}

/** Minimum sample size to develop a binary prediction model (Riley et al. 2020; evaluate/sample-size.ts). */
export interface SampleSizeRecord {
  method: string;
  /** Training cases, and those with the outcome. */
  n: number;
  events: number;
  prevalence: number;
  /** Candidate predictor parameters (design columns, text features excluded). */
  parameters: number;
  shrinkage: number;
  /** The Nagelkerke R² assumed (null when a Cox-Snell R² was given instead). */
  assumedNagelkerkeR2: number | null;
  coxSnellR2: number;
  maxCoxSnellR2: number;
  /** Cases each criterion requires. */
  criteria: { shrinkage: number; optimism: number; intercept: number };
  shrinkageForOptimism: number;
  /** The largest of the three. */
  required: number;
  enough: boolean;
  /** The most candidate parameters n supports (0 when even the intercept criterion fails). */
  maxParameters: number;
  /** Events per parameter at the required n. */
  eventsPerParameter: number;
  /** In words (sampleSizeSentence). */
  sentence?: string;
}

/** The minimum sizes a run used (evaluate/minimums.ts), with the rules in words. */
export interface MinimumsRecord {
  rankingPositives: number;
  rankingNegatives: number;
  rateDenominator: number;
  groupCases: number;
  bootstrapEvents: number;
  bootstrapDistinct: number;
  rules: string[];
}

/**
 * Why disclosure control withheld a value: 'primary' = a count below the threshold;
 * 'secondary' = withheld so that a primary-suppressed count cannot be recovered from totals;
 * 'derived' = a rate, interval or curve computed from a withheld count.
 */
export type SuppressionReason = 'primary' | 'secondary' | 'derived';

/**
 * Confusion counts and rates at one operating point. Rates are null when their denominator is 0.
 * Counts are null only in a shareable bundle, where disclosure control withheld them
 * (see `withheld`); in the analyst's own local JSON they are always numbers.
 */
export interface OperatingPointResult {
  threshold: number | null;
  nFlagged: number | null;
  tp: number | null;
  fp: number | null;
  fn: number | null;
  tn: number | null;
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
  /** Set by disclosure control: true when any value here was withheld. */
  suppressed?: boolean;
  /** Set by disclosure control: field name -> why it is null. */
  withheld?: Record<string, SuppressionReason>;
}

export interface TopKResult extends OperatingPointResult {
  topPct: number;
  /** Null only when withheld by disclosure control. */
  nTarget: number | null;
}

/**
 * Confusion counts and rates, with intervals, at the run's operating policy (`task.policy`):
 * THE operating point of the report. `topPct` and `nTarget` are the policy's cut on the test
 * side (for a threshold policy, the share and number it flags); `threshold` the score at the cut.
 * For a subgroup, the counts are this group's under the one global cut.
 */
export interface PolicyPointResult extends OperatingPointResult {
  topPct: number | null;
  nTarget: number | null;
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
  /** For inconclusive: estimated cases in this group needed for a verdict at 80% power (or to reach the minimums). */
  casesNeeded: number | null;
  /** Which method gave lo/hi. */
  method?: IntervalMethod;
  /** true when the group (or the reference) is below the minimums: the verdict is 'inconclusive' and reads "too few to tell". */
  tooFew?: boolean;
  /** 95% paired bootstrap bounds of the difference. */
  differenceLo?: number | null;
  differenceHi?: number | null;
  /** Replicates in which both the group's and the reference's metric were defined. */
  replicatesDefined?: number;
}

/** Calibration in the large of one group: mean score against its outcome rate. */
export interface GroupCalibration {
  meanScore: number | null;
  outcomeRate: number | null;
  difference: number | null;
  observedToExpected: number | null;
}

/**
 * One group's results. In a shareable bundle a group withheld whole by disclosure control has
 * only `attribute`, `group`, `suppressed: true` and `withheld: { group: reason }`: every other
 * field is absent (see `isWithheldGroup`).
 */
export interface SubgroupResult {
  attribute: string;
  group: string;
  /** Null only when withheld by disclosure control. */
  n: number | null;
  positives: number | null;
  prevalence: number | null;
  averagePrecision: Estimate;
  rocAuc: Estimate;
  /** The fixed points of the DESIGN contract (score threshold, top K%): not the policy. */
  atThreshold: OperatingPointResult;
  topK: TopKResult;
  /** This group under the run's operating policy (the global cut). Absent in /1 bundles. */
  atPolicy?: PolicyPointResult;
  /** true when counts were suppressed by disclosure control (or the group is too small to report). */
  suppressed: boolean;
  /** Below the small-group threshold: flagged, never hidden. */
  small?: boolean;
  /** The attribute's reference group (its disparities are empty). */
  isReference?: boolean;
  calibration?: GroupCalibration;
  /** Set by disclosure control: field name (e.g. 'n', 'averagePrecision', 'disparity.fpr') -> why it is null. */
  withheld?: Record<string, SuppressionReason>;
  /** Against the reference group, AT THE OPERATING POLICY (in /1 bundles: at the score threshold). */
  disparity: Partial<Record<DisparityMetric, Disparity>>;
  /** /1 bundles only: disparities at the top-K% cut. Not produced from /2 on. */
  disparityTopK?: Partial<Record<DisparityMetric, Disparity>>;
  /** This group's confusion counts at the global top 1%..100% cuts (see OperatingRow). */
  operating?: OperatingRow[];
  /** Whether the group has enough positives and negatives for ranking metrics. */
  minimums?: MinimumCheck;
  /** Calibration intercept and slope within the group (probability scores only). */
  calibrationFit?: CalibrationFitRecord;
  /** Reliability diagram within the group, each bin's observed share with its interval. */
  calibrationCurve?: CalibrationBin[];
  /** Net benefit within the group (probability scores only). */
  decisionCurve?: DecisionCurve;
}

/** One logistic regression coefficient (standardised features) with its 95% Wald interval. */
export interface Coefficient {
  name: string;
  value: number;
  lo: number | null;
  hi: number | null;
}

/** How a model was trained: the engine that ran, fit time and the loss curve. */
export interface TrainingRecord {
  engine: string;
  /** Wall-clock fit time, rounded (varies between runs, like `createdAt`). */
  fitMs: number;
  curve: { step: number; loss: number; valLoss?: number }[];
}

/** The equal-opportunity what-if per attribute: for discussion, never the audited policy. */
export interface WhatIfRecord {
  kind: string;
  note: string;
  attributes: EqualOpportunityWhatIf[];
}

/** A success criterion judged inside the run, on the test side's scores (bootstrap interval). */
export interface CriterionResult {
  /** The criterion as locked (or added after results were seen: `postHoc`). */
  criterion: Criterion;
  /** The criterion in words, e.g. "precision when the top 10% are flagged at least 0.3". */
  words: string;
  /** met: the whole 95% interval clears the bar; not met: it wholly misses; inconclusive: it
   *  straddles the bar; undefined: the statistic or its interval cannot be computed here. */
  status: 'met' | 'not met' | 'inconclusive' | 'undefined';
  estimate: Estimate;
  postHoc: boolean;
  /** For inconclusive: rough number of cases that would settle it (null if unknown). */
  casesNeeded: number | null;
  /** One plain sentence: what was decided and why. */
  sentence: string;
}

/** A group withheld whole by disclosure control: its label and the reason, nothing else. */
export const isWithheldGroup = (s: SubgroupResult): boolean => s.suppressed === true && s.withheld?.group !== undefined && s.n === undefined;

export interface ModelResult {
  model: 'baseline' | 'logistic' | 'gbdt' | 'mlp' | 'external';
  features: 'structured' | 'structured+text' | null;
  metrics: {
    averagePrecision: Estimate;
    rocAuc: Estimate;
    brier: Estimate;
    prevalence: number | null;
    logLoss?: Estimate;
    /** Expected calibration error over the calibration bins. */
    ece?: Estimate;
    /** External validation: calibration in the large and calibration slope. */
    calibrationInTheLarge?: Estimate;
    calibrationSlope?: Estimate;
  };
  /** The fixed points of the DESIGN contract (score threshold, top K%): not the policy. */
  atThreshold: OperatingPointResult;
  topK: TopKResult;
  /** At the run's operating policy: THE operating point every page and sentence uses. Absent in /1 bundles. */
  atPolicy?: PolicyPointResult;
  subgroups: SubgroupResult[];
  /** From the pre-registered criteria in `criteria`: 'met' only when every one is met; null without any. */
  verdict: 'met' | 'not met' | null;
  /** Each criterion judged on this model (pre-registered first, then post hoc). */
  criteria?: CriterionResult[];
  /** Curves. In a shareable bundle only summaries at fixed grid points (see `CurveSet`). */
  curves?: CurveSet;
  training?: TrainingRecord;
  /** Logistic regression only. */
  coefficients?: Coefficient[];
  /** Audit with the what-if asked for: local JSON only (disclosure leaves it out). */
  whatIf?: WhatIfRecord;
  /** Set by disclosure control: field name (e.g. 'metrics.averagePrecision') -> why it is null. */
  withheld?: Record<string, SuppressionReason>;
  /** Whether the test side has enough positives and negatives for ranking metrics. */
  minimums?: MinimumCheck;
  /** Calibration intercept and slope on the test side (probability scores only). */
  calibrationFit?: CalibrationFitRecord;
  /** Net benefit on the test side (probability scores only). */
  decisionCurve?: DecisionCurve;
}

/** A paired difference on the same test cases (a − b), with its bootstrap interval. */
export interface Comparison {
  /** Model keys as `modelKey` writes them: "logistic (structured+text)", "baseline". */
  a: string;
  b: string;
  metric: 'averagePrecision';
  difference: Estimate;
}

/** One point of a precision-recall curve. */
export interface PrPoint {
  recall: number;
  precision: number | null;
  /** Score threshold; omitted in a shareable bundle (a threshold can single out a case's score). */
  threshold?: number | null;
}

/** One point of a ROC curve. */
export interface RocPoint {
  fpr: number;
  tpr: number | null;
  threshold?: number | null;
}

/** One calibration bin: cases whose score falls in [lo, hi). */
export interface CalibrationBin {
  lo: number;
  hi: number;
  n: number | null;
  positives: number | null;
  /** Mean predicted score in the bin. */
  meanScore: number | null;
  /** positives / n. */
  observed: number | null;
  /** 95% interval of `observed` (Wilson, or Clopper-Pearson for small counts), when computed. */
  observedInterval?: Estimate;
  withheld?: Record<string, SuppressionReason>;
}

/**
 * Confusion counts when the top K% of cases are flagged, one row per whole K = 1..100: what the
 * report's operating-point control moves along (it snaps to the nearest row, never interpolates).
 * Counts are null only where disclosure control withheld them.
 */
export interface OperatingRow {
  topPct: number;
  /** Score at the cut (flag when score >= threshold); may be omitted in a shareable bundle. */
  threshold: number | null;
  nFlagged: number | null;
  tp: number | null;
  fp: number | null;
  fn: number | null;
  tn: number | null;
}

/**
 * Curves. The local report may hold full step curves; disclosure control replaces them by values
 * at fixed grid points (`grid: true`): PR at recall 0.05, 0.10, ..., 1 (the best precision
 * reachable at that recall or more), ROC at FPR 0, 0.05, ..., 1 (the best TPR at that FPR or less),
 * calibration in fixed score bins with suppressed counts.
 */
export interface CurveSet {
  pr?: PrPoint[];
  roc?: RocPoint[];
  calibration?: CalibrationBin[];
  /** Confusion counts at top 1%, 2%, ..., 100% (see OperatingRow). */
  operating?: OperatingRow[];
  /** true once the curves are summarised at fixed grid points. */
  grid?: boolean;
}

export interface ColumnDescriptor {
  name: string;
  role: string;
  type: string;
}

/** What disclosure control did to a shareable bundle. */
export interface DisclosureRecord {
  /** Counts below this were suppressed. */
  threshold: number;
  /** Other counts were rounded to the nearest multiple of this (1 = not rounded). */
  rounding: number;
  /** Rates and interval bounds were rounded to this many decimal places. */
  rateDecimals: number;
  /** Whether zero counts were treated as small counts. */
  suppressZeros: boolean;
  /** Published count fields withheld, by reason. */
  suppressedCells: number;
  primaryCells: number;
  secondaryCells: number;
  /** Rates, estimates, intervals, disparities and curve points withheld because they derive from withheld counts. */
  derivedValues: number;
  /** Recall / FPR grid used for curve summaries. */
  curveGrid: number[];
  /** Fields present in the input that are not part of the schema and were left out (JSON paths). */
  dropped: string[];
  /** The rules, in words, for readers of the bundle. */
  rules: string[];
  /** Cell-key noise on published counts (bundle/cell-key.ts); absent in bundles made before it. */
  perturbation?: DisclosurePerturbation;
}

/** How published counts were perturbed: the cell key method with its table. */
export interface DisclosurePerturbation {
  method: string;
  ptable: string;
  /** Largest noise added to or taken from a count (0 = none). */
  maxPerturbation: number;
  /** Cell keys 0..255 in [lo, hi] add `perturbation`. */
  table: { perturbation: number; lo: number; hi: number }[];
  /** Whether cell keys came from the records (true from candour.bundle/2 runs on); otherwise from a hash of the report. */
  recordKeys: boolean;
  /** What the noise follows: the records keyed by a council key, or by the data alone, or the report. Absent in older bundles. */
  keyedBy?: NoiseKeys;
}

export type NoiseKeys = 'council key' | 'data' | 'report';

export interface IntegrityRecord {
  algorithm: 'sha256';
  /** Hex SHA-256 of the canonical JSON (sorted keys, no whitespace) of the bundle without `integrity`. */
  hash: string;
  /** Present when the bundle was signed with a council's key file (see signing.ts). */
  signature?: SignatureRecord;
}

/**
 * An Ed25519 signature (RFC 8032) over the UTF-8 bytes of `candour.bundle/1 signed\n` followed
 * by the same canonical JSON the hash covers. Shows that the holder of the secret key matching
 * `publicKey` signed exactly this content; whose key that is, the reader must know separately.
 */
export interface SignatureRecord {
  algorithm: 'ed25519';
  /** The signer's 32-byte public key, hex. */
  publicKey: string;
  /** The 64-byte signature, hex. */
  value: string;
}

/** The split as the run made it; audit mode has none. */
export type SplitRecord =
  | SplitDescription
  | { method: 'kfold'; k: number; folds: SplitDescription[] }
  | { kind: 'none'; note: string }
  | { method: 'external'; note: string };

/** The operating policy and its cut on the test side (see src/lib/run/policy.ts). */
export interface PolicyRecord {
  policy: OperatingPolicy;
  /** In plain words: "flag the top 10% of cases by score". */
  words: string;
  /** Cases on the test side the policy is applied to. */
  testRows: number | null;
  /** Months the test side's decision dates span; null without dates. */
  testMonths: number | null;
  /** Cases the policy flags (ties at the cut aside); null when it differs by model (a threshold). */
  nTarget: number | null;
  /** nTarget as a share of the test side, in percent; null when it differs by model. */
  topPct: number | null;
}

/** Which columns the models used, and which audited group columns were also model inputs. */
export interface FeaturesRecord {
  numeric: string[];
  categorical: string[];
  text: string[];
  dates: string[];
  /** The decision date: the reference for date features, never a feature itself. */
  dateColumn: string | null;
  /** Group columns the analyst chose to use as features too (empty by default). */
  groupsAsFeatures: string[];
}

export interface FairnessRecord {
  attributes: string[];
  reference: string;
  tolerance: { lower: number; upper: number };
  smallCell?: SmallCellRule;
  ageBands?: string;
  /** What `disparity` means, in words. */
  disparity?: string;
}

export interface DataSection {
  name: string;
  /** Rows with an outcome (and, in audit mode, a score). Null only when withheld by disclosure control. */
  rows: number | null;
  positives: number | null;
  prevalence: number | null;
  fingerprint: string;
  columns: ColumnDescriptor[];
  /** Cases on the test side, the "N test cases" every page states (audit: every case scored). */
  testRows: number | null;
  /** Rows left out, by reason. */
  excluded?: { missingOutcome?: number | null; missingScore?: number | null };
  /** When the table came from an Ofsted Annex A return: what the import did. */
  annexA?: AnnexABundleSummary;
  /** Set by disclosure control. */
  withheld?: Record<string, SuppressionReason>;
}

export interface TaskSection {
  mode: 'evaluate' | 'audit' | 'validate';
  /** What one row is about (child, family, referral, person), as the analyst named it. */
  unit?: 'child' | 'family' | 'referral' | 'person';
  outcome: string;
  positive: string;
  /** Audit mode: the score column audited. */
  score?: string;
  split: SplitRecord;
  /** The fixed points of the DESIGN contract behind `atThreshold` and `topK`: not the policy. */
  operatingPoint: { threshold: number; topPct: number };
  /** THE operating policy: every `atPolicy`, disparity, verdict and criterion is at it. Absent in /1 bundles. */
  policy?: PolicyRecord;
  /** Evaluate mode: the models asked for and the features they used. */
  models?: string[];
  features?: FeaturesRecord;
  /** Evaluate mode, fitted to leave as a model file: the minimum count the export rules used. */
  exportable?: { minCount: number };
  /** Validate mode: the model file tested (by hash) and how its inputs matched this extract's columns. */
  externalModel?: { schema: string; hash: string; kind: string; features: string; /** The model file's signing key (hex), when it was signed. */ signer?: string | null };
  mapping?: { input: string; column: string | null; how: string }[];
  seed: number;
  bootstrap: { replicates: number; seed: number; stratified: boolean; clustered: boolean; level: number };
  fairness: FairnessRecord;
  /** Plain sentences about choices the run made (e.g. a model that cannot use text). */
  notes: string[];
  /** The minimum sizes the run applied. */
  minimums?: MinimumsRecord;
  /** When the outcome is a later service decision: what it measures and cannot. */
  outcomeMeaning?: OutcomeMeaning;
}

export interface PreregistrationRecord {
  criteria: Criterion[];
  sha256: string;
  lockedAt: string;
  dataFingerprint?: string;
  config?: unknown;
}

export interface Bundle {
  schema: typeof BUNDLE_SCHEMA | 'candour.bundle/1';
  tool: { name: 'candour'; version: string; backend: string };
  createdAt: string;
  data: DataSection;
  task: TaskSection;
  preregistration: PreregistrationRecord | null;
  results: ModelResult[];
  /** Evaluate mode: paired differences (each model against the baseline, and text ablation). */
  comparisons?: Comparison[];
  /** Present in a shareable bundle: what disclosure control did. */
  disclosure?: DisclosureRecord;
  /** Training runs: whether the training side was large enough for the candidate predictors. */
  sampleSize?: SampleSizeRecord;
  /** Model card and transparency record (see model-card.ts); plain data, editable before export. */
  transparency?: TransparencyBlock;
  /** Present in a shareable bundle: hash of everything else. */
  integrity?: IntegrityRecord;
  /** The analyst's local report only, with a council secret: record and cell keys so shared counts get the same noise in every run on the same children (bundle/cell-key.ts). Never published. */
  cellKeys?: import('./cell-key.ts').CellKeys;
  /** An external validation's own findings (run/validate-run.ts); the tested model is named by hash in `task.externalModel`. */
  validation?: import('../run/validate-run.ts').ValidationBlock;
}
