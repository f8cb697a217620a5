/**
 * Statistical disclosure control for shareable bundles: aggregates only, small counts withheld,
 * the rest perturbed by the cell key method, rates derived from the published counts, nothing
 * recoverable from totals, curves coarsened.
 *
 * The rules (also written into `bundle.disclosure.rules` and docs/bundle-schema.md):
 *
 * 1. Cells. Every count is a cell: per model, operating point and population (everyone, or one
 *    group) the confusion counts tp, fp, fn, tn and their margins flagged (= nFlagged), not
 *    flagged, positives, negatives, n; the data-level rows and positives; calibration-bin
 *    counts. A cell is a set of records: within one model and population the cuts are nested, so
 *    two tables (the threshold, the top K%, the rows of the operating table) with the same tp
 *    share the same tp cell, and a group's n and positives are one cell across models.
 * 2. Primary suppression (ACRO): a cell below `threshold` (default 10) is withheld; zeros too
 *    unless `suppressZeros: false` ("every child in this group was flagged" is as telling as a
 *    one), except structural zeros (at the top 100% nobody is left unflagged).
 * 3. Perturbation (cell key method, see cell-key.ts): every other count is published as its true
 *    value plus a perturbation in -D..D read from the ptable at the cell's key; a count whose
 *    perturbed value falls below the threshold is withheld as primary. Same records, same noise.
 * 4. Linked sets: within a table (tp+fp = flagged, ...), across the groups of one attribute
 *    (groups sum to the population), and across the hierarchy (an intersection's groups sum to
 *    each parent attribute's group). Secondary suppression: while some linked set has exactly one
 *    withheld cell, withhold the smallest other cell of that set.
 * 5. A group whose n, positives or negatives is withheld is withheld whole: it publishes its
 *    attribute, its label and the reason, nothing else.
 * 6. Rates carry no more than counts: every published rate is computed from the published counts
 *    (precision = tp/flagged, recall = tp/positives, FNR = fn/positives, FPR = fp/negatives,
 *    flagged rate = flagged/n, false omission rate = fn/not flagged, prevalence = positives/n)
 *    and withheld when either count is. Interval bounds are the bootstrap's, moved by the same
 *    amount as the rate, rounded outward to 2 decimals, and only for groups that pass the
 *    threshold. A group's AP and AUC: 2 decimals (with both classes >= the threshold, the grid
 *    of attainable values is finer than 0.01, so they cannot narrow the counts).
 * 7. Curves are replaced by values at fixed grid points; the operating table keeps only the
 *    rows at OPERATING_GRID (5%, ..., 100%), every kept row a table under rules 1-6.
 * 8. Fields not in the schema are left out and listed in `disclosure.dropped`; the local
 *    report's `cellKeys` are never published.
 */
import { discloseRunExtras } from './disclosure-run.ts';
import { canonicalJson } from './integrity.ts';
import { cellName, COUNCIL_KEYED, DATA_TAG, DEFAULT_MAX_PERTURBATION, fallbackCellKey, groupId, perturbationOf, ptable, PTABLE_NAME, sha256Bytes, type CellKeys, type PTableRow } from './cell-key.ts';
import { INTERSECTION_SEPARATOR } from '../fairness/groups.ts';
import { DEFAULT_TOLERANCE, verdictFor, type Tolerance } from '../fairness/power.ts';
import { topKTarget } from '../evaluate/operating-point.ts';
import type {
  Bundle, CalibrationBin, CurveSet, DisclosureRecord, Estimate, ModelResult, NoiseKeys, OperatingPointResult, PrPoint, RocPoint,
  SubgroupResult, SuppressionReason,
} from './schema.ts';

export interface DisclosureOptions {
  /** Counts below this are suppressed. Default 10. */
  threshold?: number;
  /** Largest cell-key perturbation of a count (0 = none). Default 3. */
  maxPerturbation?: number;
  /** Published counts are rounded to the nearest multiple of this after perturbation. Default 1 with perturbation, 5 without. */
  rounding?: number;
  /** Rates are rounded to this many decimals. Default 3. */
  rateDecimals?: number;
  /** Treat zero counts as small. Default true. */
  suppressZeros?: boolean;
  /** Recall / FPR grid for curve summaries. Default 0.05, 0.10, ..., 1. */
  curveGrid?: number[];
}

export const DEFAULT_CURVE_GRID: number[] = Array.from({ length: 20 }, (_, i) => Math.round((i + 1) * 5) / 100);
/** Rows of the operating table kept in a shareable bundle: top 5%, 10%, ..., 100%. */
export const OPERATING_GRID: number[] = Array.from({ length: 20 }, (_, i) => (i + 1) * 5);
/** Decimals of interval bounds, group AP / AUC and score means. */
export const COARSE_DECIMALS = 2;

type Status = 'ok' | 'primary' | 'secondary';
interface FlagSet { atom: string; fallback: string }
interface Ref { obj: Record<string, unknown>; field: string }
interface Cell {
  key: string; value: number; status: Status; refs: Ref[]; order: number; structural?: boolean;
  /** Names in the report's cellKeys whose sum (mod 256) is this cell's key. */
  atoms?: string[];
  /** The name its fallback key is made from (the same children, the same name); default `key`. */
  noise?: string;
  /** The set of children its table flags: the cellKeys entry (`set`), or without cell keys a suffix. */
  flagSet?: FlagSet;
  published?: number;
}

const COUNT_KINDS = ['tp', 'fp', 'fn', 'tn', 'flagged', 'unflagged', 'pos', 'neg', 'n'] as const;
type Kind = (typeof COUNT_KINDS)[number];
type TableKeys = Record<Kind, string>;
type Shared = (k: 'n' | 'pos' | 'neg', v: number, atoms: string[]) => string;

