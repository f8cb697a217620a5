/**
 * Bundles opened on the Compare page (files someone sent): their integrity status, the side by
 * side table, and the pooled estimate chosen. Files are read here; nothing is uploaded.
 */
import type { ModelResult } from '../../lib/bundle/schema.ts';
import { compareBundles } from '../../lib/bundle/compare.ts';
import { openBundle, poolableModels, pooledMetric, pooledSentence, POOL_METRICS, type OpenedBundle } from '../../lib/project/compare.ts';

export class BundlesState {
  opened = $state.raw<OpenedBundle[]>([]);
  poolModel = $state<ModelResult['model'] | null>(null);
  poolMetric = $state(0);

  /** Readable bundles, tampered ones included (flagged in the table's notes). */
  get bundles() {
    return this.opened.flatMap((o) => (o.bundle ? [o.bundle] : []));
  }
  get labels() {
    return this.opened.filter((o) => o.bundle).map((o) => o.file);
  }
  get comparison() {
    return this.bundles.length ? compareBundles(this.bundles, { labels: this.labels }) : null;
  }
  get models() {
    return poolableModels(this.bundles);
  }
  get pooled() {
    const model = this.poolModel && this.models.includes(this.poolModel) ? this.poolModel : this.models[0];
    if (!model) return null;
    const m = POOL_METRICS[this.poolMetric] ?? POOL_METRICS[0];
    const r = pooledMetric(this.bundles, model, m.metric, m.operatingPoint, this.labels);
    return r.ok ? { ok: true as const, value: r.value, sentence: pooledSentence(r.value, m.label), model } : { ok: false as const, message: r.error.message, model };
  }

  async open(files: FileList | File[]): Promise<void> {
    const read = await Promise.all([...files].map(async (f) => openBundle(f.name, await f.text())));
    this.opened = [...this.opened, ...read];
  }

  remove(i: number): void {
    this.opened = this.opened.filter((_, k) => k !== i);
  }

  clear(): void {
    this.opened = [];
  }
}
