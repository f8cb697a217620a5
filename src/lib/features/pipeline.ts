/**
 * The default preprocessing of DESIGN.md, fitted on training rows only and applied to any rows.
 *
 * Equal to scikit-learn's
 *   ColumnTransformer([
 *     ("num", Pipeline([SimpleImputer(strategy="median", add_indicator=True), StandardScaler()]), numeric),
 *     ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
 * with a categorical missing value as its own level (sorted last, as scikit-learn sorts NaN), so
 * its output columns come in the same order with the same values:
 *   numeric values (median-imputed) | missing indicators (only for columns with a missing
 *   training value) — all standardised with the population std, zero-variance columns centred
 *   but not scaled — then each categorical column's levels, sorted by code point.
 *
 * Dates never enter raw: a date feature becomes "days before the decision date". Free text becomes
 * a separate sparse hashed TF-IDF block (`Design.text`). `{ forTrees: true }` keeps numeric values
 * raw with NaN for missing, for the boosted trees, which route missing values themselves.
 */
import type { Table, Vector } from 'apache-arrow';
import { type AppError, type Result, ok, fail } from '../errors.ts';
import { allStrings, floatValues } from './columns.ts';
import { type CsrMatrix, type TextModel, fitTfidf, transformTfidf } from './text-hash.ts';

export interface FeatureSpec {
  numeric: string[];
  categorical: string[];
  text: string[];
  /** Date columns turned into days before the decision date (requires `dateColumn`). */
  dates?: string[];
  /** The decision date of each row: the reference for date features, never a feature itself. */
  dateColumn?: string;
}

export interface PipelineOptions {
  /** Keep numeric columns raw with NaN for missing (no imputation, no indicator, no scaling). */
  forTrees?: boolean;
  /** Group categorical levels seen in fewer than this many training rows into one "(other)" level. Off by default. */
  rareLevelMinCount?: number;
  /** Products of pairs of numeric columns (raw values), added as numeric columns. Off by default. */
  interactions?: [string, string][];
  /** log2 width of the hashed text block; default 16. */
  textBits?: number;
  /** Hashed text columns in fewer than this many training documents get weight 0 (scikit-learn's `min_df`). Off by default. */
  textMinDf?: number;
  /**
   * The export rules' coarsening (off by default, so normal fits match scikit-learn exactly): a
   * numeric or date step with fewer than this many non-missing training values is dropped, and its
   * missing indicator when fewer than this many are missing; medians, means and scales are rounded
   * to 2 significant figures and text document counts to the nearest 5, before any model is fitted.
   */
  coarsenMinCount?: number;
}

/** The design matrix handed to the models. */
export interface Design {
  n: number;
  p: number;
  /** Row-major n x p, dense. */
  X: Float64Array;
  /** Column names, scikit-learn style (`num__age`, `num__missingindicator_age`, `cat__sex_Female`). */
  names: string[];
  /** The source column of each design column (for grouped importance). */
  sources: string[];
  /** Hashed TF-IDF of the text columns, n x 2^bits, when the spec has text. */
  text?: CsrMatrix;
  /** The text columns the `text` block comes from. */
  textSources?: string[];
}

type NumericKind = 'column' | 'date' | 'interaction';
interface NumericStep {
  name: string;
  kind: NumericKind;
  /** Source columns: one, or two for an interaction. */
  sources: string[];
  /** Training median of the non-missing values; NaN when every training value was missing. */
  median: number;
  /** Whether training data had a missing value, hence a missing-indicator column. */
  indicator: boolean;
}
interface CategoricalStep {
  source: string;
  /** Output levels in output order (sorted, missing last). */
  levels: string[];
  /** Whether the missing level exists (training had a missing value). */
  missingLevel: boolean;
  /**
   * Whether rare training levels were folded into OTHER; then any level not in `levels` (rare in
   * training or never seen) is OTHER, as scikit-learn's `handle_unknown="infrequent_if_exist"`.
   * Otherwise an unseen level gets all zeros. The rare levels themselves are not kept, so a
   * fitted pipeline can be exported without naming them.
   */
  other: boolean;
}

