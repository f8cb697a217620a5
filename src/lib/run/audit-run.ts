/**
 * Audit mode over a loaded table: the outcome and an existing score column (e.g. a vendor's)
 * in, the report (Bundle) out. Shared by the app's worker and `candour audit`.
 */
import type { Table } from 'apache-arrow';
import type { Bundle, ColumnDescriptor, ModelResult } from '../bundle/schema.ts';
import { AppFailure, type AppError, type CancelToken, type Result } from '../errors.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { auditScoredRun, type AuditProgress } from '../report/audit-report.ts';
import { reportSteps, type ScoredRun } from './evaluation.ts';
import { runHere, type Bootstrapping } from '../evaluate/replicate-job.ts';
import { runSteps } from '../pool/report.ts';
import type { ReplicatePool } from '../pool/pool.ts';
import type { AnnexABundleSummary } from '../annex-a/index.ts';
import { outcomeLabels } from './outcome.ts';
import { ageBandsUsed, auditAttributes, missingColumnError } from './group-values.ts';
import { runKeys } from '../bundle/cell-key.ts';
import type { AuditSpec } from './spec.ts';
import type { FittedModel } from '../external/model-file.ts';

export interface RunContext {
  /** File name shown in messages and the bundle. */
  name: string;
  fingerprint: string;
  backend?: string;
  cancel?: CancelToken;
  createdAt?: string;
  /** The file row of table row i, for messages (default i + 2: a header on row 1). */
  fileRow?: (i: number) => number;
  /** Told what the grouping did that a reader should know (values not recognised, impossible ages), a sentence each. */
  onNote?: (sentence: string) => void;
  /** Each model as fitted (with a single split only), for writing a model file (external/model-file.ts). */
  onFitted?: (f: FittedModel) => void;
  /**
   * The council's secret (its key file, bundle/cell-key.ts): when given, the data's tag that every
   * shared count's noise follows is keyed by it, so even someone holding the same data cannot work
   * the noise out. Never written into the report.
   */
  councilSecret?: Uint8Array;
  /** When the table came from an Ofsted Annex A return: the import's summary, recorded in `data.annexA`. */
  annexA?: AnnexABundleSummary;
  /** Given the scored test side once scoring is done: the worker keeps it to re-derive the report at another policy (reportOf). */
  onScored?: (run: ScoredRun) => void;
  /** Workers for the bootstrap replicates (pool/pool.ts); without one they run in this thread. The report is the same. */
  pool?: ReplicatePool;
}

/** Column roles for the bundle's data section: names and types only, never values. Roles are keyed by column name in a Map (names are data). */
export function describeColumns(columns: ColumnInfo[], roles: ReadonlyMap<string, string>, otherwise = 'feature'): ColumnDescriptor[] {
  return columns.map((c) => ({ name: c.name, type: c.type, role: roles.get(c.name) ?? otherwise }));
}

/** File row of table row i when the header is the file's first row. */
export const headerOnFirstRow = (i: number): number => i + 2;

/** Cluster codes (Int32Array) from an ID column, for resampling whole children. */
export function clusterCodes(values: readonly (string | null)[], rows: Int32Array): Int32Array {
  const codes = new Map<string, number>();
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]] ?? `\u0000row${rows[k]}`;
    let c = codes.get(v);
    if (c === undefined) codes.set(v, (c = codes.size));
    out[k] = c;
  }
  return out;
}

/** The audit's report, its bootstraps computed here. */
export function runAudit(
  table: Table,
  columns: ColumnInfo[],
  spec: AuditSpec,
  ctx: RunContext,
  onProgress?: (p: AuditProgress) => void,
): Result<Bundle> {
  const run = auditRunOf(table, columns, spec, ctx);
  return run.ok ? runHere(auditReport(run.value, ctx, onProgress)) : run;
}

/** runAudit with its bootstraps in `ctx.pool` when given (the same report, whatever the pool's size). */
export async function runAuditAsync(
  table: Table,
  columns: ColumnInfo[],
  spec: AuditSpec,
  ctx: RunContext,
  onProgress?: (p: AuditProgress) => void,
): Promise<Result<Bundle>> {
  const run = auditRunOf(table, columns, spec, ctx);
  return run.ok ? runSteps(auditReport(run.value, ctx, onProgress), ctx.pool, ctx.cancel) : run;
}