export const OP_FIELDS = ['threshold', 'nFlagged', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'fpr', 'fnr', 'flaggedRate', 'falseOmissionRate', 'intervals', 'topPct', 'nTarget'];
export const SUBGROUP_FIELDS = ['attribute', 'group', 'n', 'positives', 'prevalence', 'averagePrecision', 'rocAuc', 'atThreshold', 'topK', 'atPolicy', 'suppressed', 'small', 'disparity', 'disparityTopK', 'calibration', 'isReference', 'operating'];
export const ROW_FIELDS = ['topPct', 'threshold', 'nFlagged', 'tp', 'fp', 'fn', 'tn'];
export const GROUP_CALIBRATION_FIELDS = ['meanScore', 'outcomeRate', 'difference', 'observedToExpected'];
/** Disparity blocks and the operating point whose rates they compare. */
const DISPARITY_BLOCKS = [['disparity', 'atPolicy'], ['disparityTopK', 'topK']] as const;
/** The operating points of a result or group: `disparity` is at `atPolicy` from candour.bundle/2 on (a /1 bundle has none: its `disparity` is at `atThreshold`). */
const OP_NAMES = ['atThreshold', 'topK', 'atPolicy'] as const;
const OP_ENTRY = { atThreshold: 'at', topK: 'top', atPolicy: 'pol' } as const;
export const RESULT_FIELDS = ['model', 'features', 'metrics', 'atThreshold', 'topK', 'atPolicy', 'subgroups', 'verdict', 'curves', 'training'];
export const DATA_FIELDS = ['name', 'rows', 'positives', 'prevalence', 'fingerprint', 'columns', 'testRows', 'excluded', 'annexA'];
export const TOP_FIELDS = ['schema', 'tool', 'createdAt', 'data', 'task', 'preregistration', 'results', 'transparency', 'comparisons', 'sampleSize'];
/** `replicatesDefined` (a count of bootstrap replicates) is never published: it can be solved for the group's counts. */
export const DISPARITY_FIELDS = ['reference', 'difference', 'ratio', 'lo', 'hi', 'verdict', 'casesNeeded', 'differenceLo', 'differenceHi', 'method', 'tooFew'];
/** Each rate as published count / published count. */
export const RATE_CELLS: Record<string, [Kind, Kind]> = {
  precision: ['tp', 'flagged'], recall: ['tp', 'pos'], fnr: ['fn', 'pos'], fpr: ['fp', 'neg'],
  flaggedRate: ['flagged', 'n'], falseOmissionRate: ['fn', 'unflagged'],
};

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isEstimate = (x: unknown): x is Estimate => isObj(x) && 'value' in x && 'lo' in x && 'hi' in x;
const hasOwn = (obj: Record<string, unknown>, f: string) => Object.prototype.hasOwnProperty.call(obj, f);

interface Settings { threshold: number; maxPerturbation: number; rounding: number; rateDecimals: number; suppressZeros: boolean; grid: number[]; table: PTableRow[] }
interface GroupEntry { sg: SubgroupResult; at: TableKeys | null; top: TableKeys | null; pol: TableKeys | null; own: [string, string, string]; rows: Map<number, TableKeys> }
interface ModelEntry { r: ModelResult; at: TableKeys | null; top: TableKeys | null; pol: TableKeys | null; groups: GroupEntry[]; cal: { bin: CalibrationBin; n: string; pos: string }[]; rows: Map<number, TableKeys> }
interface OpEntry { op: OperatingPointResult; keys: TableKeys; group: GroupEntry | null; mi: number }

/** The state the phases share: the cells, the equations linking them, what was dropped. */
class Ledger {
  cells = new Map<string, Cell>();
  equations: string[][] = [];
  dropped: string[] = [];
  derived = 0;
  ops: OpEntry[] = [];
  rows: { row: Record<string, unknown>; keys: TableKeys }[] = [];
  models: ModelEntry[] = [];
  dataKeys!: { n: string; pos: string; neg: string };

  cell(key: string, raw: unknown, ref?: Ref, atoms?: string[], noise?: string, flagSet?: FlagSet): string {
    const value = isNum(raw) ? raw : NaN;
    let c = this.cells.get(key);
    if (!c) {
      // A count that is already null (withheld upstream) stays withheld.
      c = { key, value, status: Number.isNaN(value) ? 'primary' : 'ok', refs: [], order: this.cells.size };
      this.cells.set(key, c);
    }
    if (atoms && !c.atoms) c.atoms = atoms;
    if (noise && !c.noise) c.noise = noise;
    if (flagSet && !c.flagSet) c.flagSet = flagSet;
    if (ref) c.refs.push(ref);
    return key;
  }
  valueOf(key: string): number { return this.cells.get(key)!.value; }
  withheld(key: string | undefined): boolean { return key !== undefined && this.cells.get(key)!.status !== 'ok'; }
  /** The published value of a cell, null when withheld. */
  published(key: string | undefined): number | null {
    if (key === undefined) return null;
    const c = this.cells.get(key)!;
    return c.status === 'ok' && c.published !== undefined ? c.published : null;
  }
  sumMatches(total: string, parts: string[]): boolean {
    return parts.length > 0 && !Number.isNaN(this.valueOf(total)) && parts.every((p) => !Number.isNaN(this.valueOf(p))) && parts.reduce((a, p) => a + this.valueOf(p), 0) === this.valueOf(total);
  }
  mark(obj: Record<string, unknown>, field: string, reason: SuppressionReason): void {
    const w = (isObj(obj.withheld) ? obj.withheld : (obj.withheld = {})) as Record<string, SuppressionReason>;
    w[field] = reason;
  }
  withhold(obj: Record<string, unknown>, f: string): void {
    if (obj[f] === undefined) return;
    this.derived++;
    obj[f] = isEstimate(obj[f]) ? { value: null, lo: null, hi: null } : null;
    this.mark(obj, f, 'derived');
  }
}

/** A copy of `bundle` that is safe to share: see the rules at the top of this file. */
export function applyDisclosureControl(bundle: Bundle, opts: DisclosureOptions = {}): Bundle {
  const s = settingsOf(opts);
  const led = new Ledger();
  const out = keepFields(structuredClone(bundle) as unknown as Record<string, unknown>, TOP_FIELDS, '', led.dropped) as unknown as Bundle;
  // The cell keys are the local report's; never published, so never listed as dropped either.
  led.dropped.splice(led.dropped.indexOf('cellKeys') >>> 0, led.dropped.includes('cellKeys') ? 1 : 0);

  registerData(led, out);
  out.results = (Array.isArray(out.results) ? out.results : []).map((raw, mi) => registerModel(led, raw, mi));
  suppressAndPerturb(led, s, bundle);
  publishCounts(led);
  const tolerance = toleranceOf(bundle);
  publishRates(led, s);
  for (const m of led.models) publishModel(led, s, m, tolerance);
  publishDataRates(led, s, out);

  const counts = countSummary(led);
  const keys = keyedBy(bundle);
  const record: DisclosureRecord = {
    threshold: s.threshold, rounding: s.rounding, rateDecimals: s.rateDecimals, suppressZeros: s.suppressZeros,
    suppressedCells: counts.primary + counts.secondary, primaryCells: counts.primary, secondaryCells: counts.secondary, derivedValues: led.derived,
    curveGrid: s.grid, dropped: led.dropped,
    rules: disclosureRules(s.threshold, s.rounding, s.rateDecimals, s.suppressZeros, s.maxPerturbation, keys),
    perturbation: { method: 'cell key (ONS 2021 Census)', ptable: PTABLE_NAME, maxPerturbation: s.maxPerturbation, table: s.table, recordKeys: keys !== 'report', keyedBy: keys },
  };
  const count = countOfPublished(led, s, bundle);
  discloseRunExtras(out as unknown as Record<string, unknown>, bundle as unknown as Record<string, unknown>, { threshold: s.threshold, rounding: s.rounding, rateDecimals: s.rateDecimals, count });
  out.disclosure = record;
  return out;
}

