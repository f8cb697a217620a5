/**
 * Success criteria on the Question page and their verdicts on a finished run. The run's bundle
 * carries bootstrap intervals for the ranking metrics and for the rates at its two operating
 * points (score threshold, top K%); a criterion is judged on exactly those intervals
 * (prereg.judgeEstimate: met only when the whole interval clears the bar). A rate asked for at
 * another operating point is read from the run's curves, which carry no interval, and is judged
 * with a Wilson score interval over the counts behind it, treating the cut as fixed — an
 * approximation the judgement says in words.
 */
import type { Bundle, Estimate, ModelResult, OperatingPointResult } from '../bundle/schema.ts';
import type { AppError } from '../errors.ts';
import {
  criterionProblem, describeCriterion, judgeEstimate, overallVerdict,
  type Criterion, type CriterionMetric, type Judgement, type RateMetric,
} from '../evaluate/prereg.ts';

export const RANKING_METRICS: readonly CriterionMetric[] = ['averagePrecision', 'rocAuc', 'brier'];

/** What the criterion form holds: strings as typed, so a half-typed number is not lost. */
export interface CriterionForm {
  metric: CriterionMetric;
  op: '>=' | '<=';
  value: string;
  at: 'none' | 'recall' | 'topPct' | 'threshold';
  atValue: string;
}

export const METRIC_CHOICES: { metric: CriterionMetric; label: string }[] = [
  { metric: 'averagePrecision', label: 'Average precision' },
  { metric: 'rocAuc', label: 'ROC AUC' },
  { metric: 'brier', label: 'Brier score (lower is better)' },
  { metric: 'precision', label: 'Precision (share of flagged children who needed help)' },
  { metric: 'recall', label: 'Recall (share of children who needed help who were flagged)' },
  { metric: 'fnr', label: 'Children missed (FNR)' },
  { metric: 'fpr', label: 'False positive rate' },
  { metric: 'flaggedRate', label: 'Share of children flagged' },
];

/** The criterion the form describes, or the problem with it. */
export function criterionOfForm(f: CriterionForm): { criterion: Criterion } | { problem: AppError } {
  const value = Number(f.value.trim());
  if (f.value.trim() === '' || !Number.isFinite(value)) return { problem: { code: 'invalid-criterion', message: `the bar must be a number, not '${f.value}'` } };
  const c: Criterion = { metric: f.metric, op: f.op, value };
  const ranking = RANKING_METRICS.includes(f.metric);
  if (!ranking) {
    if (f.at === 'none') return { problem: { code: 'invalid-criterion', message: `${describeCriterion(c)}: say where — at a recall, a top percentage or a score threshold` } };
    const v = Number(f.atValue.trim());
    if (f.atValue.trim() === '' || !Number.isFinite(v)) return { problem: { code: 'invalid-criterion', message: `the operating point must be a number, not '${f.atValue}'` } };
    c.at = { [f.at]: v };
  }
  const p = criterionProblem(c);
  return p ? { problem: p } : { criterion: c };
}

/** The criterion's estimate in this result, and how it was obtained. */
export function criterionEstimate(r: ModelResult, c: Criterion): { estimate: Estimate; n: number | null; approximate: boolean } {
  const none = { estimate: { value: null, lo: null, hi: null }, n: null, approximate: false };
  const nOf = (o: OperatingPointResult) => sum(o.tp, o.fp, o.fn, o.tn);
  if (RANKING_METRICS.includes(c.metric)) {
    const e = r.metrics[c.metric as 'averagePrecision' | 'rocAuc' | 'brier'];
    return { estimate: e ?? none.estimate, n: nOf(r.atThreshold), approximate: false };
  }
  const metric = c.metric as RateMetric;
  const at = c.at ?? {};
  const exact = (o: OperatingPointResult) => {
    const iv = o.intervals?.[metric as keyof NonNullable<OperatingPointResult['intervals']>];
    if (iv) return { estimate: iv, n: nOf(o), approximate: false };
    const counts = countsFrom(o);
    return counts ? wilsonOf(metric, counts) : none;
  };
  if (at.threshold !== undefined && r.atThreshold.threshold === at.threshold) return exact(r.atThreshold);
  if (at.topPct !== undefined && r.topK.topPct === at.topPct) return exact(r.topK);
  if (at.topPct !== undefined) {
    const row = r.curves?.operating?.find((o) => o.topPct === at.topPct);
    const counts = row ? countsFrom(row) : null;
    return counts ? wilsonOf(metric, counts) : none;
  }
  if (at.recall !== undefined) {
    const counts = countsAtRecall(r, at.recall);
    return counts ? wilsonOf(metric, counts) : none;
  }
  // A threshold that is not the run's: the curves carry no score thresholds to read it from.
  return none;
}

interface Counts { tp: number; fp: number; fn: number; tn: number }

