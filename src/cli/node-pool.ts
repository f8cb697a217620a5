/**
 * The bootstrap pool in Node: worker threads, as many as `os.availableParallelism()` unless told.
 * Idle workers do not keep the process alive (they are unref'd); a running job does, through its
 * cancel poll.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ReplicatePool, type FromWorker, type SpawnWorker } from '../lib/pool/pool.ts';
import { UsageError, type ParsedArgs } from './args.ts';

/** Starts one worker thread running the pool's worker side. `onExit` is told when the thread has stopped (tests time cancellation with it). */
export function spawnNodeWorker(onExit?: (code: number) => void): SpawnWorker {
  return (onMessage, onError) => {
    const worker = new Worker(new URL('./pool-worker.mjs', import.meta.url));
    worker.unref();
    let stopping = false;
    worker.on('message', (m: FromWorker) => onMessage(m));
    worker.on('error', (e) => onError(e));
    worker.on('exit', (code) => {
      onExit?.(code);
      if (!stopping) onError(new Error(`a bootstrap worker stopped (exit code ${code})`));
    });
    return {
      post: (m) => worker.postMessage(m),
      terminate: () => {
        stopping = true;
        void worker.terminate();
      },
    };
  };
}

/**
 * Below this many cases × replicates a bootstrap runs in the main thread when the number of
 * workers was not chosen: a worker thread here loads the TypeScript sources through tsx (about a
 * second of CPU each), more than a council-sized bootstrap costs (24,000 cases × 1000 replicates:
 * `candour audit` took 4.8 s without workers and 7.8 s with two on the shared 2-core machine).
 */
export const NODE_MIN_WORK = 100_000 * 1000;

/** A pool of `size` worker threads (default: the machine's available parallelism); `minWork` as ReplicatePool's. */
export function nodePool(size: number = availableParallelism(), minWork = 0): ReplicatePool {
  return new ReplicatePool(spawnNodeWorker(), size, minWork);
}

/** The pool a run command's `--workers` asks for: by default one thread per available core for
 *  bootstraps of NODE_MIN_WORK or more (none on a single core); `--workers N` sends every bootstrap
 *  to N threads; `--workers 0` computes here. */
export function poolOfFlags(args: ParsedArgs): ReplicatePool | undefined {
  const v = args.workers;
  if (v === undefined) return availableParallelism() > 1 ? nodePool(availableParallelism(), NODE_MIN_WORK) : undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || n > 64) throw new UsageError(`--workers must be a whole number from 0 to 64, got '${String(v)}'`);
  return n === 0 ? undefined : nodePool(n);
}
