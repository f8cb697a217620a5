/**
 * External validation: a model fitted elsewhere (a `candour.model/1` file), applied unchanged to
 * this council's extract, and the report (Bundle) of how it does here, as the app's worker and
 * `candour validate` both run it:
 * outcome -> the model's inputs matched to columns -> scores from the model's own preprocessing
 * -> discrimination, calibration-in-the-large and slope, the model's own threshold and this
 * council's capacity (top K%), subgroup audit -> recalibration (intercept; intercept and slope)
 * fitted on a training side and tested on a test side, next to the unchanged model -> the
 * model's development results from its file, side by side.
 * Every case here is a test case of the model: nothing is trained but the recalibration.
 */
import type { Table } from 'apache-arrow';
import { runKeys } from '../bundle/cell-key.ts';
import { type Bundle, type Estimate, type OperatingPointResult } from '../bundle/schema.ts';
import { AppFailure, throwIfCancelled, type AppError, type Result } from '../errors.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { DEFAULT_REPLICATES } from '../evaluate/bootstrap.ts';
import { confusionAt } from '../evaluate/operating-point.ts';
import { randomSplit, temporalSplit, type Split, type SplitDescription } from '../evaluate/split.ts';
import { brierScore } from '../evaluate/metrics.ts';
import type { AuditAttribute } from '../fairness/audit.ts';
import { inputProblems, mappedTable, matchInputs, scoreRows, type InputMatch, type InputProblem } from '../external/apply.ts';
import { EXPORT_MIN_COUNT, restoreModel, type DevelopmentResults, type ModelFile } from '../external/model-file.ts';
import { modelAuthenticity } from '../external/model-signing.ts';
import { calibrationSummary, fitRecalibration, recalibrate, type RecalibrationMethod } from '../external/recalibration.ts';
import { outcomeLabels } from './outcome.ts';
import { auditAttributes, fairnessTask } from './group-values.ts';
import { DEFAULT_GAP_DAYS } from './defaults.ts';
import { monthsSpanned, resolvePolicy } from './policy.ts';
import type { ScoredRun } from './evaluation.ts';
import { reportOfPooled } from '../pool/report.ts';
import { clusterCodes, describeColumns, type RunContext } from './audit-run.ts';
import type { RunProgress } from './evaluate-run.ts';
import type { ValidateSpec } from './spec.ts';


export interface RecalibrationRow {
  method: 'unchanged' | RecalibrationMethod;
  /** The fitted a and b of sigmoid(a + b·logit(score)); null for the unchanged model or when the fit failed. */
  intercept: number | null;
  slope: number | null;
  /** On the test side. */
  calibrationInTheLarge: Estimate;
  calibrationSlope: Estimate;
  meanScore: number | null;
  brier: number | null;
  /** At the model's own threshold. */
  atThreshold: OperatingPointResult;
}

/** What an external validation adds to the report (`bundle.validation`). */
export interface ValidationBlock {
  /** The model tested, named by the hash of its file. */
  model: { hash: string; kind: string; features: string; createdAt: string; developedOn: string; outcome: { name: string; positive: string }; signer: { publicKey: string; fingerprint: string } | null };
  inputs: InputMatch[];
  problems: InputProblem[];
  /** The model's results where it was developed (from its file), for the side-by-side. */
  development: DevelopmentResults;
  /** Here, on all cases. */
  calibration: { calibrationInTheLarge: Estimate; calibrationSlope: Estimate; meanScore: number | null; observed: number | null };
  recalibration: {
    split: SplitDescription;
    rows: RecalibrationRow[];
    /** Why there is no recalibration (e.g. too few cases on a side), when there is none. */
    note: string | null;
  };
}

const unwrap = <T>(r: Result<T>): T => {
  if (!r.ok) throw new AppFailure(r.error);
  return r.value;
};

