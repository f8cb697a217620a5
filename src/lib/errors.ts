/**
 * Expected failures are data, not exceptions: a bad file, a missing column,
 * an outcome with no positives. Anything thrown is a bug.
 */
export interface AppError {
  /** Stable machine-readable code, e.g. 'missing-column', 'not-binary', 'parse'. */
  code: string;
  /** One clear sentence for a person. */
  message: string;
  file?: string;
  /** 1-based row in the source file (header is row 1) when known. */
  row?: number;
  column?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

/** Thrown only to unwind through code that cannot return a Result; caught at the boundary. */
export class AppFailure extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/** One line for a terminal or a log: "file, row 3, column 'age': message". */
export function formatError(e: AppError): string {
  const where = [e.file, e.row !== undefined ? `row ${e.row}` : undefined, e.column !== undefined ? `column '${e.column}'` : undefined]
    .filter((s) => s !== undefined)
    .join(', ');
  return where ? `${where}: ${e.message}` : e.message;
}

/** Cooperative cancellation: long loops call `throwIfCancelled()` between batches. */
export interface CancelToken {
  readonly cancelled: boolean;
}
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}
export function throwIfCancelled(token: CancelToken | undefined): void {
  if (token?.cancelled) throw new Cancelled();
}