function settingsOf(opts: DisclosureOptions): Settings {
  const threshold = opts.threshold ?? 10;
  const maxPerturbation = Math.max(0, Math.floor(opts.maxPerturbation ?? DEFAULT_MAX_PERTURBATION));
  const rounding = Math.max(1, Math.round(opts.rounding ?? (maxPerturbation > 0 ? 1 : 5)));
  const rateDecimals = opts.rateDecimals ?? 3;
  if (!(threshold >= 0) || !(rateDecimals >= 0)) throw new RangeError(`invalid disclosure options: threshold ${threshold}, rateDecimals ${rateDecimals}`);
  return { threshold, maxPerturbation, rounding, rateDecimals, suppressZeros: opts.suppressZeros ?? true, grid: opts.curveGrid ?? DEFAULT_CURVE_GRID, table: ptable(maxPerturbation) };
}

/** What the noise follows (cell-key.ts): the records, keyed by a council key or by the data alone, or (a report without cell keys) the report. */
function keyedBy(bundle: Bundle): NoiseKeys {
  if (!isObj(bundle.cellKeys)) return 'report';
  return (bundle.cellKeys as CellKeys)[COUNCIL_KEYED] === 1 ? 'council key' : 'data';
}

function toleranceOf(bundle: Bundle): Tolerance {
  const t = isObj(bundle.task) && isObj(bundle.task.fairness) ? (bundle.task.fairness as Record<string, unknown>).tolerance : undefined;
  return isObj(t) && isNum(t.lower) && isNum(t.upper) ? { lower: t.lower, upper: t.upper } : DEFAULT_TOLERANCE;
}

// ------------------------------------------------------------------ phase 1: register cells

function registerData(led: Ledger, out: Bundle): void {
  const data = keepFields(out.data as unknown as Record<string, unknown>, DATA_FIELDS, 'data', led.dropped) as unknown as Bundle['data'];
  const dataObj = data as unknown as Record<string, unknown>;
  out.data = data;
  if (Array.isArray(data.columns)) data.columns = data.columns.map((c) => ({ name: c.name, role: c.role, type: c.type }));
  const n = isNum(data.rows) ? data.rows : NaN, pos = isNum(data.positives) ? data.positives : NaN;
  led.dataKeys = {
    n: led.cell(`all|n|${n}`, data.rows, { obj: dataObj, field: 'rows' }, ['data|pos', 'data|neg']),
    pos: led.cell(`all|pos|${pos}`, data.positives, { obj: dataObj, field: 'positives' }, ['data|pos']),
    neg: led.cell(`all|neg|${n - pos}`, n - pos, undefined, ['data|neg']),
  };
  led.equations.push([led.dataKeys.n, led.dataKeys.pos, led.dataKeys.neg]);
}

/**
 * Registers one confusion table of model `mi`, table `name`, population `pop` ('*' or a group
 * id). Cells are named by population and value, so nested cuts with equal counts share cells.
 */
function registerTable(led: Ledger, op: OperatingPointResult, mi: number, name: string, pop: string, shared: Shared): TableKeys {
  const o = op as unknown as Record<string, unknown>;
  const v = (f: string) => (isNum(o[f]) ? (o[f] as number) : NaN);
  const [tp, fp, fn, tn] = [v('tp'), v('fp'), v('fn'), v('tn')];
  const atom = (k: string) => cellName(mi, name, pop, k);
  const at = { tp: [atom('tp')], fp: [atom('fp')], fn: [atom('fn')], tn: [atom('tn')] };
  // Cells are per table (what is withheld where); their noise is per set of children: within one
  // model and population the cuts are nested, so equal counts are the same children.
  const id = (kind: string) => `m${mi}|${name}|${pop}|${kind}`;
  // A cell's noise also follows the set of children its table flags (the `set` cell key): two cuts
  // that flag the same children (thresholds between the same scores) share their noise, so their
  // releases cannot be averaged; two a child apart get fresh noise in every cell of the table, so
  // the cell that child moved out of cannot be seen. A report without cell keys keys a table at a
  // chosen threshold by that threshold instead.
  const flagSet = { atom: atom('set'), fallback: name === 'atThreshold' && isNum(o.threshold) ? `@${o.threshold}` : '' };
  const noise = (kind: string, v: number, complement: number, margin: string): [string, FlagSet?] => (complement === 0 ? [margin] : [`m${mi}|${pop}|${kind}|${v}`, flagSet]);
  const pos = shared('pos', tp + fn, [...at.tp, ...at.fn]);
  const neg = shared('neg', fp + tn, [...at.fp, ...at.tn]);
  const n = shared('n', tp + fp + fn + tn, [...at.tp, ...at.fp, ...at.fn, ...at.tn]);
  const keys: TableKeys = {
    tp: led.cell(id('tp'), o.tp, { obj: o, field: 'tp' }, at.tp, ...noise('tp', tp, fn, pos)),
    fp: led.cell(id('fp'), o.fp, { obj: o, field: 'fp' }, at.fp, ...noise('fp', fp, tn, neg)),
    fn: led.cell(id('fn'), o.fn, { obj: o, field: 'fn' }, at.fn, ...noise('fn', fn, tp, pos)),
    tn: led.cell(id('tn'), o.tn, { obj: o, field: 'tn' }, at.tn, ...noise('tn', tn, fp, neg)),
    flagged: led.cell(id('flagged'), isNum(o.nFlagged) ? o.nFlagged : tp + fp, { obj: o, field: 'nFlagged' }, [...at.tp, ...at.fp], ...noise('flagged', tp + fp, fn + tn, n)),
    unflagged: led.cell(id('unflagged'), fn + tn, undefined, [...at.fn, ...at.tn], ...noise('unflagged', fn + tn, tp + fp, n)),
    pos, neg, n,
  };
  led.equations.push([keys.flagged, keys.tp, keys.fp], [keys.unflagged, keys.fn, keys.tn], [keys.pos, keys.tp, keys.fn],
    [keys.neg, keys.fp, keys.tn], [keys.n, keys.flagged, keys.unflagged], [keys.n, keys.pos, keys.neg]);
  return keys;
}

