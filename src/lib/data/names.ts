/**
 * Column names are data, not object keys: a file may have a column called `__proto__`,
 * `constructor` or `hasOwnProperty`. Code that indexes anything by column name uses a `Map`,
 * or a record read and built through these two helpers.
 */

/** The value stored under `key` itself, never one inherited from `Object.prototype`. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A record keyed by names, with no prototype: assigning `__proto__` makes a key like any other. */
export function recordOf<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}
