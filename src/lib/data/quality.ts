/**
 * The data-quality report, organised by the four Rs of the ethics review
 * (representativeness, relevancy, recency, accuracy) plus leakage warnings.
 * Plain objects; the UI renders them. Nothing here leaves the machine.
 */
import type { Table } from 'apache-arrow';
import type { ColumnInfo } from './schema.ts';
import { categoricalColumn, numericColumn, stringColumn } from './schema.ts';
import type { RoleMapping } from './roles.ts';
import { ownValue } from './names.ts';
import {
  NATIONAL_REFERENCE, ageBand, attributeOfColumn, normaliseGroup, stripLetterPrefix,
  type ReferenceAttribute, type ReferenceDistributions,
} from './reference.ts';

export type { ReferenceDistributions } from './reference.ts';
export { NATIONAL_REFERENCE } from './reference.ts';

export interface GroupShare {
  group: string;
  count: number;
  /** Share among rows whose group is known. */
  share: number;
  reference: number | null;
  /** share - reference. */
  difference: number | null;
}

export interface Representativeness {
  column: string;
  attribute: ReferenceAttribute | null;
  /** Source of the reference figures, when there are any. */
  source: string | null;
  groups: GroupShare[];
  /** Rows whose value is missing or not a recognised group. */
  unknown: number;
}

export interface Relevancy {
  column: string;
  type: string;
  missing: number;
  missingShare: number;
  distinct: number;
  /** Share of non-missing rows holding the most common value. */
  topShare: number;
  nearConstant: boolean;
}

export interface PeriodCount {
  period: string;
  count: number;
  /** Outcome rate among rows of the period with a known outcome, or null. */
  outcomeRate: number | null;
}

export interface Drift {
  column: string;
  /** Population stability index between consecutive periods (years). */
  steps: { from: string; to: string; psi: number }[];
  /** Largest step; > 0.25 is usually read as a major shift, 0.1-0.25 moderate. */
  maxPsi: number;
}

export interface Recency {
  dateColumn: string;
  /** ISO dates. */
  first: string;
  last: string;
  spanDays: number;
  perYear: PeriodCount[];
  perMonth: PeriodCount[];
  drift: Drift[];
}

export interface CountAt {
  column: string;
  count: number;
  /** 1-based data row (header excluded) of the first case. */
  firstRow: number;
  examples?: string[];
}

export interface Accuracy {
  invalidCodes: CountAt[];
  futureDates: CountAt[];
  birthAfterDecision: CountAt | null;
  duplicateRows: { count: number; firstRow: number };
  duplicateIds: { column: string; ids: number; rows: number; example: string } | null;
  outliers: (CountAt & { low: number; high: number })[];
}

export interface Leakage {
  column: string;
  reason: 'dated-after-decision' | 'predicts-outcome' | 'level-predicts-outcome';
  detail: string;
  /** Single-column ROC AUC against the outcome, when computed. */
  auc?: number;
}

export interface QualityReport {
  rows: number;
  representativeness: Representativeness[];
  relevancy: Relevancy[];
  recency: Recency | null;
  accuracy: Accuracy;
  leakage: Leakage[];
}

const DAY = 86_400_000;
const MAX_EXAMPLES = 5;

/** 1 / 0 / NaN per row for the outcome, given the positive value. */
export function outcomeLabels(table: Table, roles: RoleMapping): Float64Array | null {
  if (!roles.outcome || !table.getChild(roles.outcome)) return null;
  const s = stringColumn(table, roles.outcome);
  const pos = roles.positive;
  // "1" and 1.0 are the same positive value when the outcome is numeric.
  const posNumber = pos !== undefined && pos.trim() !== '' ? Number(pos) : NaN;
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (v === null || v.trim() === '') out[i] = NaN;
    else if (pos === undefined) out[i] = Number(v) === 1 ? 1 : 0;
    else out[i] = v === pos || (posNumber === posNumber && Number(v) === posNumber) ? 1 : 0;
  }
  return out;
}

