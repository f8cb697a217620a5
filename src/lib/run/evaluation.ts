/**
 * The evaluation phase every run ends with, and the only code that assembles a report: a scored
 * test side in, the finished report out — metrics with intervals at the DESIGN points and AT THE
 * OPERATING POLICY, the subgroup audit and its verdicts at the policy, operating tables, the
 * what-if, each success criterion judged, paired comparisons, and the sections the earlier phases
 * fixed (data, split, features, Annex A summary). `runEvaluation` and `runAudit` end here, and
 * the worker's `repolicy` calls it again on the kept scored side with another policy: a new
 * policy re-derives the whole report without retraining.
 */
import {
  BUNDLE_SCHEMA,
  type Bundle, type Coefficient, type Comparison, type CriterionResult, type DataSection, type ModelResult,
  type OperatingPointResult, type PolicyPointResult, type PolicyRecord, type SubgroupResult, type TaskSection, type TrainingRecord,
} from '../bundle/schema.ts';
import { AppFailure, throwIfCancelled, type CancelToken, type Result } from '../errors.ts';
import { evaluateScoresSteps, modelResultOf, pairedDifferenceSteps, type ScoreEvaluation } from '../evaluate/evaluate-scores.ts';
import { describeCriterion, estimateCriterionSteps, judgeEstimate, type Criterion } from '../evaluate/prereg.ts';
import { runHere, type Bootstrapping } from '../evaluate/replicate-job.ts';
import { subgroupAuditSteps, type AuditAttribute } from '../fairness/audit.ts';
import { DEFAULT_SMALL_CELL, type SmallCellRule } from '../fairness/groups.ts';
import { checkTolerance } from '../fairness/power.ts';
import { equalOpportunityWhatIf, referenceDescription } from '../report/audit-report.ts';
import { VERSION } from '../version.ts';
import { minimumsRecord } from '../evaluate/minimums.ts';
import { outcomeMeaning } from '../evaluate/outcome-meaning.ts';
import { runCellKeys, type RunKeys } from '../bundle/cell-key.ts';
import { DEFAULT_POLICY, DEFAULT_REPLICATES, DEFAULT_THRESHOLD, DEFAULT_TOLERANCE, DEFAULT_TOP_PCT } from './defaults.ts';
import { addOperatingTables } from './operating.ts';
import { monthsSpanned, policyFromOptions, policyWords, resolvePolicy, type OperatingPolicy, type ResolvedPolicy } from './policy.ts';

/** One model's scores on the test side, and what its training left for the report. */
export interface ScoredModel {
  model: ModelResult['model'];
  features: ModelResult['features'];
  /** Float64Array (n): test-side scores aligned with `labels`. */
  scores: Float64Array;
  training?: TrainingRecord;
  coefficients?: Coefficient[];
  /** Metrics only its run can compute (external validation: calibration in the large and slope). */
  metrics?: Pick<ModelResult['metrics'], 'calibrationInTheLarge' | 'calibrationSlope'>;
}

/** What the evaluation phase reads from the spec (common to audit and evaluation runs). */
export interface EvaluationSettings {
  seed: number;
  replicates?: number;
  policy?: OperatingPolicy;
  threshold?: number;
  topPct?: number;
  tolerance?: { lower: number; upper: number };
  smallCell?: SmallCellRule;
  whatIf?: boolean;
  preregistration?: Bundle['preregistration'];
  /** Criteria added after results were seen: judged and labelled post hoc, never counted in the verdict. */
  postHocCriteria?: Criterion[];
}

/** The report sections fixed before evaluation (by loading, splitting and training). */
export interface ReportFrame {
  backend: string;
  createdAt: string;
  data: Omit<DataSection, 'testRows'>;
  task: Pick<TaskSection, 'mode' | 'outcome' | 'positive' | 'split' | 'notes'> & Partial<Pick<TaskSection, 'unit' | 'score' | 'models' | 'features' | 'exportable' | 'externalModel' | 'mapping'>>;
  /** The age bands audited, in words (group-values.ts ageBandsUsed); 'none' when no age was banded. */
  ageBands?: string;
  /** External validation's own findings (run/validate-run.ts). */
  validation?: Bundle['validation'];
  /** Training runs: whether the training side was large enough for the candidate predictors. */
  sampleSize?: Bundle['sampleSize'];
}

