/**
 * The compute worker as seen by the UI: which backend runs and why, and the current run with
 * its progress. Only methods change state; components read it. Every long call goes through
 * `#track`, so there is one place for progress, cancellation and failures.
 */
import type { BackendInfo } from '../../lib/models/tf-backend.ts';
import type { AppError } from '../../lib/errors.ts';
import type { Bundle } from '../../lib/bundle/schema.ts';
import type { ColumnType } from '../../lib/data/schema.ts';
import type { PresetName } from '../../lib/synth/scenarios.ts';
import type { AuditSpec, EvaluateSpec, ModelKind, OperatingPolicy, ValidateSpec } from '../../lib/run/spec.ts';
import type { RoleMapping } from '../../lib/data/roles.ts';
import type { TableInspection } from '../../../workers/quality.ts';
import type { AnnexALog } from '../../lib/annex-a/index.ts';
import type { ExportedModel, Progress, RunId, RunResult, TableSummary } from '../../../workers/api.ts';
import { DEMO, demoSpec } from '../../lib/run/demo.ts';
import { progressCallback, startComputeWorker, type Compute } from '../../../workers/client.ts';

/** The current long task (loading, generating, training, auditing). */
export type TaskState =
  | { status: 'idle' }
  | { status: 'running'; runId: RunId; label: string; phase: string; done: number; total: number; startedAt: number; detail?: string }
  | { status: 'done'; label: string }
  | { status: 'cancelled'; label: string }
  | { status: 'failed'; label: string; error: AppError };


const PHASE_WORDS: Record<string, string> = {
  starting: 'Starting',
  generating: 'Making synthetic cases',
  reading: 'Reading the file',
  fingerprinting: 'Fingerprinting the file',
  fitting: 'Training models',
  evaluating: 'Measuring with confidence intervals',
  auditing: 'Checking each group of children',
};

export class ComputeState {
  backend = $state.raw<BackendInfo | null>(null);
  backendError = $state<string | null>(null);
  selfTest = $state.raw<{ maxAbsError: number; ms: number } | null>(null);
  task = $state.raw<TaskState>({ status: 'idle' });

  #compute: Compute | null = null;
  #nextRunId = 1;
  /** The council's record-key secret, sent to the worker before each run (memory only). */
  #councilSecret: Uint8Array | null = null;

  /** Runs from now on key the noise on shared counts with this secret (null: no council key). */
  setCouncilSecret(secret: Uint8Array | null): void {
    this.#councilSecret = secret;
  }

  get ready(): boolean {
    return this.backend !== null;
  }

  get busy(): boolean {
    return this.task.status === 'running';
  }

