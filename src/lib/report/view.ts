/**
 * What the report pages show, computed from a Bundle alone (so the same pages render a bundle
 * just computed or one opened from a file): labels, headline numbers, the operating row the
 * control snaps to, natural-frequency sentences, forest-plot rows, table rows, verdict wording.
 * Every missing or withheld field has a plain answer here, so the pages never branch on data.
 */
import { DEFAULT_TOLERANCE } from '../run/defaults.ts';
import type { Bundle, DisparityMetric, Estimate, ModelResult, OperatingRow, SubgroupResult, Verdict } from '../bundle/schema.ts';
import { casesNeededWords, type ForestInput, type ForestRow } from '../charts/forest.ts';
import { count, num2, num3, pct } from '../charts/svg.ts';
import { testRowsOf } from './policy-view.ts';
import { describeCriterion, type Criterion } from '../evaluate/prereg.ts';
import { capitalised, featureWords, unitCount, unitWords } from '../project/words.ts';

// ------------------------------------------------------------------ labels

const MODEL_NAMES: Record<ModelResult['model'], string> = {
  baseline: 'Simple baseline',
  logistic: 'Logistic regression',
  gbdt: 'Boosted trees',
  mlp: 'Neural network (MLP)',
  external: 'Existing score',
};

/** "Logistic regression (with case notes)". */
export function modelLabel(r: Pick<ModelResult, 'model' | 'features'>): string {
  const name = MODEL_NAMES[r.model] ?? String(r.model);
  if (r.features === 'structured+text') return `${name} (with case notes)`;
  if (r.features === 'structured' && r.model !== 'baseline') return `${name} (without case notes)`;
  return name;
}

/** "logistic (structured+text)": how comparisons name a model in the bundle. */
export function modelKey(r: Pick<ModelResult, 'model' | 'features'>): string {
  return r.features ? `${r.model} (${r.features})` : r.model;
}

/** The audited measures in words, in the report's unit (`task.unit`; children when absent). */
export function metricLabels(unit?: unknown): Record<DisparityMetric, string> {
  const w = unitWords(unit);
  return {
    fpr: `False alarms among ${w.many} who ${w.hadNot} (FPR)`,
    fnr: `${capitalised(w.many)} missed among those who ${w.had} (FNR)`,
    precision: 'Flags that were right (precision)',
    flaggedRate: `Share of ${w.many} flagged`,
    averagePrecision: 'Average precision',
  };
}
export const METRIC_LABELS: Record<DisparityMetric, string> = metricLabels();
export const DISPARITY_METRICS: readonly DisparityMetric[] = ['fpr', 'fnr', 'precision', 'flaggedRate', 'averagePrecision'];

/** "0.43 (95% interval 0.39 to 0.47)", or why there is no number. */
export function estimateWords(e: Estimate | null | undefined, fmt: (x: number | null) => string = num2): string {
  if (e?.tooFew) return 'too few to evaluate';
  if (!e || e.value === null) return 'not available';
  if (e.lo === null || e.hi === null) return `${fmt(e.value)} (no interval)`;
  return `${fmt(e.value)} (95% interval ${fmt(e.lo)} to ${fmt(e.hi)})`;
}

// ------------------------------------------------------------------ verdict tags

export interface Tag {
  text: string;
  /** GOV.UK tag modifier class. */
  className: string;
}

export function preregTag(v: ModelResult['verdict']): Tag {
  if (v === 'met') return { text: 'Criteria met', className: 'govuk-tag--green' };
  if (v === 'not met') return { text: 'Criteria not met', className: 'govuk-tag--red' };
  return { text: 'No criteria set', className: 'govuk-tag--grey' };
}

export function disparityTag(v: Verdict | null | undefined, tooFew = false): Tag {
  if (tooFew) return { text: 'Too few to tell', className: 'govuk-tag--grey' };
  if (v === 'disparity') return { text: 'Disparity', className: 'govuk-tag--red' };
  if (v === 'no disparity') return { text: 'No disparity', className: 'govuk-tag--green' };
  if (v === 'inconclusive') return { text: 'Inconclusive', className: 'govuk-tag--yellow' };
  return { text: 'No verdict', className: 'govuk-tag--grey' };
}

// ------------------------------------------------------------------ headline