/** A scored test side: everything needed to (re)derive the report. Plain data, kept by the worker. */
export interface ScoredRun {
  settings: EvaluationSettings;
  frame: ReportFrame;
  /** Uint8Array (n) of 0/1 outcomes on the test side. */
  labels: Uint8Array;
  models: ScoredModel[];
  groups: AuditAttribute[];
  /** Cluster code per test case (coded child ID): whole children resampled. */
  clusters?: Int32Array;
  /** Float64Array (n) of decision dates (ms since epoch, NaN = missing) of the test cases; null without a date column. */
  dates: Float64Array | null;
  /** The records' keys and the data's tag, from which the local report's cell keys follow (bundle/cell-key.ts). */
  keys?: RunKeys;
}

export type EvaluationProgress = { phase: 'evaluating' | 'auditing' | 'judging'; done: number; total: number; detail?: string };

/** "logistic (structured+text)", "baseline": how comparisons name a model. */
export const modelKeyOf = (m: Pick<ScoredModel, 'model' | 'features'>): string => (m.features ? `${m.model} (${m.features})` : m.model);

const FAIRNESS_WORDS = 'ratio group / reference at the operating policy (task.policy), with a paired bootstrap 95% interval; the verdict compares the interval with the tolerance';

export interface ReportOptions {
  /** Another policy than the run's (the worker's repolicy). */
  policy?: OperatingPolicy;
  cancel?: CancelToken;
  onProgress?: (p: EvaluationProgress) => void;
}

/** The report at the run's policy (or at `policy` when given: the worker's repolicy). */
export function reportOf(run: ScoredRun, opts: ReportOptions = {}): Result<Bundle> {
  return runHere(reportSteps(run, opts));
}

/** reportOf as steps: every bootstrap it needs is yielded (evaluate/replicate-job.ts), so a
 *  pool of workers can compute them (pool/report.ts) and give the same report. */
export function* reportSteps(run: ScoredRun, opts: ReportOptions = {}): Bootstrapping<Result<Bundle>> {
  try {
    return yield* reportOrThrow(run, opts);
  } catch (e) {
    if (e instanceof AppFailure) return { ok: false, error: { ...e.error, file: e.error.file ?? run.frame.data.name } };
    throw e;
  }
}

