/**
 * Cell key perturbation, after the method the Office for National Statistics used for the 2021
 * Census: every record carries a fixed key, a cell's key is the sum of its records' keys, and
 * the published count is the true count plus a perturbation read from a fixed table (the
 * ptable) at the cell's key. So the same set of records always gets the same noise (averaging
 * many releases of one cell gains nothing), and removing or adding one record moves the cell key
 * to a fresh, unpredictable value (differencing two releases gives noise, not the record).
 *
 * Record keys are the first four bytes of SHA-256 of the record's identity (the child ID, or the
 * row's content when there is no ID): the same for the same children in every run, whatever the
 * run's settings. What makes the noise unpredictable is the data's tag (`keyRecords`), mixed
 * into every cell's key by disclosure control: a digest of every record's identity and outcome,
 * in any order. With a council key file it is keyed by the council's secret, so even someone
 * holding the same data cannot work the noise out; without one it comes from the data alone, so
 * only someone holding the whole data set can. Either way the same data give the same noise in
 * every run, and data one child different give fresh noise in every cell. The run computes the
 * cell keys where the records are (`runCellKeys`, called by the report's one producer) into the
 * LOCAL report's `cellKeys` section; disclosure control reads them and never publishes them.
 *
 * A report without cell keys (one made by an older version) is keyed by a hash of the whole
 * report instead: the same report always gets the same noise, a changed report fresh noise
 * everywhere. That is weaker: see docs/bundle-schema.md.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Table } from 'apache-arrow';
import type { ModelResult } from './schema.ts';
import { stringColumn } from '../data/schema.ts';
import { groupVector } from '../fairness/groups.ts';
import { calibrationBins } from '../evaluate/calibration.ts';

/** Largest perturbation added to or taken from a published count. */
export const DEFAULT_MAX_PERTURBATION = 3;
export const PTABLE_NAME = 'candour-ptable/1 (uniform, zero mean)';

/** One row of the ptable: cell keys lo..hi (inclusive) add `perturbation` to the count. */
export interface PTableRow { perturbation: number; lo: number; hi: number }

/**
 * The ptable for counts at or above the threshold: perturbations -D..D with (as nearly as 256
 * keys allow) equal probability, placed symmetrically so the mean perturbation is exactly zero.
 * Counts below the threshold are never published, so they need no row (ACRO's small-cell rule);
 * a count whose perturbed value would fall below the threshold is withheld like a small count.
 */
export function ptable(maxPerturbation: number = DEFAULT_MAX_PERTURBATION): PTableRow[] {
  const d = Math.max(0, Math.floor(maxPerturbation));
  const values = 2 * d + 1;
  const size = new Map<number, number>();
  for (let v = -d; v <= d; v++) size.set(v, Math.floor(256 / values));
  let extra = 256 - Math.floor(256 / values) * values;
  if (extra % 2 === 1) { size.set(0, size.get(0)! + 1); extra--; }
  for (let v = 1; extra > 0; v++, extra -= 2) { size.set(v, size.get(v)! + 1); size.set(-v, size.get(-v)! + 1); }
  const rows: PTableRow[] = [];
  let lo = 0;
  for (let v = -d; v <= d; v++) {
    rows.push({ perturbation: v, lo, hi: lo + size.get(v)! - 1 });
    lo += size.get(v)!;
  }
  return rows;
}

