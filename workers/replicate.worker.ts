/** A bootstrap worker started by the compute worker (workers/pool.ts): answers the pool's messages. */
import { replicateServer, type ToWorker } from '../src/lib/pool/pool.ts';

const scope = self as unknown as { postMessage(m: unknown, transfer: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const serve = replicateServer((m, transfer) => scope.postMessage(m, transfer));
scope.onmessage = (e) => serve(e.data);
