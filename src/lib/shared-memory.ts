/**
 * Whether this context can share memory with workers (one SharedArrayBuffer that several workers
 * read), and if not, why.
 *
 * Browsers give SharedArrayBuffer only to a cross-origin isolated page: the host must send
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`
 * (security-policy.ts ships both). Node always has it. Where it is off, table data is copied
 * to each worker instead of shared: the same numbers, more memory.
 *
 * Feature checks on `globalThis` only, so it answers the same in a page, a worker and Node.
 */
export type SharedMemory =
  | { available: true }
  /** `not-isolated`: the host does not send the isolation headers; `not-supported`: the runtime has no SharedArrayBuffer. */
  | { available: false; reason: 'not-isolated' | 'not-supported' };

/** The two globals that decide it (a parameter so tests can describe any host). */
export interface SharedMemoryScope {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
}

export function sharedMemoryOf(scope: SharedMemoryScope = globalThis as SharedMemoryScope): SharedMemory {
  // Browsers define `crossOriginIsolated`; Node does not, and needs no isolation.
  if (scope.crossOriginIsolated === false) return { available: false, reason: 'not-isolated' };
  if (typeof scope.SharedArrayBuffer !== 'function') return { available: false, reason: 'not-supported' };
  return { available: true };
}
