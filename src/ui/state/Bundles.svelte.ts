/**
 * Bundles opened on the Compare page (files someone sent): each file's hash and signature check,
 * the public keys the reader trusts (kept in this browser), the side by side table, and the
 * pooled estimate with what was and was not pooled. Files are read here; nothing is uploaded.
 */
import type { ModelResult } from '../../lib/bundle/schema.ts';
import { compareBundles } from '../../lib/bundle/compare.ts';
import { parsePublicKey } from '../../lib/bundle/signing.ts';
import { openBundle, parseTrustedKeys, poolOpened, trustOpened, TRUSTED_KEYS_KEY, type OpenedBundle } from '../../lib/project/compare.ts';

export class BundlesState {
  #opened = $state.raw<OpenedBundle[]>([]);
  /** Hex public keys the reader marked as trusted. */
  trustedKeys = $state.raw<string[]>([]);
  /** The reader chose to pool bundles whose origin is not verified. */
  includeUnverified = $state(false);
  poolModel = $state<ModelResult['model'] | null>(null);
  poolMetric = $state(0);

  constructor() {
    try {
      this.trustedKeys = parseTrustedKeys(globalThis.localStorage?.getItem(TRUSTED_KEYS_KEY) ?? null);
    } catch {
      // Storage may be disabled: trusted keys then last for this visit only.
    }
  }

  /** Opened files, checked against the keys trusted now. */
  get opened(): OpenedBundle[] {
    return this.#opened.map((o) => trustOpened(o, this.trustedKeys));
  }
  /** Readable bundles for the side by side table (failed ones included, flagged in its notes). */
  get bundles() {
    return this.#opened.flatMap((o) => (o.bundle ? [o.bundle] : []));
  }
  get labels() {
    return this.#opened.filter((o) => o.bundle).map((o) => o.file);
  }
  get comparison() {
    return this.bundles.length ? compareBundles(this.bundles, { labels: this.labels }) : null;
  }
  get pooled() {
    return poolOpened(this.opened, { metric: this.poolMetric, model: this.poolModel, includeUnverified: this.includeUnverified });
  }

  async open(files: FileList | File[]): Promise<void> {
    const read = await Promise.all([...files].map(async (f) => openBundle(f.name, await f.text())));
    this.#opened = [...this.#opened, ...read];
  }

  remove(i: number): void {
    this.#opened = this.#opened.filter((_, k) => k !== i);
  }

  clear(): void {
    this.#opened = [];
  }

  /** Adds a pasted public key to the trusted ones; false when the text is not a key. */
  trust(text: string): boolean {
    const key = parsePublicKey(text);
    if (key === null) return false;
    if (!this.trustedKeys.includes(key)) this.#saveKeys([...this.trustedKeys, key]);
    return true;
  }

  untrust(key: string): void {
    this.#saveKeys(this.trustedKeys.filter((k) => k !== key));
  }

  #saveKeys(keys: string[]): void {
    this.trustedKeys = keys;
    try {
      globalThis.localStorage?.setItem(TRUSTED_KEYS_KEY, JSON.stringify(keys));
    } catch {
      // See the constructor.
    }
  }
}
