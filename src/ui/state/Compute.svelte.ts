/**
 * The compute worker as seen by the UI: which backend runs and why, and the current run.
 * Only methods change state; components read it.
 */
import type { BackendInfo } from '../../lib/models/tf-backend.ts';
import type { DemoSummary, Progress, RunId } from '../../../workers/api.ts';
import { progressCallback, startComputeWorker, type Compute } from '../../../workers/client.ts';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: RunId; label: string; done: number; total: number; startedAt: number }
  | { status: 'done'; result: DemoSummary }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

export class ComputeState {
  backend = $state.raw<BackendInfo | null>(null);
  backendError = $state<string | null>(null);
  selfTest = $state.raw<{ maxAbsError: number; ms: number } | null>(null);
  run = $state.raw<RunState>({ status: 'idle' });

  #compute: Compute | null = null;
  #nextRunId = 1;

  get ready(): boolean {
    return this.backend !== null;
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

  async runDemo(rows = 20_000): Promise<void> {
    if (!this.#compute) await this.start();
    const compute = this.#compute;
    if (!compute) return;
    const runId = this.#nextRunId++;
    this.run = { status: 'running', runId, label: 'Making and scoring synthetic cases', done: 0, total: rows, startedAt: Date.now() };
    const onProgress = progressCallback((p: Progress) => {
      if (p.kind !== 'phase' || this.run.status !== 'running' || this.run.runId !== p.runId) return;
      this.run = { ...this.run, done: p.done, total: p.total };
    });
    const result = await compute.demo(runId, rows, onProgress);
    if (result.runId !== runId) return;
    if (result.status === 'done') this.run = { status: 'done', result: result.value };
    else if (result.status === 'cancelled') this.run = { status: 'cancelled' };
    else this.run = { status: 'failed', message: result.error.message };
  }

  cancel(): void {
    if (this.run.status === 'running') this.#compute?.cancel(this.run.runId);
  }
}
