/**
 * A whole evaluation, as the app's worker and `candour evaluate` both run it:
 * outcome -> split that cannot cheat -> features fitted on training rows only -> each model
 * trained -> scores on the test side -> metrics with intervals, operating points, subgroup
 * audit -> text ablation and model comparisons (paired bootstrap) -> the report (Bundle).
 */
import type { Table } from 'apache-arrow';
import type { Bundle, FeaturesRecord, ModelResult, SampleSizeRecord, SplitRecord } from '../bundle/schema.ts';
import { AppFailure, throwIfCancelled, type AppError, type Result } from '../errors.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { fitPipeline, transform, withoutText, type Design, type FeatureSpec, type Pipeline } from '../features/pipeline.ts';
import { columnSplit, groupedSplit, kfoldSplits, randomSplit, temporalSplit, type Split } from '../evaluate/split.ts';
import type { AuditAttribute } from '../fairness/audit.ts';
import { trainModel, type TrainedModel } from '../models/train.ts';
import { trainingSampleSize } from '../evaluate/sample-size.ts';
import { outcomeLabels } from './outcome.ts';
import { temporalCut, temporalShortfall } from './split-advice.ts';
import { auditAttributes, fairnessTask } from './group-values.ts';
import { runKeys } from '../bundle/cell-key.ts';
import type { ScoredRun } from './evaluation.ts';
import { reportOfPooled } from '../pool/report.ts';
import { DEFAULT_GAP_DAYS, DEFAULT_TEST_FRACTION } from './defaults.ts';
import { clusterCodes, describeColumns, type RunContext } from './audit-run.ts';
import type { EvaluateSpec, ModelKind } from './spec.ts';
import { EXPORT_MIN_COUNT, type FittedModel } from '../external/model-file.ts';
import { ownValue } from '../data/names.ts';

export type RunProgress =
  | { kind: 'phase'; phase: 'fitting' | 'evaluating' | 'auditing'; done: number; total: number; detail?: string }
  | { kind: 'epoch'; model: string; step: number; total: number; loss: number; valLoss?: number };

type FeatureSet = 'structured' | 'structured+text';

interface Trained {
  kind: ModelKind;
  features: FeatureSet;
  model: TrainedModel;
  /** Test scores aligned with the test labels. */
  scores: Float64Array;
}

/**
 * Which columns become which kind of feature, from their types and the analyst's roles. A group
 * column (audited for fairness) is never a feature unless the analyst listed it in
 * `featureGroups`: using ethnicity or sex as a model input is an explicit, separate choice.
 */
export function featureSpecOf(columns: ColumnInfo[], spec: EvaluateSpec, extraExcluded: string[] = []): FeatureSpec {
  const asFeatures = new Set(spec.featureGroups ?? []);
  const groupsOnly = spec.groups.filter((g) => !asFeatures.has(g));
  const excluded = new Set([spec.outcome, ...(spec.id ? [spec.id] : []), ...(spec.date ? [spec.date] : []), ...spec.drop, ...groupsOnly, ...extraExcluded]);
  const out: FeatureSpec = { numeric: [], categorical: [], text: [], dates: [], dateColumn: spec.date };
  for (const c of columns) {
    if (excluded.has(c.name)) continue;
    const type = ownValue(spec.types, c.name) ?? c.type;
    if (spec.text.includes(c.name)) out.text.push(c.name);
    else if (type === 'number') out.numeric.push(c.name);
    else if (type === 'code' || type === 'category') out.categorical.push(c.name);
    else if (type === 'date' && spec.date) out.dates!.push(c.name);
    // ids, free text not chosen as text, and dates without a decision date are never features.
  }
  return out;
}

