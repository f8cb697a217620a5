/**
 * The analyst's project configuration: column roles, the question (split, groups, tolerance,
 * groupings), models and success criteria. Plain data that is kept in localStorage across
 * reloads — never a cell of case data — and turned into the worker's run spec here, with the
 * operating policy (held in the UI's PolicyState alone), so the pages only render and the same
 * checks hold in every caller.
 */
import { DEFAULT_FOLDS, DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_TEST_FRACTION, DEFAULT_TOLERANCE } from '../run/defaults.ts';
import type { AppError } from '../errors.ts';
import type { ColumnInfo } from '../data/schema.ts';
import type { RoleMapping } from '../data/roles.ts';
import type { Criterion } from '../evaluate/prereg.ts';
import { GROUPING_KINDS, type AuditSpec, type EvaluateSpec, type Grouping, type GroupingKind, type SplitSpec } from '../run/spec.ts';
import { attributeNamesOf } from '../run/attribute-names.ts';
import { MODEL_KINDS, type ModelKind } from '../models/train.ts';
import { policyProblem, type OperatingPolicy } from '../run/policy.ts';
import { recordOf } from '../data/names.ts';

export type SplitKind = 'temporal' | 'random' | 'kfold' | 'grouped';
/** What one row of the data is about: the words of every page follow it (words.ts unitWords). */
export type Unit = 'child' | 'family' | 'referral' | 'person';
export const UNITS: readonly Unit[] = ['child', 'family', 'referral', 'person'];

export interface QuestionConfig {
  split: SplitKind;
  /** Share of cases held out for testing (temporal, random, grouped). */
  testFraction: number;
  folds: number;
  /** Ratio band (group / reference) counted as "no disparity". */
  tolerance: { lower: number; upper: number };
  seed: number;
  replicates: number;
  /** What a row is about (named once on the Question page). */
  unit: Unit;
  /**
   * The outcome window in days: how long after the decision date the outcome is counted. A
   * temporal split leaves this gap before its test period. Null until the analyst says (or the
   * outcome's name or source says: `..._12m`, `two_year_...`, synthetic data, Annex A).
   */
  gapDays: number | null;
  /** How the group columns are grouped, crossed and compared (the run spec's grouping, intersections, reference, whatIf). */
  groupings: GroupingChoices;
}

export interface GroupingChoices {
  /** Group columns grouped other than by default (e.g. ethnicity by major group, age in chosen bands). */
  grouping: Grouping[];
  /** Pairs of attributes crossed (e.g. ethnicity × sex). */
  intersections: [string, string][];
  /** Chosen reference groups (default: each attribute's largest group). */
  reference: { attribute: string; group: string }[];
  /** Also show group thresholds that would equalise recall (for discussion; never the audited policy). */
  whatIf: boolean;
}

export interface ProjectConfig {
  roles: RoleMapping;
  question: QuestionConfig;
  models: ModelKind[];
  /** Train with and without the free-text columns and compare. */
  textAblation: boolean;
  /** Criteria being drafted (not yet locked). */
  criteria: Criterion[];
}

export const DEFAULT_QUESTION: QuestionConfig = {
  split: 'temporal',
  testFraction: DEFAULT_TEST_FRACTION,
  folds: DEFAULT_FOLDS,
  tolerance: { ...DEFAULT_TOLERANCE },
  seed: DEFAULT_SEED,
  replicates: DEFAULT_REPLICATES,
  groupings: { grouping: [], intersections: [], reference: [], whatIf: false },
  unit: 'child',
  gapDays: null,
};

export const emptyRoles = (): RoleMapping => ({ groups: [], text: [], exclude: [] });

export const defaultConfig = (): ProjectConfig => ({
  roles: emptyRoles(),
  question: structuredClone(DEFAULT_QUESTION),
  models: ['baseline', 'logistic', 'gbdt'],
  textAblation: true,
  criteria: [],
});

const SPLITS: readonly SplitKind[] = ['temporal', 'random', 'kfold', 'grouped'];
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown, lo: number, hi: number, d: number) => (typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi ? x : d);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const strs = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);

/** Roles from stored JSON, each field checked (anything odd is dropped). */
export function parseRoles(x: unknown): RoleMapping {
  const r = isObj(x) ? x : {};
  return {
    outcome: str(r.outcome), positive: typeof r.positive === 'string' ? r.positive : undefined, date: str(r.date), id: str(r.id),
    groups: strs(r.groups), text: strs(r.text), score: str(r.score), exclude: strs(r.exclude),
    ...(typeof r.positiveDoubt === 'string' && typeof r.positive === 'string' ? { positiveDoubt: r.positiveDoubt } : {}),
  };
}

