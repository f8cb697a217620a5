/**
 * The Share page's state: the disclosed draft of a report, the edited model card and
 * transparency record, and the downloads (Blob + <a download>, nothing leaves the machine).
 */
import type { Bundle } from '../../lib/bundle/schema.ts';
import { bundleHtml } from '../../lib/bundle/write-html.ts';
import type { ModelCard, TransparencyRecord } from '../../lib/bundle/model-card.ts';
import { bundleFileName, finalBundle, shareDraft, withRecordField, type ShareDraft } from '../../lib/project/share.ts';
import { createKeyFile, keyFileText, parseKeyFile, signBundle, type KeyFile } from '../../lib/bundle/signing.ts';
import { formatError } from '../../lib/errors.ts';

export class ShareState {
  report = $state.raw<Bundle | null>(null);
  draft = $state.raw<ShareDraft | null>(null);
  record = $state.raw<TransparencyRecord | null>(null);
  modelCard = $state.raw<ModelCard | null>(null);
  threshold = $state(10);
  rounding = $state(5);
  error = $state<string | null>(null);
  /** The last file offered for download, for the page to confirm. */
  saved = $state<string | null>(null);
  /** The council's key file, held in memory for this visit only (never stored, never in a bundle). */
  key = $state.raw<KeyFile | null>(null);
  keyError = $state<string | null>(null);

  /** Applies disclosure control to `report` and drafts the record from what survived. */
  prepare(report: Bundle): void {
    this.report = report;
    this.error = null;
    try {
      const d = shareDraft(report, { threshold: this.threshold, rounding: this.rounding });
      this.draft = d;
      this.record = d.record;
      this.modelCard = d.modelCard;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** New disclosure rules: the draft is made again and the text a person wrote is carried over. */
  setDisclosure(threshold: number, rounding: number): void {
    if (!(threshold >= 1) || !(rounding >= 1)) return;
    this.threshold = Math.round(threshold);
    this.rounding = Math.round(rounding);
    const before = this.record;
    const drafted = this.draft?.record;
    if (!this.report) return;
    this.prepare(this.report);
    if (!before || !drafted || !this.record) return;
    for (const path of drafted.toComplete) {
      const text = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], before);
      if (typeof text === 'string' && text !== '') this.setField(path, text);
    }
  }

  setField(path: string, text: string): void {
    if (this.record) this.record = withRecordField(this.record, path, text);
  }

  #final(): Bundle | null {
    if (!this.report || !this.record || !this.modelCard) return null;
    const b = finalBundle(this.report, this.modelCard, this.record, { threshold: this.threshold, rounding: this.rounding });
    return this.key ? signBundle(b, this.key) : b;
  }

  /** A new key file, offered for download and used to sign from now on. */
  createKey(): void {
    const key = createKeyFile(new Date());
    this.key = key;
    this.keyError = null;
    this.#download(keyFileText(key), 'application/json', 'candour-council.key');
  }

  /** Reads the council's key file; signs from now on when it is usable. */
  async useKeyFile(file: File): Promise<void> {
    const r = parseKeyFile(await file.text(), file.name);
    this.key = r.ok ? r.value : null;
    this.keyError = r.ok ? null : formatError(r.error);
  }

  forgetKey(): void {
    this.key = null;
    this.keyError = null;
  }

  #download(text: string, type: string, name: string): void {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.saved = name;
  }

  downloadJson(): void {
    const b = this.#final();
    if (b) this.#download(JSON.stringify(b, null, 1), 'application/json', bundleFileName(b, 'json'));
  }

  /** One self-contained HTML file: the viewer's code and styles (same origin) inline with the bundle. */
  async downloadHtml(): Promise<void> {
    const b = this.#final();
    if (!b) return;
    this.error = null;
    try {
      const [js, css] = await Promise.all(['./viewer/viewer.js', './viewer/viewer.css'].map(async (u) => {
        const r = await fetch(new URL(u, document.baseURI));
        if (!r.ok) throw new Error(`${u}: ${r.status}`);
        return r.text();
      }));
      this.#download(bundleHtml(b, { js, css, title: `Candour: ${b.data.name}` }), 'text/html', bundleFileName(b, 'html'));
    } catch (e) {
      this.error = `The report viewer could not be read from this site (${e instanceof Error ? e.message : String(e)}); the JSON file can still be saved.`;
    }
  }
}
