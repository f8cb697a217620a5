/**
 * Every default a run falls back on, defined once: the app's Question page, `candour evaluate`,
 * `candour audit` and the report all read them from here, so the two callers cannot drift.
 */
import type { OperatingPolicy } from './policy.ts';

export { DEFAULT_TOLERANCE, type Tolerance } from '../fairness/power.ts';
export { DEFAULT_REPLICATES, DEFAULT_SEED } from '../evaluate/bootstrap.ts';
export { DEFAULT_THRESHOLD, DEFAULT_TOP_PCT } from '../evaluate/operating-point.ts';

/** Share of cases held out for testing (temporal, random and grouped splits). */
export const DEFAULT_TEST_FRACTION = 0.25;

/** Folds for a k-fold split. */
export const DEFAULT_FOLDS = 5;

/** Days left out before a temporal split's cut: the outcome window (12 months). */
export const DEFAULT_GAP_DAYS = 365;

/** The operating policy when the analyst chooses none: review the top 10% of cases. */
export const DEFAULT_POLICY: OperatingPolicy = { kind: 'topPct', topPct: 10 };
