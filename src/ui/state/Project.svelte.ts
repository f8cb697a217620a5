/**
 * The analyst's project: the table held in the worker (as a summary), the column roles, the
 * question, the success criteria and their lock, and the last run. Configuration (never case
 * data) survives a reload through localStorage; mappings are remembered per set of column names.
 * Only methods change state; the pages render it.
 */
import type { AnnexALog } from '../../lib/annex-a/index.ts';
import type { AppError } from '../../lib/errors.ts';
import { AppFailure } from '../../lib/errors.ts';
import type { Bundle } from '../../lib/bundle/schema.ts';
import type { ColumnType } from '../../lib/data/schema.ts';
import { mappingKey, positiveGuessOf, type RoleMapping } from '../../lib/data/roles.ts';
import { lockPreregistration, type Criterion, type PreregistrationLock } from '../../lib/evaluate/prereg.ts';
import type { PresetName } from '../../lib/synth/scenarios.ts';
import {
  defaultConfig, defaultSplit, isAuditMode, windowDaysOf, lockedConfiguration, monthlyVolume, parseConfig, parseCriteria, rolesForColumns, runSpecOf,
  type ProjectConfig, type QuestionConfig,
} from '../../lib/project/config.ts';
import { MAPPING_STORE_KEY, parseMappingStore, rememberedRoles, storeWithRoles, withColumnRole, type ColumnRoleChoice } from '../../lib/project/mapping.ts';
import { criterionOfForm, type CriterionForm } from '../../lib/project/criteria.ts';
import { criteriaLinesOf, type CriterionLine } from '../../lib/report/criteria-view.ts';
import { modelLabel } from '../../lib/report/view.ts';
import type { OperatingControl } from '../../lib/report/policy-view.ts';
import type { TableSummary } from '../../../workers/api.ts';
import type { TableInspection } from '../../../workers/quality.ts';
import type { ComputeState } from './Compute.svelte.ts';
import type { PolicyState } from './Policy.svelte.ts';
import { ownValue, recordOf } from '../../lib/data/names.ts';

const CONFIG_KEY = 'candour.project/1';

/** Asks the worker about the loaded table: role guesses, small-column levels, quality for `roles`. */
export type Inspect = (roles?: RoleMapping) => Promise<TableInspection | null>;

export type DataSource = { kind: 'file'; file: File; sheet?: string } | { kind: 'synthetic'; preset: PresetName; rows: number; seed: number };

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage may be disabled by policy: the project then lasts for this visit only.
    return null;
  }
}

export class ProjectState {
  summary = $state.raw<TableSummary | null>(null);
  inspection = $state.raw<TableInspection | null>(null);
  config = $state.raw<ProjectConfig>(defaultConfig());
  /** A mapping saved for a file with the same columns, offered back. */
  remembered = $state.raw<{ roles: RoleMapping; savedAt: string } | null>(null);
  lock = $state.raw<PreregistrationLock | null>(null);
  /** Set once a run's results were handed to the report: criteria added later are post hoc. */
  resultsSeen = $state(false);
  postHoc = $state.raw<Criterion[]>([]);
  /** The last run's criteria, judged inside the run, per model (its name and one line per criterion). */
  lastCriteria = $state.raw<{ model: string; lines: CriterionLine[] }[] | null>(null);
  notice = $state<string | null>(null);
  problem = $state.raw<AppError | null>(null);
  source = $state.raw<DataSource | null>(null);

  readonly compute: ComputeState;
  /** THE operating policy (set on the Question page, carried by the run spec). */
  readonly policy: PolicyState;
  readonly #inspect: Inspect;

  constructor(compute: ComputeState, inspect: Inspect, policy: PolicyState) {
    this.compute = compute;
    this.#inspect = inspect;
    this.policy = policy;
  }