export interface Pipeline {
  spec: FeatureSpec;
  options: PipelineOptions;
  numeric: NumericStep[];
  categorical: CategoricalStep[];
  /** Mean and scale of each numeric output column (values then indicators); empty for trees. */
  mean: Float64Array;
  scale: Float64Array;
  text: TextModel | null;
  names: string[];
  sources: string[];
  /** Data problems found while fitting that did not stop it (values treated as missing), counted. */
  notes: AppError[];
}

export const MISSING_LEVEL = '(missing)';
export const OTHER_LEVEL = '(other)';
const MS_PER_DAY = 86_400_000;

/** Compare strings by Unicode code point, as Python sorts them (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above the rest of the BMP.
    x = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
    y = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
    return x - y;
  }
  return a.length - b.length;
}

function missingColumn(name: string): AppError {
  return { code: 'missing-column', message: `no column named '${name}'`, column: name };
}

/** Numbers of one column at `rows`, NaN for missing; counts values that are present but not finite numbers. */
function numericAt(v: Vector, rows: Int32Array): { values: Float64Array; invalid: number; firstInvalid: number } {
  const values = new Float64Array(rows.length);
  let invalid = 0;
  let firstInvalid = -1;
  const floats = floatValues(v);
  if (floats) {
    for (let i = 0; i < rows.length; i++) {
      const z = floats[rows[i]];
      // NaN is the missing value; an infinity is present but not a usable number.
      if (z === Infinity || z === -Infinity) {
        invalid++;
        if (firstInvalid < 0) firstInvalid = rows[i];
        values[i] = NaN;
      } else values[i] = z;
    }
    return { values, invalid, firstInvalid };
  }
  for (let i = 0; i < rows.length; i++) {
    const x = v.get(rows[i]) as unknown;
    let z: number;
    let present = true;
    if (x === null || x === undefined) {
      z = NaN;
      present = false;
    } else if (typeof x === 'number') z = x;
    else if (typeof x === 'bigint') z = Number(x);
    else if (typeof x === 'boolean') z = x ? 1 : 0;
    else if (x instanceof Date) z = x.getTime();
    else {
      const s = String(x).trim();
      if (s === '') {
        present = false;
        z = NaN;
      } else z = Number(s);
    }
    if (present && !Number.isFinite(z)) {
      invalid++;
      if (firstInvalid < 0) firstInvalid = rows[i];
      z = NaN;
    }
    values[i] = z;
  }
  return { values, invalid, firstInvalid };
}

function categoricalAt(table: Table, name: string, rows: Int32Array): (string | null)[] {
  const all = allStrings(table.getChild(name)!);
  const out = new Array<string | null>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const s = all[rows[i]];
    out[i] = s === null || s === '' ? null : s;
  }
  return out;
}

function textAt(table: Table, names: string[], rows: Int32Array): (string | null)[] {
  const cols = names.map((c) => allStrings(table.getChild(c)!));
  const out = new Array<string | null>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    // Several text columns are read as one document (as joining them before a vectorizer would).
    const parts: string[] = [];
    for (const c of cols) {
      const s = c[rows[i]];
      if (s) parts.push(s);
    }
    out[i] = parts.length ? parts.join('\n') : null;
  }
  return out;
}

function checkRows(table: Table, rows: Int32Array, what: string): AppError | null {
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0 || rows[i] >= table.numRows) {
      return { code: 'bad-rows', message: `${what} row index ${rows[i]} is outside the table (${table.numRows} rows)` };
    }
  }
  return null;
}

