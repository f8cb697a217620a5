/**
 * Bootstrap work as data, so it can run in this thread or be split across a pool of workers.
 *
 * A computation that needs bootstrap replicates is written as a generator (`Bootstrapping<T>`):
 * it does its own set-up and point estimates, then yields one `ReplicateRequest` per bootstrap
 * (a plain-data job, and how to compute it here), receives the per-replicate statistics
 * table, and finishes. `runHere` answers each request in this thread (the synchronous API);
 * a pool (../pool/pool.ts) answers with the same table computed by its workers. Replicate b
 * depends only on (seed, b) (bootstrap.ts), so the tables, and every report built on them,
 * are identical whatever the number of workers.
 */
import type { CancelToken } from '../errors.ts';
import type { Criterion } from './prereg.ts';

interface JobBase {
  /** Uint8Array (n) of 0/1 outcomes. */
  labels: Uint8Array;
  /** Cluster code per case (whole clusters resampled). */
  clusters?: Int32Array;
  seed: number;
  replicates: number;
  /** Statistics per replicate: the table is replicates × width, replicate-major. */
  width: number;
}

/** evaluateScores: every headline metric and both operating points (evaluate-scores.ts). */
export interface ScoresJob extends JobBase {
  kind: 'scores';
  scores: Float64Array;
  threshold: number;
  topPct: number;
  bins: number;
}

/** subgroupAudit: every group's metrics at both operating points (fairness/audit.ts). */
export interface AuditJob extends JobBase {
  kind: 'audit';
  scores: Float64Array;
  threshold: number;
  topPct: number;
  /** Per attribute, the group code of each case (0 .. levels − 1). */
  attributes: { codes: Int32Array; levels: number }[];
}

/** One statistic of the case weights per replicate (bootstrap.ts bootstrapEstimate). */
export interface StatisticJob extends JobBase {
  kind: 'statistic';
  statistic:
    | { of: 'paired'; a: Float64Array; b: Float64Array; metric: 'averagePrecision' | 'rocAuc' | 'brier' }
    | { of: 'criterion'; scores: Float64Array; criterion: Criterion };
}

export type ReplicateJob = ScoresJob | AuditJob | StatisticJob;

/** How a job's replicates [from, to) are computed: their statistics go to out[(b − from) · width + j]. */
export type ReplicateRange = (from: number, to: number, out: Float64Array, control?: RangeControl) => void;

export interface RangeControl {
  cancel?: CancelToken;
  /** Called now and then with the number of replicates of this range done. */
  onProgress?: (done: number) => void;
}

/** A bootstrap a computation needs: the job, how to compute it in this thread, and whom to tell about progress. */
export interface ReplicateRequest {
  job: ReplicateJob;
  /** The whole table (job.replicates × job.width) computed here, with the caller's cancel and progress. */
  here: () => Float64Array;
  /** The caller's progress callback (done of job.replicates), for a pool to call as blocks finish. */
  onProgress?: (done: number, total: number) => void;
}

/** A computation that yields its bootstraps and returns T. */
export type Bootstrapping<T> = Generator<ReplicateRequest, T, Float64Array>;

/** Runs a computation in this thread, answering each bootstrap with its `here`. */
export function runHere<T>(steps: Bootstrapping<T>): T {
  let r = steps.next(new Float64Array(0));
  while (!r.done) r = steps.next(r.value.here());
  return r.value;
}

/** Runs a computation, answering each bootstrap with `answer` (e.g. a pool); the thread is free while it waits. */
export async function runWith<T>(steps: Bootstrapping<T>, answer: (request: ReplicateRequest) => Promise<Float64Array>): Promise<T> {
  let r = steps.next(new Float64Array(0));
  while (!r.done) {
    let table: Float64Array;
    try {
      table = await answer(r.value);
    } catch (e) {
      // Let the computation see the failure where it asked (its finally blocks run), then rethrow.
      r = steps.throw(e);
      continue;
    }
    r = steps.next(table);
  }
  return r.value;
}