function* auditReport(run: ScoredRun, ctx: RunContext, onProgress?: (p: AuditProgress) => void): Bootstrapping<Result<Bundle>> {
  const report = yield* reportSteps(run, {
    cancel: ctx.cancel,
    onProgress: (p) => {
      if (p.phase === 'evaluating') onProgress?.({ phase: 'overall', done: p.done, total: p.total });
      else if (p.phase === 'auditing') onProgress?.({ phase: 'subgroups', done: p.done, total: p.total });
    },
  });
  ctx.onScored?.(run);
  return report;
}

/** The scored test side of an audit: outcomes, the score column, groups and clusters. */
function auditRunOf(table: Table, columns: ColumnInfo[], spec: AuditSpec, ctx: RunContext): Result<ScoredRun> {
  const fail = (e: Omit<AppError, 'file'>): Result<ScoredRun> => ({ ok: false, error: { ...e, file: ctx.name } });
  for (const c of [spec.score, ...(spec.id ? [spec.id] : [])]) {
    if (!table.getChild(c)) return fail(missingColumnError(table, c));
  }
  const outcome = outcomeLabels(table, spec.outcome, spec.positive, ctx.name);
  if (!outcome.ok) return outcome;
  const { rows, missing } = outcome.value;

  const rawScores = numericColumn(table, spec.score);
  const textScores = stringColumn(table, spec.score);
  const keep: number[] = [];
  let missingScores = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const x = rawScores[i];
    if (Number.isFinite(x)) {
      keep.push(k);
      continue;
    }
    const text = textScores[i];
    if (text === null || text.trim() === '') {
      missingScores++;
      continue;
    }
    const row = (ctx.fileRow ?? headerOnFirstRow)(i);
    return fail({ code: 'not-numeric', message: `the score must be a number, but row ${row} has '${text}'`, row, column: spec.score });
  }
  if (keep.length === 0) return fail({ code: 'no-cases', message: 'no row has both an outcome and a score', column: spec.score });
  const kept = Int32Array.from(keep, (k) => rows[k]);
  const labels = Uint8Array.from(keep, (k) => outcome.value.labels[k]);
  const scores = Float64Array.from(kept, (i) => rawScores[i]);
  const grouped = auditAttributes(table, columns, spec, kept, ctx.fileRow);
  if (!grouped.ok) return fail(grouped.error);
  const groupValues = grouped.value.attributes;
  for (const note of grouped.value.notes) ctx.onNote?.(note);
  const clusters = spec.id ? clusterCodes(stringColumn(table, spec.id), kept) : undefined;

  const roles = new Map<string, string>([[spec.outcome, 'outcome'], [spec.score, 'score']]);
  for (const g of spec.groups) roles.set(g, 'group');
  if (spec.id) roles.set(spec.id, 'id');
  if (spec.date) roles.set(spec.date, 'date');
  let dates: Float64Array | null = null;
  if (spec.date) {
    if (!table.getChild(spec.date)) return fail(missingColumnError(table, spec.date));
    const all = numericColumn(table, spec.date);
    dates = Float64Array.from(kept, (i) => all[i]);
  }
  try {
    const run = auditScoredRun({
      labels,
      scores,
      groups: groupValues,
      policy: spec.policy,
      threshold: spec.threshold,
      topPct: spec.topPct,
      tolerance: spec.tolerance,
      whatIf: spec.whatIf,
      replicates: spec.replicates,
      seed: spec.seed,
      clusters,
      dates,
      ageBands: ageBandsUsed(columns, spec),
      keys: runKeys(table, kept, labels, kept, spec.id, ctx.councilSecret),
      dataInfo: {
        name: ctx.name,
        fingerprint: ctx.fingerprint,
        columns: describeColumns(columns, roles, 'unused'),
        excluded: { missingOutcome: missing, missingScore: missingScores },
        ...(ctx.annexA ? { annexA: ctx.annexA } : {}),
      },
      task: { outcome: spec.outcome, positive: outcome.value.positive, score: spec.score, notes: grouped.value.notes, ...(spec.unit ? { unit: spec.unit } : {}) },
      preregistration: spec.preregistration,
      postHocCriteria: spec.postHocCriteria,
      createdAt: ctx.createdAt,
      backend: ctx.backend,
    });
    return { ok: true, value: run };
  } catch (e) {
    if (e instanceof AppFailure) return { ok: false, error: { ...e.error, file: e.error.file ?? ctx.name } };
    throw e;
  }
}
