/**
 * Is there enough data to build a model at all? The published minimum sample size for a binary
 * prediction model (Riley et al. 2020, BMJ 368:m441; as in the R package pmsampsize,
 * `pmsampsize_bin`), from the number of cases, the outcome's prevalence and the number of
 * candidate predictor parameters P:
 *
 * 1. small overfitting: expected uniform shrinkage S >= 0.9:
 *      n1 = ceil(P / ((S − 1) · ln(1 − R²cs / S)));
 * 2. small optimism in apparent model fit: Nagelkerke R² within 0.05 of its adjusted value,
 *    i.e. shrinkage S2 = R²cs / (R²cs + 0.05 · maxR²cs):  n2 = the same formula with S2;
 * 3. precise estimate of the overall risk (the intercept), within ±0.05:
 *      n3 = ceil((1.96 / 0.05)² · φ(1 − φ)).
 *
 * R²cs is the anticipated Cox-Snell R² of the model. With nothing better known, Riley et al.
 * suggest a conservative Nagelkerke R² of 0.15, i.e. R²cs = 0.15 · maxR²cs, where
 * maxR²cs = 1 − exp(2 · (φ ln φ + (1 − φ) ln(1 − φ))) (rounded to 3 decimals, as pmsampsize).
 */
import type { SampleSizeRecord } from '../bundle/schema.ts';
import { AppFailure } from '../errors.ts';

export const DEFAULT_SHRINKAGE = 0.9;
/** The conservative anticipated Nagelkerke R² when nothing better is known (Riley et al. 2020). */
export const DEFAULT_NAGELKERKE_R2 = 0.15;

export interface SampleSizeInput {
  /** Cases available to train on. */
  n: number;
  /** Share of those with the outcome, in (0, 1). */
  prevalence: number;
  /** Candidate predictor parameters (design columns: a category with k levels counts k − 1). */
  parameters: number;
  /** Anticipated Cox-Snell R² (overrides nagelkerkeR2). */
  coxSnellR2?: number;
  /** Anticipated Nagelkerke R²; default 0.15. */
  nagelkerkeR2?: number;
  /** Target shrinkage; default 0.9. */
  shrinkage?: number;
}

/** The largest Cox-Snell R² possible at this prevalence. */
export function maxCoxSnellR2(prevalence: number): number {
  const p = prevalence;
  return 1 - Math.exp(2 * (p * Math.log(p) + (1 - p) * Math.log(1 - p)));
}

/** Cases needed per candidate parameter for shrinkage S at Cox-Snell R² r: 1 / ((S − 1) ln(1 − r/S)). */
function perParameter(shrinkage: number, r2: number): number {
  return 1 / ((shrinkage - 1) * Math.log(1 - r2 / shrinkage));
}

/** Ceil that forgives floating-point noise just above an integer (pmsampsize's R arithmetic lands on it). */
const ceil = (x: number) => Math.ceil(x - 1e-9);

/** The three criteria, the minimum n, whether `n` is enough, and how many parameters `n` supports. */
export function sampleSizeCheck(input: SampleSizeInput): SampleSizeRecord {
  const { n, prevalence, parameters } = input;
  const shrinkage = input.shrinkage ?? DEFAULT_SHRINKAGE;
  if (!(prevalence > 0 && prevalence < 1)) throw new AppFailure({ code: 'invalid-prevalence', message: `invalid prevalence: ${prevalence}` });
  if (!(Number.isInteger(parameters) && parameters >= 1)) throw new AppFailure({ code: 'invalid-parameters', message: `invalid number of predictor parameters: ${parameters}` });
  if (!(shrinkage > 0 && shrinkage < 1)) throw new AppFailure({ code: 'invalid-shrinkage', message: `invalid shrinkage: ${shrinkage}` });
  const maxR2 = maxCoxSnellR2(prevalence);
  const nagelkerke = input.nagelkerkeR2 ?? DEFAULT_NAGELKERKE_R2;
  const r2 = input.coxSnellR2 ?? Math.round(nagelkerke * maxR2 * 1000) / 1000;
  if (!(r2 > 0 && r2 < maxR2)) throw new AppFailure({ code: 'invalid-r2', message: `invalid anticipated Cox-Snell R²: ${r2} (at most ${maxR2.toFixed(3)} at this prevalence)` });
  if (shrinkage < r2) throw new AppFailure({ code: 'invalid-shrinkage', message: `shrinkage ${shrinkage} is below the anticipated R² ${r2}` });

  const k1 = perParameter(shrinkage, r2);
  const s2 = r2 / (r2 + 0.05 * maxR2);
  const k2 = perParameter(s2, r2);
  const n1 = ceil(parameters * k1);
  const n2 = ceil(parameters * k2);
  const n3 = ceil((1.96 / 0.05) ** 2 * prevalence * (1 - prevalence));
  const required = Math.max(n1, n2, n3);
  // Largest P whose criteria 1 and 2 are met by n (criterion 3 does not depend on P).
  let maxParameters = Math.max(0, Math.floor(n / Math.max(k1, k2)));
  while (maxParameters > 0 && Math.max(ceil(maxParameters * k1), ceil(maxParameters * k2)) > n) maxParameters--;
  while (Math.max(ceil((maxParameters + 1) * k1), ceil((maxParameters + 1) * k2)) <= n) maxParameters++;
  const interceptOk = n >= n3;
  if (!interceptOk) maxParameters = 0;
  return {
    method: 'Riley et al. 2020 (pmsampsize): shrinkage >= 0.9, optimism in Nagelkerke R² <= 0.05, intercept within ±0.05',
    n,
    events: Math.round(n * prevalence),
    prevalence,
    parameters,
    shrinkage,
    assumedNagelkerkeR2: input.coxSnellR2 === undefined ? nagelkerke : null,
    coxSnellR2: r2,
    maxCoxSnellR2: maxR2,
    criteria: {
      shrinkage: n1,
      optimism: n2,
      intercept: n3,
    },
    shrinkageForOptimism: s2,
    required,
    enough: n >= required,
    maxParameters,
    eventsPerParameter: (required * prevalence) / parameters,
  };
}