/** Raw values of each numeric step (column, date, interaction) at `rows`, NaN for missing. */
function numericStepValues(
  table: Table,
  steps: { name: string; kind: NumericKind; sources: string[] }[],
  spec: FeatureSpec,
  rows: Int32Array,
  notes: AppError[] | null,
): Result<Float64Array[]> {
  const cache = new Map<string, Float64Array>();
  const raw = (name: string): Result<Float64Array> => {
    const hit = cache.get(name);
    if (hit) return ok(hit);
    const v = table.getChild(name);
    if (!v) return fail(missingColumn(name));
    const r = numericAt(v, rows);
    if (r.invalid > 0 && notes) {
      notes.push({
        code: 'not-numeric',
        message: `${r.invalid} value${r.invalid === 1 ? '' : 's'} in column '${name}' ${r.invalid === 1 ? 'is' : 'are'} not a finite number and ${r.invalid === 1 ? 'was' : 'were'} treated as missing`,
        column: name,
        row: r.firstInvalid + 2,
      });
    }
    cache.set(name, r.values);
    return ok(r.values);
  };
  let decision: Float64Array | null = null;
  if ((spec.dates ?? []).length > 0) {
    if (!spec.dateColumn) return fail({ code: 'no-decision-date', message: 'date features need a decision date column to measure time from' });
    const d = raw(spec.dateColumn);
    if (!d.ok) return d;
    decision = d.value;
  }
  const out: Float64Array[] = [];
  for (const s of steps) {
    if (s.kind === 'column') {
      const r = raw(s.sources[0]);
      if (!r.ok) return r;
      out.push(r.value);
    } else if (s.kind === 'date') {
      const r = raw(s.sources[0]);
      if (!r.ok) return r;
      const days = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) days[i] = (decision![i] - r.value[i]) / MS_PER_DAY;
      out.push(days);
    } else {
      const a = raw(s.sources[0]);
      if (!a.ok) return a;
      const b = raw(s.sources[1]);
      if (!b.ok) return b;
      const prod = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) prod[i] = a.value[i] * b.value[i];
      out.push(prod);
    }
  }
  return ok(out);
}

/** Median as numpy computes it (mean of the two middle values for an even count); NaN when empty. */
function medianOf(values: Float64Array): number {
  const xs = values.filter((x) => !Number.isNaN(x)).sort();
  const m = xs.length;
  if (m === 0) return NaN;
  return m % 2 === 1 ? xs[(m - 1) >> 1] : (xs[m / 2 - 1] + xs[m / 2]) / 2;
}

/** Mean and scale as scikit-learn's StandardScaler: population variance with its correction term; near-constant columns get scale 1. */
export function standardScale(col: Float64Array): { mean: number; scale: number } {
  const n = col.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += col[i];
  const mean = sum / n;
  let corr = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = col[i] - mean;
    corr += d;
    sq += d * d;
  }
  const variance = (sq - (corr * corr) / n) / n;
  const eps = 2.220446049250313e-16;
  const upper = n * eps * variance + (n * mean * eps) ** 2;
  let scale = Math.sqrt(variance);
  if (variance <= upper || scale < 10 * eps) scale = 1;
  return { mean, scale };
}

/** `x` rounded to 2 significant figures (exported learned values). */
export function twoSignificant(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(2)) : x;
}