/** ROC AUC of a score against 0/1 labels, ties counted half; NaN pairs skipped; null if one class is absent. */
export function rocAuc(labels: Float64Array, scores: Float64Array): number | null {
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === labels[i] && scores[i] === scores[i]) idx.push(i);
  idx.sort((a, b) => scores[a] - scores[b]);
  let pos = 0, neg = 0, rankSum = 0;
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e < idx.length && scores[idx[e]] === scores[idx[k]]) e++;
    const midRank = (k + 1 + e) / 2;
    for (let t = k; t < e; t++) if (labels[idx[t]] === 1) { pos++; rankSum += midRank; } else neg++;
    k = e;
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Population stability index between two share vectors over the same groups (zero shares floored at 1e-4). */
export function psi(p: number[], q: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = Math.max(p[i], 1e-4), b = Math.max(q[i], 1e-4);
    s += (b - a) * Math.log(b / a);
  }
  return s;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Groups of a column for representativeness/drift: reference groups when the attribute is known, else its own labels. */
function groupsOf(table: Table, info: ColumnInfo, attribute: ReferenceAttribute | null): (string | null)[] {
  if (attribute === 'ageBand' && info.type === 'number') {
    return Array.from(numericColumn(table, info.name), (x) => (x === x && x >= 0 ? ageBand(x) : null));
  }
  const s = stringColumn(table, info.name);
  if (attribute) return s.map((v) => normaliseGroup(attribute, v));
  return s.map((v) => (v === null || v.trim() === '' ? null : v));
}

function representativeness(table: Table, columns: ColumnInfo[], roles: RoleMapping, reference: ReferenceDistributions): Representativeness[] {
  const out: Representativeness[] = [];
  for (const name of roles.groups) {
    const info = columns.find((c) => c.name === name);
    if (!info) continue;
    const attribute = attributeOfColumn(name);
    const ref = attribute ? reference[attribute] : undefined;
    const g = groupsOf(table, info, ref ? attribute : null);
    const counts = new Map<string, number>();
    let unknown = 0;
    for (const v of g) if (v === null) unknown++; else counts.set(v, (counts.get(v) ?? 0) + 1);
    const known = g.length - unknown;
    const names = new Set([...counts.keys(), ...Object.keys(ref?.shares ?? {})]);
    const groups: GroupShare[] = [...names].map((group) => {
      const count = counts.get(group) ?? 0;
      const share = known ? count / known : 0;
      const r = ownValue(ref?.shares, group);
      return { group, count, share, reference: r ?? null, difference: r === undefined ? null : share - r };
    });
    groups.sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
    out.push({ column: name, attribute: ref ? attribute : null, source: ref?.source ?? null, groups, unknown });
  }
  return out;
}

function relevancy(table: Table, columns: ColumnInfo[]): Relevancy[] {
  const n = table.numRows;
  return columns.map((c) => {
    let missing = 0, distinct = 0, top = 0;
    if (c.type === 'number' || c.type === 'date') {
      const x = numericColumn(table, c.name);
      const counts = new Map<number, number>();
      for (const v of x) if (v !== v) missing++; else counts.set(v, (counts.get(v) ?? 0) + 1);
      distinct = counts.size;
      for (const k of counts.values()) if (k > top) top = k;
    } else {
      const { codes, levels } = categoricalColumn(table, c.name);
      const counts = new Int32Array(levels.length);
      for (const k of codes) if (k < 0) missing++; else counts[k]++;
      distinct = levels.length;
      for (const k of counts) if (k > top) top = k;
    }
    const present = n - missing;
    const topShare = present ? top / present : 0;
    return { column: c.name, type: c.type, missing, missingShare: n ? missing / n : 0, distinct, topShare, nearConstant: present > 0 && (distinct <= 1 || topShare >= 0.99) };
  });
}