function* reportOrThrow(run: ScoredRun, opts: ReportOptions): Bootstrapping<Result<Bundle>> {
  const s = run.settings;
  const { labels } = run;
  const n = labels.length;
  if (n === 0) return { ok: false, error: { code: 'no-cases', message: 'there are no test cases to evaluate' } };
  for (const m of run.models) {
    if (m.scores.length !== n) throw new AppFailure({ code: 'length-mismatch', message: `outcomes (${n}) and scores (${m.scores.length}) differ in length` });
  }
  const policy = opts.policy ?? policyFromOptions(s, DEFAULT_POLICY);
  const tolerance = s.tolerance ?? DEFAULT_TOLERANCE;
  checkTolerance(tolerance);
  const replicates = s.replicates ?? DEFAULT_REPLICATES;
  const smallCell = s.smallCell ?? DEFAULT_SMALL_CELL;
  const testMonths = run.dates ? monthsSpanned(run.dates) : null;
  const progress = opts.onProgress ?? (() => undefined);
  const shared = { replicates, seed: s.seed, clusters: run.clusters, cancel: opts.cancel };

  const resolved: ResolvedPolicy[] = [];
  for (const m of run.models) {
    const r = resolvePolicy(policy, m.scores, testMonths);
    if (!r.ok) return r;
    resolved.push(r.value);
  }
  // The fixed DESIGN points: the spec's, else the policy's own where it is one of them.
  const designThreshold = s.threshold ?? (policy.kind === 'threshold' ? policy.threshold : DEFAULT_THRESHOLD);

  const results: ModelResult[] = [];
  for (let k = 0; k < run.models.length; k++) {
    const m = run.models[k];
    throwIfCancelled(opts.cancel);
    const cut = resolved[k];
    const designTop = s.topPct ?? (policy.kind === 'threshold' ? DEFAULT_TOP_PCT : cut.topPct);
    const design = { threshold: designThreshold, topPct: designTop };
    // The policy is one of the two points evaluated; when the spec fixed them elsewhere, a second pass.
    const atPolicyIsDesign = policy.kind === 'threshold' ? designThreshold === policy.threshold : designTop === cut.topPct;
    const forPolicy = policy.kind === 'threshold' ? { threshold: policy.threshold, topPct: designTop } : { threshold: designThreshold, topPct: cut.topPct };
    const pick = <T extends OperatingPointResult>(atThreshold: OperatingPointResult, topK: T): OperatingPointResult => (policy.kind === 'threshold' ? atThreshold : topK);
    const evaluate = (points: { threshold: number; topPct: number }): Bootstrapping<ScoreEvaluation> =>
      evaluateScoresSteps(labels, m.scores, {
        ...shared,
        ...points,
        onProgress: (done, total) => progress({ phase: 'evaluating', done: k * total + done, total: run.models.length * total, detail: m.model }),
      });
    const ev = yield* evaluate(design);
    const evPolicy = atPolicyIsDesign ? ev : yield* evaluate(forPolicy);
    const result = modelResultOf(ev, m.model, m.features);
    if (m.metrics) result.metrics = { ...result.metrics, ...m.metrics };
    result.atPolicy = policyPoint(pick(evPolicy.atThreshold, evPolicy.topK), cut);

    if (m.model !== 'baseline' && run.groups.length > 0) {
      const audit = (points: { threshold: number; topPct: number }) =>
        subgroupAuditSteps(labels, m.scores, run.groups, {
          ...shared,
          ...points,
          tolerance,
          smallCell,
          onProgress: (done, total) => {
            if (done === total || done % 50 === 0) progress({ phase: 'auditing', done, total, detail: m.model });
          },
        });
      const groups = yield* audit(design);
      const groupsAtPolicy = atPolicyIsDesign ? groups : yield* audit(forPolicy);
      result.subgroups = groups.map((g, j) => subgroupAtPolicy(g, groupsAtPolicy[j], policy, cut));
    }
    if (s.whatIf && m.model !== 'baseline' && cut.threshold !== null) result.whatIf = equalOpportunityWhatIf(labels, m.scores, run.groups, cut.threshold);
    addOperatingTables(result, labels, m.scores, run.groups);
    if (m.training) result.training = m.training;
    if (m.coefficients) result.coefficients = m.coefficients;
    const criteria = yield* judgedCriteria(run, m, replicates);
    if (criteria.length > 0) result.criteria = criteria;
    result.verdict = verdictOf(criteria);
    results.push(result);
  }

  const policyRecord: PolicyRecord = {
    policy,
    words: policyWords(policy),
    testRows: n,
    testMonths,
    nTarget: policy.kind === 'threshold' ? null : resolved[0]?.nTarget ?? null,
    topPct: policy.kind === 'threshold' ? null : resolved[0]?.topPct ?? null,
  };
  const comparisons = yield* comparisonsOf(run, replicates, opts.cancel);
  const meaning = outcomeMeaning(run.frame.task.outcome);
  const f = run.frame;
  const bundle: Bundle = {
    schema: BUNDLE_SCHEMA,
    tool: { name: 'candour', version: VERSION, backend: f.backend },
    createdAt: f.createdAt,
    data: { ...f.data, testRows: n },
    task: {
      ...f.task,
      operatingPoint: { threshold: designThreshold, topPct: results[0]?.topK.topPct ?? s.topPct ?? DEFAULT_TOP_PCT },
      policy: policyRecord,
      seed: s.seed,
      bootstrap: { replicates, seed: s.seed, stratified: true, clustered: run.clusters !== undefined, level: 0.95 },
      minimums: minimumsRecord(),
      ...(meaning ? { outcomeMeaning: meaning } : {}),
      fairness: {
        attributes: run.groups.map((g) => g.attribute),
        reference: referenceDescription(run.groups),
        tolerance,
        smallCell,
        ageBands: f.ageBands ?? 'none',
        disparity: FAIRNESS_WORDS,
      },
    },
    preregistration: s.preregistration ?? null,
    results,
  };
  if (comparisons.length > 0) bundle.comparisons = comparisons;
  if (f.validation) bundle.validation = f.validation;
  if (f.sampleSize) bundle.sampleSize = f.sampleSize;
  if (run.keys) bundle.cellKeys = runCellKeys(run.keys, results, run.models, run.labels, run.groups);
  return { ok: true, value: bundle };
}

