/** The body of a Node bootstrap worker: answers the pool's messages (src/lib/pool/pool.ts). */
import { parentPort } from 'node:worker_threads';
import { replicateServer, type ToWorker } from '../lib/pool/pool.ts';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs as a worker thread');
const serve = replicateServer((m, transfer) => port.postMessage(m, transfer));
port.on('message', (m: ToWorker) => serve(m));
