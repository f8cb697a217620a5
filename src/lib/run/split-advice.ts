/**
 * Why a temporal split has nothing to train on, in the data's own dates, and what to do about
 * it. A temporal split tests on the latest cases and trains only on cases decided at least one
 * outcome window before the test period starts (their outcome was known by then): an extract
 * shorter than the window plus the test period leaves no training case.
 */
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * `dates`: decision dates (ms, NaN when missing) of the cases with an outcome; `cutMs`: the
 * first day of the test period. Null when there are no dates.
 */
export function temporalShortfall(dates: Float64Array, cutMs: number, gapDays: number): string | null {
  let lo = Infinity, hi = -Infinity;
  for (const d of dates) if (Number.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
  if (!Number.isFinite(lo)) return null;
  const span = Math.round((hi - lo) / DAY);
  const before = Math.round((cutMs - lo) / DAY);
  return (
    `the temporal split leaves no training cases: the data run from ${iso(lo)} to ${iso(hi)} (${span} days), the test period starts on ${iso(cutMs)}, ` +
    `and a training case must be decided at least the outcome window (${gapDays} days) before that, so its outcome was known; the earliest case is only ${before} days before. ` +
    `Remedies: a longer extract (at least ${gapDays} days before the test period); a shorter outcome window, if the outcome is counted over a shorter time ` +
    `(the Question page, or --gap-days on the command line); or a random split, grouped by child when children repeat (--split random with --id)`
  );
}

/** The first day of the test period a temporal split puts `testFraction` of dated cases in. */
export function temporalCut(dates: Float64Array, testFraction: number): number {
  const dated = Array.from(dates).filter(Number.isFinite).sort((a, b) => a - b);
  return dated[Math.min(dated.length - 1, Math.floor(dated.length * (1 - testFraction)))];
}