function splitOf(table: Table, rows: Int32Array, labels: Uint8Array, spec: EvaluateSpec): Result<Split[]> {
  const pick = <T>(values: readonly T[]) => Array.from(rows, (i) => values[i]);
  const allDates = spec.date ? numericColumn(table, spec.date) : undefined;
  const dates = allDates ? Float64Array.from(rows, (i) => allDates[i]) : undefined;
  const s = spec.split;
  switch (s.kind) {
    case 'temporal': {
      if (!table.getChild(s.date)) return { ok: false, error: { code: 'missing-column', message: `there is no date column named '${s.date}'`, column: s.date } };
      const all = numericColumn(table, s.date);
      const d = Float64Array.from(rows, (i) => all[i]);
      const gapDays = s.gapDays ?? DEFAULT_GAP_DAYS;
      const testFraction = s.testFraction ?? DEFAULT_TEST_FRACTION;
      const r = temporalSplit(labels, d, { gapDays, testFraction });
      if (!r.ok && r.error.code === 'empty-split' && /no training/.test(r.error.message)) {
        const why = temporalShortfall(d, temporalCut(d, testFraction), gapDays);
        if (why) return { ok: false, error: { ...r.error, message: why, column: s.date } };
      }
      return r.ok ? { ok: true, value: [r.value] } : r;
    }
    case 'random': {
      const r = randomSplit(labels, { seed: spec.seed, testFraction: s.testFraction ?? DEFAULT_TEST_FRACTION, dates });
      return r.ok ? { ok: true, value: [r.value] } : r;
    }
    case 'kfold':
      return kfoldSplits(labels, { k: s.folds, seed: spec.seed, dates });
    case 'grouped': {
      if (!table.getChild(s.id)) return { ok: false, error: { code: 'missing-column', message: `there is no ID column named '${s.id}'`, column: s.id } };
      const r = groupedSplit(labels, pick(stringColumn(table, s.id)), { seed: spec.seed, testFraction: s.testFraction ?? DEFAULT_TEST_FRACTION, groupColumn: s.id, dates });
      return r.ok ? { ok: true, value: [r.value] } : r;
    }
    case 'column': {
      if (!table.getChild(s.column)) return { ok: false, error: { code: 'missing-column', message: `there is no split column named '${s.column}'`, column: s.column } };
      const r = columnSplit(labels, pick(stringColumn(table, s.column)), s.column, dates);
      return r.ok ? { ok: true, value: [r.value] } : r;
    }
  }
}

const unwrap = <T>(r: Result<T>): T => {
  if (!r.ok) throw new AppFailure(r.error);
  return r.value;
};

/**
 * Train each requested model on each fold's training rows and score its test rows. With one
 * split the test side is that split's; with k folds every row is scored once, out of fold.
 */
async function trainAll(
  table: Table,
  rows: Int32Array,
  labels: Uint8Array,
  splits: Split[],
  fspec: FeatureSpec,
  spec: EvaluateSpec,
  ctx: RunContext,
  onProgress: (p: RunProgress) => void,
): Promise<{ testRows: Int32Array; trained: Trained[]; notes: string[]; sampleSize: SampleSizeRecord | null }> {
  const testK = splits.length === 1 ? splits[0].test : Int32Array.from(splits.flatMap((s) => Array.from(s.test)));
  const position = new Map<number, number>();
  testK.forEach((k, j) => position.set(k, j));
  const nTest = testK.length;
  const wantText = fspec.text.length > 0;
  const ablation = wantText && (spec.textAblation ?? true);
  const notes: string[] = [];

  const jobs: { kind: ModelKind; features: FeatureSet }[] = [];
  for (const kind of spec.models) {
    const textUsable = wantText && kind === 'logistic';
    if (kind === 'baseline' || !textUsable) jobs.push({ kind, features: 'structured' });
    else {
      if (ablation) jobs.push({ kind, features: 'structured' });
      jobs.push({ kind, features: 'structured+text' });
    }
    if (wantText && (kind === 'gbdt' || kind === 'mlp')) notes.push(`The ${kind === 'gbdt' ? 'boosted trees use' : 'neural network uses'} the structured columns only: the hashed text has too many sparse columns for it.`);
  }
  const results = jobs.map((j) => ({ ...j, scores: new Float64Array(nTest), model: null as TrainedModel | null }));
  // A model meant to leave as a file names no rare level, no rare n-gram and no small leaf.
  const exportRules = spec.exportable ? { rareLevelMinCount: EXPORT_MIN_COUNT, textMinDf: EXPORT_MIN_COUNT, coarsenMinCount: EXPORT_MIN_COUNT } : {};
  const gbdtOptions = spec.exportable ? { minSamplesLeaf: Math.max(20, EXPORT_MIN_COUNT) } : undefined;
  const totalSteps = jobs.length * splits.length;
  // Riley et al. 2020 on the (first) training side, counting the structured design columns.
  let sampleSize: SampleSizeRecord | null | undefined;
  let step = 0;

  for (const split of splits) {
    throwIfCancelled(ctx.cancel);
    const trainRows = Int32Array.from(split.train, (k) => rows[k]);
    const testRows = Int32Array.from(split.test, (k) => rows[k]);
    const yTrain = Uint8Array.from(split.train, (k) => labels[k]);
    const linear = unwrap(fitPipeline(table, trainRows, fspec, exportRules));
    const linTrain = unwrap(transform(linear, table, trainRows));
    const linTest = unwrap(transform(linear, table, testRows));
    if (sampleSize === undefined) sampleSize = trainingSampleSize(yTrain.length, yTrain.reduce((a, b) => a + b, 0), withoutText(linTrain).p);
    let treeDesigns: { train: Design; test: Design; pipeline: Pipeline } | null = null;
    for (const r of results) {
      throwIfCancelled(ctx.cancel);
      onProgress({ kind: 'phase', phase: 'fitting', done: step, total: totalSteps, detail: `${r.kind}${r.features === 'structured+text' ? ' with text' : ''}` });
      let train: Design, test: Design;
      if (r.kind === 'gbdt') {
        if (!treeDesigns) {
          const trees = unwrap(fitPipeline(table, trainRows, { ...fspec, text: [] }, { ...exportRules, forTrees: true }));
          treeDesigns = { train: unwrap(transform(trees, table, trainRows)), test: unwrap(transform(trees, table, testRows)), pipeline: trees };
        }
        ({ train, test } = treeDesigns);
      } else if (r.features === 'structured') {
        train = withoutText(linTrain);
        test = withoutText(linTest);
      } else {
        train = linTrain;
        test = linTest;
      }
      const model = await trainModel(r.kind, train, yTrain, {
        seed: spec.seed,
        cancel: ctx.cancel,
        gbdt: gbdtOptions,
        onProgress: (p) => onProgress({ kind: 'epoch', model: r.kind, step: p.step, total: p.total, loss: p.loss ?? NaN, valLoss: p.valLoss }),
      });
      const s = model.predict(test);
      split.test.forEach((k, j) => (r.scores[position.get(k)!] = s[j]));
      r.model = model;
      if (splits.length === 1 && ctx.onFitted) {
        const test = { labels: Uint8Array.from(split.test, (k) => labels[k]), scores: s };
        ctx.onFitted({ kind: r.kind, features: r.features, pipeline: r.kind === 'gbdt' ? treeDesigns!.pipeline : linear, model, exportable: spec.exportable === true, test });
      }
      step++;
    }
  }
  onProgress({ kind: 'phase', phase: 'fitting', done: totalSteps, total: totalSteps });
  return { testRows: testK, trained: results.map((r) => ({ kind: r.kind, features: r.features, model: r.model!, scores: r.scores })), notes, sampleSize: sampleSize ?? null };
}

