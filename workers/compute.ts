/**
 * The compute worker's implementation, testable without a Worker: the worker entry only
 * exposes `createCompute()` through Comlink. The loaded table lives here; the page gets
 * summaries and reports.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import { initBackend, matmulCheck, type BackendInfo } from '../src/lib/models/tf-backend.ts';
import { AppFailure, throwIfCancelled } from '../src/lib/errors.ts';
import { loadTable, retype, rowNumberOf, type LoadedTable } from '../src/lib/data/load.ts';
import { sourceFromBlob } from '../src/lib/data/source.ts';
import { fingerprintOf, sha256HexOf } from '../src/lib/data/fingerprint.ts';
import { stringColumn, type ColumnInfo } from '../src/lib/data/schema.ts';
import { PRESETS, scenarioFrom } from '../src/lib/synth/scenarios.ts';
import { generateCases } from '../src/lib/synth/generate.ts';
import { runAuditAsync, type RunContext } from '../src/lib/run/audit-run.ts';
import type { ScoredRun } from '../src/lib/run/evaluation.ts';
import { reportOfPooled } from '../src/lib/pool/report.ts';
import type { ReplicatePool } from '../src/lib/pool/pool.ts';
import { browserPool } from './pool.ts';
import type { CancelToken } from '../src/lib/errors.ts';
import { runEvaluation } from '../src/lib/run/evaluate-run.ts';
import { runValidation } from '../src/lib/run/validate-run.ts';
import { modelFileOf, modelFileText, parseModelFile, type FittedModel } from '../src/lib/external/model-file.ts';
import type { ComputeApi, InitOptions, TableSummary } from './api.ts';
import { Runs, throttle } from './runs.ts';
import { inspectTable } from './quality.ts';
import { importAnnexAFiles } from './annex-a.ts';
import { annexABundleSummary, type AnnexALog } from '../src/lib/annex-a/index.ts';

const PREVIEW_ROWS = 10;

function previewOf(table: Table, columns: ColumnInfo[]): (string | null)[][] {
  const n = Math.min(PREVIEW_ROWS, table.numRows);
  const cols = columns.map((c) => stringColumn(table.slice(0, n), c.name));
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}

export function createCompute(): ComputeApi {
  const runs = new Runs();
  let backend: Promise<BackendInfo> | undefined;
  let loaded: (LoadedTable & { summary: TableSummary }) | null = null;
  /** The Annex A import log of the loaded table, when it came from an Annex A return. */
  let annexALog: AnnexALog | null = null;
  /** The council's record-key secret for this visit (memory only): keys the noise on shared counts. */
  let councilSecret: Uint8Array | undefined;
  /** Workers for the bootstrap replicates, started on the first run that needs them (none where workers cannot start here). */
  let pool: ReplicatePool | undefined | null = null;
  const poolOf = (): ReplicatePool | undefined => (pool === null ? (pool = browserPool()) : pool);

  const ensureBackend = (opts?: InitOptions) => {
    backend ??= initBackend({ wasmBaseUrl: opts ? new URL('wasm/', opts.baseUrl).href : undefined, force: opts?.force });
    return backend;
  };
  const hold = (l: LoadedTable, rest: Omit<TableSummary, 'rows' | 'columns' | 'preview'>, log: AnnexALog | null = null): TableSummary => {
    const summary: TableSummary = { ...rest, rows: l.table.numRows, columns: l.columns, preview: previewOf(l.table, l.columns) };
    loaded = { ...l, summary };
    annexALog = log;
    lastRun = null;
    return summary;
  };
  /** The last finished run's scored test side: `repolicy` re-derives its report at another policy. */
  let lastRun: ScoredRun | null = null;
  const keep = (run: ScoredRun) => {
    lastRun = run;
  };
  /** What every run is told about the table: its name, fingerprint and, from an Annex A return, the import's summary. */
  const runContext = (summary: TableSummary, backend: string, cancel: CancelToken): RunContext => ({
    name: summary.name,
    fingerprint: summary.fingerprint,
    backend,
    cancel,
    pool: poolOf(),
    ...(annexALog ? { annexA: annexABundleSummary(annexALog) } : {}),
  });
  const need = () => {
    if (!loaded) throw new AppFailure({ code: 'no-data', message: 'load a file or generate synthetic data first' });
    return loaded;
  };

  return {
    init: (opts) => ensureBackend(opts),
    setCouncilSecret: async (secret) => {
      councilSecret = secret ? Uint8Array.from(secret) : undefined;
    },
    selfTest: async () => {
      await ensureBackend();
      return matmulCheck();
    },
    loadFile: (runId, file, opts, onProgress) => {
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const source = sourceFromBlob(file.name, file);
        const result = await loadTable(source, {
          sheet: opts.sheet,
          cancel: token,
          onProgress: (done, total) => progress({ kind: 'phase', runId, phase: 'reading', done, total }),
        });
        if (!result.ok) throw new AppFailure(result.error);
        throwIfCancelled(token);
        progress({ kind: 'phase', runId, phase: 'fingerprinting', done: 0, total: 1 });
        const fingerprint = await fingerprintOf(source);
        return hold(result.value, { name: file.name, report: result.value.report, fingerprint });
      });
    },
    loadAnnexA: (runId, files, opts, onProgress) => {
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const r = await importAnnexAFiles(files, { ...opts, cancel: token, onProgress: (done: number, total: number) => progress({ kind: 'phase', runId, phase: 'reading', done, total }) });
        if (!r.ok) throw new AppFailure(r.error);
        const { table, columns, report, name, fingerprint, log } = r.value;
        return { ...hold({ table, columns, report }, { name, fingerprint, report }, log), annexA: log };
      });
    },
    synthesize: (runId, opts, onProgress) => {
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const preset = PRESETS[opts.preset];
        const scenario = scenarioFrom(opts.preset, { rows: opts.rows, seed: opts.seed });
        const { table } = generateCases(scenario, {
          cancel: token,
          onProgress: (done, total) => progress({ kind: 'phase', runId, phase: 'generating', done, total }),
        });
        const columns: ColumnInfo[] = table.schema.fields.map((f) => ({ name: f.name, type: inferSyntheticType(f.name, String(f.type)), inferredType: inferSyntheticType(f.name, String(f.type)) }));
        const fingerprint = await sha256HexOf(tableToIPC(table, 'file'));
        const loadedTable: LoadedTable = { table, columns, report: { format: 'arrow', rows: table.numRows, skippedRows: 0, issues: [], issueCounts: {} } };
        return hold(loadedTable, {
          name: `synthetic-${opts.preset}-${opts.rows}-seed${opts.seed}`,
          fingerprint,
          synthetic: { preset: opts.preset, title: preset.title, description: preset.description, seed: opts.seed },
        });
      });
    },
    retype: async (overrides) => {
      const current = need();
      const result = retype(current, overrides);
      if (!result.ok) return { status: 'failed', runId: 0, error: result.error };
      return { status: 'done', runId: 0, value: hold(result.value, { ...current.summary }, annexALog) };
    },
    inspect: async (roles) =>
      loaded
        ? { status: 'done', runId: 0, value: inspectTable(loaded.table, loaded.columns, roles) }
        : { status: 'failed', runId: 0, error: { code: 'no-data', message: 'load a file or generate synthetic data first' } },
    audit: async (runId, spec, onProgress) => {
      const info = await ensureBackend();
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const held = need();
        const { table, columns, summary } = held;
        const result = await runAuditAsync(table, columns, spec, { ...runContext(summary, info.backend, token), fileRow: rowNumberOf(held), councilSecret, onScored: keep }, (p) =>
          progress({ kind: 'phase', runId, phase: p.phase === 'overall' ? 'evaluating' : 'auditing', done: p.done, total: p.total }),
        );
        if (!result.ok) throw new AppFailure(result.error);
        return result.value;
      });
    },
    evaluate: async (runId, spec, onProgress) => {
      const info = await ensureBackend();
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const held = need();
        const { table, columns, summary } = held;
        const result = await runEvaluation(table, columns, spec, { ...runContext(summary, info.backend, token), fileRow: rowNumberOf(held), councilSecret, onScored: keep }, (p) =>
          progress(p.kind === 'epoch' ? { ...p, runId } : { ...p, runId }),
        );
        if (!result.ok) throw new AppFailure(result.error);
        return result.value;
      });
    },
    repolicy: async (runId, policy, onProgress) => {
      const progress = throttle(onProgress ?? (() => undefined));
      return runs.run(runId, async (token) => {
        if (!lastRun) throw new AppFailure({ code: 'no-run', message: 'run an evaluation or an audit first: there is no scored test side to apply a policy to' });
        const result = await reportOfPooled(lastRun, poolOf(), {
          policy,
          cancel: token,
          onProgress: (p) => progress({ kind: 'phase', runId, phase: p.phase === 'auditing' ? 'auditing' : 'evaluating', done: p.done, total: p.total, detail: p.detail }),
        });
        if (!result.ok) throw new AppFailure(result.error);
        return result.value;
      });
    },
    exportModel: async (runId, spec, choice, onProgress) => {
      const info = await ensureBackend();
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const { table, columns, summary } = need();
        const fitted: FittedModel[] = [];
        const ctx = { name: summary.name, fingerprint: summary.fingerprint, backend: info.backend, cancel: token, pool: poolOf(), onFitted: (f: FittedModel) => fitted.push(f) };
        const exportSpec = { ...spec, models: [choice.kind], exportable: true, textAblation: false };
        const result = await runEvaluation(table, columns, exportSpec, ctx, (p) => progress({ ...p, runId }));
        if (!result.ok) throw new AppFailure(result.error);
        const f = fitted.find((x) => x.kind === choice.kind && x.features === choice.features) ?? fitted.find((x) => x.kind === choice.kind);
        if (!f) throw new AppFailure({ code: 'not-exportable', message: `no ${choice.kind} model was fitted (a k-fold split makes one model per fold: choose one split to export)` });
        const made = modelFileOf(f, result.value);
        if (!made.ok) throw new AppFailure(made.error);
        const base = summary.name.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60) || 'model';
        return { text: modelFileText(made.value), hash: made.value.integrity.hash, fileName: `${base}-${choice.kind}.candour-model.json` };
      });
    },
    validateModel: async (runId, modelText, modelName, spec, onProgress) => {
      const info = await ensureBackend();
      const progress = throttle(onProgress);
      return runs.run(runId, async (token) => {
        const held = need();
        const { table, columns, summary } = held;
        const model = parseModelFile(modelText, modelName);
        if (!model.ok) throw new AppFailure(model.error);
        const result = await runValidation(table, columns, model.value, spec, { ...runContext(summary, info.backend, token), fileRow: rowNumberOf(held), councilSecret, onScored: keep }, (p) => progress({ ...p, runId }));
        if (!result.ok) throw new AppFailure(result.error);
        return result.value;
      });
    },
    cancel: (runId) => runs.cancel(runId),
  };
}

/** Column types of the generated flat table follow its documented meaning. */
function inferSyntheticType(name: string, arrowType: string): ColumnInfo['type'] {
  if (name === 'child_id' || name === 'referral_id') return 'id';
  if (name === 'note') return 'text';
  if (name === 'referral_date') return 'date';
  if (name === 'referral_source') return 'code';
  if (/Utf8|Dictionary/i.test(arrowType)) return 'category';
  return 'number';
}
