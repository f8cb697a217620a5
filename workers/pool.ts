/**
 * The bootstrap pool in the browser: Web Workers started by the compute worker, as many as
 * `navigator.hardwareConcurrency` (at most 8). Each is started from a blob: module that imports
 * the real script, as the compute worker is (workers/client.ts): a blob: worker inherits its
 * creator's Content-Security-Policy, so the privacy wall holds in the bootstrap workers too.
 */
import workerUrl from './replicate.worker.ts?worker&url';
import { ReplicatePool, type FromWorker, type SpawnWorker } from '../src/lib/pool/pool.ts';

const MAX_WORKERS = 8;

const spawnWebWorker: SpawnWorker = (onMessage, onError) => {
  const absolute = new URL(workerUrl, import.meta.url).href;
  const blobUrl = URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute)};`], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { type: 'module', name: 'candour-bootstrap' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    onError(new Error(`a bootstrap worker failed: ${e.message || 'it could not start'}`));
  };
  worker.onmessageerror = () => onError(new Error('a bootstrap worker sent a message that could not be read'));
  return {
    post: (m) => worker.postMessage(m),
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(blobUrl);
    },
  };
};

/** A pool sized by the machine, or undefined where this context cannot start workers (the bootstraps then run in the compute worker). */
export function browserPool(): ReplicatePool | undefined {
  if (typeof Worker === 'undefined' || typeof navigator === 'undefined') return undefined;
  return new ReplicatePool(spawnWebWorker, Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1)));
}
