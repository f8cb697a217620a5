/**
 * The report being read: a Bundle (just computed, a demo fixture, or later a file) and which
 * model is in focus. Views are derived from the bundle and the settings; the pages only render.
 */
import type { Bundle } from '../../lib/bundle/schema.ts';
import { iconCounts } from '../../lib/charts/icon-array.ts';
import { monthlyVolume, naturalFrequencySentences, operatingRowsOf, ratesOf, snapOperatingRow } from '../../lib/report/view.ts';
import type { Settings } from './Settings.svelte.ts';

export type DemoName = 'synthetic-models' | 'compas-audit';
export type BundleSource = 'demo' | 'run' | 'file';

export class ReportState {
  readonly settings: Settings;
  bundle = $state.raw<Bundle | null>(null);
  source = $state<BundleSource | null>(null);
  modelIndex = $state(0);
  loading = $state(false);
  loadError = $state<string | null>(null);

  constructor(settings: Settings) {
    this.settings = settings;
  }

  result = $derived(this.bundle ? (this.bundle.results[Math.min(this.modelIndex, this.bundle.results.length - 1)] ?? null) : null);
  volume = $derived(this.bundle ? monthlyVolume(this.bundle) : null);
  // Getters (not $derived fields) because they read the settings passed to the constructor;
  // each is a snap over at most 100 rows.
  get snapped() {
    return this.result ? snapOperatingRow(operatingRowsOf(this.result), this.settings.operating, this.volume?.perMonth ?? null) : null;
  }
  get counts() {
    const s = this.snapped;
    return s ? iconCounts(s.row) : null;
  }
  get sentences(): string[] {
    const s = this.snapped;
    return s ? naturalFrequencySentences(s.row) : [];
  }
  get rates() {
    const s = this.snapped;
    return s ? ratesOf(s.row) : null;
  }

  setBundle(bundle: Bundle, source: BundleSource): void {
    this.bundle = bundle;
    this.source = source;
    // Open on the first trained model: the baseline is the comparator, not the answer.
    this.modelIndex = Math.max(0, bundle.results.findIndex((r) => r.model !== 'baseline'));
  }

  selectModel(i: number): void {
    this.modelIndex = i;
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
