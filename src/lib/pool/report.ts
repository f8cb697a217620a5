/**
 * A report with its bootstraps computed by a pool of workers: the same steps as `reportOf`
 * (run/evaluation.ts), each bootstrap answered by the pool instead of this thread. The report is
 * identical to `reportOf`'s, whatever the pool's size.
 */
import type { Bundle } from '../bundle/schema.ts';
import { Cancelled, type CancelToken, type Result } from '../errors.ts';
import { runHere, runWith, type Bootstrapping, type ReplicateRequest } from '../evaluate/replicate-job.ts';
import { reportSteps, type ReportOptions, type ScoredRun } from '../run/evaluation.ts';
import type { ReplicatePool } from './pool.ts';

/** Answers a computation's bootstraps with the pool (the caller's progress is told as blocks
 *  finish); one smaller than the pool's `minWork` is computed here. Where the pool cannot work
 *  (a worker failed to start or to run: `pool.failure`), the bootstrap is computed here instead,
 *  with the same result, and so are the later ones. */
export const answerWith =
  (pool: ReplicatePool, cancel?: CancelToken) =>
  async (request: ReplicateRequest): Promise<Float64Array> => {
    const work = request.job.labels.length * request.job.replicates;
    if (!pool.failure && work >= pool.minWork) {
      try {
        return await pool.run(request.job, { cancel, onProgress: request.onProgress });
      } catch (e) {
        if (e instanceof Cancelled || !pool.failure) throw e;
      }
    }
    return request.here();
  };

/** Runs a computation's bootstraps in the pool when there is one, else here. Cancelling stops every worker. */
export async function runSteps<T>(steps: Bootstrapping<T>, pool: ReplicatePool | undefined, cancel?: CancelToken): Promise<T> {
  if (!pool) return runHere(steps);
  try {
    return await runWith(steps, answerWith(pool, cancel));
  } catch (e) {
    // A cancelled run stops the pool's workers even when it was cancelled between two bootstraps.
    if (e instanceof Cancelled) pool.close();
    throw e;
  }
}

/** reportOf with the bootstraps in `pool`. */
export function reportOfPooled(run: ScoredRun, pool: ReplicatePool | undefined, opts: ReportOptions = {}): Promise<Result<Bundle>> {
  return runSteps(reportSteps(run, opts), pool, opts.cancel);
}
