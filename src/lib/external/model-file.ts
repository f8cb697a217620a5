/**
 * The model file, `candour.model/1`: a fitted model and the preprocessing fitted with it, as
 * one portable JSON file that another council can apply to its own extract (docs/model-schema.md).
 *
 * It carries no case: only learned values (medians, means and scales coarsened to 2 significant
 * figures, numbers and dates with at least EXPORT_MIN_COUNT training values, category levels seen in at
 * least EXPORT_MIN_COUNT training rows, idf of hashed n-grams in at least that many documents,
 * coefficients, weights, tree splits over leaves of at least that many cases), the development
 * results after the bundle's disclosure control, and the model card. A model fitted without the
 * export rules (`EvaluateSpec.exportable`) is refused, and `exportProblems` re-checks a file.
 * Integrity: SHA-256 of the canonical JSON without `integrity`, as bundles.
 */
import type { Bundle, Estimate, ModelResult } from '../bundle/schema.ts';
import { canonicalJson, sha256Hex } from '../bundle/integrity.ts';
import { applyDisclosureControl } from '../bundle/disclosure.ts';
import { draftModelCard, type ModelCard } from '../bundle/model-card.ts';
import { type AppError, type Result, ok, fail } from '../errors.ts';
import type { Design, Pipeline } from '../features/pipeline.ts';
import { MISSING_LEVEL, OTHER_LEVEL } from '../features/pipeline.ts';
import type { TrainedModel, ModelKind } from '../models/train.ts';
import type { LogisticFit } from '../models/logistic.ts';
import { predictLogistic } from '../models/logistic.ts';
import type { MlpFit } from '../models/mlp.ts';
import { predictMlp } from '../models/mlp.ts';
import { gbdtPredictor, type GbdtModel } from '../models/gbdt.ts';
import type { Tree } from '../models/gbdt-tree.ts';
import { VERSION } from '../version.ts';
import { calibrationSummary } from './recalibration.ts';

export const MODEL_SCHEMA = 'candour.model/1' as const;
/** The disclosure threshold of model files: no level, n-gram or leaf rests on fewer training cases. */
export const EXPORT_MIN_COUNT = 10;

export type FeatureSet = 'structured' | 'structured+text';
export type ExportableKind = Exclude<ModelKind, 'baseline'>;

/** A model as the run fitted it, handed out by `RunContext.onFitted`. */
export interface FittedModel {
  kind: ModelKind;
  features: FeatureSet;
  pipeline: Pipeline;
  model: TrainedModel;
  /** Fitted under the export rules. */
  exportable: boolean;
  /** The development test side: labels and this model's scores (for its calibration). */
  test: { labels: Uint8Array; scores: Float64Array };
}

export interface ModelInput {
  /** Column name in the development data. */
  name: string;
  type: 'number' | 'category' | 'date' | 'text';
  /** Category levels the model knows (without "(other)" and "(missing)"). */
  levels?: string[];
  /** The decision date: date inputs are measured back from it. */
  decisionDate?: boolean;
}

interface NumericStepFile {
  name: string;
  kind: 'column' | 'date' | 'interaction';
  sources: string[];
  /** Null when every training value was missing. */
  median: number | null;
  indicator: boolean;
}

interface CategoricalStepFile {
  source: string;
  levels: string[];
  missingLevel: boolean;
  other: boolean;
}

