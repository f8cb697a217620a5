/**
 * The compute worker's implementation, testable without a Worker: the worker entry only
 * exposes `createCompute()` through Comlink.
 */
import { initBackend, matmulCheck, type BackendInfo } from '../src/lib/models/tf-backend.ts';
import { demoRun } from '../src/lib/demo.ts';
import type { ComputeApi, InitOptions } from './api.ts';
import { Runs, throttle } from './runs.ts';

export function createCompute(): ComputeApi {
  const runs = new Runs();
  let backend: Promise<BackendInfo> | undefined;

  const ensureBackend = (opts?: InitOptions) => {
    backend ??= initBackend({ wasmBaseUrl: opts ? new URL('wasm/', opts.baseUrl).href : undefined, force: opts?.force });
    return backend;
  };

  return {
    init: (opts) => ensureBackend(opts),
    selfTest: async () => {
      await ensureBackend();
      return matmulCheck();
    },
    demo: async (runId, rows, onProgress) => {
      const info = await ensureBackend();
      const progress = throttle(onProgress);
      return runs.run(runId, (token) =>
        demoRun(rows, { seed: 20201, cancel: token, onProgress: (done, total) => progress({ kind: 'phase', runId, phase: 'evaluating', done, total }) }, info.backend),
      );
    },
    cancel: (runId) => runs.cancel(runId),
  };
}