function recalibrationRows(y: Uint8Array, scores: Float64Array, split: Split, threshold: number): { rows: RecalibrationRow[]; note: string | null } {
  const pick = <T extends Uint8Array | Float64Array>(a: T, idx: Int32Array): T => (a instanceof Uint8Array ? Uint8Array.from(idx, (i) => a[i]) : Float64Array.from(idx, (i) => a[i])) as T;
  const yTrain = pick(y, split.train);
  const sTrain = pick(scores, split.train);
  const yTest = pick(y, split.test);
  const sTest = pick(scores, split.test);
  const row = (method: RecalibrationRow['method'], s: Float64Array, intercept: number | null, slope: number | null): RecalibrationRow => {
    const c = calibrationSummary(yTest, s);
    return {
      method,
      intercept,
      slope,
      calibrationInTheLarge: c.calibrationInTheLarge,
      calibrationSlope: c.calibrationSlope,
      meanScore: c.meanScore,
      brier: brierScore(yTest, s),
      atThreshold: confusionAt(yTest, s, threshold),
    };
  };
  const rows = [row('unchanged', sTest, null, null)];
  const failed: string[] = [];
  for (const method of ['intercept', 'intercept and slope'] as const) {
    const fit = fitRecalibration(yTrain, sTrain, method);
    if (fit) rows.push(row(method, recalibrate(sTest, fit), fit.intercept, fit.slope));
    else failed.push(method);
  }
  return { rows, note: failed.length ? `The ${failed.join(' and the ')} recalibration could not be fitted on the training side (one outcome only, or the fit did not converge).` : null };
}

