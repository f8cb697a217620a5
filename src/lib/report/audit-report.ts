/**
 * The report for audit mode: an existing score (e.g. a vendor's) against outcomes, no
 * training. The report object is the bundle's JSON (schema "candour.bundle/2"): one result
 * with model "external", assembled by the run's one evaluation phase (run/evaluation.ts).
 * Counts are unsuppressed here (the analyst's own local JSON); disclosure control is
 * applied when a shareable bundle is written.
 */
import type { Bundle, DataSection } from '../bundle/schema.ts';
import { hex, sha256 } from '../bundle/integrity.ts';
import { AppFailure, type CancelToken } from '../errors.ts';
import type { AuditAttribute } from '../fairness/audit.ts';
import { equalOpportunityThresholds } from '../fairness/what-if.ts';
import type { SmallCellRule } from '../fairness/groups.ts';
import type { Tolerance } from '../fairness/power.ts';
import { DEFAULT_SEED } from '../run/defaults.ts';
import type { OperatingPolicy } from '../run/policy.ts';
import type { Criterion } from '../evaluate/prereg.ts';
import { reportOf, type ScoredRun } from '../run/evaluation.ts';

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
  /** The operating policy (default: the top 10%). */
  policy?: OperatingPolicy;
  /** The DESIGN points: flag when score >= threshold (default 0.5); the top K% (default 10). */
  threshold?: number;
  topPct?: number;
  replicates?: number;
  seed?: number;
  /** Cluster code per case (e.g. a coded child ID): whole clusters are resampled. */
  clusters?: Int32Array;
  /** Float64Array (n) of decision dates (ms), for a capacity a month. */
  dates?: Float64Array | null;
  /** The age bands audited, in words (group-values.ts ageBandsUsed). */
  ageBands?: string;
  /** The records' keys and the data's tag, for the report's cell keys (see ScoredRun). */
  keys?: ScoredRun['keys'];
  tolerance?: Tolerance;
  smallCell?: SmallCellRule;
  dataInfo: Pick<DataSection, 'name' | 'fingerprint' | 'columns' | 'excluded' | 'annexA'>;
  task: { outcome: string; positive: string; score?: string; unit?: Bundle['task']['unit']; notes?: string[] };
  /**
   * Also compute, per attribute, the "equal opportunity" what-if (group thresholds equalising
   * recall, and what that costs overall) into `results[0].whatIf`. Off by default; never changes
   * the audited policy. Local JSON only: disclosure control leaves it out of a shareable bundle.
   */
  whatIf?: boolean;
  /** Success criteria locked before results were seen: judged in the run. */
  preregistration?: Bundle['preregistration'];
  postHocCriteria?: Criterion[];
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

/** The scored side of an audit: every case is a test case, one model ("external"). */
export function auditScoredRun(input: AuditReportInput): ScoredRun {
  const { labels, scores } = input;
  const n = labels.length;
  if (scores.length !== n) throw new AppFailure({ code: 'length-mismatch', message: `outcomes (${n}) and scores (${scores.length}) differ in length` });
  if (n === 0) throw new AppFailure({ code: 'no-cases', message: 'there are no cases to audit' });
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  return {
    settings: {
      seed: input.seed ?? DEFAULT_SEED,
      replicates: input.replicates,
      policy: input.policy,
      threshold: input.threshold,
      topPct: input.topPct,
      tolerance: input.tolerance,
      smallCell: input.smallCell,
      whatIf: input.whatIf,
      preregistration: input.preregistration,
      postHocCriteria: input.postHocCriteria,
    },
    frame: {
      ...(input.ageBands !== undefined ? { ageBands: input.ageBands } : {}),
      backend: input.backend ?? 'cpu',
      createdAt: input.createdAt ?? new Date().toISOString(),
      data: { ...input.dataInfo, rows: n, positives, prevalence: positives / n },
      task: {
        mode: 'audit',
        outcome: input.task.outcome,
        positive: input.task.positive,
        ...(input.task.score !== undefined ? { score: input.task.score } : {}),
        ...(input.task.unit !== undefined ? { unit: input.task.unit } : {}),
        split: { kind: 'none', note: 'audit of an existing score: nothing is trained, every case is evaluated' },
        notes: input.task.notes ?? [],
      },
    },
    labels,
    models: [{ model: 'external', features: null, scores }],
    groups: input.groups,
    clusters: input.clusters,
    dates: input.dates ?? null,
    ...(input.keys ? { keys: input.keys } : {}),
  };
}

/**
 * The audit report (a Bundle) through the run's one evaluation phase. Throws AppFailure for bad
 * input (lengths, no cases, a capacity without dates) and Cancelled when cancelled.
 */
export function buildAuditReport(input: AuditReportInput): Bundle {
  const r = reportOf(auditScoredRun(input), {
    cancel: input.cancel,
    onProgress: (p) => {
      if (p.phase === 'evaluating') input.onProgress?.({ phase: 'overall', done: p.done, total: p.total });
      else if (p.phase === 'auditing') input.onProgress?.({ phase: 'subgroups', done: p.done, total: p.total });
    },
  });
  if (!r.ok) throw new AppFailure(r.error);
  return r.value;
}
