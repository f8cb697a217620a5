/**
 * The report being read: a Bundle (just computed, a demo fixture, or a file) and which model is
 * in focus. Every view is read from the report at THE operating policy (PolicyState). A live
 * report (source 'run') is re-derived at a new policy by the worker, without retraining; a report
 * without scores (demo, file) snaps to its operating rows and says so. The pages only render.
 */
import type { Bundle } from '../../lib/bundle/schema.ts';
import type { OperatingPolicy } from '../../lib/run/policy.ts';
import { iconPanelOf, operatingViewOf, reportPolicyOf, samePolicy, type OperatingControl, type PolicyStanding } from '../../lib/report/policy-view.ts';
import { ratesOf } from '../../lib/report/view.ts';
import type { PolicyState } from './Policy.svelte.ts';

export type DemoName = 'synthetic-models' | 'compas-audit';
export type BundleSource = 'demo' | 'run' | 'file';
/** Re-derives the live report at a policy (the worker keeps the run's scores); null when it could not. */
export type Repolicy = (policy: OperatingPolicy) => Promise<Bundle | null>;

/** Pause after the last move of the control before the report is re-derived (a slider sends many). */
const REPOLICY_DELAY_MS = 250;

export class ReportState {
  readonly policy: PolicyState;
  readonly #repolicy: Repolicy | null;
  bundle = $state.raw<Bundle | null>(null);
  source = $state<BundleSource | null>(null);
  modelIndex = $state(0);
  loading = $state(false);
  loadError = $state<string | null>(null);
  /** Set while a live report is re-derived at a new policy. */
  updating = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(policy: PolicyState, repolicy: Repolicy | null = null) {
    this.policy = policy;
    this.#repolicy = repolicy;
  }

  result = $derived(this.bundle ? (this.bundle.results[Math.min(this.modelIndex, this.bundle.results.length - 1)] ?? null) : null);
  /** The report's own policy record; null for a report made before policies were recorded. */
  own = $derived(this.bundle ? reportPolicyOf(this.bundle) : null);
  /** Whether the report can be re-derived at another policy (it was computed here, and the worker holds its scores). */
  get live(): boolean {
    return this.source === 'run' && this.#repolicy !== null;
  }

  /** Why the report may not be at the chosen policy (see operatingViewOf). */
  standing = $derived<PolicyStanding>(this.updating ? 'updating' : this.source === 'run' ? 'report' : 'fixed');
  // Derived once per change of the report, the model or the policy: a page reads the view, its
  // picture and its rates many times over. ($derived.by where the policy state is read: it is
  // set in the constructor, after the field initialisers, and read only when first derived.)
  view = $derived.by(() => (this.bundle && this.result ? operatingViewOf(this.bundle, this.result, this.policy.policy, this.standing) : null));
  panel = $derived(this.view ? iconPanelOf(this.view.row, this.result?.minimums, this.bundle?.task.unit) : null);
  rates = $derived(this.view ? ratesOf(this.view.row) : null);
  /** true when the report on screen was derived at the chosen policy (every page's numbers are its own). */
  atChosenPolicy = $derived.by(() => samePolicy(this.own?.policy, this.policy.policy));

  setBundle(bundle: Bundle, source: BundleSource): void {
    this.bundle = bundle;
    this.source = source;
    this.updating = false;
    // Open on the first trained model: the baseline is the comparator, not the answer.
    this.modelIndex = Math.max(0, bundle.results.findIndex((r) => r.model !== 'baseline'));
    // The report's policy becomes THE policy: what was run is what every page shows.
    const own = reportPolicyOf(bundle);
    if (own) this.policy.adopt(own.policy);
  }

  selectModel(i: number): void {
    this.modelIndex = i;
  }

  /** The control on Results moved: the policy changes, and a live report is re-derived at it. */
  setPolicy(patch: Partial<OperatingControl>): void {
    this.policy.set(patch);
    if (!this.live || this.atChosenPolicy) return;
    this.updating = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#rederive(), REPOLICY_DELAY_MS);
  }

  async #rederive(): Promise<void> {
    this.#timer = null;
    const wanted = this.policy.policy;
    const next = await this.#repolicy!(wanted);
    // A later move supersedes this answer; only the answer for the policy still chosen is shown.
    if (!samePolicy(wanted, this.policy.policy)) return;
    if (next) this.bundle = next;
    this.updating = false;
  }

  /** A fixture bundle for the demo (its own chunk, fetched from this site only when asked). */
  async loadDemo(name: DemoName): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      const mod = name === 'compas-audit' ? await import('../../../test/fixtures/bundles/compas-audit.json') : await import('../../../test/fixtures/bundles/synthetic-models.json');
      this.setBundle(mod.default as unknown as Bundle, 'demo');
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading = false;
    }
  }
}