/** Fit the preprocessing on `trainRows` of `table`. */
export function fitPipeline(table: Table, trainRows: Int32Array, spec: FeatureSpec, options: PipelineOptions = {}): Result<Pipeline> {
  if (trainRows.length === 0) return fail({ code: 'no-training-rows', message: 'there are no training rows to fit the features on' });
  const bad = checkRows(table, trainRows, 'training');
  if (bad) return fail(bad);
  for (const c of [...spec.numeric, ...spec.categorical, ...spec.text, ...(spec.dates ?? [])]) {
    if (!table.getChild(c)) return fail(missingColumn(c));
  }
  if (spec.dateColumn && !table.getChild(spec.dateColumn)) return fail(missingColumn(spec.dateColumn));
  const notes: AppError[] = [];
  const forTrees = options.forTrees === true;

  const stepDefs: { name: string; kind: NumericKind; sources: string[] }[] = [
    ...spec.numeric.map((c) => ({ name: c, kind: 'column' as const, sources: [c] })),
    ...(spec.dates ?? []).map((c) => ({ name: `${c}_days_before_decision`, kind: 'date' as const, sources: [c] })),
    ...(options.interactions ?? []).map(([a, b]) => ({ name: `${a}*${b}`, kind: 'interaction' as const, sources: [a, b] })),
  ];
  const valuesR = numericStepValues(table, stepDefs, spec, trainRows, notes);
  if (!valuesR.ok) return valuesR;
  let values = valuesR.value;
  const minCount = options.coarsenMinCount ?? 0;
  const coarse = minCount > 0 ? twoSignificant : (x: number) => x;
  const noIndicator = new Set<number>();
  if (minCount > 0) {
    const keep: number[] = [];
    stepDefs.forEach((d, j) => {
      let missing = 0;
      for (const x of values[j]) if (Number.isNaN(x)) missing++;
      const present = values[j].length - missing;
      if (present < minCount) {
        notes.push({
          code: 'too-few-values',
          message: `column '${d.name}' has fewer than ${minCount} values in the training rows, so a model meant for export does not use it`,
          column: d.sources[0],
        });
        return;
      }
      if (missing > 0 && missing < minCount && !forTrees) {
        noIndicator.add(keep.length);
        notes.push({
          code: 'too-few-missing',
          message: `column '${d.name}' is missing in fewer than ${minCount} training rows, so a model meant for export has no missing indicator for it`,
          column: d.sources[0],
        });
      }
      keep.push(j);
    });
    stepDefs.splice(0, stepDefs.length, ...keep.map((j) => stepDefs[j]));
    values = keep.map((j) => values[j]);
  }

  const numeric: NumericStep[] = stepDefs.map((d, j) => {
    const col = values[j];
    let missing = 0;
    for (let i = 0; i < col.length; i++) if (Number.isNaN(col[i])) missing++;
    if (missing === col.length && !forTrees) {
      notes.push({
        code: 'all-missing',
        message: `column '${d.name}' has no value in the training rows; only its missing indicator is used`,
        column: d.sources[0],
      });
    }
    return { ...d, median: forTrees ? NaN : coarse(medianOf(col)), indicator: !forTrees && missing > 0 && !noIndicator.has(j) };
  });

  const names: string[] = [];
  const sources: string[] = [];
  const meanL: number[] = [];
  const scaleL: number[] = [];
  if (forTrees) {
    for (const s of numeric) {
      names.push(`num__${s.name}`);
      sources.push(s.sources[0]);
    }
  } else {
    // scikit-learn drops a column with no observed training value (its median is undefined) but keeps its indicator.
    numeric.forEach((s, j) => {
      if (Number.isNaN(s.median)) return;
      const col = values[j].map((x) => (Number.isNaN(x) ? s.median : x));
      const { mean, scale } = standardScale(col);
      names.push(`num__${s.name}`);
      sources.push(s.sources[0]);
      meanL.push(coarse(mean));
      scaleL.push(coarse(scale));
    });
    numeric.forEach((s, j) => {
      if (!s.indicator) return;
      const col = values[j].map((x) => (Number.isNaN(x) ? 1 : 0));
      const { mean, scale } = standardScale(col);
      names.push(`num__missingindicator_${s.name}`);
      sources.push(s.sources[0]);
      meanL.push(coarse(mean));
      scaleL.push(coarse(scale));
    });
  }

  const categorical: CategoricalStep[] = spec.categorical.map((c) => {
    const vals = categoricalAt(table, c, trainRows);
    const counts = new Map<string, number>();
    let missing = false;
    for (const v of vals) {
      if (v === null) missing = true;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const rare = new Set<string>();
    const min = options.rareLevelMinCount ?? 0;
    if (min > 1) for (const [k, n] of counts) if (n < min) rare.add(k);
    const kept = [...counts.keys()].filter((k) => !rare.has(k));
    if (rare.size > 0 && !kept.includes(OTHER_LEVEL)) kept.push(OTHER_LEVEL);
    kept.sort(compareCodePoints);
    const levels = missing ? [...kept, MISSING_LEVEL] : kept;
    for (const l of levels) {
      names.push(`cat__${c}_${l}`);
      sources.push(c);
    }
    return { source: c, levels, missingLevel: missing, other: rare.size > 0 };
  });

  let text: TextModel | null = null;
  if (spec.text.length > 0) text = fitTfidf(textAt(table, spec.text, trainRows), { bits: options.textBits ?? 16, minDf: options.textMinDf, ...(minCount > 0 ? { countRounding: 5 } : {}) });

  return ok({
    spec,
    options,
    numeric,
    categorical,
    mean: Float64Array.from(meanL),
    scale: Float64Array.from(scaleL),
    text,
    names,
    sources,
    notes,
  });
}

/** Apply a fitted pipeline to `rows` of `table` (training rows or any others). */
export function transform(pipe: Pipeline, table: Table, rows: Int32Array): Result<Design> {
  const bad = checkRows(table, rows, 'transform');
  if (bad) return fail(bad);
  const n = rows.length;
  const p = pipe.names.length;
  const X = new Float64Array(n * p);
  const valuesR = numericStepValues(table, pipe.numeric, pipe.spec, rows, null);
  if (!valuesR.ok) return valuesR;
  const values = valuesR.value;
  let j = 0;
  if (pipe.options.forTrees) {
    for (const col of values) {
      for (let i = 0; i < n; i++) X[i * p + j] = col[i];
      j++;
    }
  } else {
    let s = 0;
    pipe.numeric.forEach((step, k) => {
      if (Number.isNaN(step.median)) return;
      const col = values[k];
      const mu = pipe.mean[s];
      const sc = pipe.scale[s];
      for (let i = 0; i < n; i++) {
        const x = Number.isNaN(col[i]) ? step.median : col[i];
        X[i * p + j] = (x - mu) / sc;
      }
      j++;
      s++;
    });
    pipe.numeric.forEach((step, k) => {
      if (!step.indicator) return;
      const col = values[k];
      const mu = pipe.mean[s];
      const sc = pipe.scale[s];
      for (let i = 0; i < n; i++) X[i * p + j] = ((Number.isNaN(col[i]) ? 1 : 0) - mu) / sc;
      j++;
      s++;
    });
  }
  for (const step of pipe.categorical) {
    if (!table.getChild(step.source)) return fail(missingColumn(step.source));
    const vals = categoricalAt(table, step.source, rows);
    const index = new Map<string, number>();
    step.levels.forEach((l, k) => {
      if (!(step.missingLevel && k === step.levels.length - 1)) index.set(l, k);
    });
    const missingAt = step.missingLevel ? step.levels.length - 1 : -1;
    const unseenAt = step.other ? step.levels.indexOf(OTHER_LEVEL) : -1;
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      // Unseen levels (and missing when training had none) get all zeros, as handle_unknown="ignore",
      // unless rare levels were folded into OTHER: then they are OTHER too.
      const k = v === null ? missingAt : index.get(v) ?? unseenAt;
      if (k >= 0) X[i * p + j + k] = 1;
    }
    j += step.levels.length;
  }
  const design: Design = { n, p, X, names: pipe.names.slice(), sources: pipe.sources.slice() };
  if (pipe.text) {
    for (const c of pipe.spec.text) if (!table.getChild(c)) return fail(missingColumn(c));
    design.text = transformTfidf(pipe.text, textAt(table, pipe.spec.text, rows));
    design.textSources = pipe.spec.text.slice();
  }
  return ok(design);
}

/** The same design without its text block (for the text ablation). */
export function withoutText(d: Design): Design {
  return { n: d.n, p: d.p, X: d.X, names: d.names, sources: d.sources };
}
