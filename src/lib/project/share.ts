/**
 * The Share page's core: the shareable bundle with its model card and transparency record, what
 * disclosure control did in words, the record as a list of editable fields, and file names.
 * The record is drafted from the *disclosed* bundle, so the figures written into it are the
 * rounded, suppressed ones that are safe to publish.
 */
import type { Bundle, NoiseKeys } from '../bundle/schema.ts';
import type { DisclosureOptions } from '../bundle/disclosure.ts';
import { shareableBundle } from '../bundle/share.ts';
import {
  draftModelCard, draftTransparencyRecord, editTransparencyRecord, withTransparency,
  type ModelCard, type TransparencyRecord,
} from '../bundle/model-card.ts';
import { count } from './words.ts';

export interface ShareDraft {
  /** Disclosure control applied, no transparency block yet. */
  disclosed: Bundle;
  modelCard: ModelCard;
  record: TransparencyRecord;
}

/** Disclosure control first, then the card and record drafted from what survived it. */
export function shareDraft(report: Bundle, opts?: DisclosureOptions): ShareDraft {
  const disclosed = shareableBundle(report, opts);
  return { disclosed, modelCard: draftModelCard(disclosed), record: draftTransparencyRecord(disclosed) };
}

/** The bundle to send: disclosure control over the report with the (edited) card and record, integrity hash last. */
export function finalBundle(report: Bundle, modelCard: ModelCard, record: TransparencyRecord, opts?: DisclosureOptions): Bundle {
  return shareableBundle(withTransparency(report, { modelCard, record }), opts);
}

export interface DisclosureSummary {
  sentence: string;
  rows: { key: string; value: string }[];
  rules: string[];
}

/** What the noise follows, in words (disclosure.perturbation.keyedBy). */
const NOISE_KEYS: Record<NoiseKeys, string> = {
  'council key': 'the same in every run on the same data, keyed by the council key',
  data: 'the same in every run on the same data, keyed by the data alone (anyone holding the whole data set could work it out)',
  report: 'the same for this report only: a re-run of the same data gets fresh noise',
};

export function disclosureSummary(b: Bundle): DisclosureSummary {
  const d = b.disclosure;
  if (!d) return { sentence: 'No disclosure control has been applied: this is not safe to share.', rows: [], rules: [] };
  const noise = d.perturbation?.maxPerturbation ?? 0;
  const others = `${noise > 0 ? `have noise of at most ${noise} either way added${d.rounding > 1 ? ' and are' : ''}` : 'are'}${d.rounding > 1 ? ` rounded to the nearest ${d.rounding}` : noise > 0 ? '' : ' not rounded'}`;
  const rows = [
    { key: 'Counts withheld because they were small', value: `${count(d.primaryCells)} (below ${d.threshold}${d.suppressZeros ? ', zeros included' : ''})` },
    { key: 'Counts withheld so small ones cannot be worked out from totals', value: count(d.secondaryCells) },
    { key: 'Rates, intervals and curve points withheld with them', value: count(d.derivedValues) },
    ...(noise > 0 ? [{ key: 'Noise on other counts', value: `at most ${noise} either way (cell key method): ${NOISE_KEYS[d.perturbation?.keyedBy ?? (d.perturbation?.recordKeys ? 'council key' : 'report')]}` }] : []),
    { key: 'Other counts', value: d.rounding > 1 ? `rounded to the nearest ${d.rounding}` : 'not rounded' },
    { key: 'Rates', value: `rounded to ${d.rateDecimals} decimal places` },
    { key: 'Curves', value: `kept only at ${d.curveGrid.length} fixed points, without score thresholds` },
    { key: 'Working details left out', value: d.dropped.length ? `${count(d.dropped.length)} (details of the calculation that stay on this computer, such as per-group checks and bootstrap bookkeeping; the saved file lists them)` : 'none' },
  ];
  const withheld = d.primaryCells + d.secondaryCells;
  const sentence = withheld === 0
    ? `No count was small enough to withhold; every count ${others} and no row, ID, date or note of a child is in the file.`
    : `${count(withheld)} count${withheld === 1 ? ' was' : 's were'} withheld (${count(d.primaryCells)} below ${d.threshold}, ${count(d.secondaryCells)} more so they cannot be worked out), other counts ${others}, and no row, ID, date or note of a child is in the file.`;
  return { sentence, rows, rules: d.rules };
}

export interface RecordField {
  /** Dotted path in the record, e.g. "tier2.data.source". */
  path: string;
  section: string;
  label: string;
  value: string;
  /** Empty and for a person to complete. */
  toComplete: boolean;
}

const SECTION_NAMES: Record<string, string> = {
  tier1: 'Summary (tier 1)',
  ownerAndResponsibility: 'Owner and responsibility',
  descriptionAndRationale: 'Description and rationale',
  decisionMakingProcess: 'Decision-making process and human oversight',
  data: 'Data',
  risksAndMitigations: 'Risks and mitigations',
  technicalSpecification: 'Technical specification',
};

/** "seniorResponsibleOwner" -> "Senior responsible owner". */
export function labelOfKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every text field of the record in order, with its section, for an edit form. */
export function recordFields(record: TransparencyRecord): RecordField[] {
  const out: RecordField[] = [];
  const todo = new Set(record.toComplete);
  const add = (path: string, section: string, obj: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out.push({ path: `${path}.${k}`, section, label: labelOfKey(k), value: v, toComplete: todo.has(`${path}.${k}`) });
  };
  add('tier1', SECTION_NAMES.tier1, record.tier1 as unknown as Record<string, unknown>);
  for (const [k, v] of Object.entries(record.tier2)) add(`tier2.${k}`, SECTION_NAMES[k] ?? labelOfKey(k), v as Record<string, unknown>);
  return out;
}

/** The record with one field changed (unknown paths leave it as it was). */
export function withRecordField(record: TransparencyRecord, path: string, text: string): TransparencyRecord {
  return editTransparencyRecord(record, { [path]: text }).record;
}

/** A safe file name from the data name and date: "candour-my-extract-2026-05-01.html". */
export function bundleFileName(b: Bundle, ext: 'html' | 'json'): string {
  const base = (b.data.name || 'bundle').replace(/\.[a-z0-9]{1,8}$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'bundle';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(b.createdAt)?.[0] ?? '';
  return `candour-${base}${day ? `-${day}` : ''}.${ext}`;
}