/** The operating table cut to OPERATING_GRID rows, each registered as a confusion table. */
function registerRows(led: Ledger, rows: unknown, mi: number, pop: string, shared: Shared, path: string): { rows: Record<string, unknown>[]; keys: Map<number, TableKeys> } {
  const keys = new Map<number, TableKeys>();
  const kept: Record<string, unknown>[] = [];
  if (!Array.isArray(rows)) return { rows: kept, keys };
  for (const raw of rows) {
    if (!isObj(raw) || !isNum(raw.topPct) || !OPERATING_GRID.includes(raw.topPct)) continue;
    const row = keepFields(raw, ROW_FIELDS, `${path}.operating`, led.dropped);
    const k = registerTable(led, row as unknown as OperatingPointResult, mi, `row${raw.topPct}`, pop, shared);
    // At the top 100% everyone is flagged by definition: zeros there say nothing about anyone.
    if (raw.topPct === 100) for (const z of [k.fn, k.tn, k.unflagged]) if (led.cells.get(z)!.value === 0) led.cells.get(z)!.structural = true;
    keys.set(raw.topPct, k);
    led.rows.push({ row, keys: k });
    kept.push(row);
  }
  return { rows: kept, keys };
}

function registerModel(led: Ledger, raw: ModelResult, mi: number): ModelResult {
  const r = keepFields(raw as unknown as Record<string, unknown>, RESULT_FIELDS, `results[${mi}]`, led.dropped) as unknown as ModelResult;
  const entry: ModelEntry = { r, at: null, top: null, pol: null, groups: [], cal: [], rows: new Map() };
  const overall: Shared = (k, v, atoms) => led.cell(`all|${k}|${v}`, v, undefined, atoms);
  for (const opName of OP_NAMES) {
    if (!isObj(r[opName])) continue;
    r[opName] = keepFields(r[opName] as unknown as Record<string, unknown>, OP_FIELDS, `results[${mi}].${opName}`, led.dropped) as never;
    const keys = registerTable(led, r[opName]!, mi, opName, '*', overall);
    entry[OP_ENTRY[opName]] = keys;
    led.ops.push({ op: r[opName]!, keys, group: null, mi });
  }
  r.subgroups = (Array.isArray(r.subgroups) ? r.subgroups : []).map((sgRaw, gi) => registerGroup(led, entry, sgRaw, mi, gi));
  if (isObj(r.curves) && (r.curves as CurveSet).operating !== undefined) {
    const curves = r.curves as CurveSet;
    const { rows, keys } = registerRows(led, curves.operating, mi, '*', overall, `results[${mi}].curves`);
    curves.operating = rows as never;
    entry.rows = keys;
  }
  linkGroups(led, entry);
  registerCalibration(led, entry, mi);
  led.models.push(entry);
  return r;
}

function registerGroup(led: Ledger, entry: ModelEntry, sgRaw: SubgroupResult, mi: number, gi: number): SubgroupResult {
  const path = `results[${mi}].subgroups[${gi}]`;
  const sg = keepFields(sgRaw as unknown as Record<string, unknown>, SUBGROUP_FIELDS, path, led.dropped) as unknown as SubgroupResult;
  const id = groupId(sg.attribute, sg.group);
  const shared: Shared = (k, v, atoms) => led.cell(`g|${id}|${k}|${v}`, v, undefined, atoms);
  const sgo = sg as unknown as Record<string, unknown>;
  const n0 = isNum(sg.n) ? sg.n : NaN, p0 = isNum(sg.positives) ? sg.positives : NaN;
  const own: [string, string, string] = [
    led.cell(`g|${id}|n|${n0}`, sg.n, { obj: sgo, field: 'n' }),
    led.cell(`g|${id}|pos|${p0}`, sg.positives, { obj: sgo, field: 'positives' }),
    led.cell(`g|${id}|neg|${n0 - p0}`, n0 - p0),
  ];
  led.equations.push(own);
  const g: GroupEntry = { sg, at: null, top: null, pol: null, own, rows: new Map() };
  for (const opName of OP_NAMES) {
    if (!isObj(sg[opName])) continue;
    sg[opName] = keepFields(sg[opName] as unknown as Record<string, unknown>, OP_FIELDS, `${path}.${opName}`, led.dropped) as never;
    const keys = registerTable(led, sg[opName]!, mi, opName, id, shared);
    g[OP_ENTRY[opName]] = keys;
    led.ops.push({ op: sg[opName]!, keys, group: g, mi });
  }
  for (const [block] of DISPARITY_BLOCKS) {
    if (isObj(sgo[block])) {
      const ds = sgo[block] as Record<string, unknown>;
      for (const [m, d] of Object.entries(ds)) if (isObj(d)) ds[m] = keepFields(d, DISPARITY_FIELDS, `${path}.${block}.${m}`, led.dropped);
    } else if (block === 'disparity') sg.disparity = {};
  }
  if (isObj(sgo.calibration)) keepFields(sgo.calibration, GROUP_CALIBRATION_FIELDS, `${path}.calibration`, led.dropped);
  if (sgo.operating !== undefined) {
    const { rows, keys } = registerRows(led, sgo.operating, mi, id, shared, path);
    sgo.operating = rows;
    g.rows = keys;
  }
  entry.groups.push(g);
  return sg;
}

/**
 * The table set's links: within an attribute the groups' cells sum to the population's, and an
 * intersection's groups ("a × b") sum to each parent attribute's group, whenever they actually
 * do in the data.
 */
