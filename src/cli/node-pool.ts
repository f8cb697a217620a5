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

/** A pool of `size` worker threads (default: the machine's available parallelism). */
export function nodePool(size: number = availableParallelism()): ReplicatePool {
  return new ReplicatePool(spawnNodeWorker(), size);
}

/** The pool a run command's `--workers` asks for: by default one thread per available core (none
 *  on a single core, where a worker would only add its start-up); `--workers 0` computes here. */
export function poolOfFlags(args: ParsedArgs): ReplicatePool | undefined {
  const v = args.workers;
  if (v === undefined) return availableParallelism() > 1 ? nodePool() : undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || n > 64) throw new UsageError(`--workers must be a whole number from 0 to 64, got '${String(v)}'`);
  return n === 0 ? undefined : nodePool(n);
}