function recency(table: Table, columns: ColumnInfo[], roles: RoleMapping, labels: Float64Array | null): Recency | null {
  if (!roles.date || !table.getChild(roles.date)) return null;
  const t = numericColumn(table, roles.date);
  let lo = Infinity, hi = -Infinity;
  for (const v of t) if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo === Infinity) return null;
  const periods = (key: (ms: number) => string): { keys: string[]; of: (string | null)[] } => {
    const of = Array.from(t, (v) => (v === v ? key(v) : null));
    return { keys: [...new Set(of.filter((k): k is string => k !== null))].sort(), of };
  };
  const tally = ({ keys, of }: { keys: string[]; of: (string | null)[] }): PeriodCount[] =>
    keys.map((period) => {
      let count = 0, known = 0, pos = 0;
      for (let i = 0; i < of.length; i++)
        if (of[i] === period) {
          count++;
          if (labels && labels[i] === labels[i]) { known++; pos += labels[i]; }
        }
      return { period, count, outcomeRate: known ? pos / known : null };
    });
  const years = periods((ms) => isoDate(ms).slice(0, 4));
  const months = periods((ms) => isoDate(ms).slice(0, 7));
  const drift: Drift[] = [];
  for (const name of roles.groups) {
    const info = columns.find((c) => c.name === name);
    if (!info) continue;
    const attribute = attributeOfColumn(name);
    const g = groupsOf(table, info, attribute && NATIONAL_REFERENCE[attribute] ? attribute : null);
    const levels = [...new Set(g.filter((v): v is string => v !== null))].sort();
    const dist = (period: string): number[] | null => {
      const c = new Array(levels.length).fill(0);
      let n = 0;
      for (let i = 0; i < g.length; i++) if (years.of[i] === period && g[i] !== null) { c[levels.indexOf(g[i]!)]++; n++; }
      return n ? c.map((k) => k / n) : null;
    };
    const steps: Drift['steps'] = [];
    for (let k = 1; k < years.keys.length; k++) {
      const p = dist(years.keys[k - 1]), q = dist(years.keys[k]);
      if (p && q) steps.push({ from: years.keys[k - 1], to: years.keys[k], psi: psi(p, q) });
    }
    drift.push({ column: name, steps, maxPsi: Math.max(0, ...steps.map((s) => s.psi)) });
  }
  return { dateColumn: roles.date, first: isoDate(lo), last: isoDate(hi), spanDays: Math.round((hi - lo) / DAY), perYear: tally(years), perMonth: tally(months), drift };
}

const GENDER_CODES = /^(male|female|m|f|0|1|2|9|not stated\/recorded|neither|unknown|not known|indeterminate|other|unborn)$/i;
const ETHNIC_CODES = new Set('WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT'.split(' '));