  get columns() {
    return this.summary?.columns ?? [];
  }
  get auditMode(): boolean {
    return isAuditMode(this.config.roles);
  }
  /** Referrals in a typical month of the whole table (a hint beside the capacity; the run resolves the policy on the test side). */
  get perMonth(): number | null {
    return monthlyVolume(this.inspection?.quality.recency?.perMonth);
  }
  get runSpec() {
    const lock = this.lock;
    return runSpecOf(this.config, this.columns, {
      policy: this.policy.policy,
      rows: this.summary?.rows,
      postHocCriteria: this.postHoc,
      preregistration: lock ? { criteria: lock.criteria, sha256: lock.sha256, lockedAt: lock.lockedAt, dataFingerprint: lock.dataFingerprint, config: lock.config } : null,
    });
  }
  /** Values and counts of a column with few distinct values, or null. */
  levelsOf(column: string) {
    return ownValue(this.inspection?.levels, column) ?? null;
  }
  /** Levels of the outcome column (for "which value means yes"). */
  get outcomeLevels() {
    const o = this.config.roles.outcome;
    return o ? (ownValue(this.inspection?.levels, o) ?? []) : [];
  }

  /** Restores the configuration and lock saved in this browser. */
  restore(): void {
    const text = storage()?.getItem(CONFIG_KEY) ?? null;
    this.config = parseConfig(text);
    try {
      const v = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const l = v.lock as PreregistrationLock | undefined;
      if (l && typeof l.sha256 === 'string' && typeof l.lockedAt === 'string' && typeof l.dataFingerprint === 'string') this.lock = { ...l, criteria: parseCriteria(l.criteria) };
      this.resultsSeen = v.resultsSeen === true;
      this.postHoc = parseCriteria(v.postHoc).map((c) => ({ ...c, postHoc: true }));
    } catch {
      // parseConfig already fell back to defaults.
    }
  }