/** Perturbation for a cell key (0..255) under `table`. */
export function perturbationOf(cellKey: number, table: readonly PTableRow[]): number {
  const k = ((Math.floor(cellKey) % 256) + 256) % 256;
  for (const r of table) if (k >= r.lo && k <= r.hi) return r.perturbation;
  throw new Error(`ptable does not cover cell key ${k}`);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Every labelled record's key, and the data's tag, from which each cell's noise follows. */
interface RecordKeying {
  /** 32-bit key of each record, in the order of the rows given: the first four bytes of SHA-256 of its identity. */
  keys: Uint32Array;
  /** 32-bit tag of the whole data (every record's identity and outcome, in any order). */
  tag: number;
  /** What the tag is keyed by: the council's secret (its key file), or the data alone. */
  source: 'council key' | 'data';
}

/**
 * The keys of the records `rows` of `table` (their outcomes `labels`) and the data's tag. The tag
 * is a digest of the multiset of (record hash, outcome), summed word by word so row order does
 * not matter, hashed with the council secret when there is one (HMAC-SHA-256) or alone.
 */
function keyRecords(table: Table, rows: ArrayLike<number>, labels: Uint8Array, idColumn?: string, secret?: Uint8Array): RecordKeying {
  const identities = recordIdentities(table, rows, idColumn);
  const keys = new Uint32Array(identities.length);
  // Two 256-bit sums (records with and without the outcome), as 16 words mod 2^32.
  const sums = new Uint32Array(16);
  for (let i = 0; i < identities.length; i++) {
    const h = sha256(utf8(identities[i]));
    keys[i] = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
    const base = labels[i] ? 8 : 0;
    for (let w = 0; w < 8; w++) sums[base + w] += (h[4 * w] << 24) | (h[4 * w + 1] << 16) | (h[4 * w + 2] << 8) | h[4 * w + 3];
  }
  const digest = new Uint8Array(64);
  const view = new DataView(digest.buffer);
  sums.forEach((word, w) => view.setUint32(4 * w, word));
  const message = new Uint8Array([...utf8(`candour data tag/2\n${identities.length}\n`), ...digest]);
  const mac = secret ? hmac(sha256, secret, message) : sha256(message);
  return { keys, tag: ((mac[0] << 24) | (mac[1] << 16) | (mac[2] << 8) | mac[3]) >>> 0, source: secret ? 'council key' : 'data' };
}

/** The keys of `subset` (table rows, each one of `rows`) from the keys of `rows`. */
function keysOfRows(keying: RecordKeying, rows: ArrayLike<number>, subset: ArrayLike<number>): Uint32Array {
  const at = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) at.set(rows[i], i);
  return Uint32Array.from(subset, (r) => keying.keys[at.get(r)!]);
}

/** A cell key from a name and a secret, for reports made without record keys. */
export function fallbackCellKey(secret: Uint8Array, name: string): number {
  return hmac(sha256, secret, utf8(name))[0];
}

export function sha256Bytes(text: string): Uint8Array {
  return sha256(utf8(text));
}

/**
 * The local report's cell keys: cell name -> key 0..255. Names are those disclosure control
 * uses (see `cellName`); only the four confusion cells of each table are stored, margins
 * (flagged, positives, n, ...) are sums of them, so their keys are sums of these modulo 256.
 * Each table also has a `set` entry: a 32-bit key of the set of records it flags, so two cuts
 * that flag the same records (two thresholds between the same scores) are one table's noise, and
 * two that differ by one record have fresh noise in every cell. `data|tag` holds the data's tag,
 * `keys|council` 1 when it was keyed by a council key.
 */
export type CellKeys = Record<string, number>;

/** The name of one table's cell: `m<model>|<table>|<group or *>|<tp|fp|fn|tn|set>`. */
export function cellName(model: number, table: string, group: string, kind: string): string {
  return `m${model}|${table}|${group}|${kind}`;
}

/** Group id used in cell names: JSON of [attribute, group]. */
export const groupId = (attribute: string, group: string): string => JSON.stringify([attribute, group]);

export interface KeyedGroup {
  attribute: string;
  values: ArrayLike<string | null | undefined>;
}

/**
 * Cell keys of one model result, computed from the records (labels, scores, record keys) with
 * the flag rules the result records (its thresholds and operating rows' cuts), for the overall
 * tables, each group's tables and the calibration bins.
 */
function cellKeysOf(
  model: number,
  result: ModelResult,
  labels: Uint8Array,
  scores: Float64Array,
  keys: Uint32Array,
  groups: readonly KeyedGroup[],
  out: CellKeys = {},
): CellKeys {
  const KINDS = ['tp', 'fp', 'fn', 'tn'] as const;
  const cuts: [string, number][] = [];
  const cutOf = (nFlagged: number | null, threshold: number | null) => (nFlagged === 0 || threshold === null ? Infinity : threshold);
  if (result.atThreshold) cuts.push(['atThreshold', result.atThreshold.threshold ?? Infinity]);
  if (result.topK) cuts.push(['topK', cutOf(result.topK.nFlagged, result.topK.threshold)]);
  if (result.atPolicy) cuts.push(['atPolicy', cutOf(result.atPolicy.nFlagged, result.atPolicy.threshold)]);
  for (const row of result.curves?.operating ?? []) cuts.push([`row${row.topPct}`, cutOf(row.nFlagged, row.threshold)]);
  const vectors = groups.map((g) => groupVector(g.attribute, g.values));
  for (const [table, cut] of cuts) {
    const kindOf = (i: number) => (scores[i] >= cut ? (labels[i] ? 0 : 1) : (labels[i] ? 2 : 3));
    // Sums of 32-bit keys stay exact in a double up to 2^21 records.
    const store = (pop: string, sums: ArrayLike<number>, at: number) => {
      KINDS.forEach((kind, k) => { out[cellName(model, table, pop, kind)] = sums[at + k] % 256; });
      out[cellName(model, table, pop, 'set')] = (sums[at] + sums[at + 1]) % 2 ** 32;
    };
    const whole = [0, 0, 0, 0];
    for (let i = 0; i < labels.length; i++) whole[kindOf(i)] += keys[i];
    store('*', whole, 0);
    for (const v of vectors) {
      const sums = new Array<number>(v.levels.length * 4).fill(0);
      for (let i = 0; i < labels.length; i++) sums[v.codes[i] * 4 + kindOf(i)] += keys[i];
      v.levels.forEach((level, c) => store(groupId(v.attribute, level), sums, c * 4));
    }
  }
  const bins = result.curves?.calibration;
  if (Array.isArray(bins) && bins.length > 0 && bins[0].hi > bins[0].lo) {
    // Empty bins are left out of the curve: find each published bin's index among nBins.
    const nBins = Math.round(1 / (bins[0].hi - bins[0].lo));
    const binOf = calibrationBins(scores, nBins);
    const sums = new Array<number>(nBins * 2).fill(0);
    for (let i = 0; i < labels.length; i++) sums[binOf[i] * 2 + (labels[i] ? 0 : 1)] += keys[i];
    bins.forEach((bin, b) => {
      const k = Math.min(nBins - 1, Math.max(0, Math.round(bin.lo * nBins)));
      out[cellName(model, `cal${b}`, '*', 'pos')] = sums[k * 2] % 256;
      out[cellName(model, `cal${b}`, '*', 'neg')] = sums[k * 2 + 1] % 256;
    });
  }
  return out;
}