function accuracy(table: Table, columns: ColumnInfo[], roles: RoleMapping, now: Date): Accuracy {
  const n = table.numRows;
  const invalidCodes: CountAt[] = [];
  for (const c of columns) {
    const attr = attributeOfColumn(c.name);
    if ((attr !== 'gender' && attr !== 'ethnicity') || c.type === 'number' || c.type === 'date') continue;
    const s = stringColumn(table, c.name);
    // Ethnicity is checked against DfE codes only when the column mostly holds codes.
    const codes = attr === 'ethnicity' && s.filter((v) => v !== null && ETHNIC_CODES.has(stripLetterPrefix(v).toUpperCase())).length > 0.5 * s.filter((v) => v !== null).length;
    if (attr === 'ethnicity' && !codes) continue;
    const bad: CountAt = { column: c.name, count: 0, firstRow: 0, examples: [] };
    s.forEach((v, i) => {
      if (v === null || v.trim() === '') return;
      const x = stripLetterPrefix(v);
      const ok = attr === 'gender' ? GENDER_CODES.test(x) : ETHNIC_CODES.has(x.toUpperCase());
      if (!ok) {
        if (bad.count++ === 0) bad.firstRow = i + 1;
        if (!bad.examples!.includes(v) && bad.examples!.length < MAX_EXAMPLES) bad.examples!.push(v);
      }
    });
    if (bad.count) invalidCodes.push(bad);
  }
  const futureDates: CountAt[] = [];
  const nowMs = now.getTime();
  for (const c of columns) {
    if (c.type !== 'date') continue;
    const t = numericColumn(table, c.name);
    const f: CountAt = { column: c.name, count: 0, firstRow: 0 };
    t.forEach((v, i) => { if (v > nowMs && f.count++ === 0) f.firstRow = i + 1; });
    if (f.count) futureDates.push(f);
  }
  let birthAfterDecision: CountAt | null = null;
  const dob = columns.find((c) => c.type === 'date' && /birth|dob/i.test(c.name));
  if (dob && roles.date && table.getChild(roles.date)) {
    const b = numericColumn(table, dob.name), d = numericColumn(table, roles.date);
    const f: CountAt = { column: dob.name, count: 0, firstRow: 0 };
    for (let i = 0; i < n; i++) if (b[i] > d[i] && f.count++ === 0) f.firstRow = i + 1;
    // A child may be referred before birth (unborn): a date of birth within ~9 months after is plausible.
    birthAfterDecision = f;
  }
  // Duplicate rows: hash each row's values column by column.
  const h1 = new Int32Array(n).fill(0x811c9dc5), h2 = new Int32Array(n).fill(0x9747b28c);
  for (const c of columns) {
    if (c.type === 'number' || c.type === 'date') {
      const x = numericColumn(table, c.name);
      const f = new Float64Array(1), w = new Int32Array(f.buffer);
      for (let i = 0; i < n; i++) {
        f[0] = x[i] === x[i] ? x[i] : NaN;
        h1[i] = Math.imul(h1[i] ^ w[0], 0x01000193) ^ w[1];
        h2[i] = Math.imul(h2[i] ^ w[1], 0x5bd1e995) ^ w[0];
      }
    } else {
      const { codes } = categoricalColumn(table, c.name);
      for (let i = 0; i < n; i++) {
        h1[i] = Math.imul(h1[i] ^ codes[i], 0x01000193);
        h2[i] = Math.imul(h2[i] ^ (codes[i] + 0x3c6ef372), 0x5bd1e995);
      }
    }
  }
  const seen = new Set<string>();
  const duplicateRows = { count: 0, firstRow: 0 };
  for (let i = 0; i < n; i++) {
    const k = `${h1[i]}:${h2[i]}`;
    if (seen.has(k)) { if (duplicateRows.count++ === 0) duplicateRows.firstRow = i + 1; } else seen.add(k);
  }
  let duplicateIds: Accuracy['duplicateIds'] = null;
  if (roles.id && table.getChild(roles.id)) {
    const s = stringColumn(table, roles.id);
    const counts = new Map<string, number>();
    for (const v of s) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    let ids = 0, rows = 0, example = '';
    for (const [v, k] of counts) if (k > 1) { ids++; rows += k; if (!example) example = v; }
    // The example is for the analyst's own screen; the report is never put in a shared bundle.
    duplicateIds = { column: roles.id, ids, rows, example };
  }
  const outliers: Accuracy['outliers'] = [];
  for (const c of columns) {
    if (c.type !== 'number' || c.name === roles.outcome) continue;
    const x = Array.from(numericColumn(table, c.name)).filter((v) => v === v).sort((a, b) => a - b);
    if (x.length < 20) continue;
    const q = (p: number) => x[Math.min(x.length - 1, Math.floor(p * (x.length - 1)))];
    const q1 = q(0.25), q3 = q(0.75), iqr = q3 - q1;
    if (iqr <= 0) continue;
    const low = q1 - 3 * iqr, high = q3 + 3 * iqr;
    const all = numericColumn(table, c.name);
    const f = { column: c.name, count: 0, firstRow: 0, low, high };
    all.forEach((v, i) => { if ((v < low || v > high) && f.count++ === 0) f.firstRow = i + 1; });
    if (f.count) outliers.push(f);
  }
  return { invalidCodes, futureDates, birthAfterDecision, duplicateRows, duplicateIds, outliers };
}

