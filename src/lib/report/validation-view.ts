/**
 * What an external validation report says, in rows and sentences, for the app's page and the
 * `candour validate` command alike. Every sentence is derived from the report.
 */
import type { Bundle, Estimate, OperatingPointResult } from '../bundle/schema.ts';
import type { ValidationBlock } from '../run/validate-run.ts';

export function validationOf(bundle: Bundle): ValidationBlock | null {
  const v = bundle.validation as ValidationBlock | undefined;
  return v && typeof v === 'object' && v.model ? v : null;
}

const num = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
export const estimateText = (e: Estimate | undefined, d = 3): string =>
  !e || e.value === null ? '—' : e.lo === null || e.hi === null ? num(e.value, d) : `${num(e.value, d)} (${num(e.lo, d)} to ${num(e.hi, d)})`;

export interface SideBySideRow {
  measure: string;
  development: string;
  here: string;
}

/** The model's development results next to this council's, measure by measure. */
export function sideBySide(bundle: Bundle): SideBySideRow[] {
  const v = validationOf(bundle);
  const r = bundle.results[0];
  if (!v || !r) return [];
  const d = v.development;
  const m = r.metrics as Record<string, unknown>;
  const op = (o: OperatingPointResult | undefined, k: 'precision' | 'recall' | 'fnr') => pct(o?.[k] ?? null);
  return [
    { measure: 'Cases (test side there; all cases here)', development: d.data.testRows === null ? 'withheld' : String(d.data.testRows), here: String(bundle.data.rows ?? '—') },
    { measure: 'Share who went on to need help (prevalence)', development: pct(d.data.prevalence), here: pct(bundle.data.prevalence) },
    { measure: 'Average precision', development: estimateText(d.metrics.averagePrecision), here: estimateText(r.metrics.averagePrecision) },
    { measure: 'ROC AUC', development: estimateText(d.metrics.rocAuc), here: estimateText(r.metrics.rocAuc) },
    { measure: 'Brier score (lower is better)', development: estimateText(d.metrics.brier), here: estimateText(r.metrics.brier) },
    { measure: 'Calibration-in-the-large (0 is ideal)', development: estimateText(d.metrics.calibrationInTheLarge), here: estimateText(m.calibrationInTheLarge as Estimate) },
    { measure: 'Calibration slope (1 is ideal)', development: estimateText(d.metrics.calibrationSlope), here: estimateText(m.calibrationSlope as Estimate) },
    { measure: `Precision at score ≥ ${num(d.atThreshold.threshold, 2)}`, development: op(d.atThreshold, 'precision'), here: op(r.atThreshold, 'precision') },
    { measure: `Recall at score ≥ ${num(d.atThreshold.threshold, 2)}`, development: op(d.atThreshold, 'recall'), here: op(r.atThreshold, 'recall') },
    { measure: `Precision in the top ${r.topK.topPct}%${d.topK.topPct !== r.topK.topPct ? ` (there: top ${d.topK.topPct}%)` : ''}`, development: op(d.topK, 'precision'), here: op(r.topK, 'precision') },
    { measure: `Children missed in the top ${r.topK.topPct}%${d.topK.topPct !== r.topK.topPct ? ` (there: top ${d.topK.topPct}%)` : ''}`, development: op(d.topK, 'fnr'), here: op(r.topK, 'fnr') },
  ];
}

export interface RecalibrationViewRow {
  method: string;
  fitted: string;
  calibrationInTheLarge: string;
  calibrationSlope: string;
  meanScore: string;
  brier: string;
  precision: string;
  recall: string;
}

const METHOD_NAMES: Record<string, string> = {
  unchanged: 'Unchanged model',
  intercept: 'Recalibrated: intercept',
  'intercept and slope': 'Recalibrated: intercept and slope',
};

export function recalibrationRows(bundle: Bundle): RecalibrationViewRow[] {
  const v = validationOf(bundle);
  if (!v) return [];
  return v.recalibration.rows.map((row) => ({
    method: METHOD_NAMES[row.method] ?? row.method,
    fitted: row.intercept === null ? '—' : `a = ${num(row.intercept)}${row.method === 'intercept and slope' ? `, b = ${num(row.slope)}` : ''}`,
    calibrationInTheLarge: estimateText(row.calibrationInTheLarge),
    calibrationSlope: estimateText(row.calibrationSlope),
    meanScore: pct(row.meanScore),
    brier: num(row.brier, 4),
    precision: pct(row.atThreshold.precision),
    recall: pct(row.atThreshold.recall),
  }));
}