export interface Headline {
  label: string;
  ap: string;
  chance: string;
  /** AP against the chance line, in words. */
  sentence: string;
  tag: Tag;
  /** What the pre-registered criteria were, in words (or that there were none). */
  criteria: string;
}

/** A stored criterion without its own text, in words (never as raw JSON). */
function criterionText(c: unknown): string {
  const o = c as Partial<Criterion> | null;
  return o && typeof o === 'object' && typeof o.metric === 'string' && (o.op === '>=' || o.op === '<=') && typeof o.value === 'number'
    ? describeCriterion(o as Criterion)
    : 'a criterion recorded in a form this version cannot read';
}

function criteriaText(bundle: Bundle): string {
  const pr = bundle.preregistration;
  if (!pr || !Array.isArray(pr.criteria) || pr.criteria.length === 0) return 'No success criteria were fixed before the results were seen.';
  const texts = pr.criteria.map((c) => (c && typeof c === 'object' && typeof (c as unknown as { text?: unknown }).text === 'string' ? (c as unknown as { text: string }).text : criterionText(c)));
  return `Fixed before the results were seen: ${texts.join('; ')}.`;
}

export function headlineOf(bundle: Bundle, r: ModelResult): Headline {
  const ap = r.metrics.averagePrecision;
  const chance = r.metrics.prevalence ?? bundle.data.prevalence;
  let sentence: string;
  const m = r.minimums;
  if (ap.tooFew && m) sentence = `Too few cases to evaluate the ranking: ${m.positives === null ? 'a withheld number' : count(m.positives)} needed help and ${m.negatives === null ? 'a withheld number' : count(m.negatives)} did not, and at least ${m.needPositives} of each are needed${m.casesNeeded === null ? '' : ` (about ${count(m.casesNeeded)} cases in all would settle it)`}.`;
  else if (ap.tooFew) sentence = 'Too few cases to evaluate the ranking.';
  else if (ap.value === null) sentence = 'Average precision is not available (withheld, or no child in the test data needed help).';
  else if (chance === null) sentence = `Average precision ${num2(ap.value)}; the chance level is not available.`;
  else if (ap.lo !== null && ap.lo > chance) sentence = `Better than chance: even the low end of the interval (${num2(ap.lo)}) is above the ${num2(chance)} that flagging at random would give.`;
  else if (ap.lo !== null) sentence = `Not clearly better than chance: the interval reaches down to ${num2(ap.lo)}, against ${num2(chance)} for flagging at random.`;
  else sentence = `Average precision ${num2(ap.value)} against ${num2(chance)} for flagging at random (no interval, so no firm conclusion).`;
  return { label: modelLabel(r), ap: estimateWords(ap), chance: num2(chance), sentence, tag: preregTag(r.verdict), criteria: criteriaText(bundle) };
}

// ------------------------------------------------------------------ operating point

/** The operating rows of a result (or subgroup), or null when the bundle has none. */
export function operatingRowsOf(x: { curves?: { operating?: OperatingRow[] } } | SubgroupResult | ModelResult): OperatingRow[] | null {
  const rows = ('curves' in x && x.curves && typeof x.curves === 'object' ? (x.curves as { operating?: OperatingRow[] }).operating : (x as SubgroupResult).operating) ?? null;
  return Array.isArray(rows) && rows.length > 0 ? rows : null;
}

export interface RowRates {
  precision: number | null;
  recall: number | null;
  fpr: number | null;
  fnr: number | null;
}

export function ratesOf(row: OperatingRow): RowRates {
  const { tp, fp, fn, tn } = row;
  if (tp === null || fp === null || fn === null || tn === null) return { precision: null, recall: null, fpr: null, fnr: null };
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), fpr: ratio(fp, fp + tn), fnr: ratio(fn, tp + fn) };
}

/** "Of every 10 children the model flags, about 6 ..." sentences for one row, in the words of the
 *  report's unit (`bundle.task.unit`: children, families, referrals or people; children when absent). */
