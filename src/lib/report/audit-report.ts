/**
 * The report for audit mode: an existing score (e.g. a vendor's) against outcomes, no
 * training. The report object is the bundle's JSON (schema "candour.bundle/1"): one result
 * with model "external", the overall metrics with intervals, and the subgroup audit.
 * Counts are unsuppressed here (the analyst's own local JSON); disclosure control is
 * applied when a shareable bundle is written.
 */
import { BUNDLE_SCHEMA, type Bundle, type ColumnDescriptor } from '../bundle/schema.ts';
import { hex, sha256 } from '../bundle/integrity.ts';
import { AppFailure, type CancelToken } from '../errors.ts';
import { DEFAULT_REPLICATES, DEFAULT_SEED } from '../evaluate/bootstrap.ts';
import { evaluateScores, modelResultOf } from '../evaluate/evaluate-scores.ts';
import { DEFAULT_THRESHOLD, DEFAULT_TOP_PCT } from '../evaluate/operating-point.ts';
import { subgroupAudit, type AuditAttribute } from '../fairness/audit.ts';
import { equalOpportunityThresholds } from '../fairness/what-if.ts';
import { DEFAULT_SMALL_CELL, type SmallCellRule } from '../fairness/groups.ts';
import { DEFAULT_TOLERANCE, checkTolerance, type Tolerance } from '../fairness/power.ts';
import { minimumsRecord } from '../evaluate/minimums.ts';
import { outcomeMeaning } from '../evaluate/outcome-meaning.ts';
import { VERSION } from '../version.ts';

export interface AuditProgress {
  phase: 'overall' | 'subgroups';
  done: number;
  total: number;
}

export interface AuditReportInput {
  /** Uint8Array (n) of 0/1 outcomes. */
  labels: Uint8Array;
  /** Float64Array (n) of scores; higher = more at risk. */
  scores: Float64Array;
  /** Attributes to audit, each a value per case; blanks form a "Missing" group. */
  groups: AuditAttribute[];
  /** Flag when score >= threshold. Default 0.5 (as evaluateScores). */
  threshold?: number;
  /** Also audit the top K% of all cases. Default 10. */
  topPct?: number;
  replicates?: number;
  seed?: number;
  /** Cluster code per case (e.g. a coded child ID): whole clusters are resampled. */
  clusters?: Int32Array;
  tolerance?: Tolerance;
  smallCell?: SmallCellRule;
  dataInfo: { name: string; fingerprint: string; columns: ColumnDescriptor[]; [extra: string]: unknown };
  task: { outcome: string; positive: string; score?: string; [extra: string]: unknown };
  /**
   * Also compute, per attribute, the "equal opportunity" what-if (group thresholds equalising
   * recall, and what that costs overall) into `results[0].whatIf`. Off by default; never changes
   * the audited policy. Local JSON only: disclosure control leaves it out of a shareable bundle.
   */
  whatIf?: boolean;
  /** Success criteria locked before results were seen. Recorded as given; the verdict stays null until criteria evaluation exists. */
  preregistration?: Bundle['preregistration'];
  /** ISO time; default now. Fixed in tests so reports compare equal. */
  createdAt?: string;
  backend?: string;
  cancel?: CancelToken;
  /** Called as work progresses: the overall bootstrap, then the subgroup bootstrap. */
  onProgress?: (p: AuditProgress) => void;
}

/** The "equal opportunity" what-if for every attribute: group thresholds equalising recall to the global policy's, and their overall cost. */
export function equalOpportunityWhatIf(labels: Uint8Array, scores: Float64Array, groups: readonly AuditAttribute[], threshold: number) {
  return {
    kind: 'equal opportunity (group thresholds equalising recall to the global policy)',
    note: 'a what-if for discussion, not the audited policy',
    attributes: groups.map((g) => equalOpportunityThresholds(labels, scores, g.attribute, g.values, threshold)),
  };
}

/** How the reference groups were chosen, as the report states it. */
export function referenceDescription(groups: readonly AuditAttribute[]): string {
  const chosen = groups.filter((g) => g.reference !== undefined).map((g) => `${g.reference} for ${g.attribute}`);
  return chosen.length ? `chosen: ${chosen.join('; ')}; otherwise the largest group` : 'the largest group';
}

/** Hex SHA-256 of the input file's bytes: the data fingerprint recorded in every bundle. */
export function dataFingerprint(bytes: Uint8Array): string {
  return hex(sha256(bytes));
}

/**
 * The audit report (a Bundle): overall metrics and operating points with bootstrap
 * intervals (evaluateScores), and per attribute and group the subgroup audit with
 * disparities against the reference group (subgroupAudit), both from the same seed.
 * Throws AppFailure for bad input (lengths, no cases) and Cancelled when cancelled.
 */
export function buildAuditReport(input: AuditReportInput): Bundle {
  const { labels, scores } = input;
  const n = labels.length;
  if (scores.length !== n) throw new AppFailure({ code: 'length-mismatch', message: `outcomes (${n}) and scores (${scores.length}) differ in length` });
  if (n === 0) throw new AppFailure({ code: 'no-cases', message: 'there are no cases to audit' });
  const threshold = input.threshold ?? DEFAULT_THRESHOLD;
  const topPct = input.topPct ?? DEFAULT_TOP_PCT;
  const replicates = input.replicates ?? DEFAULT_REPLICATES;
  const seed = input.seed ?? DEFAULT_SEED;
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  checkTolerance(tolerance);
  const smallCell = input.smallCell ?? DEFAULT_SMALL_CELL;

  const ev = evaluateScores(labels, scores, {
    threshold,
    topPct,
    replicates,
    seed,
    clusters: input.clusters,
    cancel: input.cancel,
    onProgress: (done, total) => input.onProgress?.({ phase: 'overall', done, total }),
  });
  const result = modelResultOf(ev, 'external', null);
  // A few progress reports a second at most: every 2% of replicates.
  const step = Math.max(1, Math.floor(replicates / 50));
  result.subgroups = subgroupAudit(labels, scores, input.groups, {
    threshold,
    topPct,
    replicates,
    seed,
    clusters: input.clusters,
    tolerance,
    smallCell,
    cancel: input.cancel,
    onProgress: (done, total) => {
      if (done % step === 0 || done === total) input.onProgress?.({ phase: 'subgroups', done, total });
    },
  });
  result.verdict = null;
  if (input.whatIf) result.whatIf = equalOpportunityWhatIf(labels, scores, input.groups, threshold);

  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  return {
    schema: BUNDLE_SCHEMA,
    tool: { name: 'candour', version: VERSION, backend: input.backend ?? 'cpu' },
    createdAt: input.createdAt ?? new Date().toISOString(),
    data: {
      ...input.dataInfo,
      rows: n,
      positives,
      prevalence: positives / n,
    },
    task: {
      ...input.task,
      mode: 'audit',
      split: { kind: 'none', note: 'audit of an existing score: nothing is trained, every case is evaluated' },
      operatingPoint: { threshold, topPct },
      bootstrap: { replicates, seed, stratified: true, clustered: input.clusters !== undefined, level: 0.95 },
      minimums: minimumsRecord(),
      ...(outcomeMeaning(input.task.outcome) ? { outcomeMeaning: outcomeMeaning(input.task.outcome)! } : {}),
      fairness: {
        attributes: input.groups.map((g) => g.attribute),
        reference: referenceDescription(input.groups),
        tolerance,
        smallCell,
        disparity: 'ratio group / reference with a paired bootstrap interval; `disparity` at the threshold, `disparityTopK` at the top-K% cut',
      },
    },
    preregistration: input.preregistration ?? null,
    results: [result],
  };
}
