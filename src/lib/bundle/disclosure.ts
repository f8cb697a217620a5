/**
 * Statistical disclosure control for shareable bundles: aggregates only, small counts
 * suppressed, the rest rounded, nothing recoverable from totals, curves coarsened.
 *
 * The rules (also written into `bundle.disclosure.rules` and docs/bundle-schema.md):
 *
 * 1. Cells. Every count is a cell: per model, operating point and group the confusion counts
 *    tp, fp, fn, tn and their margins flagged (= nFlagged), not flagged, positives, negatives, n;
 *    the same at the whole-population level; calibration-bin counts. Margins that are not
 *    published (negatives, not flagged) are still cells, because a reader can compute them.
 *    A subgroup's n and positives are one cell across models and operating points (same cases).
 * 2. Primary suppression: a cell below `threshold` (default 10) is withheld; zero counts too
 *    unless `suppressZeros: false` (a zero can be as telling as a one: "every child in this group
 *    was flagged").
 * 3. Linked sets: within a table (tp+fp = flagged, fn+tn = not flagged, tp+fn = positives,
 *    fp+tn = negatives, flagged+not flagged = positives+negatives = n), and across the groups of
 *    one attribute (the groups' cells sum to the population's cell, whenever they actually do in
 *    the data). Secondary suppression: while some linked set has exactly one withheld cell,
 *    withhold the smallest other cell of that set (ties: first in a fixed order). This is the
 *    usual heuristic; it makes every single equation unsolvable, not every combination of them.
 * 4. Published counts that are not withheld are rounded to the nearest multiple of `rounding`
 *    (default 5), so rounded counts need not add up.
 * 5. Rates are never recomputed from rounded counts: a rate or its interval is the value computed
 *    on the unrounded data, kept when none of the cells it is computed from is withheld and
 *    withheld ('derived') otherwise, then rounded to `rateDecimals` (default 3) places.
 *    precision: tp, fp; recall and FNR: tp, fn; FPR: fp, tn; flagged rate: flagged, n;
 *    false omission rate: fn, tn. Prevalence, average precision, ROC AUC, Brier and other model
 *    metrics: positives and negatives. A disparity: the rate in the group and in the reference.
 *    The top-K score threshold (a case's score) is rounded to `rateDecimals` too.
 * 6. Curves are replaced by values at fixed grid points (`curveGrid`, default 0.05..1 step 0.05):
 *    PR as the best precision at recall >= r, ROC as the best TPR at FPR <= f, without score
 *    thresholds; calibration bins are cells (n, positives) under rules 2-5.
 * 6b. The operating table (`curves.operating`, `subgroup.operating`: counts at the top 1..100%)
 *    keeps only the rows at OPERATING_GRID (5%, 10%, ..., 100%); every kept row is a confusion
 *    table under rules 1-5, linked across groups like the others. Nested tables can still be
 *    differenced (row 10% minus row 5%); rounding blurs that, suppression does not cover it.
 * 7. Fields that are not part of the schema are left out and listed in `disclosure.dropped`, so
 *    nothing unknown (a row, an ID, a note) can ride along; `task`, `tool`, `preregistration`
 *    and `transparency` are configuration written by the analyst and kept as they are.
 */
import { discloseRunExtras } from './disclosure-run.ts';
import type {
  Bundle, CalibrationBin, CurveSet, DisclosureRecord, Estimate, ModelResult, OperatingPointResult, PrPoint, RocPoint,
  SubgroupResult, SuppressionReason, TopKResult,
} from './schema.ts';

export interface DisclosureOptions {
  /** Counts below this are suppressed. Default 10. */
  threshold?: number;
  /** Other counts are rounded to the nearest multiple of this. Default 5 (1 = no rounding). */
  rounding?: number;
  /** Rates and bounds are rounded to this many decimals. Default 3. */
  rateDecimals?: number;
  /** Treat zero counts as small. Default true. */
  suppressZeros?: boolean;
  /** Recall / FPR grid for curve summaries. Default 0.05, 0.10, ..., 1. */
  curveGrid?: number[];
}

export const DEFAULT_CURVE_GRID: number[] = Array.from({ length: 20 }, (_, i) => Math.round((i + 1) * 5) / 100);

type Status = 'ok' | 'primary' | 'secondary';
interface Ref { obj: Record<string, unknown>; field: string }
interface Cell { key: string; value: number; status: Status; refs: Ref[]; order: number; structural?: boolean }

