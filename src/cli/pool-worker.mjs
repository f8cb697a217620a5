// A bootstrap worker thread for `candour` (src/cli/node-pool.ts): loads the TypeScript worker through tsx, as bin/candour.js does.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
