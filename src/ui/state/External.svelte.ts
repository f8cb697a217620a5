/**
 * "Test a model from elsewhere": the model file chosen, how its inputs map onto the loaded
 * extract's columns, and the validation report. The extract and its roles (outcome, groups,
 * child ID, decision date) are the project's, chosen on the Data page as for any run.
 */
import type { Bundle } from '../../lib/bundle/schema.ts';
import { parseModelFile, type ModelFile } from '../../lib/external/model-file.ts';
import { matchInputs, type InputMatch } from '../../lib/external/apply.ts';
import { authenticityWords, modelAuthenticity } from '../../lib/external/model-signing.ts';
import { rolesForColumns } from '../../lib/project/config.ts';
import type { ValidateSpec } from '../../lib/run/spec.ts';
import type { ProjectState } from './Project.svelte.ts';

export class ExternalState {
  readonly project: ProjectState;
  model = $state.raw<{ file: ModelFile; text: string; name: string } | null>(null);
  loadError = $state<string | null>(null);
  /** Input name -> column, or null for "not recorded here"; inputs absent here are matched by name. */
  mapping = $state<Record<string, string | null>>({});
  /** This council's capacity as a top K% (null: the model's own). */
  topPct = $state<number | null>(null);
  bundle = $state.raw<Bundle | null>(null);

  constructor(project: ProjectState) {
    this.project = project;
  }

  get roles() {
    return rolesForColumns(this.project.config.roles, this.project.columns);
  }

  /** Who wrote the model file, in one sentence (never more than was checked). */
  get authenticity(): string | null {
    return this.model ? authenticityWords(modelAuthenticity(this.model.file)) : null;
  }

  /** Each input's column as it would be matched now, or why matching fails. */
  get matches(): { ok: true; value: InputMatch[] } | { ok: false; message: string } {
    if (!this.model) return { ok: false, message: 'choose a model file' };
    const r = matchInputs(this.model.file, this.project.columns, $state.snapshot(this.mapping) as Record<string, string | null>);
    return r.ok ? r : { ok: false, message: r.error.message };
  }

  /** What stops a run, in words (empty when it can run). */
  get problems(): string[] {
    const out: string[] = [];
    if (!this.project.summary) out.push('load this council\'s extract on the Data page');
    if (!this.model) out.push('choose the model file');
    if (this.project.summary && !this.roles.outcome) out.push('choose the outcome column on the Data page');
    const m = this.matches;
    if (this.model && this.project.summary && !m.ok) out.push(m.message);
    return out;
  }

  async loadModel(file: File): Promise<void> {
    this.loadError = null;
    const text = await file.text();
    const r = parseModelFile(text, file.name);
    if (!r.ok) {
      this.model = null;
      this.loadError = `${file.name}: ${r.error.message}`;
      return;
    }
    this.model = { file: r.value, text, name: file.name };
    this.mapping = {};
    this.bundle = null;
  }

  /** Feed `input` from `column` ('' = as matched by name; null = not recorded here). */
  setMapping(input: string, column: string | null | ''): void {
    const next = { ...this.mapping };
    if (column === '') delete next[input];
    else next[input] = column;
    this.mapping = next;
  }

  spec(): ValidateSpec | null {
    const r = this.roles;
    if (!r.outcome) return null;
    const q = this.project.config.question;
    return {
      outcome: r.outcome,
      positive: r.positive,
      groups: r.groups,
      id: r.id,
      date: r.date,
      ...(q.gapDays !== null ? { gapDays: q.gapDays } : {}),
      seed: q.seed,
      replicates: q.replicates,
      mapping: $state.snapshot(this.mapping) as Record<string, string | null>,
      ...(this.topPct !== null ? { topPct: this.topPct } : {}),
    };
  }

  async run(): Promise<Bundle | null> {
    const spec = this.spec();
    if (!this.model || !spec || this.problems.length) return null;
    const bundle = await this.project.compute.validateModel(this.model.text, this.model.name, spec);
    if (bundle) this.bundle = bundle;
    return bundle;
  }
}
