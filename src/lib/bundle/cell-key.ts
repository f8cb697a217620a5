/**
 * Cell key perturbation, after the method the Office for National Statistics used for the 2021
 * Census: every record carries a fixed key 0..255, a cell's key is the sum of its records' keys
 * modulo 256, and the published count is the true count plus a perturbation read from a fixed
 * table (the ptable) at the cell key. So the same set of records always gets the same noise
 * (averaging many releases of one cell gains nothing), and removing or adding one record moves
 * the cell key to a fresh, unpredictable value (differencing two releases gives noise, not the
 * record).
 *
 * Record keys are the first byte of HMAC-SHA-256(council secret, child ID), or of the row's
 * content when there is no ID, so they are the same for the same council's data in every run
 * without storing any case data, and cannot be computed without the secret, which the analyst
 * keeps and which is never written into a report or bundle. The run computes the cell keys where
 * the records are (`cellKeysOf`) into the LOCAL report's `cellKeys` section; disclosure control
 * reads them and never publishes them.
 *
 * Without record keys (a report made without a council secret) each cell's key is
 * HMAC-SHA-256(SHA-256 of the local report, cell name): the same report always gets the same
 * noise, a changed report gets fresh noise everywhere. That is weaker: see docs/bundle-schema.md.
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

/** Record key (0..255) of each record: first byte of HMAC-SHA-256(secret, identity). */
export function recordKeys(identities: readonly string[], secret: Uint8Array): Uint8Array {
  const out = new Uint8Array(identities.length);
  for (let i = 0; i < identities.length; i++) out[i] = hmac(sha256, secret, utf8(identities[i]))[0];
  return out;
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
 */
export type CellKeys = Record<string, number>;

/** The name of one table's cell: `m<model>|<table>|<group or *>|<tp|fp|fn|tn>`. */
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
export function cellKeysOf(
  model: number,
  result: ModelResult,
  labels: Uint8Array,
  scores: Float64Array,
  keys: Uint8Array,
  groups: readonly KeyedGroup[],
  out: CellKeys = {},
): CellKeys {
  const KINDS = ['tp', 'fp', 'fn', 'tn'] as const;
  const cuts: [string, number][] = [];
  const cutOf = (nFlagged: number | null, threshold: number | null) => (nFlagged === 0 || threshold === null ? Infinity : threshold);
  if (result.atThreshold) cuts.push(['atThreshold', result.atThreshold.threshold ?? Infinity]);
  if (result.topK) cuts.push(['topK', cutOf(result.topK.nFlagged, result.topK.threshold)]);
  for (const row of result.curves?.operating ?? []) cuts.push([`row${row.topPct}`, cutOf(row.nFlagged, row.threshold)]);
  const vectors = groups.map((g) => groupVector(g.attribute, g.values));
  for (const [table, cut] of cuts) {
    const kindOf = (i: number) => (scores[i] >= cut ? (labels[i] ? 0 : 1) : (labels[i] ? 2 : 3));
    const whole = [0, 0, 0, 0];
    for (let i = 0; i < labels.length; i++) whole[kindOf(i)] += keys[i];
    KINDS.forEach((kind, k) => { out[cellName(model, table, '*', kind)] = whole[k] % 256; });
    for (const v of vectors) {
      const sums = new Array<number>(v.levels.length * 4).fill(0);
      for (let i = 0; i < labels.length; i++) sums[v.codes[i] * 4 + kindOf(i)] += keys[i];
      v.levels.forEach((level, c) => KINDS.forEach((kind, k) => { out[cellName(model, table, groupId(v.attribute, level), kind)] = sums[c * 4 + k] % 256; }));
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
export function dataCellKeys(labels: Uint8Array, keys: Uint8Array, out: CellKeys = {}): CellKeys {
  out['data|pos'] = 0;
  out['data|neg'] = 0;
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i] ? 'data|pos' : 'data|neg';
    out[k] = (out[k] + keys[i]) % 256;
  }
  return out;
}

/**
 * What identifies each record (rows: table row indices): the child ID when there is one, else
 * the row's content (every column's value). Only ever hashed with the council secret.
 */
export function recordIdentities(table: Table, rows: ArrayLike<number>, idColumn?: string): string[] {
  if (idColumn && table.getChild(idColumn)) {
    const ids = stringColumn(table, idColumn);
    return Array.from(rows, (i) => `id:${ids[i] ?? `\u0000row${i}`}`);
  }
  const columns = table.schema.fields.map((f) => stringColumn(table, f.name));
  return Array.from(rows, (i) => `row:${JSON.stringify(columns.map((c) => c[i]))}`);
}

/** The cellKeys entry holding the data's tag (see `dataTag`). */
export const DATA_TAG = 'data|tag';

/**
 * A secret-keyed tag of the whole data (every record and its outcome, in any order): the same data
 * gives the same tag in every run; one child more or less, or one outcome changed, a new one.
 * Disclosure control mixes it into every cell's key, so a release of changed data has fresh noise
 * in every cell and the cells that did not change cannot be told from those that did (with keys
 * from record keys alone, an unchanged cell keeps its noise exactly, and comparing two releases
 * one child apart shows which cells hold that child).
 */
export function dataTag(identities: readonly string[], labels: Uint8Array, secret: Uint8Array): number {
  const lines = identities.map((id, i) => `${id}\u0000${labels[i]}`).sort();
  const mac = hmac(sha256, secret, utf8(`candour data tag\n${lines.join('\n')}`));
  return ((mac[0] << 24) | (mac[1] << 16) | (mac[2] << 8) | mac[3]) >>> 0;
}

/** One evaluated model's records, for `reportCellKeys`. */
export interface KeyedResult { labels: Uint8Array; scores: Float64Array; rows: ArrayLike<number>; groups: readonly KeyedGroup[] }

/**
 * The local report's `cellKeys` section: record keys from the council secret, cell keys for the
 * data level (all labelled rows `dataRows`, labels `dataLabels`) and each result's tables.
 * Never published: disclosure control reads it and leaves it out.
 */
export function reportCellKeys(
  table: Table,
  results: readonly ModelResult[],
  keyed: readonly KeyedResult[],
  data: { rows: ArrayLike<number>; labels: Uint8Array },
  secret: Uint8Array,
  idColumn?: string,
): CellKeys {
  const cache = new Map<number, number>();
  const keysFor = (rows: ArrayLike<number>) => {
    const missing = Array.from(rows).filter((i) => !cache.has(i));
    const fresh = recordKeys(recordIdentities(table, missing, idColumn), secret);
    missing.forEach((i, k) => cache.set(i, fresh[k]));
    return Uint8Array.from(rows, (i) => cache.get(i)!);
  };
  const out: CellKeys = {};
  dataCellKeys(data.labels, keysFor(data.rows), out);
  out[DATA_TAG] = dataTag(recordIdentities(table, data.rows, idColumn), data.labels, secret);
  results.forEach((r, m) => {
    const k = keyed[m];
    if (k) cellKeysOf(m, r, k.labels, k.scores, keysFor(k.rows), k.groups, out);
  });
  return out;
}