const COUNT_KINDS = ['tp', 'fp', 'fn', 'tn', 'flagged', 'unflagged', 'pos', 'neg', 'n'] as const;
type Kind = (typeof COUNT_KINDS)[number];
type TableKeys = Record<Kind, string>;

const OP_FIELDS = ['threshold', 'nFlagged', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'fpr', 'fnr', 'flaggedRate', 'falseOmissionRate', 'intervals', 'topPct', 'nTarget'];
const SUBGROUP_FIELDS = ['attribute', 'group', 'n', 'positives', 'prevalence', 'averagePrecision', 'rocAuc', 'atThreshold', 'topK', 'suppressed', 'small', 'disparity', 'disparityTopK', 'calibration', 'isReference', 'operating'];
const ROW_FIELDS = ['topPct', 'threshold', 'nFlagged', 'tp', 'fp', 'fn', 'tn'];
const GROUP_CALIBRATION_FIELDS = ['meanScore', 'outcomeRate', 'difference', 'observedToExpected'];
/** Disparity blocks and the operating point whose rates they compare. */
const DISPARITY_BLOCKS = [['disparity', 'atThreshold'], ['disparityTopK', 'topK']] as const;
/** Rows of the operating table kept in a shareable bundle: top 5%, 10%, ..., 100%. */
export const OPERATING_GRID: number[] = Array.from({ length: 20 }, (_, i) => (i + 1) * 5);
const RESULT_FIELDS = ['model', 'features', 'metrics', 'atThreshold', 'topK', 'subgroups', 'verdict', 'curves', 'training'];
const DATA_FIELDS = ['name', 'rows', 'positives', 'prevalence', 'fingerprint', 'columns', 'testRows', 'excluded', 'annexA'];
const TOP_FIELDS = ['schema', 'tool', 'createdAt', 'data', 'task', 'preregistration', 'results', 'transparency', 'comparisons'];
const DISPARITY_FIELDS = ['reference', 'difference', 'ratio', 'lo', 'hi', 'verdict', 'casesNeeded', 'differenceLo', 'differenceHi', 'replicatesDefined', 'method', 'tooFew'];
const RATE_CELLS: Record<string, Kind[]> = {
  precision: ['tp', 'fp'], recall: ['tp', 'fn'], fnr: ['tp', 'fn'], fpr: ['fp', 'tn'],
  flaggedRate: ['flagged', 'n'], falseOmissionRate: ['fn', 'tn'],
};

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isEstimate = (x: unknown): x is Estimate => isObj(x) && 'value' in x && 'lo' in x && 'hi' in x;