/** Criteria from stored JSON: only well-formed ones survive. */
export function parseCriteria(x: unknown): Criterion[] {
  if (!Array.isArray(x)) return [];
  return x.filter((c): c is Criterion => isObj(c) && typeof c.metric === 'string' && (c.op === '>=' || c.op === '<=') && typeof c.value === 'number' && Number.isFinite(c.value));
}

/** The configuration from stored JSON text; a corrupt or missing entry falls back to defaults, never fails. */
export function parseConfig(text: string | null): ProjectConfig {
  const d = defaultConfig();
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    if (isObj(v)) raw = v;
  } catch {
    return d;
  }
  const q = isObj(raw.question) ? raw.question : {};
  const tol = isObj(q.tolerance) ? q.tolerance : {};
  const dq = d.question;
  const lower = num(tol.lower, 1e-6, 1, dq.tolerance.lower);
  const upper = num(tol.upper, 1, 1e6, dq.tolerance.upper);
  const models = strs(raw.models).filter((m): m is ModelKind => (MODEL_KINDS as readonly string[]).includes(m));
  return {
    roles: parseRoles(raw.roles),
    question: {
      split: SPLITS.includes(q.split as SplitKind) ? (q.split as SplitKind) : dq.split,
      testFraction: num(q.testFraction, 0.05, 0.9, dq.testFraction),
      folds: Math.round(num(q.folds, 2, 20, dq.folds)),
      tolerance: { lower, upper },
      seed: Math.round(num(q.seed, 0, 2 ** 31 - 1, dq.seed)),
      replicates: Math.round(num(q.replicates, 0, 100_000, dq.replicates)),
      groupings: parseGroupings(q.groupings),
      unit: UNITS.includes(q.unit as Unit) ? (q.unit as Unit) : dq.unit,
      gapDays: typeof q.gapDays === 'number' ? Math.round(num(q.gapDays, 0, 36_500, 365)) : null,
    },
    models: models.length ? models : d.models,
    textAblation: typeof raw.textAblation === 'boolean' ? raw.textAblation : d.textAblation,
    criteria: parseCriteria(raw.criteria),
  };
}