export function naturalFrequencySentences(row: OperatingRow, unit?: unknown): string[] {
  const { tp, fp, fn, tn } = row;
  if (tp === null || fp === null || fn === null || tn === null) return ['The counts at this point were withheld to protect small numbers, so they cannot be described.'];
  const w = unitWords(unit);
  const flagged = tp + fp;
  const needed = tp + fn;
  const n = flagged + fn + tn;
  const out: string[] = [];
  if (flagged === 0) out.push(`At this point the model flags no ${w.one}.`);
  else {
    const right = Math.round((10 * tp) / flagged);
    out.push(`Of every 10 ${w.many} the model flags, about ${right} ${w.yes} and ${10 - right} ${10 - right === 1 ? 'was a false alarm' : 'were false alarms'}.`);
  }
  if (needed === 0) out.push(`No ${w.one} in these data ${w.yes}, so none could be missed.`);
  else {
    const found = Math.round((10 * tp) / needed);
    out.push(`Of every 10 ${w.many} who ${w.yes}, the model flags about ${found} and misses ${10 - found}.`);
  }
  if (n > 0) out.push(`In all it flags ${count(flagged)} of ${unitCount(n, unit)} (${pct(flagged / n)}).`);
  return out;
}

// ------------------------------------------------------------------ comparison and drivers

export interface ComparisonRow {
  label: string;
  ap: string;
  auc: string;
  brier: string;
  /** Paired difference in AP against the comparator, with its interval, or why there is none. */
  difference: string;
  verdict: Tag;
}

function isEstimate(x: unknown): x is Estimate {
  return !!x && typeof x === 'object' && 'value' in x && 'lo' in x && 'hi' in x;
}

function signed(x: number | null): string {
  return x === null ? 'not defined' : `${x >= 0 ? '+' : '−'}${num2(Math.abs(x))}`;
}

export function differenceWords(e: Estimate | null | undefined): string {
  if (!e || e.value === null) return 'not computed';
  const base = signed(e.value);
  if (e.lo === null || e.hi === null) return `${base} (no interval)`;
  const clear = e.lo > 0 ? 'clearly better' : e.hi < 0 ? 'clearly worse' : 'not clearly different';
  return `${base} (${signed(e.lo)} to ${signed(e.hi)}): ${clear}`;
}

export function comparisonRows(bundle: Bundle): ComparisonRow[] {
  return bundle.results.map((r) => {
    const c = (bundle.comparisons ?? []).find((x) => x.a === modelKey(r) && x.b === 'baseline');
    let difference = 'no paired comparison was made';
    if (r.model === 'baseline') difference = 'the comparator';
    else if (c && isEstimate(c.difference)) difference = `${differenceWords(c.difference)} vs ${modelLabel({ model: 'baseline', features: null })}`;
    return {
      label: modelLabel(r),
      ap: estimateWords(r.metrics.averagePrecision),
      auc: estimateWords(r.metrics.rocAuc),
      brier: estimateWords(r.metrics.brier, num3),
      difference,
      verdict: preregTag(r.verdict),
    };
  });
}

/** Further paired comparisons of the bundle (`bundle.comparisons`), in words. */
export function pairedComparisonRows(bundle: Bundle): { a: string; b: string; difference: string }[] {
  const list = bundle.comparisons;
  if (!Array.isArray(list)) return [];
  const byKey = new Map(bundle.results.map((r) => [modelKey(r), modelLabel(r)]));
  return list.flatMap((c: unknown) => {
    if (!c || typeof c !== 'object') return [];
    const { a, b, difference } = c as { a?: unknown; b?: unknown; difference?: unknown };
    if (typeof a !== 'string' || typeof b !== 'string') return [];
    return [{ a: byKey.get(a) ?? a, b: byKey.get(b) ?? b, difference: isEstimate(difference) ? differenceWords(difference) : 'not computed' }];
  });
}

export interface DriverRow {
  name: string;
  value: string;
  interval: string;
  /** Bar length 0..1 for a simple visual (relative to the largest |value|). */
  size: number;
  /** true when the interval excludes 0. */
  clear: boolean;
}

function driverRowsOf(list: unknown, nameKey: string, fmt: (x: number) => string, limit: number, columns: readonly string[]): DriverRow[] | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const items = list.flatMap((x: unknown) => {
    if (!x || typeof x !== 'object') return [];
    const o = x as Record<string, unknown>;
    const name = o[nameKey];
    if (typeof name !== 'string' || typeof o.value !== 'number') return [];
    return [{ name, value: o.value, lo: typeof o.lo === 'number' ? o.lo : null, hi: typeof o.hi === 'number' ? o.hi : null }];
  });
  items.sort((p, q) => Math.abs(q.value) - Math.abs(p.value));
  const top = items.slice(0, limit);
  const max = Math.max(1e-12, ...top.map((i) => Math.abs(i.value)));
  return top.map((i) => ({
    name: featureWords(i.name, columns),
    value: fmt(i.value),
    interval: i.lo === null || i.hi === null ? 'no interval' : `${fmt(i.lo)} to ${fmt(i.hi)}`,
    size: Math.abs(i.value) / max,
    clear: i.lo !== null && i.hi !== null && (i.lo > 0 || i.hi < 0),
  }));
}