function sum(...xs: (number | null | undefined)[]): number | null {
  return xs.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (xs as number[]).reduce((a, b) => a + b, 0) : null;
}

function countsFrom(o: { tp: number | null; fp: number | null; fn: number | null; tn: number | null }): Counts | null {
  return sum(o.tp, o.fp, o.fn, o.tn) === null ? null : { tp: o.tp!, fp: o.fp!, fn: o.fn!, tn: o.tn! };
}

/**
 * Confusion counts at the highest cut whose recall reaches `recall` (prereg's rule), from the
 * run's PR curve (points with thresholds, one per distinct score) and its totals.
 */
export function countsAtRecall(r: ModelResult, recall: number): Counts | null {
  const totals = countsFrom(r.atThreshold);
  const pr = r.curves?.pr;
  if (!totals || !pr || pr.length === 0) return null;
  const P = totals.tp + totals.fn;
  const N = totals.fp + totals.tn;
  if (P === 0) return null;
  // Points in order of decreasing threshold when thresholds are known, else by increasing recall.
  const pts = pr.filter((p) => p.precision !== null).slice();
  if (pts.every((p) => typeof p.threshold === 'number')) pts.sort((a, b) => (b.threshold as number) - (a.threshold as number));
  else pts.sort((a, b) => a.recall - b.recall);
  const hit = pts.find((p) => p.recall >= recall * (1 - 1e-12));
  if (!hit || !hit.precision) return null;
  const tp = Math.round(hit.recall * P);
  const flagged = Math.round(tp / hit.precision);
  const fp = Math.min(N, Math.max(0, flagged - tp));
  return { tp, fp, fn: P - tp, tn: N - fp };
}

const Z = 1.959963984540054;

/** Wilson score 95% interval for x successes in n trials; null bounds when n is 0. */
export function wilson(x: number, n: number): Estimate {
  if (!(n > 0)) return { value: null, lo: null, hi: null };
  const p = x / n;
  const d = 1 + (Z * Z) / n;
  const centre = (p + (Z * Z) / (2 * n)) / d;
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d;
  return { value: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

function wilsonOf(metric: RateMetric, c: Counts): { estimate: Estimate; n: number; approximate: boolean } {
  const flagged = c.tp + c.fp;
  const [x, n] = {
    precision: [c.tp, flagged], recall: [c.tp, c.tp + c.fn], fnr: [c.fn, c.tp + c.fn], fpr: [c.fp, c.fp + c.tn],
    flaggedRate: [flagged, c.tp + c.fp + c.fn + c.tn], falseOmissionRate: [c.fn, c.fn + c.tn],
  }[metric];
  return { estimate: wilson(x, n), n: c.tp + c.fp + c.fn + c.tn, approximate: true };
}

export interface ModelVerdict {
  model: number;
  judgements: (Judgement & { approximate: boolean })[];
  verdict: 'met' | 'not met' | null;
}

/**
 * Every criterion judged for every model of the run: the locked (pre-registered) ones and any
 * added after results were seen (`postHocCriteria`, labelled "post hoc" and never counted). Sets
 * each `result.verdict` ('met' only when every pre-registered criterion is met; null without
 * any) and records the judgements in words under `preregistration.judgements`. Returns a new
 * bundle; the input is not changed.
 */
export function judgeRun(bundle: Bundle, locked: Criterion[], postHocCriteria: Criterion[] = []): { bundle: Bundle; verdicts: ModelVerdict[] } {
  const criteria = [...locked.map((c) => ({ ...c, postHoc: undefined })), ...postHocCriteria.map((c) => ({ ...c, postHoc: true }))];
  const verdicts: ModelVerdict[] = bundle.results.map((r, model) => {
    const judgements = criteria.map((c) => {
      const { estimate, n, approximate } = criterionEstimate(r, c);
      const j = judgeEstimate(c, estimate, n ?? undefined);
      return { ...j, approximate, text: approximate ? `${j.text} (Interval approximate: a Wilson interval on the counts at this cut, read from the curves.)` : j.text };
    });
    return { model, judgements, verdict: overallVerdict(judgements) };
  });
  const results = bundle.results.map((r, i) => ({ ...r, verdict: verdicts[i].verdict }));
  const pr = bundle.preregistration;
  const preregistration = pr
    ? {
        ...pr,
        postHoc: postHocCriteria.map((c) => ({ ...c, postHoc: true })),
        judgements: verdicts.map((v) => ({
          model: bundle.results[v.model].model,
          features: bundle.results[v.model].features,
          items: v.judgements.map((j) => ({ criterion: describeCriterion(j.criterion), status: j.status, postHoc: j.postHoc, text: j.text })),
        })),
      }
    : null;
  return { bundle: { ...bundle, results, preregistration }, verdicts };
}