function linkGroups(led: Ledger, entry: ModelEntry): void {
  const linked: [TableKeys | null, (g: GroupEntry) => TableKeys | null | undefined][] = [
    [entry.at, (g) => g.at], [entry.top, (g) => g.top], [entry.pol, (g) => g.pol],
    ...[...entry.rows].map(([pct, k]): [TableKeys, (g: GroupEntry) => TableKeys | undefined] => [k, (g) => g.rows.get(pct)]),
  ];
  const byAttr = new Map<string, GroupEntry[]>();
  for (const g of entry.groups) byAttr.set(g.sg.attribute, [...(byAttr.get(g.sg.attribute) ?? []), g]);
  const link = (whole: TableKeys, parts: TableKeys[]) => {
    for (const k of COUNT_KINDS) {
      const partKeys = parts.map((p) => p[k]);
      if (led.sumMatches(whole[k], partKeys)) led.equations.push([whole[k], ...partKeys]);
    }
  };
  for (const [whole, partOf] of linked) {
    for (const groups of byAttr.values()) {
      const parts = groups.map(partOf).filter((t): t is TableKeys => !!t);
      if (whole) link(whole, parts);
    }
  }
  // Own n / positives / negatives of the groups of one attribute sum to the data's.
  for (const groups of byAttr.values()) {
    for (let i = 0; i < 3; i++) {
      const total = [led.dataKeys.n, led.dataKeys.pos, led.dataKeys.neg][i];
      const parts = groups.map((g) => g.own[i]);
      if (led.sumMatches(total, parts)) led.equations.push([total, ...parts]);
    }
  }
  // Intersections: attribute "A × B", group "a × b" — for each a, the groups "a × *" sum to A = a.
  for (const [attr, groups] of byAttr) {
    const sides = attr.split(INTERSECTION_SEPARATOR);
    if (sides.length !== 2) continue;
    sides.forEach((parent, side) => {
      const parents = byAttr.get(parent);
      if (!parents) return;
      for (const p of parents) {
        const children = groups.filter((g) => g.sg.group.split(INTERSECTION_SEPARATOR)[side] === p.sg.group);
        if (children.length === 0) continue;
        for (let i = 0; i < 3; i++) {
          const parts = children.map((c) => c.own[i]);
          if (led.sumMatches(p.own[i], parts)) led.equations.push([p.own[i], ...parts]);
        }
        const tables: ((g: GroupEntry) => TableKeys | null | undefined)[] = [(g) => g.at, (g) => g.top, (g) => g.pol, ...[...p.rows.keys()].map((pct) => (g: GroupEntry) => g.rows.get(pct))];
        for (const partOf of tables) {
          const whole = partOf(p);
          const parts = children.map(partOf).filter((t): t is TableKeys => !!t);
          if (whole && parts.length === children.length) link(whole, parts);
        }
      }
    });
  }
}

/** Calibration bins are counts too; bins partition the population. */
function registerCalibration(led: Ledger, entry: ModelEntry, mi: number): void {
  const curves = entry.r.curves as CurveSet | undefined;
  if (!isObj(curves) || !Array.isArray(curves.calibration)) return;
  curves.calibration.forEach((bin, bi) => {
    keepFields(bin as unknown as Record<string, unknown>, ['lo', 'hi', 'n', 'positives', 'meanScore', 'observed'], `results[${mi}].curves.calibration[${bi}]`, led.dropped);
    const n = isNum(bin.n) ? bin.n : NaN, p = isNum(bin.positives) ? bin.positives : NaN;
    const b = bin as unknown as Record<string, unknown>;
    const pos = cellName(mi, `cal${bi}`, '*', 'pos'), neg = cellName(mi, `cal${bi}`, '*', 'neg');
    const nK = led.cell(`m${mi}|cal|${bi}|n`, bin.n, { obj: b, field: 'n' }, [pos, neg]);
    const pK = led.cell(`m${mi}|cal|${bi}|pos`, bin.positives, { obj: b, field: 'positives' }, [pos]);
    const negK = led.cell(`m${mi}|cal|${bi}|neg`, n - p, undefined, [neg]);
    led.equations.push([nK, pK, negK]);
    entry.cal.push({ bin, n: nK, pos: pK });
  });
  const whole = entry.at ?? entry.top;
  if (whole && entry.cal.length > 0) {
    for (const k of ['n', 'pos'] as const) {
      const parts = entry.cal.map((c) => c[k]);
      if (led.sumMatches(whole[k], parts)) led.equations.push([whole[k], ...parts]);
    }
  }
}

// ------------------------------------------------------------------ phase 2: suppress, perturb

/** Each cell's key: from the report's record-keyed cellKeys, else keyed by a hash of the whole report. */
function cellKeyFn(bundle: Bundle): (c: Cell) => number {
  const keys = isObj(bundle.cellKeys) ? (bundle.cellKeys as CellKeys) : null;
  let secret: Uint8Array | null = null;
  return (c) => {
    if (keys && isNum(keys[DATA_TAG]) && c.atoms && c.atoms.every((a) => isNum(keys[a])) && (!c.flagSet || isNum(keys[c.flagSet.atom]))) {
      // The records' key sum and the set its table flags, mixed with the data's tag: fresh noise
      // everywhere when the data change, the same noise whatever the run's settings.
      const sum = c.atoms.reduce((s, a) => s + keys[a], 0) % 256;
      const set = c.flagSet ? `|set${keys[c.flagSet.atom]}` : '';
      return sha256Bytes(`${keys[DATA_TAG]}|${c.noise ?? c.key}${set}|${sum}`)[0];
    }
    secret ??= sha256Bytes(canonicalJson(bundle));
    return fallbackCellKey(secret, `${c.noise ?? c.key}${c.flagSet?.fallback ?? ''}`);
  };
}

function suppressAndPerturb(led: Ledger, s: Settings, bundle: Bundle): void {
  const keyOf = cellKeyFn(bundle);
  for (const c of led.cells.values()) {
    if (c.status !== 'ok') continue;
    if (c.value === 0 && (c.structural || !s.suppressZeros)) { c.published = 0; continue; }
    if (c.value < s.threshold) { c.status = 'primary'; continue; }
    const v = s.maxPerturbation > 0 ? c.value + perturbationOf(keyOf(c), s.table) : c.value;
    // A perturbed value below the threshold would read as a small count: withheld like one.
    if (v < s.threshold) c.status = 'primary';
    else c.published = Math.max(s.threshold, Math.round(v / s.rounding) * s.rounding);
  }
  secondarySuppression(led);
}

/**
 * While some linked set has exactly one withheld cell, withhold the smallest other published
 * cell of it (population totals last: every headline number depends on them).
 */