/** Grouping choices from stored JSON: only well-formed entries survive. */
export function parseGroupings(x: unknown): GroupingChoices {
  const g = isObj(x) ? x : {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const edges = (v: unknown): number[] | undefined => {
    const xs = list(v).filter((e): e is number => typeof e === 'number' && Number.isFinite(e) && e > 0);
    return xs.length && xs.every((e, i) => i === 0 || e > xs[i - 1]) ? xs : undefined;
  };
  return {
    grouping: list(g.grouping).flatMap((e): Grouping[] => {
      if (!isObj(e) || typeof e.column !== 'string' || !GROUPING_KINDS.includes(e.kind as GroupingKind)) return [];
      const ed = e.kind === 'age-bands' ? edges(e.edges) : undefined;
      return [{ column: e.column, kind: e.kind as GroupingKind, ...(ed ? { edges: ed } : {}) }];
    }),
    intersections: list(g.intersections).flatMap((e): [string, string][] => (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string' && e[0] !== e[1] ? [[e[0], e[1]]] : [])),
    reference: list(g.reference).flatMap((e) => (isObj(e) && typeof e.attribute === 'string' && typeof e.group === 'string' && e.group.trim() !== '' ? [{ attribute: e.attribute, group: e.group }] : [])),
    whatIf: g.whatIf === true,
  };
}

/** The grouping part of the run spec: choices kept only where they still name a group column or an attribute it gives. */
export function groupingSpecOf(choices: GroupingChoices, groups: readonly string[]): Pick<AuditSpec, 'grouping' | 'intersections' | 'reference' | 'whatIf'> {
  const grouping = choices.grouping.filter((g) => groups.includes(g.column));
  const names = attributeNamesOf({ groups, grouping });
  return {
    grouping,
    intersections: choices.intersections.filter(([a, b]) => names.includes(a) && names.includes(b)),
    reference: choices.reference.filter((r) => names.includes(r.attribute)),
    whatIf: choices.whatIf,
  };
}

/** Roles kept only where they name a column of this table; the positive value is kept with its outcome. */
export function rolesForColumns(roles: RoleMapping, columns: ColumnInfo[]): RoleMapping {
  const names = new Set(columns.map((c) => c.name));
  const one = (n: string | undefined) => (n !== undefined && names.has(n) ? n : undefined);
  const many = (ns: string[]) => [...new Set(ns.filter((n) => names.has(n)))];
  const outcome = one(roles.outcome);
  const doubt = outcome && roles.positive !== undefined && roles.positiveDoubt ? { positiveDoubt: roles.positiveDoubt } : {};
  return { outcome, positive: outcome ? roles.positive : undefined, ...doubt, date: one(roles.date), id: one(roles.id), groups: many(roles.groups), text: many(roles.text), score: one(roles.score), exclude: many(roles.exclude) };
}

/** Audit mode: an existing score column is evaluated and nothing is trained. */
export const isAuditMode = (roles: RoleMapping): boolean => roles.score !== undefined && roles.score !== '';

/**
 * The outcome window an outcome's name states (`cp-or-cla-12m` 365 days, `two_year_recid` 730,
 * `s47_6m` 182), or null when it states none.
 */
export function windowDaysOf(name: string | undefined): number | null {
  const m = /(?:^|[^a-z])(one|two|three|\d+)[ _-]?(years?|yrs?|months?|m)(?![a-z])/i.exec(name ?? '');
  if (!m) return null;
  const n = ({ one: 1, two: 2, three: 3 } as Record<string, number>)[m[1].toLowerCase()] ?? Number(m[1]);
  if (!(n > 0)) return null;
  return /^y/i.test(m[2]) ? Math.round(365 * n) : Math.round((365 * n) / 12);
}

/**
 * Whether a temporal split would leave (almost) no cases to train on, from the cases a month:
 * the test period starts at the month where the latest `testFraction` of cases begins, and
 * training uses cases decided at least `gapDays` before it. Month-level, so "about". Null
 * when the split looks workable or cannot be judged.
 */
export function temporalShortfallWarning(
  perMonth: readonly { period: string; count: number }[] | undefined, gapDays: number | null, testFraction: number,
): { message: string; trainCases: number } | null {
  const months = (perMonth ?? []).filter((m) => /^\d{4}-\d{2}$/.test(m.period)).sort((a, b) => a.period.localeCompare(b.period));
  const total = months.reduce((a, m) => a + m.count, 0);
  if (gapDays === null || total === 0) return null;
  const start = (p: string) => Date.UTC(Number(p.slice(0, 4)), Number(p.slice(5, 7)) - 1, 1);
  let cum = 0;
  const cutMonth = months.find((m) => (cum += m.count) > (1 - testFraction) * total) ?? months[months.length - 1];
  const trainBefore = start(cutMonth.period) - gapDays * 86_400_000;
  // A month counts for training only when all of it lies before the gap.
  const trainCases = months.filter((m) => start(m.period) + 31 * 86_400_000 <= trainBefore).reduce((a, m) => a + m.count, 0);
  if (trainCases >= Math.max(20, 0.05 * total)) return null;
  const first = months[0].period, last = months[months.length - 1].period;
  return {
    trainCases,
    message:
      `The cases run from ${first} to ${last}. Testing on the latest ${Math.round(testFraction * 100)}% starts about ${cutMonth.period}, and a case can be used for training only when it was decided at least the outcome window (${gapDays} days) before that, so its outcome was known: ` +
      `${trainCases === 0 ? 'no case is' : `only about ${trainCases} cases are`} that early. ` +
      'Load a longer extract, give a shorter outcome window if the outcome is counted over less time, or split at random (keeping each child on one side).',
  };
}

/** The split a new question starts with: by decision date when there is one, else random. */
export function defaultSplit(roles: RoleMapping): SplitKind {
  return roles.date ? 'temporal' : 'random';
}

/** Referrals a month from counts per calendar month (the median month, so a part month at either end does not drag it); null without dates. */
export function monthlyVolume(perMonth: { count: number }[] | undefined): number | null {
  const xs = (perMonth ?? []).map((m) => m.count).filter((c) => c > 0).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

function splitSpecOf(cfg: ProjectConfig): { split?: SplitSpec; problem?: AppError } {
  const q = cfg.question;
  const r = cfg.roles;
  switch (q.split) {
    case 'temporal':
      if (!r.date) return { problem: { code: 'no-date', message: 'a temporal split needs a decision date: choose one, or split at random' } };
      if (q.gapDays === null) return { problem: { code: 'no-window', message: `a temporal split needs the outcome window: say on the Question page how many days after the decision date '${r.outcome ?? 'the outcome'}' is counted` } };
      return { split: { kind: 'temporal', date: r.date, testFraction: q.testFraction, gapDays: q.gapDays } };
    case 'grouped':
      if (!r.id) return { problem: { code: 'no-id', message: 'a split grouped by child needs the child ID column' } };
      return { split: { kind: 'grouped', id: r.id, testFraction: q.testFraction } };
    case 'kfold':
      return { split: { kind: 'kfold', folds: q.folds } };
    default:
      return { split: { kind: 'random', testFraction: q.testFraction } };
  }
}

export type RunSpec = { mode: 'audit'; spec: AuditSpec & { tolerance: QuestionConfig['tolerance'] } } | { mode: 'evaluate'; spec: EvaluateSpec & { tolerance: QuestionConfig['tolerance'] } };

/**
 * The worker's run spec from the configuration and THE operating policy, or every problem that
 * stops it (all at once, so the page can list them). The run resolves the policy on the test
 * side (a capacity a month over the test cases' own dates), never here.
 */
export function runSpecOf(
  cfg: ProjectConfig, columns: ColumnInfo[], opts: { policy: OperatingPolicy; preregistration?: AuditSpec['preregistration']; postHocCriteria?: Criterion[]; rows?: number },
): { spec: RunSpec } | { problems: AppError[] } {
  // With no case at all (e.g. an Annex A return whose outcome windows are not complete yet), that is the one problem.
  if (opts.rows === 0) return { problems: [{ code: 'no-cases', message: '0 usable cases: there is nothing to train or test on (the Data page says why rows were left out)' }] };
  const problems: AppError[] = [];
  const roles = rolesForColumns(cfg.roles, columns);
  const q = cfg.question;
  if (!roles.outcome) problems.push({ code: 'no-outcome', message: 'choose the outcome column (what the model should predict)' });
  else if (roles.positive === undefined || roles.positive === '') problems.push({ code: 'no-positive', message: 'say which value of the outcome means yes', column: roles.outcome });
  else if (roles.positiveDoubt) problems.push({ code: 'positive-unconfirmed', message: `confirm which value of '${roles.outcome}' means yes on the Data page: ${roles.positiveDoubt}`, column: roles.outcome });
  if (!(q.tolerance.lower > 0 && q.tolerance.lower <= 1 && q.tolerance.upper >= 1)) problems.push({ code: 'invalid-tolerance', message: `invalid tolerance: ${q.tolerance.lower} to ${q.tolerance.upper} (the lower bound must be at most 1 and the upper at least 1)` });
  const policy = opts.policy;
  const bad = policyProblem(policy);
  if (bad) problems.push(bad);
  else if (policy.kind === 'capacity' && !roles.date) {
    problems.push({ code: 'no-dates-for-capacity', message: 'a capacity a month needs a decision date, to know how many months the test cases span; choose one on the Data page, or flag a top percentage or a score threshold instead' });
  }
  const common = {
    outcome: roles.outcome ?? '', positive: roles.positive, groups: roles.groups, id: roles.id, date: roles.date, seed: q.seed, replicates: q.replicates,
    policy, preregistration: opts.preregistration ?? null, postHocCriteria: opts.postHocCriteria ?? [], tolerance: q.tolerance, ...groupingSpecOf(q.groupings, roles.groups), unit: q.unit,
  };
  if (isAuditMode(roles)) {
    const score = columns.find((c) => c.name === roles.score);
    if (score && score.type !== 'number') problems.push({ code: 'score-not-number', message: `the score column must hold numbers; it is read as ${score.type}`, column: score.name });
    if (problems.length) return { problems };
    return { spec: { mode: 'audit', spec: { ...common, score: roles.score! } } };
  }
  if (cfg.models.length === 0) problems.push({ code: 'no-models', message: 'choose at least one model to train' });
  const s = splitSpecOf({ ...cfg, roles });
  if (s.problem) problems.push(s.problem);
  if (problems.length) return { problems };
  const types = recordOf(columns.filter((c) => c.type !== c.inferredType).map((c) => [c.name, c.type]));
  return {
    spec: {
      mode: 'evaluate',
      spec: {
        ...common, models: [...cfg.models], split: s.split!, text: roles.text, drop: roles.exclude, types,
        textAblation: roles.text.length > 0 ? cfg.textAblation : false,
      },
    },
  };
}

/** What the pre-registration hash covers besides the criteria: the question and its operating policy, never data. */
export function lockedConfiguration(cfg: ProjectConfig, policy: OperatingPolicy): unknown {
  const r = cfg.roles;
  return {
    roles: { outcome: r.outcome ?? null, positive: r.positive ?? null, date: r.date ?? null, id: r.id ?? null, groups: r.groups, text: r.text, score: r.score ?? null, exclude: r.exclude },
    question: cfg.question,
    policy,
    models: isAuditMode(r) ? [] : cfg.models,
    textAblation: cfg.textAblation,
  };
}