export interface TreeFile {
  feature: number[];
  /** Go left when x <= threshold; null stands for +Infinity (only missing values go right). */
  threshold: (number | null)[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

export type ModelParameters =
  | { kind: 'logistic'; intercept: number; coef: number[]; text: [number, number][] | null }
  | { kind: 'mlp'; layers: { nIn: number; nOut: number; W: number[]; b: number[] }[] }
  | { kind: 'gbdt'; baseline: number; minSamplesLeaf: number; trees: TreeFile[] };

export interface DevelopmentResults {
  data: { name: string; fingerprint: string; rows: number | null; testRows: number | null; prevalence: number | null };
  split: import('../bundle/schema.ts').SplitRecord;
  metrics: { averagePrecision: Estimate; rocAuc: Estimate; brier: Estimate; calibrationInTheLarge: Estimate; calibrationSlope: Estimate };
  atThreshold: ModelResult['atThreshold'];
  topK: ModelResult['topK'];
}

export interface ModelFile {
  schema: typeof MODEL_SCHEMA;
  tool: { name: 'candour'; version: string };
  createdAt: string;
  model: { kind: ExportableKind; features: FeatureSet; engine: string };
  outcome: { name: string; positive: string };
  inputs: ModelInput[];
  preprocessing: {
    design: 'linear' | 'trees';
    numeric: NumericStepFile[];
    mean: number[];
    scale: number[];
    categorical: CategoricalStepFile[];
    dateColumn: string | null;
    text: { columns: string[]; bits: number; minDf: number; nDocs: number; idf: [number, number][] } | null;
    names: string[];
    sources: string[];
  };
  parameters: ModelParameters;
  operatingPoint: { threshold: number; topPct: number };
  development: DevelopmentResults;
  card: ModelCard;
  disclosure: { minCount: number; rules: string[] };
  /** The hash, and an Ed25519 signature when the file was signed (model-signing.ts). */
  integrity: { algorithm: 'sha256'; hash: string; signature?: { algorithm: 'ed25519'; publicKey: string; value: string } };
}

export const MODEL_FILE_RULES = [
  `Category levels seen in fewer than ${EXPORT_MIN_COUNT} training rows are merged into "${OTHER_LEVEL}" and not named.`,
  `Hashed text n-grams found in fewer than ${EXPORT_MIN_COUNT} training documents carry no weight and are left out.`,
  `Every leaf of a boosted tree holds at least ${EXPORT_MIN_COUNT} training cases.`,
  `A number or date with fewer than ${EXPORT_MIN_COUNT} values in the training rows is not an input, and a missing indicator needs at least ${EXPORT_MIN_COUNT} missing values.`,
  'Medians, means and scales are rounded to 2 significant figures, and text document counts to the nearest 5, before the model is fitted.',
  'Development results pass the same disclosure control as a shareable bundle.',
  'No row, identifier, date of a case or case-note text is stored.',
];

const arr = (a: ArrayLike<number>): number[] => Array.from(a);
const sparse = (a: ArrayLike<number>, keep: (j: number) => boolean = () => true): [number, number][] => {
  const out: [number, number][] = [];
  for (let j = 0; j < a.length; j++) if (a[j] !== 0 && keep(j)) out.push([j, a[j]]);
  return out;
};

/** The hash a model file's `integrity.hash` must hold (over the file without `integrity`). */
export function modelHash(file: Omit<ModelFile, 'integrity'> & { integrity?: unknown }): string {
  const { integrity: _ignored, ...rest } = file;
  return sha256Hex(canonicalJson(rest));
}

function preprocessingOf(pipe: Pipeline, withText: boolean): ModelFile['preprocessing'] {
  const keepText = withText && pipe.text !== null;
  const design = pipe.options.forTrees ? 'trees' : 'linear';
  return {
    design,
    numeric: pipe.numeric.map((s) => ({ name: s.name, kind: s.kind, sources: s.sources.slice(), median: Number.isNaN(s.median) ? null : s.median, indicator: s.indicator })),
    mean: arr(pipe.mean),
    scale: arr(pipe.scale),
    categorical: pipe.categorical.map((c) => ({ source: c.source, levels: c.levels.slice(), missingLevel: c.missingLevel, other: c.other })),
    dateColumn: (pipe.spec.dates ?? []).length > 0 ? pipe.spec.dateColumn ?? null : null,
    text: keepText
      ? { columns: pipe.spec.text.slice(), bits: pipe.text!.bits, minDf: pipe.options.textMinDf ?? 0, nDocs: pipe.text!.nDocs, idf: sparse(pipe.text!.idf) }
      : null,
    names: pipe.names.slice(),
    sources: pipe.sources.slice(),
  };
}

function inputsOf(pre: ModelFile['preprocessing']): ModelInput[] {
  const out = new Map<string, ModelInput>();
  for (const s of pre.numeric) {
    if (s.kind === 'date') out.set(s.sources[0], { name: s.sources[0], type: 'date' });
    else for (const c of s.sources) if (!out.has(c)) out.set(c, { name: c, type: 'number' });
  }
  if (pre.dateColumn) out.set(pre.dateColumn, { name: pre.dateColumn, type: 'date', decisionDate: true });
  for (const c of pre.categorical) {
    out.set(c.source, { name: c.source, type: 'category', levels: c.levels.filter((l, k) => l !== OTHER_LEVEL && !(c.missingLevel && k === c.levels.length - 1)) });
  }
  for (const t of pre.text?.columns ?? []) out.set(t, { name: t, type: 'text' });
  return [...out.values()];
}

function parametersOf(f: FittedModel, pre: ModelFile['preprocessing']): ModelParameters {
  switch (f.kind) {
    case 'logistic': {
      const fit = f.model.details as LogisticFit;
      const idf = pre.text ? new Set(pre.text.idf.map(([j]) => j)) : null;
      // A coefficient on an n-gram column with idf 0 never contributes: leave it out.
      const text = idf && fit.textCoef ? sparse(fit.textCoef, (j) => idf.has(j)) : null;
      return { kind: 'logistic', intercept: fit.intercept, coef: arr(fit.coef), text };
    }
    case 'mlp': {
      const fit = f.model.details as MlpFit;
      return { kind: 'mlp', layers: fit.layers.map((l) => ({ nIn: l.nIn, nOut: l.nOut, W: arr(l.W), b: arr(l.b) })) };
    }
    case 'gbdt': {
      const m = f.model.details as GbdtModel;
      return {
        kind: 'gbdt',
        baseline: m.baseline,
        minSamplesLeaf: m.minSamplesLeaf,
        trees: m.trees.map((t) => ({
          feature: arr(t.feature),
          threshold: Array.from(t.threshold, (x) => (x === Infinity ? null : x)),
          missingLeft: arr(t.missingLeft),
          left: arr(t.left),
          right: arr(t.right),
          value: arr(t.value),
        })),
      };
    }
    default:
      throw new RangeError(`a ${f.kind} model cannot be exported`);
  }
}

const round = (x: number | null, d = 4): number | null => (x === null ? null : Number(x.toFixed(d)));
/** Calibration summaries are not cell-key perturbed like the bundle's counts: 2 decimals, so one test case's share does not show. */
const roundEst = (e: Estimate): Estimate => ({ value: round(e.value, 2), lo: round(e.lo, 2), hi: round(e.hi, 2) });

/**
 * The model file of one fitted model of a finished run (`bundle` is the run's report). Fails when
 * the model was not fitted under the export rules or cannot travel (the baseline).
 */
export function modelFileOf(fitted: FittedModel, bundle: Bundle, createdAt: string = new Date().toISOString()): Result<ModelFile> {
  if (fitted.kind === 'baseline') return fail({ code: 'not-exportable', message: 'the baseline is not a model to export' });
  if (!fitted.exportable) {
    return fail({ code: 'not-exportable', message: 'this model was not fitted under the export rules (refit it meant for export)' });
  }
  const index = bundle.results.findIndex((r) => r.model === fitted.kind && r.features === fitted.features);
  if (index < 0) return fail({ code: 'not-exportable', message: `the report has no result for the ${fitted.kind} model` });
  const preprocessing = preprocessingOf(fitted.pipeline, fitted.features === 'structured+text');
  const shared = applyDisclosureControl(bundle);
  const r = shared.results[index];
  const cal = calibrationSummary(fitted.test.labels, fitted.test.scores);
  const opPoint = bundle.task.operatingPoint;
  const file: Omit<ModelFile, 'integrity'> = {
    schema: MODEL_SCHEMA,
    tool: { name: 'candour', version: VERSION },
    createdAt,
    model: { kind: fitted.kind, features: fitted.features, engine: fitted.model.engine },
    outcome: { name: bundle.task.outcome, positive: bundle.task.positive },
    inputs: inputsOf(preprocessing),
    preprocessing,
    parameters: parametersOf(fitted, preprocessing),
    operatingPoint: { threshold: opPoint.threshold ?? 0.5, topPct: opPoint.topPct ?? 10 },
    development: {
      data: {
        name: shared.data.name,
        fingerprint: shared.data.fingerprint,
        rows: shared.data.rows,
        testRows: typeof shared.data.testRows === 'number' ? shared.data.testRows : null,
        prevalence: shared.data.prevalence,
      },
      split: shared.task.split,
      metrics: {
        averagePrecision: r.metrics.averagePrecision,
        rocAuc: r.metrics.rocAuc,
        brier: r.metrics.brier,
        calibrationInTheLarge: roundEst(cal.calibrationInTheLarge),
        calibrationSlope: roundEst(cal.calibrationSlope),
      },
      atThreshold: r.atThreshold,
      topK: r.topK,
    },
    card: draftModelCard({ ...shared, results: [r] }),
    disclosure: { minCount: EXPORT_MIN_COUNT, rules: MODEL_FILE_RULES },
  };
  const problems = exportProblems(file);
  if (problems.length > 0) return fail({ code: 'not-exportable', message: problems[0] });
  return ok({ ...file, integrity: { algorithm: 'sha256', hash: modelHash(file) } });
}

/**
 * What in a model file could single out a case, by the rules above (empty when none). Checks
 * what the file itself shows: a tree's leaf sizes are enforced when fitting (`minSamplesLeaf`).
 */
export function exportProblems(file: Omit<ModelFile, 'integrity'>): string[] {
  const out: string[] = [];
  const p = file.parameters;
  if (p.kind === 'gbdt' && !(p.minSamplesLeaf >= EXPORT_MIN_COUNT)) out.push(`tree leaves may hold fewer than ${EXPORT_MIN_COUNT} cases (minimum leaf size ${p.minSamplesLeaf})`);
  const text = file.preprocessing.text;
  if (text && !(text.minDf >= EXPORT_MIN_COUNT)) out.push(`text n-grams in fewer than ${EXPORT_MIN_COUNT} documents would be kept`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a model file back: untrusted input, checked field by field.

/** The widest hashed text block a file may ask for (2^20 columns; the default is 2^16). */
const MAX_TEXT_BITS = 20;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumArray = (x: unknown, len?: number): x is number[] => Array.isArray(x) && x.every(isNum) && (len === undefined || x.length === len);
const isStrArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

function structureProblem(f: Record<string, unknown>): string | null {
  const pre = f.preprocessing;
  if (!isObj(pre)) return 'it has no preprocessing';
  if (pre.design !== 'linear' && pre.design !== 'trees') return 'unknown preprocessing design';
  if (!isStrArray(pre.names) || !isStrArray(pre.sources) || pre.names.length !== pre.sources.length) return 'the design column names are malformed';
  const p = pre.names.length;
  if (!Array.isArray(pre.numeric)) return 'numeric steps are malformed';
  for (const s of pre.numeric) {
    if (!isObj(s) || typeof s.name !== 'string' || !['column', 'date', 'interaction'].includes(s.kind as string) || !isStrArray(s.sources) || s.sources.length !== (s.kind === 'interaction' ? 2 : 1)) return 'a numeric step is malformed';
    if (!(s.median === null || isNum(s.median)) || typeof s.indicator !== 'boolean') return `the numeric step '${String(s.name)}' is malformed`;
  }
  if (!isNumArray(pre.mean) || !isNumArray(pre.scale, pre.mean.length)) return 'means and scales are malformed';
  if (pre.scale.some((x) => x === 0)) return 'a scale is zero';
  if (!Array.isArray(pre.categorical)) return 'categorical steps are malformed';
  let width = 0;
  for (const c of pre.categorical) {
    if (!isObj(c) || typeof c.source !== 'string' || !isStrArray(c.levels) || typeof c.missingLevel !== 'boolean' || typeof c.other !== 'boolean') return 'a categorical step is malformed';
    if (c.missingLevel && c.levels[c.levels.length - 1] !== MISSING_LEVEL) return `the categorical step '${c.source}' is malformed`;
    width += c.levels.length;
  }
  const numericWidth =
    pre.design === 'trees'
      ? pre.numeric.length
      : pre.numeric.filter((s) => (s as NumericStepFile).median !== null).length + pre.numeric.filter((s) => (s as NumericStepFile).indicator).length;
  if (pre.design === 'linear' && numericWidth !== pre.mean.length) return 'means and scales do not match the numeric columns';
  if (numericWidth + width !== p) return `the preprocessing makes ${numericWidth + width} columns but names ${p}`;
  if (!(pre.dateColumn === null || typeof pre.dateColumn === 'string')) return 'the decision date is malformed';
  if (pre.numeric.some((s) => (s as NumericStepFile).kind === 'date') && pre.dateColumn === null) return 'date inputs need a decision date';
  if (pre.text !== null) {
    const t = pre.text;
    if (!isObj(t) || !isStrArray(t.columns) || t.columns.length === 0 || !Number.isInteger(t.bits) || (t.bits as number) < 1 || (t.bits as number) > MAX_TEXT_BITS || !isNum(t.nDocs) || !isNum(t.minDf)) return 'the text preprocessing is malformed';
    const width2 = 2 ** (t.bits as number);
    if (!Array.isArray(t.idf) || !t.idf.every((e) => Array.isArray(e) && e.length === 2 && Number.isInteger(e[0]) && e[0] >= 0 && e[0] < width2 && isNum(e[1]))) return 'the text idf is malformed';
  }
  const par = f.parameters;
  if (!isObj(par)) return 'it has no parameters';
  const model = f.model;
  if (!isObj(model) || model.kind !== par.kind) return 'the model kind and parameters disagree';
  if (par.kind === 'logistic') {
    if (!isNum(par.intercept) || !isNumArray(par.coef, p)) return 'the logistic coefficients do not match the design';
    if (par.text !== null) {
      if (!isObj(pre.text)) return 'text coefficients without a text preprocessing';
      const width2 = 2 ** (pre.text.bits as number);
      if (!Array.isArray(par.text) || !par.text.every((e) => Array.isArray(e) && e.length === 2 && Number.isInteger(e[0]) && e[0] >= 0 && e[0] < width2 && isNum(e[1]))) return 'the text coefficients are malformed';
    }
    if (pre.design !== 'linear') return 'a logistic model needs the linear preprocessing';
  } else if (par.kind === 'mlp') {
    if (!Array.isArray(par.layers) || par.layers.length === 0) return 'the network has no layers';
    let nIn = p;
    for (const l of par.layers) {
      if (!isObj(l) || l.nIn !== nIn || !Number.isInteger(l.nOut) || (l.nOut as number) < 1 || !isNumArray(l.W, nIn * (l.nOut as number)) || !isNumArray(l.b, l.nOut as number)) return 'a network layer is malformed';
      nIn = l.nOut as number;
    }
    if (nIn !== 1) return 'the network must end in one output';
    if (pre.design !== 'linear') return 'a network needs the linear preprocessing';
  } else if (par.kind === 'gbdt') {
    if (!isNum(par.baseline) || !isNum(par.minSamplesLeaf) || !Array.isArray(par.trees)) return 'the trees are malformed';
    for (const t of par.trees) {
      if (!isObj(t)) return 'a tree is malformed';
      const m = Array.isArray(t.left) ? t.left.length : -1;
      if (m < 1 || !isNumArray(t.left, m) || !isNumArray(t.right, m) || !isNumArray(t.feature, m) || !isNumArray(t.value, m) || !isNumArray(t.missingLeft, m)) return 'a tree is malformed';
      if (!Array.isArray(t.threshold) || t.threshold.length !== m || !t.threshold.every((x) => x === null || isNum(x))) return 'a tree threshold is malformed';
      for (let k = 0; k < m; k++) {
        const leaf = t.left[k] === -1;
        // Children come after their parent, so a walk from the root always ends at a leaf.
        if (!leaf && !(Number.isInteger(t.left[k]) && t.left[k] > k && t.left[k] < m && Number.isInteger(t.right[k]) && t.right[k] > k && t.right[k] < m)) return 'a tree node points outside the tree';
        if (!leaf && !(Number.isInteger(t.feature[k]) && t.feature[k] >= 0 && t.feature[k] < p)) return 'a tree splits on a column the design does not have';
      }
    }
    if (pre.design !== 'trees') return 'trees need the trees preprocessing';
  } else return `unknown model kind '${String(par.kind)}'`;
  const op = f.operatingPoint;
  if (!isObj(op) || !isNum(op.threshold) || !isNum(op.topPct) || op.topPct <= 0 || op.topPct > 100) return 'the operating point is malformed';
  if (!isObj(f.outcome) || typeof f.outcome.name !== 'string' || typeof f.outcome.positive !== 'string') return 'the outcome is malformed';
  // The inputs are derived from the preprocessing; a file whose list says otherwise is refused.
  if (!Array.isArray(f.inputs) || canonicalJson(f.inputs) !== canonicalJson(inputsOf(pre as unknown as ModelFile['preprocessing']))) return 'its list of inputs does not match its preprocessing';
  if (!isObj(f.development)) return 'the development results are missing';
  return null;
}

/**
 * Read a model file (JSON text). Fails, naming the file, when it is not JSON, not a
 * `candour.model/1` file, malformed, or altered since export (its hash does not match).
 */
export function parseModelFile(text: string, fileName = 'model file'): Result<ModelFile> {
  const bad = (message: string, code = 'bad-model-file'): Result<ModelFile> => fail({ code, message, file: fileName } satisfies AppError);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  if (!isObj(json)) return bad('it is not a model file');
  if (json.schema !== MODEL_SCHEMA) return bad(typeof json.schema === 'string' ? `it is a '${json.schema}' file, not a ${MODEL_SCHEMA} model file` : `it is not a ${MODEL_SCHEMA} model file`);
  const integrity = json.integrity;
  if (!isObj(integrity) || integrity.algorithm !== 'sha256' || typeof integrity.hash !== 'string') return bad('it carries no integrity hash');
  const actual = modelHash(json as unknown as ModelFile);
  if (integrity.hash.toLowerCase() !== actual) return bad(`it was altered after export (hash ${actual.slice(0, 12)}…, recorded ${integrity.hash.slice(0, 12)}…)`, 'model-altered');
  const problem = structureProblem(json);
  if (problem) return bad(problem);
  return ok(json as unknown as ModelFile);
}

/** The fitted preprocessing and predictor rebuilt from a (checked) model file. */
export interface RestoredModel {
  pipeline: Pipeline;
  predict(d: Design): Float64Array;
}

export function restoreModel(file: ModelFile): RestoredModel {
  const pre = file.preprocessing;
  const numeric = pre.numeric.map((s) => ({ name: s.name, kind: s.kind, sources: s.sources.slice(), median: s.median === null ? NaN : s.median, indicator: s.indicator }));
  let text: Pipeline['text'] = null;
  if (pre.text) {
    const idf = new Float64Array(2 ** pre.text.bits);
    for (const [j, v] of pre.text.idf) idf[j] = v;
    text = { bits: pre.text.bits, idf, nDocs: pre.text.nDocs };
  }
  const pipeline: Pipeline = {
    spec: {
      numeric: numeric.filter((s) => s.kind === 'column').map((s) => s.sources[0]),
      categorical: pre.categorical.map((c) => c.source),
      text: pre.text ? pre.text.columns.slice() : [],
      dates: numeric.filter((s) => s.kind === 'date').map((s) => s.sources[0]),
      dateColumn: pre.dateColumn ?? undefined,
    },
    options: {
      forTrees: pre.design === 'trees',
      interactions: numeric.filter((s) => s.kind === 'interaction').map((s) => [s.sources[0], s.sources[1]] as [string, string]),
      ...(pre.text ? { textBits: pre.text.bits, textMinDf: pre.text.minDf } : {}),
    },
    numeric,
    categorical: pre.categorical.map((c) => ({ source: c.source, levels: c.levels.slice(), missingLevel: c.missingLevel, other: c.other })),
    mean: Float64Array.from(pre.mean),
    scale: Float64Array.from(pre.scale),
    text,
    names: pre.names.slice(),
    sources: pre.sources.slice(),
    notes: [],
  };
  const par = file.parameters;
  let predict: (d: Design) => Float64Array;
  if (par.kind === 'logistic') {
    let textCoef: Float64Array | null = null;
    if (par.text && pre.text) {
      textCoef = new Float64Array(2 ** pre.text.bits);
      for (const [j, v] of par.text) textCoef[j] = v;
    }
    const fit: LogisticFit = {
      coef: Float64Array.from(par.coef),
      intercept: par.intercept,
      textCoef,
      se: null,
      interceptSe: null,
      names: pre.names.slice(),
      C: NaN,
      iterations: 0,
      converged: true,
      gradMax: NaN,
      curve: [],
    };
    predict = (d) => predictLogistic(fit, d);
  } else if (par.kind === 'mlp') {
    const fit: MlpFit = {
      layers: par.layers.map((l) => ({ nIn: l.nIn, nOut: l.nOut, W: Float64Array.from(l.W), b: Float64Array.from(l.b) })),
      curve: [],
      epochs: 0,
      bestEpoch: 0,
      backend: 'none',
      engine: 'typed-arrays',
    };
    predict = (d) => predictMlp(fit, d);
  } else {
    const trees: Tree[] = par.trees.map((t) => ({
      feature: Int32Array.from(t.feature),
      binThreshold: new Int32Array(t.feature.length),
      threshold: Float64Array.from(t.threshold, (x) => (x === null ? Infinity : x)),
      missingLeft: Uint8Array.from(t.missingLeft),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      value: Float64Array.from(t.value),
    }));
    const f = gbdtPredictor(trees, par.baseline, pre.names.length);
    predict = (d) => f(d.X, d.n);
  }
  return { pipeline, predict };
}

/** A model file as it is written to disk (indented JSON; the hash does not depend on the layout). */
export function modelFileText(file: ModelFile): string {
  return JSON.stringify(file, null, 1) + '\n';
}