  async start(): Promise<void> {
    if (this.#compute) return;
    try {
      const { compute } = startComputeWorker();
      this.#compute = compute;
      this.backend = await compute.init({ baseUrl: document.baseURI });
      const check = await compute.selfTest();
      this.selfTest = { maxAbsError: check.maxAbsError, ms: check.ms };
    } catch (e) {
      this.backendError = e instanceof Error ? e.message : String(e);
    }
  }

  // Everything sent to the worker is a plain snapshot: a Svelte state proxy cannot be cloned.
  async #worker(): Promise<Compute> {
    if (!this.#compute) await this.start();
    if (!this.#compute) throw new Error(this.backendError ?? 'the compute worker did not start');
    return this.#compute;
  }

  /** Runs one worker call with progress; returns its value, or null when cancelled or failed (see `run`). */
  async #track<T>(label: string, call: (compute: Compute, runId: RunId, onProgress: (p: Progress) => void) => Promise<RunResult<T>>): Promise<T | null> {
    const compute = await this.#worker();
    const runId = this.#nextRunId++;
    this.task = { status: 'running', runId, label, phase: 'starting', done: 0, total: 1, startedAt: Date.now() };
    const onProgress = progressCallback((p: Progress) => {
      const r = this.task;
      if (r.status !== 'running' || r.runId !== p.runId) return;
      if (p.kind === 'phase') this.task = { ...r, phase: PHASE_WORDS[p.phase] ?? p.phase, done: p.done, total: p.total, detail: p.detail };
      else this.task = { ...r, phase: `Training ${p.model}`, done: p.step, total: p.total, detail: Number.isFinite(p.loss) ? `loss ${p.loss.toFixed(4)}` : undefined };
    });
    const result = await call(compute, runId, onProgress);
    if (this.task.status === 'running' && this.task.runId !== runId) return null;
    if (result.status === 'done') {
      this.task = { status: 'done', label };
      return result.value;
    }
    this.task = result.status === 'cancelled' ? { status: 'cancelled', label } : { status: 'failed', label, error: result.error };
    return null;
  }

  /** "Try with synthetic data": a made-up council's extract, then the same run as for real data. */
  async runSyntheticDemo(): Promise<Bundle | null> {
    const table = await this.synthesize(DEMO.preset, DEMO.rows, DEMO.seed);
    if (!table) return null;
    return this.evaluate(demoSpec());
  }

  loadFile(file: File, sheet?: string): Promise<TableSummary | null> {
    return this.#track(`Loading ${file.name}`, (c, id, p) => c.loadFile(id, file, { sheet }, p));
  }

  /** An Ofsted Annex A return (workbook or list files) turned into a case table, with its import log. */
  loadAnnexA(files: File[], opts: { outcome?: string; includeAsAtExtract?: boolean }): Promise<(TableSummary & { annexA: AnnexALog }) | null> {
    return this.#track('Reading the Annex A return', (c, id, p) => c.loadAnnexA(id, files, { ...opts }, p));
  }

  synthesize(preset: PresetName, rows: number, seed: number): Promise<TableSummary | null> {
    return this.#track('Making synthetic data', (c, id, p) => c.synthesize(id, { preset, rows, seed }, p));
  }

  retype(overrides: Record<string, ColumnType>): Promise<TableSummary | null> {
    return this.#track('Changing column types', async (c, id) => ({ ...(await c.retype($state.snapshot(overrides))), runId: id }));
  }

  /** Role guesses, levels and the quality report of the loaded table. */
  async inspect(roles?: RoleMapping): Promise<TableInspection | null> {
    const r = await (await this.#worker()).inspect(roles ? ($state.snapshot(roles) as RoleMapping) : undefined);
    return r.status === 'done' ? r.value : null;
  }

  evaluate(spec: EvaluateSpec): Promise<Bundle | null> {
    return this.#track('Training and evaluating models', async (c, id, p) => (await c.setCouncilSecret(this.#councilSecret), c.evaluate(id, $state.snapshot(spec) as EvaluateSpec, p)));
  }

  audit(spec: AuditSpec): Promise<Bundle | null> {
    return this.#track('Auditing the score', async (c, id, p) => (await c.setCouncilSecret(this.#councilSecret), c.audit(id, $state.snapshot(spec) as AuditSpec, p)));
  }

  /** Refit one model under the export rules and return its model file. */
  exportModel(spec: EvaluateSpec, choice: { kind: Exclude<ModelKind, 'baseline'>; features: 'structured' | 'structured+text' }): Promise<ExportedModel | null> {
    return this.#track('Fitting the model for export', (c, id, p) => c.exportModel(id, $state.snapshot(spec) as EvaluateSpec, { ...choice }, p));
  }

  /** Test a model file from elsewhere on the loaded table. */
  validateModel(modelText: string, modelName: string, spec: ValidateSpec): Promise<Bundle | null> {
    return this.#track('Testing the model', async (c, id, p) => (await c.setCouncilSecret(this.#councilSecret), c.validateModel(id, modelText, modelName, $state.snapshot(spec) as ValidateSpec, p)));
  }

  /** The last run's report at another operating policy: the worker re-derives it from that run's kept scores, without retraining. */
  repolicy(policy: OperatingPolicy): Promise<Bundle | null> {
    return this.#track('Working out the report at the new policy', (c, id, p) => c.repolicy(id, $state.snapshot(policy) as OperatingPolicy, p));
  }

  cancel(): void {
    if (this.task.status === 'running') this.#compute?.cancel(this.task.runId);
  }
}