/** The features the models used, and which audited group columns were among them (the record says so). */
function featuresRecord(f: FeatureSpec, spec: EvaluateSpec): FeaturesRecord {
  const used = new Set([...f.numeric, ...f.categorical, ...f.text, ...(f.dates ?? [])]);
  return {
    numeric: [...f.numeric],
    categorical: [...f.categorical],
    text: [...f.text],
    dates: [...(f.dates ?? [])],
    dateColumn: f.dateColumn ?? null,
    groupsAsFeatures: spec.groups.filter((g) => used.has(g)),
  };
}

/** Logistic regression coefficients (standardised features) with 95% Wald intervals, largest first. */
export function coefficientsOf(details: unknown): { name: string; value: number; lo: number | null; hi: number | null }[] | null {
  const fit = details as { coef?: Float64Array; se?: Float64Array | null; names?: string[] } | null;
  if (!fit?.coef || !fit.names) return null;
  const out = Array.from(fit.coef, (value, j) => {
    const se = fit.se ? fit.se[j] : NaN;
    const ok = Number.isFinite(se);
    return { name: fit.names![j], value, lo: ok ? value - 1.96 * se : null, hi: ok ? value + 1.96 * se : null };
  });
  return out.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

export async function runEvaluation(
  table: Table,
  columns: ColumnInfo[],
  spec: EvaluateSpec,
  ctx: RunContext,
  onProgress: (p: RunProgress) => void = () => undefined,
): Promise<Result<Bundle>> {
  const withFile = (e: AppError): Result<Bundle> => ({ ok: false, error: { ...e, file: e.file ?? ctx.name } });
  const known = new Set(columns.map((c) => c.name));
  for (const c of [...spec.groups, ...spec.text, ...(spec.id ? [spec.id] : []), ...(spec.date ? [spec.date] : [])]) {
    if (!known.has(c)) return withFile({ code: 'missing-column', message: `there is no column named '${c}'`, column: c });
  }
  for (const c of spec.featureGroups ?? []) {
    if (!spec.groups.includes(c)) return withFile({ code: 'not-a-group', message: `'${c}' is given as a group used as a feature, but it is not one of the group columns audited`, column: c });
  }
  if (spec.models.length === 0) return withFile({ code: 'no-models', message: 'choose at least one model' });
  try {
    const outcome = outcomeLabels(table, spec.outcome, spec.positive, ctx.name);
    if (!outcome.ok) return outcome;
    const { rows, labels } = outcome.value;
    const splits = unwrap(splitOf(table, rows, labels, spec));
    const fspec = featureSpecOf(columns, spec, spec.split.kind === 'column' ? [spec.split.column] : []);
    if (fspec.numeric.length + fspec.categorical.length + fspec.text.length + (fspec.dates?.length ?? 0) === 0) {
      return withFile({ code: 'no-features', message: 'no column is left to use as a feature' });
    }
    const { testRows, trained, notes, sampleSize } = await trainAll(table, rows, labels, splits, fspec, spec, ctx, onProgress);

    const yTest = Uint8Array.from(testRows, (k) => labels[k]);
    const tableRows = Int32Array.from(testRows, (k) => rows[k]);
    const grouped = auditAttributes(table, columns, spec, tableRows, ctx.fileRow);
    if (!grouped.ok) return withFile(grouped.error);
    const groups: AuditAttribute[] = grouped.value.attributes;
    for (const note of grouped.value.notes) ctx.onNote?.(note);
    const clusters = spec.id ? clusterCodes(stringColumn(table, spec.id), tableRows) : undefined;
    const allDates = spec.date ? numericColumn(table, spec.date) : null;
    const dates = allDates ? Float64Array.from(tableRows, (i) => allDates[i]) : null;

    const splitDescription: SplitRecord = splits.length === 1 ? splits[0].description : { method: 'kfold', k: splits.length, folds: splits.map((s) => s.description) };
    let positives = 0;
    for (let i = 0; i < labels.length; i++) positives += labels[i];
    const roles = new Map<string, string>([[spec.outcome, 'outcome']]);
    for (const g of spec.groups) roles.set(g, 'group');
    for (const t of spec.text) roles.set(t, 'text');
    for (const d of spec.drop) roles.set(d, 'exclude');
    if (spec.id) roles.set(spec.id, 'id');
    if (spec.date) roles.set(spec.date, 'date');
    const run: ScoredRun = {
      settings: {
        seed: spec.seed,
        replicates: spec.replicates,
        policy: spec.policy,
        threshold: spec.threshold,
        topPct: spec.topPct,
        tolerance: spec.tolerance,
        whatIf: spec.whatIf,
        preregistration: spec.preregistration,
        postHocCriteria: spec.postHocCriteria,
      },
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
          columns: describeColumns(columns, roles),
          excluded: { missingOutcome: outcome.value.missing },
          ...(ctx.annexA ? { annexA: ctx.annexA } : {}),
        },
        task: {
          mode: 'evaluate',
          ...(spec.unit ? { unit: spec.unit } : {}),
          outcome: spec.outcome,
          positive: outcome.value.positive,
          split: splitDescription,
          models: spec.models,
          features: featuresRecord(fspec, spec),
          ...(spec.exportable ? { exportable: { minCount: EXPORT_MIN_COUNT } } : {}),
          notes: [...notes, ...grouped.value.notes],
        },
        ...(sampleSize ? { sampleSize } : {}),
      },
      keys: runKeys(table, rows, labels, tableRows, spec.id, ctx.councilSecret),
      labels: yTest,
      // Plain data only: the report crosses the worker boundary and is saved as JSON.
      models: trained.map((t) => ({
        model: t.kind,
        features: t.kind === 'baseline' ? null : t.features,
        scores: t.scores,
        training: { engine: t.model.engine, fitMs: Math.round(t.model.fitMs), curve: t.model.curve.map((c) => ({ ...c })) },
        ...(t.kind === 'logistic' && coefficientsOf(t.model.details) ? { coefficients: coefficientsOf(t.model.details)! } : {}),
      })),
      groups,
      clusters,
      dates,
    };
    const report = await reportOfPooled(run, ctx.pool, {
      cancel: ctx.cancel,
      onProgress: (p) => {
        if (p.phase !== 'judging') onProgress({ kind: 'phase', phase: p.phase, done: p.done, total: p.total, detail: p.detail });
      },
    });
    if (report.ok) ctx.onScored?.(run);
    return report.ok ? report : withFile(report.error);
  } catch (e) {
    if (e instanceof AppFailure) return withFile(e.error);
    throw e;
  }
}