/** The policy's operating point, with the cut it came from. */
function policyPoint(op: OperatingPointResult, cut: ResolvedPolicy): PolicyPointResult {
  const { topPct: _t, nTarget: _n, ...rest } = op as OperatingPointResult & { topPct?: number; nTarget?: number | null };
  return { ...rest, threshold: cut.threshold, topPct: cut.topPct, nTarget: cut.nTarget };
}

/** A subgroup with its point and disparities at the policy (one set: `disparity`). */
function subgroupAtPolicy(g: SubgroupResult, atPolicy: SubgroupResult, policy: OperatingPolicy, cut: ResolvedPolicy): SubgroupResult {
  const { disparityTopK: _design, ...rest } = g;
  const op = policy.kind === 'threshold' ? atPolicy.atThreshold : atPolicy.topK;
  const { topPct: _t, nTarget: _n, ...counts } = op as OperatingPointResult & { topPct?: number; nTarget?: number | null };
  const disparity = (policy.kind === 'threshold' ? atPolicy.disparity : atPolicy.disparityTopK) ?? {};
  // AP does not depend on the cut: subgroupAudit keeps it in the threshold set only.
  if (g.disparity.averagePrecision && !disparity.averagePrecision) disparity.averagePrecision = g.disparity.averagePrecision;
  return { ...rest, atPolicy: { ...counts, threshold: cut.threshold, topPct: cut.topPct, nTarget: cut.nTarget }, disparity };
}

/** Every criterion (pre-registered, then post hoc) judged on one model's test scores. */
function* judgedCriteria(run: ScoredRun, m: ScoredModel, replicates: number): Bootstrapping<CriterionResult[]> {
  const locked = (run.settings.preregistration?.criteria ?? []).map((c) => ({ ...c, postHoc: undefined }));
  const later = (run.settings.postHocCriteria ?? []).map((c) => ({ ...c, postHoc: true }));
  const out: CriterionResult[] = [];
  for (const c of [...locked, ...later]) {
    const estimate = yield* estimateCriterionSteps(run.labels, m.scores, c, { replicates, seed: run.settings.seed, clusters: run.clusters });
    const j = judgeEstimate(c, estimate, run.labels.length);
    const words = describeCriterion(c);
    const undefinedHere = estimate.value === null || estimate.lo === null || estimate.hi === null;
    const { postHoc: _p, ...criterion } = c;
    out.push({
      criterion: c.postHoc ? { ...criterion, postHoc: true } : criterion,
      words,
      status: undefinedHere ? 'undefined' : j.status,
      estimate,
      postHoc: j.postHoc,
      casesNeeded: j.casesNeeded,
      sentence: undefinedHere
        ? `${j.postHoc ? 'Post hoc (set after results were seen): ' : ''}${words}: undefined, because it${estimate.value === null ? '' : 's 95% interval'} cannot be computed on these test cases.`
        : j.text,
    });
  }
  return out;
}

/** 'met' only when every pre-registered criterion is met; null without any; post hoc ones never count. */
function verdictOf(criteria: CriterionResult[]): ModelResult['verdict'] {
  const pre = criteria.filter((c) => !c.postHoc);
  if (pre.length === 0) return null;
  return pre.every((c) => c.status === 'met') ? 'met' : 'not met';
}

/** Paired AP differences on the same test cases: each model against the baseline, and text ablation. */
function* comparisonsOf(run: ScoredRun, replicates: number, cancel?: CancelToken): Bootstrapping<Comparison[]> {
  const out: Comparison[] = [];
  const opts = { metric: 'averagePrecision' as const, replicates, seed: run.settings.seed, clusters: run.clusters };
  const baseline = run.models.find((m) => m.model === 'baseline');
  for (const m of run.models) {
    throwIfCancelled(cancel);
    const twin = m.features === 'structured+text' ? run.models.find((u) => u.model === m.model && u.features === 'structured') : undefined;
    if (twin) out.push({ a: modelKeyOf(m), b: modelKeyOf(twin), metric: 'averagePrecision', difference: yield* pairedDifferenceSteps(run.labels, m.scores, twin.scores, opts) });
    if (baseline && m !== baseline) out.push({ a: modelKeyOf(m), b: modelKeyOf(baseline), metric: 'averagePrecision', difference: yield* pairedDifferenceSteps(run.labels, m.scores, baseline.scores, opts) });
  }
  return out;
}