/** The check in plain words, for the Models page, the report and the model card. */
export function sampleSizeSentence(s: SampleSizeRecord): string {
  const cases = `${s.n.toLocaleString('en-GB')} cases (${s.events.toLocaleString('en-GB')} with the outcome, ${(100 * s.prevalence).toFixed(1)}%)`;
  if (s.n < s.criteria.intercept) {
    return `${cases} are too few to build a model by the published criteria (Riley et al. 2020): even the overall rate needs ${s.criteria.intercept.toLocaleString('en-GB')} cases to be estimated within ±5 points. Testing an existing score (audit mode) is still possible.`;
  }
  const supports = s.maxParameters === 0 ? 'no candidate predictor parameter' : `at most ${s.maxParameters} candidate predictor parameter${s.maxParameters === 1 ? '' : 's'}`;
  if (s.enough) {
    return `${cases} are enough for the ${s.parameters} candidate predictor parameters by the published criteria (Riley et al. 2020, needing ${s.required.toLocaleString('en-GB')}); they would support ${supports}.`;
  }
  return `${cases} support ${supports} by the published criteria (Riley et al. 2020), but this run has ${s.parameters}, which needs ${s.required.toLocaleString('en-GB')} cases: use ${s.maxParameters === 0 ? 'far fewer' : `${s.maxParameters} or fewer`} (drop columns, merge rare categories), or expect an over-fitted model whose risks are too extreme.`;
}

/** The check for a training side as the run records it (with its sentence); null when it cannot
 *  apply (no parameter, or the training side holds only one outcome). */
export function trainingSampleSize(n: number, positives: number, parameters: number): SampleSizeRecord | null {
  if (!(n > 0) || positives <= 0 || positives >= n || parameters < 1) return null;
  const s = sampleSizeCheck({ n, prevalence: positives / n, parameters });
  return { ...s, events: positives, sentence: sampleSizeSentence({ ...s, events: positives }) };
}

/** What the pre-training estimate needs to know about the planned run (a subset of EvaluateSpec). */
export interface PlannedFeatures {
  outcome: string;
  id?: string;
  date?: string;
  drop: readonly string[];
  text: readonly string[];
  groups: readonly string[];
  types?: Record<string, string>;
}

/**
 * Candidate predictor parameters before training, from column types alone: a number is one
 * parameter (two with missing values: the missing indicator), a category one per level (its
 * distinct values, plus one for missing), a date one. Outcome, ID, decision date, group, dropped
 * and text columns are not counted (text is reported separately by the run). An estimate: the
 * run records the exact count of design columns on the training side.
 */
export function candidateParameters(
  columns: readonly { name: string; type: string; missing?: number; distinct?: number }[],
  plan: PlannedFeatures,
  levelsOf: (column: string) => number | null = () => null,
): number {
  const excluded = new Set([plan.outcome, ...(plan.id ? [plan.id] : []), ...(plan.date ? [plan.date] : []), ...plan.drop, ...plan.text, ...plan.groups]);
  let p = 0;
  for (const c of columns) {
    if (excluded.has(c.name)) continue;
    const type = plan.types?.[c.name] ?? c.type;
    const missing = (c.missing ?? 0) > 0 ? 1 : 0;
    if (type === 'number') p += 1 + missing;
    else if (type === 'code' || type === 'category') p += Math.max(1, levelsOf(c.name) ?? c.distinct ?? 1) + missing;
    else if (type === 'date' && plan.date) p += 1;
  }
  return p;
}

/**
 * The Models page's sentence before training: the check on all cases with an outcome (the
 * training side will be smaller, which the sentence says), or null when it cannot apply.
 */
export function preTrainingSentence(
  columns: readonly { name: string; type: string; missing?: number; distinct?: number }[],
  plan: PlannedFeatures & { positive?: string },
  outcomeLevels: readonly { value: string; count: number }[],
  levelsOf: (column: string) => number | null = () => null,
): string | null {
  let n = 0;
  let positives = 0;
  for (const l of outcomeLevels) {
    n += l.count;
    if (l.value === plan.positive) positives += l.count;
  }
  const parameters = candidateParameters(columns, plan, levelsOf);
  const s = trainingSampleSize(n, positives, parameters);
  if (!s) return null;
  return `About ${parameters} candidate predictor parameter${parameters === 1 ? '' : 's'} (each number, and each level of a category). On all the cases with an outcome, before the test side is set aside: ${s.sentence}`;
}