/** What an importance interval is, from the producer's `interval` note on its entries (e.g.
 *  "lowest and highest of 5 shuffles"); a plain "Interval" when it does not say. */
function intervalLabelOf(list: unknown, fallback: string): string {
  const first = Array.isArray(list) ? (list[0] as { interval?: unknown } | undefined) : undefined;
  return first && typeof first.interval === 'string' ? first.interval : fallback;
}

/** Logistic coefficients (largest first) and permutation importance, each null when absent,
 *  with the heading their interval column should carry. */
export function driverRows(r: ModelResult, limit = 12, columns: readonly string[] = []): { coefficients: DriverRow[] | null; importance: DriverRow[] | null; coefficientInterval: string; importanceInterval: string } {
  // Permutation importance is not part of the report (no run produces it); a /1 bundle's is still read.
  const importance = (r as { importance?: unknown }).importance;
  return {
    coefficients: driverRowsOf(r.coefficients, 'name', (x) => signed(x), limit, columns),
    importance: driverRowsOf(importance, 'feature', (x) => num3(x), limit, columns),
    coefficientInterval: intervalLabelOf(r.coefficients, '95% interval'),
    importanceInterval: intervalLabelOf(importance, 'Interval'),
  };
}

// ------------------------------------------------------------------ fairness

export type DisparityAt = 'threshold' | 'topK';

export function attributesOf(r: ModelResult): string[] {
  return [...new Set(r.subgroups.map((s) => s.attribute))];
}

export function toleranceOf(bundle: Bundle): { lower: number; upper: number } {
  const t = (bundle.task.fairness as { tolerance?: { lower?: unknown; upper?: unknown } } | undefined)?.tolerance;
  if (t && typeof t.lower === 'number' && typeof t.upper === 'number' && t.lower > 0 && t.upper > t.lower) return { lower: t.lower, upper: t.upper };
  return { ...DEFAULT_TOLERANCE };
}

function disparityOf(s: SubgroupResult, metric: DisparityMetric, at: DisparityAt) {
  // From /2 on, `disparity` is at the run's operating policy (one set). A /1 bundle has one set at
  // the threshold and one at the top-K% cut; AP is the same at either and lives in `disparity`.
  const set = at === 'topK' && metric !== 'averagePrecision' && s.disparityTopK ? s.disparityTopK : s.disparity;
  return set?.[metric];
}

const isReference = (s: SubgroupResult) => s.isReference === true;

/** The reference group of an attribute (named by any group's disparity, or flagged isReference). */
export function referenceOf(subgroups: readonly SubgroupResult[]): string {
  for (const s of subgroups) if (isReference(s)) return s.group;
  for (const s of subgroups) for (const d of Object.values(s.disparity ?? {})) if (d?.reference) return d.reference;
  return 'the reference group';
}

export function forestInputOf(r: ModelResult, attribute: string, metric: DisparityMetric, at: DisparityAt, tolerance: { lower: number; upper: number }, id: string, unit?: unknown): ForestInput {
  const groups = r.subgroups.filter((s) => s.attribute === attribute);
  const reference = referenceOf(groups);
  const rows: ForestRow[] = groups.map((s) => {
    const label = s.small ? `${s.group} (small)` : s.group;
    if (isReference(s) || s.group === reference) return { label, ratio: 1, lo: null, hi: null, verdict: null, note: 'reference group' };
    const d = disparityOf(s, metric, at);
    const withheld = s.suppressed || (s.withheld && Object.keys(s.withheld).some((k) => k === `disparity.${metric}` || k === 'n'));
    const few = d?.tooFew === true ? { tooFew: true, casesNeeded: d.casesNeeded, n: s.n } : {};
    if (!d || d.ratio === null) return { label, ratio: null, lo: null, hi: null, verdict: null, note: withheld ? 'withheld (small numbers)' : 'no estimate (too few cases)', ...few };
    return { label, ratio: d.ratio, lo: d.lo, hi: d.hi, verdict: d.verdict, casesNeeded: d.casesNeeded, n: s.n, ...few };
  });
  return { rows, tolerance, metricLabel: metricLabels(unit)[metric], reference, id, unit };
}