export async function runValidation(
  table: Table,
  columns: ColumnInfo[],
  file: ModelFile,
  spec: ValidateSpec,
  ctx: RunContext,
  onProgress: (p: RunProgress) => void = () => undefined,
): Promise<Result<Bundle>> {
  const withFile = (e: AppError): Result<Bundle> => ({ ok: false, error: { ...e, file: e.file ?? ctx.name } });
  const known = new Set(columns.map((c) => c.name));
  for (const c of [...spec.groups, ...(spec.id ? [spec.id] : []), ...(spec.date ? [spec.date] : [])]) {
    if (!known.has(c)) return withFile({ code: 'missing-column', message: `there is no column named '${c}'`, column: c });
  }
  const authenticity = modelAuthenticity(file);
  if (authenticity.status === 'failed') return { ok: false, error: { code: 'model-signature', message: `the model file's ${authenticity.problem}`, file: 'model file' } };
  try {
    const outcome = outcomeLabels(table, spec.outcome, spec.positive, ctx.name);
    if (!outcome.ok) return outcome;
    const { rows, labels } = outcome.value;
    const matches = unwrap(matchInputs(file, columns, spec.mapping));
    const mapped = mappedTable(table, matches);
    const problems = inputProblems(file, mapped, matches, rows);
    onProgress({ kind: 'phase', phase: 'fitting', done: 0, total: 1, detail: 'scoring' });
    const model = restoreModel(file);
    const scores = unwrap(scoreRows(model, mapped, rows));
    onProgress({ kind: 'phase', phase: 'fitting', done: 1, total: 1, detail: 'scoring' });
    throwIfCancelled(ctx.cancel);

    // The model's own threshold, and this council's capacity: a top K%, or N cases a month over
    // the span of its decision dates (the model's own top K% when no capacity is given).
    const threshold = file.operatingPoint.threshold;
    const capacity = spec.policy && spec.policy.kind !== 'threshold' ? spec.policy : spec.topPct !== undefined ? { kind: 'topPct' as const, topPct: spec.topPct } : null;
    let topPct = file.operatingPoint.topPct;
    if (capacity) {
      const allDates = spec.date ? numericColumn(table, spec.date) : null;
      const months = allDates ? monthsSpanned(Array.from(rows, (i) => allDates[i])) : null;
      topPct = unwrap(resolvePolicy(capacity, scores, months)).topPct;
    }
    const replicates = spec.replicates ?? DEFAULT_REPLICATES;
    const grouped = unwrap(auditAttributes(table, columns, spec, rows, ctx.fileRow));
    const groups: AuditAttribute[] = grouped.attributes;
    for (const note of grouped.notes) ctx.onNote?.(note);
    const clusters = spec.id ? clusterCodes(stringColumn(table, spec.id), rows) : undefined;
    const calibration = calibrationSummary(labels, scores);
    // Recalibration: fitted on a training side of this council's cases, tested on the rest.
    const dates = spec.date ? numericColumn(table, spec.date) : null;
    const split = dates
      ? unwrap(temporalSplit(labels, Float64Array.from(rows, (i) => dates[i]), { gapDays: spec.gapDays ?? DEFAULT_GAP_DAYS, testFraction: spec.testFraction }))
      : unwrap(randomSplit(labels, { seed: spec.seed, testFraction: spec.testFraction }));
    const recal = recalibrationRows(labels, scores, split, threshold);

    let positives = 0;
    for (let i = 0; i < labels.length; i++) positives += labels[i];
    const roles = new Map<string, string>();
    for (const m of matches) if (m.column !== null) roles.set(m.column, 'feature');
    roles.set(spec.outcome, 'outcome');
    for (const g of spec.groups) roles.set(g, roles.get(g) === 'feature' ? 'feature' : 'group');
    if (spec.id) roles.set(spec.id, 'id');
    if (spec.date && !roles.has(spec.date)) roles.set(spec.date, 'date');
    // Notes travel in shared bundles: a count below the disclosure threshold is not given.
    const casesWord = (n: number) => (n < EXPORT_MIN_COUNT ? `Fewer than ${EXPORT_MIN_COUNT} cases` : `${n} cases`);
    const unknownNote = problems
      .filter((p) => p.unknownTotal)
      .map((p) => `${casesWord(p.unknownTotal!)} in '${p.column}' have a value the model does not know, scored as ${p.scoredAsOther ? `its "(other)" level` : 'no known level'}.`);
    const validation: ValidationBlock = {
      model: {
        hash: file.integrity.hash,
        kind: file.model.kind,
        features: file.model.features,
        createdAt: file.createdAt,
        developedOn: file.development.data.name,
        outcome: file.outcome,
        signer: authenticity.signer,
      },
      inputs: matches,
      problems,
      development: file.development,
      calibration,
      recalibration: { split: split.description, rows: recal.rows, note: recal.note },
    };
    const run: ScoredRun = {
      settings: { seed: spec.seed, replicates, policy: spec.policy, threshold, topPct, tolerance: spec.tolerance, whatIf: spec.whatIf, preregistration: spec.preregistration, postHocCriteria: spec.postHocCriteria },
      frame: {
        ageBands: fairnessTask(groups, columns, spec).ageBands,
        backend: ctx.backend ?? 'cpu',
        createdAt: ctx.createdAt ?? new Date().toISOString(),
        data: {
          name: ctx.name,
          rows: labels.length,
          positives,
          prevalence: labels.length ? positives / labels.length : null,
          fingerprint: ctx.fingerprint,
          columns: describeColumns(columns, roles, 'exclude'),
          excluded: { missingOutcome: outcome.value.missing },
        },
        task: {
          mode: 'validate',
          outcome: spec.outcome,
          positive: outcome.value.positive,
          split: { method: 'external', note: 'The model was fitted elsewhere: every case here is a test case.' },
          externalModel: { schema: file.schema, hash: file.integrity.hash, kind: file.model.kind, features: file.model.features, signer: authenticity.signer?.publicKey ?? null },
          mapping: matches.map((m) => ({ input: m.input, column: m.column, how: m.how })),
          notes: [...grouped.notes, ...unknownNote],
        },
        validation,
      },
      labels,
      models: [{ model: file.model.kind, features: file.model.features, scores, metrics: { calibrationInTheLarge: calibration.calibrationInTheLarge, calibrationSlope: calibration.calibrationSlope } }],
      groups,
      clusters,
      dates: dates ? Float64Array.from(rows, (i) => dates[i]) : null,
      keys: runKeys(table, rows, labels, rows, spec.id, ctx.councilSecret),
    };
    const report = await reportOfPooled(run, ctx.pool, {
      cancel: ctx.cancel,
      onProgress: (p) => {
        if (p.phase !== 'judging') onProgress({ kind: 'phase', phase: p.phase, done: p.done, total: p.total, detail: file.model.kind });
      },
    });
    if (report.ok) ctx.onScored?.(run);
    return report.ok ? report : withFile(report.error);
  } catch (e) {
    if (e instanceof AppFailure) return withFile(e.error);
    throw e;
  }
}