function secondarySuppression(led: Ledger): void {
  const sets = led.equations.map((eq) => [...new Set(eq)].map((k) => led.cells.get(k)!));
  const setsOf = new Map<Cell, number[]>();
  sets.forEach((members, i) => members.forEach((c) => {
    const list = setsOf.get(c);
    if (list) list.push(i); else setsOf.set(c, [i]);
  }));
  // Table cells first, a group's own size, positives and negatives next, population totals last:
  // the fewer headline numbers depend on a cell, the cheaper it is to withhold.
  const rank = (c: Cell) => (c.key.startsWith('all|') ? 2 : c.key.startsWith('g|') ? 1 : 0);
  const queue = sets.map((_, i) => i);
  while (queue.length > 0) {
    const members = sets[queue.pop()!];
    if (members.filter((c) => c.status !== 'ok').length !== 1) continue;
    const open = members.filter((c) => c.status === 'ok' && !c.structural).sort((a, b) => rank(a) - rank(b) || a.value - b.value || a.order - b.order);
    if (open.length === 0) continue;
    open[0].status = 'secondary';
    queue.push(...(setsOf.get(open[0]) ?? []));
  }
}

function publishCounts(led: Ledger): void {
  for (const c of led.cells.values()) {
    for (const ref of c.refs) {
      if (c.status === 'ok') ref.obj[ref.field] = c.published ?? null;
      else {
        ref.obj[ref.field] = null;
        // A count withheld upstream keeps its recorded reason.
        if (!(isObj(ref.obj.withheld) && hasOwn(ref.obj.withheld, ref.field))) led.mark(ref.obj, ref.field, c.status);
      }
    }
  }
}

function countSummary(led: Ledger): { primary: number; secondary: number } {
  let primary = 0, secondary = 0;
  for (const c of led.cells.values()) {
    if (c.status === 'primary') primary += c.refs.length;
    if (c.status === 'secondary') secondary += c.refs.length;
  }
  return { primary, secondary };
}

// ------------------------------------------------------------------ phase 3: rates from counts

const roundTo = (x: unknown, d: number): number | null => (isNum(x) ? Number(x.toFixed(d)) : null);
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** a / b from published counts, null when either is withheld or b is 0. */
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : clamp01(a / b));
/** An interval moved by the shift of its point estimate, rounded outward to COARSE_DECIMALS. */
function movedInterval(e: Estimate | undefined, exact: number | null, published: number | null, unit = true): Estimate {
  if (!e || published === null || exact === null || !isNum(e.lo) || !isNum(e.hi)) return { value: published, lo: null, hi: null };
  const f = 10 ** COARSE_DECIMALS;
  const shift = published - exact;
  const lo = Math.floor((e.lo + shift) * f + 1e-9) / f, hi = Math.ceil((e.hi + shift) * f - 1e-9) / f;
  return { value: published, lo: unit ? clamp01(lo) : lo, hi: unit ? clamp01(hi) : hi };
}

/** An interval's method and too-few flag: words about how it was made, not numbers. */
const labelsOf = (e: Estimate): Partial<Estimate> => ({ ...(e.method ? { method: e.method } : {}), ...(e.tooFew !== undefined ? { tooFew: e.tooFew } : {}) });

/** A group passes the threshold when its n, positives and negatives are all published. */
const groupPasses = (led: Ledger, g: GroupEntry | null) => g === null || g.own.every((k) => !led.withheld(k));

function publishRates(led: Ledger, s: Settings): void {
  for (const { op, keys, group, mi } of led.ops) {
    const o = op as unknown as Record<string, unknown>;
    const intervals = isObj(o.intervals) ? (o.intervals as Record<string, Estimate>) : undefined;
    const passes = groupPasses(led, group);
    for (const [rate, [num, den]] of Object.entries(RATE_CELLS)) {
      const exact = isNum(o[rate]) ? (o[rate] as number) : null;
      const value = ratio(led.published(keys[num]), led.published(keys[den]));
      if (led.withheld(keys[num]) || led.withheld(keys[den])) {
        led.withhold(o, rate);
        if (intervals && intervals[rate]) { intervals[rate] = { value: null, lo: null, hi: null }; led.derived++; }
        continue;
      }
      if (rate in o) o[rate] = roundTo(value, s.rateDecimals);
      if (intervals && isEstimate(intervals[rate])) {
        const moved = movedInterval(intervals[rate], exact, value);
        intervals[rate] = { ...labelsOf(intervals[rate]), value: roundTo(value, s.rateDecimals), lo: passes ? moved.lo : null, hi: passes ? moved.hi : null };
      }
    }
    if ('nTarget' in o) {
      // n_target is the whole population's (a group's top-K table carries the global policy's).
      const pctOf = isNum(o.topPct) ? o.topPct : 10;
      const whole = led.models[mi].top ?? led.models[mi].at;
      const n = led.published(whole?.n);
      if (n === null) led.withhold(o, 'nTarget');
      else o.nTarget = topKTarget(n, pctOf);
      // The top-K threshold is one case's score; keep it only coarsely.
      if (isNum(o.threshold)) o.threshold = roundTo(o.threshold, s.rateDecimals);
    }
    if (isObj(o.withheld) && Object.keys(o.withheld).length > 0) o.suppressed = true;
  }
  // The cut of a top-K row is one case's score; keep it only coarsely. Rows carry counts only.
  for (const { row } of led.rows) {
    if (isNum(row.threshold)) row.threshold = roundTo(row.threshold, s.rateDecimals);
    if (isObj(row.withheld)) row.suppressed = true;
  }
}

