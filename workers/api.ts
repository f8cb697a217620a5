/**
 * The contract between the page and the compute worker: types only.
 * The loaded table lives in the worker; the page gets summaries and reports.
 * Expected failures are data (`status: 'failed'`); anything thrown is a bug.
 */
import type { Bundle } from '../src/lib/bundle/schema.ts';
import type { AppError } from '../src/lib/errors.ts';
import type { ColumnInfo, ColumnType } from '../src/lib/data/schema.ts';
import type { LoadReport } from '../src/lib/data/load.ts';
import type { BackendInfo, BackendName } from '../src/lib/models/tf-backend.ts';
import type { PresetName } from '../src/lib/synth/scenarios.ts';
import type { RoleMapping } from '../src/lib/data/roles.ts';
import type { TableInspection } from './quality.ts';
import type { AnnexALog, AnnexAOptions } from '../src/lib/annex-a/index.ts';
import type { EvaluateSpec, AuditSpec, ValidateSpec, ModelKind, OperatingPolicy } from '../src/lib/run/spec.ts';

export type RunId = number;

export type Phase = 'starting' | 'generating' | 'reading' | 'fitting' | 'evaluating' | 'auditing' | 'fingerprinting';

export type Progress =
  | { kind: 'phase'; runId: RunId; phase: Phase; done: number; total: number; detail?: string }
  | { kind: 'epoch'; runId: RunId; model: string; step: number; total: number; loss: number; valLoss?: number };

export type RunResult<T> =
  | { status: 'done'; runId: RunId; value: T }
  | { status: 'cancelled'; runId: RunId }
  | { status: 'failed'; runId: RunId; error: AppError };

export interface SelfTest {
  backend: string;
  /** Largest |tfjs − plain JavaScript| over sampled entries of a 128x128 product. */
  maxAbsError: number;
  ms: number;
}


/** What the page knows about the table held in the worker. */
export interface TableSummary {
  name: string;
  rows: number;
  columns: ColumnInfo[];
  /** How the file was read (format, encoding, skipped rows, issues); absent for synthetic data. */
  report?: LoadReport;
  /** The first rows as text, for a preview table (stays on this computer). */
  preview: (string | null)[][];
  /** SHA-256 of the input bytes (or of the generated table): recorded in bundles, never the data. */
  fingerprint: string;
  /** Set when the table was generated. */
  synthetic?: { preset: PresetName; title: string; description: string; seed: number };
}

export interface InitOptions {
  /** Absolute URL of the app's folder (document.baseURI), used to find the .wasm files. */
  baseUrl: string;
  force?: BackendName;
}

export interface ComputeApi {
  init(opts: InitOptions): Promise<BackendInfo>;
  selfTest(): Promise<SelfTest>;
  /**
   * The council's record-key secret (`recordKeySecret` of its key file, 32 bytes), held in the
   * worker's memory only, or null to forget it. Evaluate, audit and validate runs after this
   * key the noise on shared counts with it, as `candour evaluate/audit --council-key` does.
   */
  setCouncilSecret(secret: Uint8Array | null): Promise<void>;
  /** Read a file the user chose; the table stays in the worker. */
  loadFile(runId: RunId, file: File, opts: { sheet?: string }, onProgress: (p: Progress) => void): Promise<RunResult<TableSummary>>;
  /** Build the case table from an Ofsted Annex A return (a workbook, or one file per list). */
  loadAnnexA(runId: RunId, files: File[], opts: Omit<AnnexAOptions, 'cancel'>, onProgress: (p: Progress) => void): Promise<RunResult<TableSummary & { annexA: AnnexALog }>>;
  /** Generate a synthetic extract from a preset; the table stays in the worker. */
  synthesize(runId: RunId, opts: { preset: PresetName; rows: number; seed: number }, onProgress: (p: Progress) => void): Promise<RunResult<TableSummary>>;
  /** Change column types of the loaded table. */
  retype(overrides: Record<string, ColumnType>): Promise<RunResult<TableSummary>>;
  /** Role guesses, small columns' levels and the data-quality report for `roles` (default: the guesses). */
  inspect(roles?: RoleMapping): Promise<RunResult<TableInspection>>;
  /** Train and evaluate models on the loaded table. */
  evaluate(runId: RunId, spec: EvaluateSpec, onProgress: (p: Progress) => void): Promise<RunResult<Bundle>>;
  /** Evaluate an existing score column (audit mode). */
  audit(runId: RunId, spec: AuditSpec, onProgress: (p: Progress) => void): Promise<RunResult<Bundle>>;
  /**
   * Refit one model of `spec` under the export rules (docs/model-schema.md) on the loaded table
   * and return its model file (JSON text, its hash and a file name).
   */
  exportModel(runId: RunId, spec: EvaluateSpec, choice: { kind: Exclude<ModelKind, 'baseline'>; features: 'structured' | 'structured+text' }, onProgress: (p: Progress) => void): Promise<RunResult<ExportedModel>>;
  /** Test a model file from elsewhere on the loaded table, unchanged (external validation). */
  validateModel(runId: RunId, modelText: string, modelName: string, spec: ValidateSpec, onProgress: (p: Progress) => void): Promise<RunResult<Bundle>>;
  /**
   * The last finished evaluate, audit or validate run's report re-derived at another operating policy,
   * without retraining: the worker keeps that run's scored test side and runs the same
   * evaluation phase on it (metrics, subgroup verdicts, criteria, operating tables). `runId`
   * names this call (for progress and cancel). Fails with 'no-run' before any run finished.
   */
  repolicy(runId: RunId, policy: OperatingPolicy, onProgress?: (p: Progress) => void): Promise<RunResult<Bundle>>;
  cancel(runId: RunId): void;
}

export interface ExportedModel {
  text: string;
  hash: string;
  fileName: string;
}