export interface VerdictLine {
  group: string;
  tag: Tag;
  words: string;
}

/** One line per non-reference group: its verdict badge and, when inconclusive, how many more cases. */
export function verdictLines(input: ForestInput): VerdictLine[] {
  return input.rows
    .filter((r) => r.note !== 'reference group')
    .map((r) => {
      const tag = disparityTag(r.verdict, r.tooFew === true);
      // The words follow the tag, so the two can never contradict each other.
      const rate = r.ratio === 0 ? `None at all in this group, against some in ${input.reference}` : `${num2(r.ratio)} times the ${input.reference} rate`;
      let words: string;
      if (r.tooFew) words = `Too few ${unitWords(input.unit).many} in this group to tell: ${casesNeededWords(r.casesNeeded, r.n)}.`;
      else if (r.verdict === 'inconclusive') words = `${capitalised(casesNeededWords(r.casesNeeded, r.n))} in this group to tell.`;
      else if (r.verdict === 'disparity') words = `${rate}; the whole interval (${num2(r.lo)} to ${num2(r.hi)}) is outside the tolerance.`;
      else if (r.verdict === 'no disparity') words = `${num2(r.ratio)} times the ${input.reference} rate; the whole interval is inside the tolerance.`;
      else words = r.note ?? 'No verdict.';
      return { group: r.label, tag, words };
    });
}

export interface GroupTableRow {
  group: string;
  n: string;
  positives: string;
  prevalence: string;
  ap: string;
  flagged: string;
  precision: string;
  fpr: string;
  fnr: string;
  flags: string[];
}

/** Every group and intersection, small cells flagged and never hidden, withheld cells said so. */
export function groupTableRows(r: ModelResult, attribute: string, at: DisparityAt): GroupTableRow[] {
  const withheld = 'withheld (small numbers)';
  return r.subgroups
    .filter((s) => s.attribute === attribute)
    .map((s) => {
      const op = s.atPolicy ?? (at === 'topK' ? s.topK : s.atThreshold);
      const cell = (x: number | null | undefined, fmt: (v: number | null) => string) => (x === null || x === undefined ? (s.suppressed || op?.suppressed ? withheld : 'not defined') : fmt(x));
      const flags: string[] = [];
      if (isReference(s)) flags.push('reference');
      if (s.small) flags.push('small group: read with care');
      if (s.suppressed) flags.push('some numbers withheld');
      return {
        group: s.group,
        n: s.n === null || s.n === undefined ? withheld : count(s.n),
        positives: s.positives === null || s.positives === undefined ? withheld : count(s.positives),
        prevalence: cell(s.prevalence, pct),
        ap: s.averagePrecision?.value === null || s.averagePrecision === undefined ? (s.suppressed ? withheld : 'not defined') : estimateWords(s.averagePrecision),
        flagged: cell(op?.flaggedRate, pct),
        precision: cell(op?.precision, pct),
        fpr: cell(op?.fpr, pct),
        fnr: cell(op?.fnr, pct),
        flags,
      };
    });
}

/** Lowest and highest score cut among the rows (the threshold slider's range), null when none. */
export function thresholdRangeOf(rows: OperatingRow[] | null): { min: number; max: number } | null {
  if (!rows) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    if (r.threshold === null) continue;
    min = Math.min(min, r.threshold);
    max = Math.max(max, r.threshold);
  }
  return Number.isFinite(min) && max > min ? { min, max } : null;
}

/** One line about what the report is: data, test cases (the test side, never every row), models. */
export function reportSummary(bundle: Bundle): string {
  const tested = testRowsOf(bundle);
  const n = tested === null ? 'a withheld number of' : count(tested);
  const models = bundle.results.length === 1 ? 'one model' : `${bundle.results.length} models`;
  return `${bundle.data.name}: ${n} test cases, ${pct(bundle.results[0]?.metrics.prevalence ?? bundle.data.prevalence)} of whom went on to need help (outcome “${bundle.task.outcome}”); ${models}.`;
}