function publishModel(led: Ledger, s: Settings, m: ModelEntry, tolerance: Tolerance): void {
  const r = m.r as unknown as Record<string, unknown>;
  const whole = m.at ?? m.top;
  const popGone = whole ? led.withheld(whole.pos) || led.withheld(whole.neg) : led.withheld(led.dataKeys.pos) || led.withheld(led.dataKeys.neg);
  const round = (x: unknown) => roundTo(x, s.rateDecimals);
  if (isObj(r.metrics)) {
    const metrics = r.metrics as Record<string, unknown>;
    for (const [k, v] of Object.entries(metrics)) {
      if (!(isEstimate(v) || isNum(v) || v === null)) { delete metrics[k]; led.dropped.push(`results[${led.models.indexOf(m)}].metrics.${k}`); continue; }
      if (popGone) {
        led.derived++;
        metrics[k] = isEstimate(v) ? { value: null, lo: null, hi: null } : null;
        led.mark(r, `metrics.${k}`, 'derived');
      } else if (k === 'prevalence') metrics[k] = round(ratio(led.published(whole?.pos ?? led.dataKeys.pos), led.published(whole?.n ?? led.dataKeys.n)));
      else if (isEstimate(v)) { v.value = round(v.value); v.lo = round(v.lo); v.hi = round(v.hi); }
      else metrics[k] = round(v);
    }
  }
  publishGroups(led, s, m, tolerance);
  if (isObj(r.curves)) {
    const { curves, withheld: n } = gridCurves(r.curves as CurveSet, s.grid, popGone, round);
    if ((r.curves as CurveSet).operating !== undefined) curves.operating = (r.curves as CurveSet).operating;
    led.derived += n;
    for (const c of m.cal) {
      const bin = c.bin as unknown as Record<string, unknown>;
      if (led.withheld(c.n) || led.withheld(c.pos)) { led.withhold(bin, 'observed'); led.withhold(bin, 'meanScore'); }
      else { bin.observed = round(ratio(led.published(c.pos), led.published(c.n))); bin.meanScore = roundTo(bin.meanScore, COARSE_DECIMALS); }
      bin.lo = round(bin.lo); bin.hi = round(bin.hi);
    }
    r.curves = curves;
  }
}

/** Per group: withheld whole, or its rates from published counts; then disparities between published rates. */
function publishGroups(led: Ledger, s: Settings, m: ModelEntry, tolerance: Tolerance): void {
  const round = (x: unknown) => roundTo(x, s.rateDecimals);
  const coarse = (e: unknown) => {
    if (!isEstimate(e)) return e;
    const f = 10 ** COARSE_DECIMALS;
    return { ...labelsOf(e), value: roundTo(e.value, COARSE_DECIMALS), lo: isNum(e.lo) ? Math.floor(e.lo * f + 1e-9) / f : null, hi: isNum(e.hi) ? Math.ceil(e.hi * f - 1e-9) / f : null };
  };
  /** Published rates of the group before rounding (for disparities), by block and metric. */
  const exactRates = new Map<SubgroupResult, Record<string, number | null>>();
  for (const g of m.groups) {
    const sg = g.sg as unknown as Record<string, unknown>;
    if (!groupPasses(led, g)) {
      withholdGroup(led, g);
      continue;
    }
    const rates: Record<string, number | null> = {};
    for (const [block, opName] of DISPARITY_BLOCKS) {
      const keys = opName === 'atPolicy' ? (g.pol ?? g.at) : g.top;
      if (!keys) continue;
      for (const [rate, [num, den]] of Object.entries(RATE_CELLS)) rates[`${block}.${rate}`] = led.withheld(keys[num]) || led.withheld(keys[den]) ? null : ratio(led.published(keys[num]), led.published(keys[den]));
    }
    const prevalence = ratio(led.published(g.own[1]), led.published(g.own[0]));
    rates.averagePrecision = isEstimate(sg.averagePrecision) ? sg.averagePrecision.value : null;
    exactRates.set(g.sg, rates);
    if ('prevalence' in sg) sg.prevalence = round(prevalence);
    for (const f of ['averagePrecision', 'rocAuc']) if (f in sg) sg[f] = isEstimate(sg[f]) ? coarse(sg[f]) : roundTo(sg[f], COARSE_DECIMALS);
    if (isObj(sg.calibration)) {
      const cal = sg.calibration as Record<string, unknown>;
      const mean = roundTo(cal.meanScore, COARSE_DECIMALS);
      cal.meanScore = mean;
      cal.outcomeRate = round(prevalence);
      cal.difference = mean === null || prevalence === null ? null : round(mean - prevalence);
      cal.observedToExpected = mean === null || prevalence === null || mean === 0 ? null : round(prevalence / mean);
    }
  }
  for (const g of m.groups) {
    const mine = exactRates.get(g.sg);
    if (!mine) continue;
    const sg = g.sg as unknown as Record<string, unknown>;
    for (const [block] of DISPARITY_BLOCKS) {
      if (!isObj(sg[block])) continue;
      for (const [metric, dv] of Object.entries(sg[block] as Record<string, unknown>)) {
        if (!isObj(dv)) continue;
        const d = dv as Record<string, unknown>;
        const ref = m.groups.find((h) => h.sg.attribute === g.sg.attribute && h.sg.group === d.reference);
        const theirs = ref ? exactRates.get(ref.sg) : undefined;
        const key = metric === 'averagePrecision' ? 'averagePrecision' : `${block}.${metric}`;
        const a = mine[key] ?? null, b = theirs?.[key] ?? null;
        if (a === null || b === null) {
          led.derived++;
          for (const f of ['difference', 'ratio', 'lo', 'hi', 'verdict', 'casesNeeded', 'differenceLo', 'differenceHi']) if (f in d || f === 'verdict') d[f] = null;
          led.mark(sg, `${block}.${metric}`, 'derived');
          continue;
        }
        const ratioNow = b === 0 ? null : a / b;
        const diffNow = a - b;
        const rIv = ratioNow !== null && isNum(d.ratio) && d.ratio !== 0 && isNum(d.lo) && isNum(d.hi) ? { lo: d.lo * (ratioNow / d.ratio), hi: d.hi * (ratioNow / d.ratio) } : null;
        const dIv = movedInterval({ value: null, lo: d.differenceLo as number, hi: d.differenceHi as number }, isNum(d.difference) ? d.difference : null, diffNow, false);
        const out = coarse({ value: ratioNow, lo: rIv?.lo ?? null, hi: rIv?.hi ?? null }) as Estimate;
        d.difference = round(diffNow);
        d.ratio = round(ratioNow);
        d.lo = out.lo; d.hi = out.hi;
        if ('differenceLo' in d) { d.differenceLo = dIv.lo; d.differenceHi = dIv.hi; }
        if (d.verdict !== null && d.verdict !== undefined) d.verdict = d.tooFew === true ? 'inconclusive' : verdictFor(out.lo, out.hi, tolerance);
        // Below the minimums casesNeeded is about need / (count / n): with the published n it
        // gives back the exact count, so it goes with the count ("more cases would be needed").
        if (d.tooFew === true) d.casesNeeded = null;
        else if (isNum(d.casesNeeded)) d.casesNeeded = Math.ceil(d.casesNeeded / 10) * 10;
      }
    }
    const anyWithheld = (isObj(sg.withheld) && Object.keys(sg.withheld).length > 0) || !!g.sg.atThreshold?.suppressed || !!g.sg.topK?.suppressed || !!g.sg.atPolicy?.suppressed;
    g.sg.suppressed = !!g.sg.suppressed || anyWithheld;
  }
}

