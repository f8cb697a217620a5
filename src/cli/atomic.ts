/**
 * Output files that appear whole or not at all: each is written under a temporary name beside
 * it and renamed when complete, so an interrupted command (Ctrl-C, a full disk, a crash) never
 * leaves a truncated file under the name asked for. On SIGINT/SIGTERM the temporary files are
 * removed before the process exits.
 */
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';

export class AtomicFiles {
  readonly #pending = new Map<string, string>();
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.discard();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor() {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  /** The temporary name to write `final` under (hidden, ending in .partial, in the same directory so the rename is atomic). */
  temp(final: string): string {
    const t = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.partial`);
    this.#pending.set(final, t);
    return t;
  }

  /** Renames every temporary file to its final name. */
  commit(): void {
    for (const [final, t] of this.#pending) renameSync(t, final);
    this.#pending.clear();
    this.#release();
  }

  /** Removes every temporary file not yet renamed. */
  discard(): void {
    for (const t of this.#pending.values()) if (existsSync(t)) unlinkSync(t);
    this.#pending.clear();
    this.#release();
  }

  #release(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
