/**
 * A small pool of compute workers for bootstrap replicates.
 *
 * A job (evaluate/replicate-job.ts) is split into blocks of replicates; idle workers take the
 * next block, and the blocks' statistics are put back in replicate order. Replicate b depends
 * only on (seed, b), so the table, and the report built from it, is the same whatever the
 * number of workers and whichever worker ran which block.
 *
 * The platform is injected: `SpawnWorker` starts one worker (a Web Worker in the browser,
 * a worker thread in Node) running `replicateServer`. Cancelling (the run's CancelToken)
 * terminates every worker at once: a worker busy in a block cannot read messages, and
 * terminating stops it within milliseconds; the next job starts fresh workers.
 */
import { Cancelled, throwIfCancelled, type CancelToken } from '../errors.ts';
import type { ReplicateJob, ReplicateRange } from '../evaluate/replicate-job.ts';
import { replicatesOf } from './kernels.ts';

/** Messages to a worker. */
export type ToWorker =
  | { type: 'job'; id: number; job: ReplicateJob }
  | { type: 'block'; id: number; from: number; to: number }
  | { type: 'drop'; id: number };

/** Messages from a worker. */
export type FromWorker =
  | { type: 'block'; id: number; from: number; to: number; values: Float64Array }
  | { type: 'error'; message: string };

/** A worker as the pool sees it. */
export interface PoolWorker {
  post(message: ToWorker): void;
  terminate(): void;
}

/** Starts a worker running `replicateServer`; its messages go to `onMessage`, its failure (or unexpected exit) to `onError`. */
export type SpawnWorker = (onMessage: (m: FromWorker) => void, onError: (e: unknown) => void) => PoolWorker;

/** The worker side: answers job, block and drop messages with `post`. */
export function replicateServer(post: (m: FromWorker, transfer: ArrayBuffer[]) => void): (m: ToWorker) => void {
  const ranges = new Map<number, { range: ReplicateRange; width: number }>();
  return (m) => {
    try {
      if (m.type === 'job') ranges.set(m.id, { range: replicatesOf(m.job), width: m.job.width });
      else if (m.type === 'drop') ranges.delete(m.id);
      else {
        const r = ranges.get(m.id);
        if (!r) throw new Error(`block of unknown job ${m.id}`);
        const values = new Float64Array((m.to - m.from) * r.width);
        r.range(m.from, m.to, values);
        post({ type: 'block', id: m.id, from: m.from, to: m.to, values }, [values.buffer as ArrayBuffer]);
      }
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }, []);
    }
  };
}

export interface PoolRunOptions {
  cancel?: CancelToken;
  /** Replicates done of the job's total, after each block. */
  onProgress?: (done: number, total: number) => void;
}

interface Slot {
  worker: PoolWorker;
  onMessage?: (m: FromWorker) => void;
  onError?: (e: unknown) => void;
}

/** How often a running job looks at its cancel token (ms). */
const CANCEL_POLL_MS = 20;

export class ReplicatePool {
  private slots: Slot[] = [];
  private nextId = 1;
  /** Why a job failed other than by cancelling (a worker could not start, or failed): set once. */
  failure: Error | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * `size` workers at most (at least 1), started when first needed and kept between jobs.
   * `minWork`: a bootstrap of fewer cases × replicates is computed in the caller's thread
   * (pool/report.ts), where starting workers and copying the data to them would cost more than
   * they save; 0 sends every bootstrap to the workers.
   */
  constructor(
    private readonly spawn: SpawnWorker,
    readonly size: number,
    readonly minWork = 0,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`invalid pool size: ${size}`);
  }

  /** The job's table (replicates × width, replicate-major). Jobs run one after another. Rejects
   *  with `Cancelled` when the token is set (every worker is then terminated). */
  run(job: ReplicateJob, opts: PoolRunOptions = {}): Promise<Float64Array> {
    const next = this.tail.then(
      () => this.runNow(job, opts),
      () => this.runNow(job, opts),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Terminates every worker (a later job starts new ones). */
  close(): void {
    for (const s of this.slots) s.worker.terminate();
    this.slots = [];
  }

  private slot(k: number): Slot {
    while (this.slots.length <= k) {
      const slot: Slot = {} as Slot;
      slot.worker = this.spawn(
        (m) => slot.onMessage?.(m),
        (e) => slot.onError?.(e),
      );
      this.slots.push(slot);
    }
    return this.slots[k];
  }

  private runNow(job: ReplicateJob, opts: PoolRunOptions): Promise<Float64Array> {
    throwIfCancelled(opts.cancel);
    const R = job.replicates;
    const width = job.width;
    const table = new Float64Array(R * width);
    if (R === 0 || width === 0) return Promise.resolve(table);
    const id = this.nextId++;
    // Blocks small enough to share the work out evenly and report progress often (about 8 per worker).
    const block = Math.max(1, Math.min(50, Math.ceil(R / (this.size * 8))));
    let nextFrom = 0;
    let done = 0;
    const used = Math.min(this.size, Math.ceil(R / block));
    return new Promise<Float64Array>((resolve, reject) => {
      let settled = false;
      const slots: Slot[] = [];
      const finish = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        for (const s of slots) {
          s.onMessage = undefined;
          s.onError = undefined;
        }
        if (error === null) {
          for (const s of slots) s.worker.post({ type: 'drop', id });
          resolve(table);
        } else {
          // A cancelled or failed job leaves workers mid-block: stop them all now.
          this.close();
          if (!(error instanceof Cancelled)) this.failure ??= error instanceof Error ? error : new Error(String(error));
          reject(error);
        }
      };
      const give = (s: Slot) => {
        if (nextFrom >= R) return;
        const from = nextFrom;
        const to = Math.min(R, from + block);
        nextFrom = to;
        s.worker.post({ type: 'block', id, from, to });
      };
      const poll = setInterval(() => {
        if (opts.cancel?.cancelled) finish(new Cancelled());
      }, CANCEL_POLL_MS);
      for (let k = 0; k < used && !settled; k++) {
        let s: Slot;
        try {
          s = this.slot(k);
        } catch (e) {
          // The platform refused to start a worker (e.g. a policy forbids it).
          finish(e instanceof Error ? e : new Error(`a bootstrap worker could not start: ${String(e)}`));
          break;
        }
        slots.push(s);
        s.onMessage = (m) => {
          if (m.type === 'error') return finish(new Error(`a bootstrap worker failed: ${m.message}`));
          if (m.id !== id) return;
          table.set(m.values, m.from * width);
          done += m.to - m.from;
          opts.onProgress?.(done, R);
          if (done === R) finish(null);
          else give(s);
        };
        s.onError = (e) => finish(e instanceof Error ? e : new Error(`a bootstrap worker failed: ${String(e)}`));
        s.worker.post({ type: 'job', id, job });
        give(s);
      }
    });
  }
}