/** A group withheld whole: its attribute, its label and why; every other field removed. */
function withholdGroup(led: Ledger, g: GroupEntry): void {
  const sg = g.sg as unknown as Record<string, unknown>;
  const reason: SuppressionReason = g.own.some((k) => led.cells.get(k)!.status === 'primary') ? 'primary' : 'secondary';
  for (const k of Object.keys(sg)) if (k !== 'attribute' && k !== 'group') delete sg[k];
  sg.suppressed = true;
  sg.withheld = { group: reason };
  led.derived++;
}

function publishDataRates(led: Ledger, s: Settings, out: Bundle): void {
  const d = out.data as unknown as Record<string, unknown>;
  if (!(isNum(d.prevalence) || d.prevalence === null)) return;
  if (led.withheld(led.dataKeys.pos) || led.withheld(led.dataKeys.n)) led.withhold(d, 'prevalence');
  else d.prevalence = roundTo(ratio(led.published(led.dataKeys.pos), led.published(led.dataKeys.n)), s.rateDecimals);
}

/** Counts outside the tables (test rows, exclusions, split sizes): the same rules, keyed by their path. */
function countOfPublished(led: Ledger, s: Settings, bundle: Bundle): (path: string, value: unknown) => number | null {
  const keyOf = cellKeyFn(bundle);
  return (path, value) => {
    if (!isNum(value)) return null;
    // The test rows are the models' population: the same cell, so the same published value.
    const same = led.cells.get(`all|n|${value}`);
    if (path === 'data.testRows' && same) return led.published(same.key);
    if (value === 0 && !s.suppressZeros) return 0;
    if (value < s.threshold) return null;
    const c: Cell = { key: `extra|${path}|${value}`, value, status: 'ok', refs: [], order: -1 };
    const v = s.maxPerturbation > 0 ? value + perturbationOf(keyOf(c), s.table) : value;
    return v < s.threshold ? null : Math.max(s.threshold, Math.round(v / s.rounding) * s.rounding);
  };
}

/** The object with only `allowed` keys (and `withheld`); others removed and listed in `dropped`. */
function keepFields(obj: Record<string, unknown>, allowed: string[], path: string, dropped: string[]): Record<string, unknown> {
  if (!isObj(obj)) return obj;
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k) && k !== 'withheld') {
      delete obj[k];
      dropped.push(path ? `${path}.${k}` : k);
    }
  }
  return obj;
}

/** Curves summarised at grid points; everything withheld when the population's counts are. */
function gridCurves(c: CurveSet, grid: number[], gone: boolean, round: (x: unknown) => number | null): { curves: CurveSet; withheld: number } {
  const out: CurveSet = { grid: true };
  let withheld = 0;
  const eps = 1e-12;
  if (Array.isArray(c.pr)) {
    const pts = c.pr.filter((p) => isNum(p.recall) && isNum(p.precision));
    out.pr = grid.map((r): PrPoint => {
      if (gone) { withheld++; return { recall: r, precision: null }; }
      let best: number | null = null;
      for (const p of pts) if (p.recall >= r - eps && (best === null || (p.precision as number) > best)) best = p.precision as number;
      return { recall: r, precision: round(best) };
    });
  }
  if (Array.isArray(c.roc)) {
    const pts = c.roc.filter((p) => isNum(p.fpr) && isNum(p.tpr));
    out.roc = [0, ...grid].map((f): RocPoint => {
      if (gone) { withheld++; return { fpr: f, tpr: null }; }
      let best: number | null = null;
      for (const p of pts) if (p.fpr <= f + eps && (best === null || (p.tpr as number) > best)) best = p.tpr as number;
      return { fpr: f, tpr: round(best) };
    });
  }
  // The same bin objects: their counts and rates are handled as cells by the caller.
  if (Array.isArray(c.calibration)) out.calibration = c.calibration;
  return { curves: out, withheld };
}

/** The rules in words, stored in the bundle for its readers. */
export function disclosureRules(threshold: number, rounding: number, rateDecimals: number, suppressZeros: boolean, maxPerturbation = 0, keys: NoiseKeys = 'report'): string[] {
  // What the noise follows depends on how the run keyed it (cell-key.ts).
  const sameNoise = {
    'council key': 'the noise follows the children in each count and the data as a whole, keyed by the council\'s key, so the same data always give the same noise in every run and export, whatever the settings, and nobody without that key can work it out',
    data: 'the noise follows the children in each count and the data as a whole (it was made without a council key, so anyone holding the whole data set could work the noise out), so the same data always give the same noise in every run and export, whatever the settings',
    report: 'the noise follows this report alone (it was made without cell keys), so a re-run of the same data gets fresh noise and repeated exports could be averaged',
  }[keys];
  return [
    `Counts below ${threshold}${suppressZeros ? ' (including zero, unless nobody could be in the cell)' : ' (zero excepted)'} are withheld (primary suppression).`,
    'Where a withheld count could be worked out from totals (within a table, across the groups of one attribute, or between an intersection and its parent groups), another count is withheld too (secondary suppression).',
    maxPerturbation > 0
      ? `Every other count has a small amount of noise added (between -${maxPerturbation} and +${maxPerturbation}, the cell key method): ${sameNoise}; a count that would then fall below ${threshold} is withheld. Counts need not add up.`
      : 'No noise is added to counts.',
    rounding > 1 ? `Counts are rounded to the nearest ${rounding}.` : 'Counts are not rounded.',
    `Rates are worked out from the published counts and shown to ${rateDecimals} decimal places; any that needs a withheld count is withheld. Intervals are shown to ${COARSE_DECIMALS} decimal places, moved with their rate, and only for groups large enough to publish.`,
    'A group whose size, positives or negatives is withheld is withheld whole: only its name and the reason are shown.',
    'Curves are shown only at fixed grid points (recall or false positive rate 0.05, 0.10, ... 1), without score thresholds.',
    'The table of counts by share flagged is kept only at the top 5%, 10%, ... 100%, each row under the same rules, with its score cut to 3 decimals.',
    'No row, identifier, date of a single case or free text is included.',
  ];
}