/** Data-level cells (all labelled rows): `data|pos`, `data|neg`. */
function dataCellKeys(labels: Uint8Array, keys: Uint32Array, out: CellKeys = {}): CellKeys {
  out['data|pos'] = 0;
  out['data|neg'] = 0;
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i] ? 'data|pos' : 'data|neg';
    out[k] = (out[k] + (keys[i] % 256)) % 256;
  }
  return out;
}

/**
 * What identifies each record (rows: table row indices): the child ID when there is one, else
 * the row's content (every column's value). Only ever hashed (`keyRecords`).
 */
function recordIdentities(table: Table, rows: ArrayLike<number>, idColumn?: string): string[] {
  if (idColumn && table.getChild(idColumn)) {
    const ids = stringColumn(table, idColumn);
    return Array.from(rows, (i) => `id:${ids[i] ?? `\u0000row${i}`}`);
  }
  const columns = table.schema.fields.map((f) => stringColumn(table, f.name));
  return Array.from(rows, (i) => `row:${JSON.stringify(columns.map((c) => c[i]))}`);
}

/** The cellKeys entry holding the data's tag (`RecordKeying.tag`). */
export const DATA_TAG = 'data|tag';
/** The cellKeys entry that is 1 when the tag was keyed by a council key. */
export const COUNCIL_KEYED = 'keys|council';

/** A scored run's records, keyed: what `runCellKeys` needs besides the results. */
export interface RunKeys {
  /** Keys of the test cases, in the order of the run's labels and scores. */
  test: Uint32Array;
  /** Keys and outcomes of every labelled record (the data-level counts). */
  data: Uint32Array;
  dataLabels: Uint8Array;
  tag: number;
  source: RecordKeying['source'];
}

/**
 * The keys a run carries: of the labelled records `dataRows` (table rows, outcomes `dataLabels`)
 * and of its test cases `testRows` (each one of `dataRows`), keyed by the council secret when
 * there is one.
 */
export function runKeys(table: Table, dataRows: ArrayLike<number>, dataLabels: Uint8Array, testRows: ArrayLike<number>, idColumn?: string, secret?: Uint8Array): RunKeys {
  const keying = keyRecords(table, dataRows, dataLabels, idColumn, secret);
  return { test: keysOfRows(keying, dataRows, testRows), data: keying.keys, dataLabels, tag: keying.tag, source: keying.source };
}

/**
 * The local report's `cellKeys` section: cell keys for the data level and each result's tables,
 * with the data's tag. Never published: disclosure control reads it and leaves it out.
 */
export function runCellKeys(keys: RunKeys, results: readonly ModelResult[], models: readonly { scores: Float64Array }[], labels: Uint8Array, groups: readonly KeyedGroup[]): CellKeys {
  const out: CellKeys = {};
  dataCellKeys(keys.dataLabels, keys.data, out);
  out[DATA_TAG] = keys.tag;
  out[COUNCIL_KEYED] = keys.source === 'council key' ? 1 : 0;
  results.forEach((r, m) => {
    if (models[m]) cellKeysOf(m, r, labels, models[m].scores, keys.test, groups, out);
  });
  return out;
}
