/**
 * What the analyst asked for, as plain data: the same spec drives the app's worker and the
 * `candour` command, so the two give the same answer.
 */
import type { Bundle } from '../bundle/schema.ts';
import type { ColumnType } from '../data/schema.ts';

import type { ModelKind } from '../models/train.ts';
import type { OperatingPolicy } from './policy.ts';
import type { Criterion } from '../evaluate/prereg.ts';

export { MODEL_KINDS, type ModelKind } from '../models/train.ts';
export type { OperatingPolicy } from './policy.ts';

export type SplitSpec =
  | { kind: 'temporal'; date: string; testFraction?: number; gapDays?: number }
  | { kind: 'random'; testFraction?: number }
  | { kind: 'kfold'; folds?: number }
  | { kind: 'grouped'; id: string; testFraction?: number }
  | { kind: 'column'; column: string };

/** How a group column is split into groups. */
export type GroupingKind = 'recorded' | 'age-bands' | 'ethnicity-major' | 'ethnicity-code';
export const GROUPING_KINDS: readonly GroupingKind[] = ['recorded', 'age-bands', 'ethnicity-major', 'ethnicity-code'];

/** One way to group a group column; each is an attribute of its own in the audit. */
export interface Grouping {
  column: string;
  kind: GroupingKind;
  /** age-bands: lower edges (years) of the bands after the first (default 1, 5, 10, 16). */
  edges?: number[];
}

export interface CommonSpec {
  /** Outcome column and the value that means yes (guessed when absent). */
  outcome: string;
  positive?: string;
  /**
   * Columns audited for fairness (gender, age, ethnicity, disability...). A column with no entry in
   * `grouping` is grouped by default: a number column named like "age" in the national statistics'
   * age bands, anything else as recorded (attribute named as the column). Never model inputs
   * unless also listed in `featureGroups`.
   */
  groups: string[];
  /**
   * Other ways to group a column of `groups`: a column with entries here is grouped each way listed
   * instead of by default, each an attribute named "COL" (recorded), "COL (band)", "COL (major group)"
   * or "COL (code)".
   */
  grouping?: Grouping[];
  /** Pairs of audited attributes (by name) crossed into one attribute named "A × B". */
  intersections?: [string, string][];
  /** The reference group of an attribute (default: its largest group). */
  reference?: { attribute: string; group: string }[];
  /** Also work out the equal-opportunity what-if (group thresholds equalising recall); never changes the audited policy. */
  whatIf?: boolean;
  /** Group columns the analyst explicitly chose to use as model inputs too (default none). */
  featureGroups?: string[];
  /** What one row is about (default 'child'); recorded as `task.unit` so the report's words follow it. */
  unit?: 'child' | 'family' | 'referral' | 'person';
  /** Decision date (referral date): features relative to it, temporal split by it, and the
   *  test side's date span for a capacity a month. */
  date?: string;
  /** Child ID: bootstrap resamples whole children; grouped splits keep a child on one side. */
  id?: string;
  seed: number;
  /** Bootstrap replicates (default 1000). */
  replicates?: number;
  /** How the service would use the score: every result "at the policy" is computed at it
   *  (default DEFAULT_POLICY, the top 10%). */
  policy?: OperatingPolicy;
  /** The fixed operating points of the DESIGN contract (`atThreshold`, `topK`): flag when
   *  score >= threshold (default 0.5); flag the top K% (default 10). When `policy` is absent,
   *  these also name it (top K% first). */
  threshold?: number;
  topPct?: number;
  preregistration?: Bundle['preregistration'];
  /** Criteria added after results were seen: judged in the run and labelled post hoc, never counted in the verdict. */
  postHocCriteria?: Criterion[];
  /** Disparity tolerance on the ratio group / reference (default 0.8 to 1.25). */
  tolerance?: { lower: number; upper: number };
}

export interface AuditSpec extends CommonSpec {
  /** The existing risk score (higher = more at risk). */
  score: string;
}

export interface EvaluateSpec extends CommonSpec {
  models: ModelKind[];
  split: SplitSpec;
  /** Free-text columns (hashed TF-IDF features). */
  text: string[];
  /** Columns never used as features. */
  drop: string[];
  types?: Record<string, ColumnType>;
  /** Train each model with and without text and compare (default: on when text columns are given). */
  textAblation?: boolean;
  /**
   * Fit the models so they may leave this computer as a model file (docs/model-schema.md):
   * category levels seen in fewer than `EXPORT_MIN_COUNT` training rows merged into "(other)",
   * hashed text n-grams in fewer documents dropped, tree leaves of at least that many cases.
   */
  exportable?: boolean;
}

/** Apply a model file from elsewhere to this extract (external validation). */
export interface ValidateSpec extends Omit<CommonSpec, 'threshold'> {
  /** The model's input name -> this extract's column (by name when absent; null = not recorded here, treated as missing). */
  mapping?: Record<string, string | null>;
  /** Decision date column: recalibration's split by date (random when absent). */
  date?: string;
  /** Share of cases held out to test the recalibration (default 0.3). */
  testFraction?: number;
  /** The outcome window in days: recalibration split by date leaves this gap before its cut (default 365). */
  gapDays?: number;
}
