/**
 * Run bookkeeping shared by worker implementations: cooperative cancellation flags and
 * throttled progress (a few updates a second, never a flood), with a new run superseding the old.
 */
import { Cancelled, AppFailure, type CancelToken } from '../src/lib/errors.ts';
import type { Progress, RunId, RunResult } from './api.ts';

export class Runs {
  private tokens = new Map<RunId, { cancelled: boolean }>();

  /** A token for a new run; every older run is cancelled (a new run supersedes the old). */
  start(runId: RunId): CancelToken {
    for (const t of this.tokens.values()) t.cancelled = true;
    const token = { cancelled: false };
    this.tokens.set(runId, token);
    return token;
  }

  cancel(runId: RunId): void {
    const t = this.tokens.get(runId);
    if (t) t.cancelled = true;
  }

  /** Runs `work`, turning cancellation and expected failures into data. */
  async run<T>(runId: RunId, work: (token: CancelToken) => Promise<T> | T): Promise<RunResult<T>> {
    const token = this.start(runId);
    try {
      const value = await work(token);
      if (token.cancelled) return { status: 'cancelled', runId };
      return { status: 'done', runId, value };
    } catch (e) {
      if (e instanceof Cancelled) return { status: 'cancelled', runId };
      if (e instanceof AppFailure) return { status: 'failed', runId, error: e.error };
      throw e;
    } finally {
      this.tokens.delete(runId);
    }
  }
}

/** Wraps a progress callback so it fires at most every `intervalMs` (the last update of a phase always passes). */
export function throttle(onProgress: (p: Progress) => void, intervalMs = 200): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const final = p.kind === 'phase' && p.done >= p.total;
    if (final || now - last >= intervalMs) {
      last = now;
      onProgress(p);
    }
  };
}
