/**
 * The contract between the page and the compute worker: types only.
 * Expected failures are data (`status: 'failed'`); anything thrown is a bug.
 */
import type { AppError } from '../src/lib/errors.ts';
import type { BackendInfo, BackendName } from '../src/lib/models/tf-backend.ts';

export type RunId = number;

export type Phase = 'starting' | 'generating' | 'parsing' | 'fitting' | 'evaluating' | 'auditing';

export type Progress =
  | { kind: 'phase'; runId: RunId; phase: Phase; done: number; total: number; detail?: string }
  | { kind: 'epoch'; runId: RunId; model: string; epoch: number; loss: number };

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

/** The minimal demo run's answer (the full report replaces it as the core grows). */
export interface DemoSummary {
  rows: number;
  positives: number;
  topPct: number;
  flagged: number;
  truePositives: number;
  precision: number | null;
  recall: number | null;
  backend: string;
  ms: number;
}

export interface InitOptions {
  /** Absolute URL of the app's folder (document.baseURI), used to find the .wasm files. */
  baseUrl: string;
  force?: BackendName;
}

export interface ComputeApi {
  init(opts: InitOptions): Promise<BackendInfo>;
  selfTest(): Promise<SelfTest>;
  demo(runId: RunId, rows: number, onProgress: (p: Progress) => void): Promise<RunResult<DemoSummary>>;
  cancel(runId: RunId): void;
}