/** Whether an interval excludes a value (null when there is no interval). */
const excludes = (e: Estimate, x: number): boolean | null => (e.lo === null || e.hi === null ? null : e.lo > x || e.hi < x);

/** Plain sentences: which model, how its inputs were found, how it transports, what recalibration does. */
export function validationSummary(bundle: Bundle): string[] {
  const v = validationOf(bundle);
  const r = bundle.results[0];
  if (!v || !r) return [];
  const out: string[] = [];
  out.push(`Model: ${v.model.kind} (${v.model.features}), developed on '${v.model.developedOn}', file hash ${v.model.hash}; ${v.model.signer ? `signed by key ${v.model.signer.fingerprint}` : 'not signed (hash only)'}.`);
  const how = (h: string) => v.inputs.filter((i) => i.how === h).length;
  out.push(`Its ${v.inputs.length} inputs: ${how('same name')} found by name, ${how('similar name')} by a similar name, ${how('mapped')} mapped by hand, ${how('not recorded')} not recorded here (treated as missing).`);
  for (const p of v.problems) {
    if (p.unknownLevels?.length) {
      const shown = p.unknownLevels.slice(0, 5).map((l) => `'${l.value}' (${l.count})`).join(', ');
      const scored = p.scoredAsOther
        ? ` They are scored as its "(other)" level, where it put values seen fewer than 10 times in its training.`
        : ' They are scored as no known level.';
      out.push(`'${p.column}' has ${p.unknownLevels.length} value${p.unknownLevels.length === 1 ? '' : 's'} the model does not know, in ${p.unknownTotal} case${p.unknownTotal === 1 ? '' : 's'}: ${shown}${p.unknownLevels.length > 5 ? ', …' : ''}.${scored}`);
    }
    if (p.notNumbers) out.push(`'${p.column}' has ${p.notNumbers} value${p.notNumbers === 1 ? '' : 's'} that ${p.notNumbers === 1 ? 'is' : 'are'} not a number, treated as missing.`);
  }
  const citl = r.metrics.calibrationInTheLarge as Estimate;
  const slope = r.metrics.calibrationSlope as Estimate;
  const mean = v.calibration.meanScore;
  const obs = v.calibration.observed;
  if (citl?.value !== null && citl) {
    const off = excludes(citl, 0);
    const dir = citl.value! < 0 ? 'predicts the outcome more often than it happened here' : 'predicts the outcome less often than it happened here';
    out.push(
      `Calibration-in-the-large ${estimateText(citl)}: ${off ? `the model ${dir}` : 'no clear sign that the model predicts too many or too few'} (mean score ${pct(mean)}, observed ${pct(obs)}).`,
    );
  }
  if (slope?.value !== null && slope) {
    const off = excludes(slope, 1);
    out.push(`Calibration slope ${estimateText(slope)}: ${off ? (slope.value! < 1 ? 'its scores are too extreme here' : 'its scores are too timid here') : 'no clear sign that its scores are too extreme or too timid'}.`);
  }
  const rows = v.recalibration.rows;
  const split = v.recalibration.split;
  const sides =
    split.method === 'temporal'
      ? `on this council's ${split.train.n} earlier cases and tested on its ${split.test.n} later ones`
      : `on ${split.train.n} of this council's cases and tested on the other ${split.test.n}`;
  for (const row of rows.filter((x) => x.method !== 'unchanged')) {
    out.push(`Recalibrated (${row.method}) ${sides}: calibration-in-the-large ${estimateText(row.calibrationInTheLarge)}, slope ${estimateText(row.calibrationSlope)} (unchanged model on the same cases: ${estimateText(rows[0].calibrationInTheLarge)}, ${estimateText(rows[0].calibrationSlope)}). Recalibration does not change the order of the scores, so average precision and ROC AUC stay as they are.`);
  }
  if (v.recalibration.note) out.push(v.recalibration.note);
  return out;
}