/** A copy of `bundle` that is safe to share: see the rules at the top of this file. */
export function applyDisclosureControl(bundle: Bundle, opts: DisclosureOptions = {}): Bundle {
  const threshold = opts.threshold ?? 10;
  const rounding = Math.max(1, Math.round(opts.rounding ?? 5));
  const rateDecimals = opts.rateDecimals ?? 3;
  const suppressZeros = opts.suppressZeros ?? true;
  const grid = opts.curveGrid ?? DEFAULT_CURVE_GRID;
  if (!(threshold >= 0) || !(rateDecimals >= 0)) throw new RangeError(`invalid disclosure options: threshold ${threshold}, rateDecimals ${rateDecimals}`);

  const dropped: string[] = [];
  const out = keepFields(structuredClone(bundle) as unknown as Record<string, unknown>, TOP_FIELDS, '', dropped) as unknown as Bundle;
  const cells = new Map<string, Cell>();
  const equations: string[][] = [];
  let derived = 0;

  const cell = (key: string, raw: unknown, ref?: Ref): string => {
    const value = isNum(raw) ? raw : NaN;
    let c = cells.get(key);
    if (!c) {
      // A count that is already null (withheld upstream) stays withheld.
      c = { key, value, status: Number.isNaN(value) ? 'primary' : 'ok', refs: [], order: cells.size };
      cells.set(key, c);
    }
    if (ref) c.refs.push(ref);
    return key;
  };
  const valueOf = (key: string) => cells.get(key)!.value;
  const sumMatches = (total: string, parts: string[]) =>
    parts.length > 0 && !Number.isNaN(valueOf(total)) && parts.every((p) => !Number.isNaN(valueOf(p))) && parts.reduce((a, p) => a + valueOf(p), 0) === valueOf(total);

  // --- data-level cells
  const data = keepFields(out.data as Record<string, unknown>, DATA_FIELDS, 'data', dropped) as Bundle['data'];
  out.data = data;
  if (Array.isArray(data.columns)) data.columns = data.columns.map((c) => ({ name: c.name, role: c.role, type: c.type }));
  const dataN = isNum(data.rows) ? data.rows : NaN, dataPos = isNum(data.positives) ? data.positives : NaN;
  const dataKeys = {
    n: cell(`all|n|${dataN}`, data.rows, { obj: data, field: 'rows' }),
    pos: cell(`all|pos|${dataPos}`, data.positives, { obj: data, field: 'positives' }),
    neg: cell(`all|neg|${dataN - dataPos}`, dataN - dataPos),
  };
  equations.push([dataKeys.n, dataKeys.pos, dataKeys.neg]);

  /** Registers one confusion table; `shared` supplies the n/pos/neg keys of its population. */
  const table = (op: OperatingPointResult, prefix: string, shared: (k: 'n' | 'pos' | 'neg', v: number) => string, nRef?: Ref, posRef?: Ref): TableKeys => {
    const o = op as unknown as Record<string, unknown>;
    const v = (f: string) => (isNum(o[f]) ? (o[f] as number) : NaN);
    const [tp, fp, fn, tn] = [v('tp'), v('fp'), v('fn'), v('tn')];
    const keys: TableKeys = {
      tp: cell(`${prefix}|tp`, o.tp, { obj: o, field: 'tp' }),
      fp: cell(`${prefix}|fp`, o.fp, { obj: o, field: 'fp' }),
      fn: cell(`${prefix}|fn`, o.fn, { obj: o, field: 'fn' }),
      tn: cell(`${prefix}|tn`, o.tn, { obj: o, field: 'tn' }),
      flagged: cell(`${prefix}|flagged`, isNum(o.nFlagged) ? o.nFlagged : tp + fp, { obj: o, field: 'nFlagged' }),
      unflagged: cell(`${prefix}|unflagged`, fn + tn),
      pos: '', neg: '', n: '',
    };
    keys.pos = shared('pos', tp + fn);
    keys.neg = shared('neg', fp + tn);
    keys.n = shared('n', tp + fp + fn + tn);
    if (nRef) cells.get(keys.n)!.refs.push(nRef);
    if (posRef) cells.get(keys.pos)!.refs.push(posRef);
    equations.push([keys.flagged, keys.tp, keys.fp], [keys.unflagged, keys.fn, keys.tn], [keys.pos, keys.tp, keys.fn],
      [keys.neg, keys.fp, keys.tn], [keys.n, keys.flagged, keys.unflagged], [keys.n, keys.pos, keys.neg]);
    return keys;
  };

  interface OpEntry { op: OperatingPointResult; keys: TableKeys }
  interface GroupEntry { sg: SubgroupResult; at: TableKeys | null; top: TableKeys | null; own: string[]; rows: Map<number, TableKeys> }
  interface RowEntry { row: Record<string, unknown>; keys: TableKeys }
  const rowEntries: RowEntry[] = [];
  /** The operating table cut to OPERATING_GRID rows, each registered as a confusion table. */
  const operatingRows = (rows: unknown, prefix: string, shared: (k: 'n' | 'pos' | 'neg', v: number) => string, path: string): { rows: Record<string, unknown>[]; keys: Map<number, TableKeys> } => {
    const keys = new Map<number, TableKeys>();
    const kept: Record<string, unknown>[] = [];
    if (!Array.isArray(rows)) return { rows: kept, keys };
    for (const raw of rows) {
      if (!isObj(raw) || !isNum(raw.topPct) || !OPERATING_GRID.includes(raw.topPct)) continue;
      const row = keepFields(raw, ROW_FIELDS, `${path}.operating`, dropped);
      const k = table(row as unknown as OperatingPointResult, `${prefix}|row${raw.topPct}`, shared);
      // At the top 100% everyone is flagged by definition: zeros there say nothing about anyone.
      if (raw.topPct === 100) for (const z of [k.fn, k.tn, k.unflagged]) if (cells.get(z)!.value === 0) cells.get(z)!.structural = true;
      keys.set(raw.topPct, k);
      rowEntries.push({ row, keys: k });
      kept.push(row);
    }
    return { rows: kept, keys };
  };
  interface ModelEntry { r: ModelResult; at: TableKeys | null; top: TableKeys | null; groups: GroupEntry[]; cal: { bin: CalibrationBin; n: string; pos: string }[]; rows: Map<number, TableKeys> }
  const ops: OpEntry[] = [];
  const models: ModelEntry[] = [];

  out.results = (Array.isArray(out.results) ? out.results : []).map((raw, mi) => {
    const r = keepFields(raw as unknown as Record<string, unknown>, RESULT_FIELDS, `results[${mi}]`, dropped) as unknown as ModelResult;
    const entry: ModelEntry = { r, at: null, top: null, groups: [], cal: [], rows: new Map() };
    const overall = (k: 'n' | 'pos' | 'neg', v: number) => cell(`all|${k}|${v}`, v);
    for (const opName of ['atThreshold', 'topK'] as const) {
      if (!isObj(r[opName])) continue;
      r[opName] = keepFields(r[opName] as unknown as Record<string, unknown>, OP_FIELDS, `results[${mi}].${opName}`, dropped) as never;
      const keys = table(r[opName], `m${mi}|${opName}|*`, overall);
      entry[opName === 'atThreshold' ? 'at' : 'top'] = keys;
      ops.push({ op: r[opName], keys });
    }
    r.subgroups = (Array.isArray(r.subgroups) ? r.subgroups : []).map((sgRaw, gi) => {
      const path = `results[${mi}].subgroups[${gi}]`;
      const sg = keepFields(sgRaw as unknown as Record<string, unknown>, SUBGROUP_FIELDS, path, dropped) as unknown as SubgroupResult;
      const g: GroupEntry = { sg, at: null, top: null, own: [], rows: new Map() };
      const id = `${JSON.stringify(sg.attribute)}|${JSON.stringify(sg.group)}`;
      const shared = (k: 'n' | 'pos' | 'neg', v: number) => cell(`g|${id}|${k}|${v}`, v);
      const sgo = sg as unknown as Record<string, unknown>;
      // The subgroup's own n and positives, even without an operating point.
      const n0 = isNum(sg.n) ? sg.n : NaN, p0 = isNum(sg.positives) ? sg.positives : NaN;
      const nKey = cell(`g|${id}|n|${n0}`, sg.n, { obj: sgo, field: 'n' });
      const pKey = cell(`g|${id}|pos|${p0}`, sg.positives, { obj: sgo, field: 'positives' });
      const negKey = cell(`g|${id}|neg|${n0 - p0}`, n0 - p0);
      equations.push([nKey, pKey, negKey]);
      g.own = [nKey, pKey, negKey];
      for (const opName of ['atThreshold', 'topK'] as const) {
        if (!isObj(sg[opName])) continue;
        sg[opName] = keepFields(sg[opName] as unknown as Record<string, unknown>, OP_FIELDS, `${path}.${opName}`, dropped) as never;
        const keys = table(sg[opName], `m${mi}|${opName}|${id}`, shared);
        g[opName === 'atThreshold' ? 'at' : 'top'] = keys;
        ops.push({ op: sg[opName], keys });
      }
      for (const [block] of DISPARITY_BLOCKS) {
        if (isObj(sgo[block])) {
          const ds = sgo[block] as Record<string, unknown>;
          for (const [m, d] of Object.entries(ds)) if (isObj(d)) ds[m] = keepFields(d, DISPARITY_FIELDS, `${path}.${block}.${m}`, dropped);
        } else if (block === 'disparity') sg.disparity = {};
      }
      if (isObj(sgo.calibration)) keepFields(sgo.calibration, GROUP_CALIBRATION_FIELDS, `${path}.calibration`, dropped);
      if (sgo.operating !== undefined) {
        const { rows, keys } = operatingRows(sgo.operating, `m${mi}|${id}`, shared, path);
        sgo.operating = rows;
        g.rows = keys;
      }
      entry.groups.push(g);
      return sg;
    });
    if (isObj(r.curves) && (r.curves as CurveSet).operating !== undefined) {
      const curves = r.curves as CurveSet;
      const { rows, keys } = operatingRows(curves.operating, `m${mi}|*`, overall, `results[${mi}].curves`);
      curves.operating = rows as never;
      entry.rows = keys;
    }
    // Within an attribute the groups' cells sum to the population's (when they do in the data).
    const linked: [TableKeys | null, (g: GroupEntry) => TableKeys | null | undefined][] = [
      [entry.at, (g) => g.at], [entry.top, (g) => g.top],
      ...[...entry.rows].map(([pct, k]): [TableKeys, (g: GroupEntry) => TableKeys | undefined] => [k, (g) => g.rows.get(pct)]),
    ];
    for (const [whole, partOf] of linked) {
      if (!whole) continue;
      const byAttr = new Map<string, TableKeys[]>();
      for (const g of entry.groups) {
        const t = partOf(g);
        if (t) byAttr.set(JSON.stringify(g.sg.attribute), [...(byAttr.get(JSON.stringify(g.sg.attribute)) ?? []), t]);
      }
      for (const parts of byAttr.values()) {
        for (const k of COUNT_KINDS) {
          const partKeys = parts.map((p) => p[k]);
          if (sumMatches(whole[k], partKeys)) equations.push([whole[k], ...partKeys]);
        }
      }
    }
    // Calibration bins are counts too; bins partition the population.
    if (isObj(r.curves)) {
      const curves = r.curves as CurveSet;
      if (Array.isArray(curves.calibration)) {
        curves.calibration.forEach((bin, bi) => {
          keepFields(bin as unknown as Record<string, unknown>, ['lo', 'hi', 'n', 'positives', 'meanScore', 'observed'], `results[${mi}].curves.calibration[${bi}]`, dropped);
          const n = isNum(bin.n) ? bin.n : NaN, p = isNum(bin.positives) ? bin.positives : NaN;
          const b = bin as unknown as Record<string, unknown>;
          const nK = cell(`m${mi}|cal|${bi}|n`, bin.n, { obj: b, field: 'n' });
          const pK = cell(`m${mi}|cal|${bi}|pos`, bin.positives, { obj: b, field: 'positives' });
          const negK = cell(`m${mi}|cal|${bi}|neg`, n - p);
          equations.push([nK, pK, negK]);
          entry.cal.push({ bin, n: nK, pos: pK });
        });
        const whole = entry.at ?? entry.top;
        if (whole && entry.cal.length > 0) {
          for (const [k, idx] of [['n', 'n'], ['pos', 'pos']] as const) {
            const parts = entry.cal.map((c) => c[idx]);
            if (sumMatches(whole[k], parts)) equations.push([whole[k], ...parts]);
          }
        }
      }
    }
    models.push(entry);
    return r;
  });

  // --- primary and secondary suppression
  for (const c of cells.values()) {
    if (c.status === 'ok' && c.value < threshold && !(c.value === 0 && (c.structural || !suppressZeros))) c.status = 'primary';
  }
  // Worklist: an equation is looked at again only when one of its cells was withheld.
  const sets = equations.map((eq) => [...new Set(eq)].map((k) => cells.get(k)!));
  const setsOf = new Map<Cell, number[]>();
  sets.forEach((members, i) => members.forEach((c) => {
    const list = setsOf.get(c);
    if (list) list.push(i); else setsOf.set(c, [i]);
  }));
  // Population totals are withheld only when nothing else in the set can be: every headline
  // number depends on them.
  const rank = (c: Cell) => (c.key.startsWith('all|') ? 1 : 0);
  const queue = sets.map((_, i) => i);
  while (queue.length > 0) {
    const members = sets[queue.pop()!];
    if (members.filter((c) => c.status !== 'ok').length !== 1) continue;
    const open = members.filter((c) => c.status === 'ok' && !c.structural).sort((a, b) => rank(a) - rank(b) || a.value - b.value || a.order - b.order);
    if (open.length === 0) continue;
    open[0].status = 'secondary';
    queue.push(...(setsOf.get(open[0]) ?? []));
  }
  const withheldCell = (key: string | undefined) => key !== undefined && cells.get(key)!.status !== 'ok';

  // --- apply to published fields
  let primaryCells = 0, secondaryCells = 0;
  const mark = (obj: Record<string, unknown>, field: string, reason: SuppressionReason) => {
    const w = (isObj(obj.withheld) ? obj.withheld : (obj.withheld = {})) as Record<string, SuppressionReason>;
    w[field] = reason;
  };
  for (const c of cells.values()) {
    for (const ref of c.refs) {
      if (c.status === 'ok') {
        ref.obj[ref.field] = Math.round(c.value / rounding) * rounding;
      } else {
        if (c.status === 'primary') primaryCells++; else secondaryCells++;
        ref.obj[ref.field] = null;
        // A count withheld upstream keeps its recorded reason.
        if (!(isObj(ref.obj.withheld) && field(ref.obj.withheld, ref.field))) mark(ref.obj, ref.field, c.status);
      }
    }
  }

  const round = (x: unknown): number | null => (isNum(x) ? Number(x.toFixed(rateDecimals)) : null);
  const withhold = (obj: Record<string, unknown>, f: string) => {
    if (obj[f] === undefined) return;
    derived++;
    if (isEstimate(obj[f])) obj[f] = { value: null, lo: null, hi: null };
    else obj[f] = null;
    mark(obj, f, 'derived');
  };
  const roundEstimate = (e: Estimate) => { e.value = round(e.value); e.lo = round(e.lo); e.hi = round(e.hi); };

  // --- rates at operating points
  for (const { op, keys } of ops) {
    const o = op as unknown as Record<string, unknown>;
    const intervals = isObj(o.intervals) ? (o.intervals as Record<string, Estimate>) : undefined;
    for (const [rate, deps] of Object.entries(RATE_CELLS)) {
      const gone = deps.some((k) => withheldCell(keys[k]));
      if (gone) {
        withhold(o, rate);
        if (intervals && intervals[rate]) { intervals[rate] = { value: null, lo: null, hi: null }; derived++; }
      } else {
        if (isNum(o[rate])) o[rate] = round(o[rate]);
        if (intervals && isEstimate(intervals[rate])) roundEstimate(intervals[rate]);
      }
    }
    if ('nTarget' in o) {
      const t = op as TopKResult;
      if (withheldCell(keys.n)) withhold(o, 'nTarget');
      else if (isNum(t.nTarget)) t.nTarget = Math.round(t.nTarget / rounding) * rounding;
      // The top-K threshold is one case's score; keep it only coarsely.
      if (isNum(t.threshold)) t.threshold = round(t.threshold);
    }
    const w = isObj(o.withheld) ? Object.keys(o.withheld).length : 0;
    if (w > 0) o.suppressed = true;
  }

  // The cut of a top-K row is one case's score; keep it only coarsely. Rows carry counts only.
  for (const { row } of rowEntries) {
    if (isNum(row.threshold)) row.threshold = round(row.threshold);
    if (isObj(row.withheld)) row.suppressed = true;
  }

  // --- model metrics, subgroups, disparities, curves
  for (const m of models) {
    const r = m.r as unknown as Record<string, unknown>;
    const whole = m.at ?? m.top;
    const popGone = whole ? withheldCell(whole.pos) || withheldCell(whole.neg) : withheldCell(dataKeys.pos) || withheldCell(dataKeys.neg);
    if (isObj(r.metrics)) {
      const metrics = r.metrics as Record<string, unknown>;
      for (const [k, v] of Object.entries(metrics)) {
        if (!(isEstimate(v) || isNum(v) || v === null)) { delete metrics[k]; dropped.push(`results[${models.indexOf(m)}].metrics.${k}`); continue; }
        if (popGone) {
          derived++;
          metrics[k] = isEstimate(v) ? { value: null, lo: null, hi: null } : null;
          mark(r, `metrics.${k}`, 'derived');
        } else if (isEstimate(v)) roundEstimate(v);
        else metrics[k] = round(v);
      }
    }
    const groupGone = new Map<SubgroupResult, boolean>();
    for (const g of m.groups) {
      const sg = g.sg as unknown as Record<string, unknown>;
      const deps = [g.at?.neg, g.top?.neg, g.at?.pos, g.top?.pos, ...g.own].filter((k): k is string => k !== undefined);
      const gone = deps.some(withheldCell) || !isNum(g.sg.n) || !isNum(g.sg.positives);
      groupGone.set(g.sg, gone);
      for (const f of ['prevalence', 'averagePrecision', 'rocAuc']) {
        if (gone) withhold(sg, f);
        else if (isEstimate(sg[f])) roundEstimate(sg[f] as Estimate);
        else if (isNum(sg[f])) sg[f] = round(sg[f]);
      }
      if (isObj(sg.calibration)) {
        const cal = sg.calibration as Record<string, unknown>;
        for (const f of GROUP_CALIBRATION_FIELDS) {
          if (gone && cal[f] !== null && cal[f] !== undefined) { cal[f] = null; derived++; mark(sg, `calibration.${f}`, 'derived'); }
          else cal[f] = round(cal[f]);
        }
      }
    }
    for (const g of m.groups) {
      const sg = g.sg as unknown as Record<string, unknown>;
      const ref = (name: string) => m.groups.find((h) => h.sg.attribute === g.sg.attribute && h.sg.group === name)?.sg;
      for (const [block, opName] of DISPARITY_BLOCKS) {
        if (!isObj(sg[block])) continue;
        for (const [metric, dv] of Object.entries(sg[block] as Record<string, unknown>)) {
          if (!isObj(dv)) continue;
          const d = dv as unknown as Record<string, unknown> & { reference: string };
          const other = ref(d.reference);
          const goneIn = (s: SubgroupResult | undefined) => {
            if (s === undefined) return false;
            if (metric === 'averagePrecision' || !isObj(s[opName])) return groupGone.get(s)!;
            const op = s[opName] as unknown as Record<string, unknown>;
            return op[metric] === null && isObj(op.withheld) && field(op.withheld, metric);
          };
          if (goneIn(g.sg) || goneIn(other)) {
            derived++;
            for (const f of ['difference', 'ratio', 'lo', 'hi', 'verdict', 'casesNeeded', 'differenceLo', 'differenceHi']) if (f in d || f === 'verdict') d[f] = null;
            mark(sg, `${block}.${metric}`, 'derived');
          } else {
            for (const f of ['difference', 'ratio', 'lo', 'hi', 'differenceLo', 'differenceHi']) if (f in d) d[f] = round(d[f]);
            if (isNum(d.casesNeeded)) d.casesNeeded = Math.ceil(d.casesNeeded / rounding) * rounding;
          }
        }
      }
      const anyWithheld = (isObj(sg.withheld) && Object.keys(sg.withheld).length > 0) || !!g.sg.atThreshold?.suppressed || !!g.sg.topK?.suppressed;
      g.sg.suppressed = !!g.sg.suppressed || anyWithheld;
    }
    if (isObj(r.curves)) {
      const { curves, withheld: n } = gridCurves(r.curves as CurveSet, grid, popGone, round);
      if ((r.curves as CurveSet).operating !== undefined) curves.operating = (r.curves as CurveSet).operating;
      derived += n;
      for (const c of m.cal) {
        const bin = c.bin as unknown as Record<string, unknown>;
        for (const f of ['observed', 'meanScore']) {
          if (withheldCell(c.n) || withheldCell(c.pos)) withhold(bin, f);
          else bin[f] = round(bin[f]);
        }
        bin.lo = round(bin.lo); bin.hi = round(bin.hi);
      }
      r.curves = curves;
    }
  }
  if (isNum(data.prevalence) || data.prevalence === null) {
    const d = data as Record<string, unknown>;
    if (withheldCell(dataKeys.pos) || withheldCell(dataKeys.neg)) withhold(d, 'prevalence');
    else d.prevalence = round(d.prevalence);
  }

  const record: DisclosureRecord = {
    threshold, rounding, rateDecimals, suppressZeros,
    suppressedCells: primaryCells + secondaryCells, primaryCells, secondaryCells, derivedValues: derived,
    curveGrid: grid, dropped,
    rules: disclosureRules(threshold, rounding, rateDecimals, suppressZeros),
  };
  discloseRunExtras(out as unknown as Record<string, unknown>, bundle as unknown as Record<string, unknown>, { threshold, rounding, rateDecimals });
  out.disclosure = record;
  return out;
}

function field(obj: Record<string, unknown>, f: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, f);
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
export function disclosureRules(threshold: number, rounding: number, rateDecimals: number, suppressZeros: boolean): string[] {
  return [
    `Counts below ${threshold}${suppressZeros ? ' (including zero)' : ' (zero excepted)'} are withheld (primary suppression).`,
    'Where a withheld count could be worked out from a total (within a table, or across the groups of one attribute), the next smallest count is withheld too (secondary suppression).',
    rounding > 1 ? `Other counts are rounded to the nearest ${rounding}, so they need not add up.` : 'Other counts are not rounded.',
    `Rates, intervals and model metrics are computed on the unrounded data and shown to ${rateDecimals} decimal places; any computed from a withheld count is withheld.`,
    'Curves are shown only at fixed grid points (recall or false positive rate 0.05, 0.10, ... 1), without score thresholds.',
    'The table of counts by share flagged is kept only at the top 5%, 10%, ... 100%, each row under the same rules, with its score cut to 3 decimals.',
    'No row, identifier, date of a single case or free text is included.',
  ];
}
