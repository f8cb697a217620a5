/**
 * Starting the compute worker from the page.
 *
 * The worker is started from a tiny blob: module that imports the real worker script. A blob:
 * worker inherits the page's Content-Security-Policy (a worker loaded from its own URL would
 * take only its own response headers, which a plain file share does not send), so the privacy
 * wall holds inside the worker on any host.
 */
import { wrap, proxy, type Remote } from 'comlink';
import workerUrl from './compute.worker.ts?worker&url';
import type { ComputeApi, Progress } from './api.ts';

export type Compute = Remote<ComputeApi>;

export function startComputeWorker(): { compute: Compute; worker: Worker } {
  const absolute = new URL(workerUrl, document.baseURI).href;
  const blob = new Blob([`import ${JSON.stringify(absolute)};`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(blob);
  const worker = new Worker(blobUrl, { type: 'module', name: 'candour-compute' });
  return { compute: wrap<ComputeApi>(worker), worker };
}

/** A progress callback that can cross the worker boundary. */
export const progressCallback = (fn: (p: Progress) => void) => proxy(fn);
