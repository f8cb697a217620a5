/**
 * Workshop mode: synthetic presets only (there is no way to load a file here), a six-step story,
 * a slider for how many children are flagged, and two groups compared in pictures. The slider
 * moves THE operating policy (PolicyState): the pictures are at the same policy as every page.
 */
import type { Bundle, SubgroupResult } from '../../lib/bundle/schema.ts';
import { isPresetName, PRESET_NAMES, PRESETS, type PresetName } from '../../lib/synth/scenarios.ts';
import { operatingRowsOf } from '../../lib/report/view.ts';
import { reportPolicyOf, snapToPolicy, testRowsOf } from '../../lib/report/policy-view.ts';
import { groupPicture, STORY_LENGTH, workshopStory } from '../../lib/report/workshop.ts';
import type { Settings } from './Settings.svelte.ts';
import type { PolicyState } from './Policy.svelte.ts';

export const WORKSHOP_PRESETS = PRESET_NAMES.map((name) => ({ name, title: PRESETS[name].title, description: PRESETS[name].description }));

export class WorkshopState {
  readonly settings: Settings;
  readonly policy: PolicyState;
  bundles = $state.raw<Record<string, Bundle> | null>(null);
  loadError = $state<string | null>(null);
  step = $state(0);
  groupA = $state('White');
  groupB = $state('Black');
  constructor(settings: Settings, policy: PolicyState) {
    this.settings = settings;
    this.policy = policy;
  }

  // Getters (not $derived fields) because they read the settings passed to the constructor;
  // all are small (100 rows, a handful of groups).
  get preset(): PresetName {
    return isPresetName(this.settings.workshopPreset) ? this.settings.workshopPreset : 'realistic';
  }
  get bundle() {
    return this.bundles?.[this.preset] ?? null;
  }
  get result() {
    return this.bundle?.results[0] ?? null;
  }
  /** The town's row at the policy (snapped: the towns are summaries, without scores). */
  get row() {
    const b = this.bundle;
    const r = this.result;
    if (!b || !r) return null;
    return snapToPolicy(operatingRowsOf(r), this.policy.policy, { testRows: testRowsOf(b), testMonths: reportPolicyOf(b)?.testMonths ?? null })?.row ?? null;
  }
  get story() {
    const row = this.row;
    return row ? workshopStory(row) : null;
  }
  get groups(): SubgroupResult[] {
    const r = this.result;
    return r ? r.subgroups.filter((s) => s.operating && s.operating.length > 0) : [];
  }
  get pictures() {
    const groups = this.groups;
    const k = this.row?.topPct ?? 10;
    return [this.groupA, this.groupB].flatMap((g) => {
      const s = groups.find((x) => x.group === g);
      return s ? [groupPicture(s, k)] : [];
    });
  }

  async load(): Promise<void> {
    if (this.bundles) return;
    try {
      const mod = await import('../../../test/fixtures/bundles/workshop-presets.json');
      this.bundles = mod.default as unknown as Record<string, Bundle>;
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  choosePreset(name: PresetName): void {
    this.settings.setWorkshopPreset(name);
    this.step = 0;
  }

  next(): void {
    this.step = Math.min(STORY_LENGTH - 1, this.step + 1);
  }

  restart(): void {
    this.step = 0;
  }

  back(): void {
    this.step = Math.max(0, this.step - 1);
  }

  /** The slider: flag this many of every 100 children (the policy becomes a top share). */
  setTopPct(k: number): void {
    this.policy.set({ mode: 'topPct', topPct: Math.max(1, Math.min(100, Math.round(k))) });
  }

  setGroups(a: string, b: string): void {
    this.groupA = a;
    this.groupB = b;
  }
}