  #save(): void {
    try {
      storage()?.setItem(CONFIG_KEY, JSON.stringify({ ...this.config, lock: this.lock, resultsSeen: this.resultsSeen, postHoc: this.postHoc }));
    } catch {
      // Full or disabled storage: keep working for this visit.
    }
  }

  #setConfig(next: ProjectConfig): void {
    this.config = next;
    this.#save();
  }

  /** The Annex A import log when the loaded file was an Annex A return, and the outcome it was built for. */
  annexA = $state.raw<AnnexALog | null>(null);
  annexAOutcome = $state('cp-or-cla-12m');
  annexAAsAtExtract = $state(false);

  async loadFile(file: File, sheet?: string): Promise<void> {
    // A workbook is first tried as an Ofsted Annex A return (case table built without leakage);
    // anything else, or a sheet picked by hand, is read as a plain table.
    let why: string | null = null;
    if (/\.xlsx$/i.test(file.name) && sheet === undefined) {
      const t = await this.#loadAnnexA(file);
      if (t === true) return;
      why = t;
    }
    const s = await this.compute.loadFile(file, sheet);
    this.annexA = null;
    if (s) await this.#loaded(s, { kind: 'file', file, sheet });
    if (s && why) this.notice = `Read as a plain sheet. If this workbook is an Ofsted Annex A return, it could not be read as one: ${why}.`;
  }

  /** true when imported; otherwise why not (null: not an Annex A return at all). */
  async #loadAnnexA(file: File): Promise<true | string | null> {
    const a = await this.compute.loadAnnexA([file], { outcome: this.annexAOutcome, includeAsAtExtract: this.annexAAsAtExtract });
    if (!a) {
      const t = this.compute.task;
      if (t.status === 'cancelled') return true;
      return t.status === 'failed' && t.error.code !== 'not-annex-a' ? t.error.message : null;
    }
    const { annexA, ...summary } = a;
    this.annexA = annexA;
    await this.#loaded(summary, { kind: 'file', file });
    return true;
  }

  /** Rebuild the Annex A case table for another outcome, or with the "as at extract" columns in or out. */
  async rebuildAnnexA(opts: { outcome?: string; includeAsAtExtract?: boolean }): Promise<void> {
    const src = this.source;
    if (src?.kind !== 'file') return;
    if (opts.outcome !== undefined) this.annexAOutcome = opts.outcome;
    if (opts.includeAsAtExtract !== undefined) this.annexAAsAtExtract = opts.includeAsAtExtract;
    await this.#loadAnnexA(src.file);
  }

  async synthesize(preset: PresetName, rows: number, seed: number): Promise<void> {
    const s = await this.compute.synthesize(preset, rows, seed);
    this.annexA = null;
    if (s) await this.#loaded(s, { kind: 'synthetic', preset, rows, seed });
  }

  async #loaded(summary: TableSummary, source: DataSource): Promise<void> {
    this.summary = summary;
    this.source = source;
    this.notice = null;
    if (this.lock && this.lock.dataFingerprint !== summary.fingerprint) {
      this.notice = 'These data differ from the data the success criteria were locked for, so that lock was set aside. Set and lock criteria again on the Question page.';
      this.lock = null;
      this.resultsSeen = false;
      this.postHoc = [];
    }
    const key = mappingKey(summary.columns.map((c) => c.name));
    this.remembered = rememberedRoles(parseMappingStore(storage()?.getItem(MAPPING_STORE_KEY) ?? null), key);
    this.inspection = await this.#inspect();
    const guessed = this.inspection ? rolesForColumns(this.inspection.guessed, summary.columns) : rolesForColumns(this.config.roles, summary.columns);
    // The outcome window is known for synthetic data (12 months) and Annex A outcomes (named
    // with theirs); otherwise only when the outcome's name says it, else the Question page asks.
    const gapDays = source.kind === 'synthetic' ? 365 : this.annexA ? (windowDaysOf(this.annexAOutcome) ?? 365) : windowDaysOf(guessed.outcome);
    this.#setConfig({ ...this.config, roles: guessed, question: { ...this.config.question, split: defaultSplit(guessed), gapDays } });
  }

  /** Uses the mapping saved for these columns. */
  async useRemembered(): Promise<void> {
    if (!this.remembered) return;
    await this.#setRoles(rolesForColumns(this.remembered.roles, this.columns));
    this.remembered = null;
  }

  async setRole(column: string, role: ColumnRoleChoice): Promise<void> {
    if (role === 'date' && !(await this.#readAsDates(column))) return;
    const next = withColumnRole(this.config.roles, column, role);
    if (role === 'outcome' && this.config.question.gapDays === null && windowDaysOf(column) !== null) this.setQuestion({ gapDays: windowDaysOf(column) });
    if (role === 'outcome' && next.positive === undefined) {
      const levels = ownValue(this.inspection?.levels, column);
      const g = levels ? positiveGuessOf(new Map(levels.map((l) => [l.value, l.count]))) : null;
      if (g) {
        next.positive = g.value;
        if (g.doubt) next.positiveDoubt = g.doubt;
      }
    }
    await this.#setRoles(next);
  }

  /** The analyst's own choice (or confirmation) of the outcome's "yes" value: no longer in doubt. */
  async setPositive(value: string): Promise<void> {
    const { positiveDoubt: _, ...roles } = this.config.roles;
    await this.#setRoles({ ...roles, positive: value });
  }

  async #setRoles(roles: RoleMapping): Promise<void> {
    const dateChanged = roles.date !== this.config.roles.date;
    const question: QuestionConfig = dateChanged ? { ...this.config.question, split: defaultSplit(roles) } : this.config.question;
    this.#setConfig({ ...this.config, roles, question });
    if (this.summary) {
      const key = mappingKey(this.summary.columns.map((c) => c.name));
      try {
        const s = storage();
        s?.setItem(MAPPING_STORE_KEY, JSON.stringify(storeWithRoles(parseMappingStore(s.getItem(MAPPING_STORE_KEY)), key, roles)));
      } catch {
        // Not remembered; nothing else is affected.
      }
    }
    await this.refreshQuality();
  }

  async refreshQuality(): Promise<void> {
    if (!this.summary) return;
    const roles = this.config.roles;
    const next = await this.#inspect(roles);
    // A slower answer for older roles must not overwrite a newer one.
    if (next && this.config.roles === roles) this.inspection = next;
  }

  /**
   * A decision date must hold dates: a column read otherwise is read again as dates (whole
   * years as their 1 January, which the column's notes then say). When none of its values is a
   * date the type change is undone and the notice says why. True when the column holds dates.
   */
  async #readAsDates(column: string): Promise<boolean> {
    const before = this.summary?.columns.find((c) => c.name === column);
    if (!before || before.type === 'date') return true;
    await this.retype(column, 'date');
    const after = this.summary?.columns.find((c) => c.name === column);
    if (after?.type === 'date' && after.missing !== undefined && this.summary && after.missing < this.summary.rows) {
      this.notice = `'${column}' is now read as dates, so it can be the decision date${after.notes?.length ? `: ${after.notes.join('; ')}` : ''}.`;
      return true;
    }
    await this.retype(column, before.type);
    this.notice = `'${column}' cannot be the decision date: none of its values reads as a date (such as 01/06/2019) or a whole year (such as 2019). It is still read as ${before.type}.`;
    return false;
  }

  /** Changes one column's type (the worker re-reads that column). */
  async retype(column: string, type: ColumnType): Promise<void> {
    if (!this.summary) return;
    const overrides = recordOf<ColumnType>(this.summary.columns.filter((c) => c.type !== c.inferredType).map((c) => [c.name, c.type]));
    overrides[column] = type;
    const s = await this.compute.retype(overrides);
    if (s) {
      this.summary = s;
      this.#setConfig({ ...this.config, roles: rolesForColumns(this.config.roles, s.columns) });
      await this.refreshQuality();
    }
  }

  setQuestion(patch: Partial<QuestionConfig>): void {
    this.#setConfig({ ...this.config, question: { ...this.config.question, ...patch } });
  }

  setOperating(patch: Partial<OperatingControl>): void {
    this.policy.set(patch);
  }

  setModels(models: ProjectConfig['models'], textAblation = this.config.textAblation): void {
    this.#setConfig({ ...this.config, models, textAblation });
  }

  /** Adds a criterion: pre-registered while no results were seen, post hoc after. Returns the problem, if any. */
  addCriterion(form: CriterionForm): AppError | null {
    const r = criterionOfForm(form);
    if ('problem' in r) return r.problem;
    if (this.resultsSeen) {
      this.postHoc = [...this.postHoc, { ...r.criterion, postHoc: true }];
      this.#save();
    } else if (this.lock) {
      return { code: 'locked', message: 'the criteria are locked; criteria added now are post hoc only once results have been seen' };
    } else {
      this.#setConfig({ ...this.config, criteria: [...this.config.criteria, r.criterion] });
    }
    return null;
  }

  removeCriterion(index: number, postHoc = false): void {
    if (postHoc) {
      this.postHoc = this.postHoc.filter((_, i) => i !== index);
      this.#save();
    } else if (!this.lock) this.#setConfig({ ...this.config, criteria: this.config.criteria.filter((_, i) => i !== index) });
  }

  /** Locks the criteria with a timestamp and a SHA-256 over them, the data fingerprint and the question. */
  async lockCriteria(now = new Date()): Promise<AppError | null> {
    if (!this.summary) return { code: 'no-data', message: 'load data first: the lock records its fingerprint' };
    try {
      this.lock = await lockPreregistration(this.config.criteria, this.summary.fingerprint, lockedConfiguration(this.config, this.policy.policy), now);
      this.#save();
      return null;
    } catch (e) {
      if (e instanceof AppFailure) return e.error;
      throw e;
    }
  }

  /** Sets the lock aside (only before any result was seen). */
  unlock(): void {
    if (this.resultsSeen) return;
    this.lock = null;
    this.#save();
  }

  /** Trains and evaluates (or audits the score column) and returns the report: the run judges the criteria (locked and post hoc). */
  async run(): Promise<Bundle | null> {
    const r = this.runSpec;
    if ('problems' in r) {
      this.problem = r.problems[0];
      return null;
    }
    this.problem = null;
    const bundle = r.spec.mode === 'audit' ? await this.compute.audit(r.spec.spec) : await this.compute.evaluate(r.spec.spec);
    if (!bundle) return null;
    this.lastCriteria = bundle.results.map((x) => ({ model: modelLabel(x), lines: criteriaLinesOf(bundle, x) }));
    this.resultsSeen = true;
    this.#save();
    return bundle;
  }
}
