/** What a command wrote to stdout and stderr during each test of the file (or describe block) that calls this. */
import { afterEach, beforeEach, vi } from 'vitest';

export function captureOutput(): { out: () => string; err: () => string; clear: () => void } {
  let out = '';
  let err = '';
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return {
    out: () => out,
    err: () => err,
    /** Forget what was written so far (between two commands of one test). */
    clear: () => {
      out = '';
      err = '';
    },
  };
}