function leakage(table: Table, columns: ColumnInfo[], roles: RoleMapping, labels: Float64Array | null): Leakage[] {
  const out: Leakage[] = [];
  if (roles.date && table.getChild(roles.date)) {
    const d = numericColumn(table, roles.date);
    for (const c of columns) {
      if (c.type !== 'date' || c.name === roles.date || /birth|dob/i.test(c.name)) continue;
      const t = numericColumn(table, c.name);
      let after = 0, both = 0;
      for (let i = 0; i < t.length; i++) if (t[i] === t[i] && d[i] === d[i]) { both++; if (t[i] > d[i]) after++; }
      if (both && after / both > 0.05)
        out.push({ column: c.name, reason: 'dated-after-decision', detail: `${after} of ${both} dates (${Math.round((100 * after) / both)}%) fall after the decision date '${roles.date}': the column may record what happened later` });
    }
  }
  if (!labels) return out;
  let known = 0, pos = 0;
  for (const y of labels) if (y === y) { known++; pos += y; }
  if (!known || pos === 0 || pos === known) return out;
  const base = pos / known;
  for (const c of columns) {
    if (c.name === roles.outcome || c.name === roles.id || c.type === 'text' || c.type === 'id') continue;
    if (c.type === 'number' || c.type === 'date') {
      const auc = rocAuc(labels, numericColumn(table, c.name));
      if (auc !== null && Math.max(auc, 1 - auc) > 0.95)
        out.push({ column: c.name, reason: 'predicts-outcome', detail: `on its own this column separates the outcome almost perfectly (ROC AUC ${Math.max(auc, 1 - auc).toFixed(3)}): it may be recorded after, or because of, the outcome`, auc });
      continue;
    }
    const { codes, levels } = categoricalColumn(table, c.name);
    const n = new Float64Array(levels.length), p = new Float64Array(levels.length);
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0 && labels[i] === labels[i]) { n[codes[i]]++; p[codes[i]] += labels[i]; }
    // The in-sample outcome rate of each level as a score: how well the column alone separates.
    const score = Float64Array.from(codes, (k) => (k >= 0 && n[k] ? p[k] / n[k] : NaN));
    const auc = rocAuc(labels, score);
    if (auc !== null && auc > 0.95 && levels.length <= 0.5 * known) {
      out.push({ column: c.name, reason: 'predicts-outcome', detail: `on its own this column separates the outcome almost perfectly (ROC AUC ${auc.toFixed(3)})`, auc });
      continue;
    }
    for (let k = 0; k < levels.length; k++)
      if (n[k] >= 10 && base < 0.5 && p[k] / n[k] >= 0.98)
        out.push({ column: c.name, reason: 'level-predicts-outcome', detail: `rows with '${levels[k]}' are almost always positive (${p[k]} of ${n[k]}, against ${(100 * base).toFixed(1)}% overall)` });
  }
  return out;
}

/** The four Rs and leakage warnings for a loaded table and its role mapping. */
export function qualityReport(table: Table, columns: ColumnInfo[], roles: RoleMapping, opts: { reference?: ReferenceDistributions; now?: Date } = {}): QualityReport {
  const labels = outcomeLabels(table, roles);
  return {
    rows: table.numRows,
    representativeness: representativeness(table, columns, roles, opts.reference ?? NATIONAL_REFERENCE),
    relevancy: relevancy(table, columns),
    recency: recency(table, columns, roles, labels),
    accuracy: accuracy(table, columns, roles, opts.now ?? new Date()),
    leakage: leakage(table, columns, roles, labels),
  };
}
