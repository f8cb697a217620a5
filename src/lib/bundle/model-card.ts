/**
 * A model card and a record shaped like the UK Algorithmic Transparency Recording Standard
 * (ATRS: tier 1 summary; tier 2 owner and responsibility, description and rationale,
 * decision-making process and human oversight, data, risks and mitigations, technical
 * specification), prefilled from a bundle. Everything is plain strings so the app can offer
 * each field for editing before export; fields only a person can answer start empty and are
 * listed in `toComplete`. Stored in `bundle.transparency` (recompute integrity afterwards).
 */
import type { Bundle, Estimate, ModelResult } from './schema.ts';

export interface TransparencyRecord {
  standard: 'UK Algorithmic Transparency Recording Standard (shape)';
  tier1: {
    name: string;
    description: string;
    website: string;
    contactEmail: string;
  };
  tier2: {
    ownerAndResponsibility: {
      organisation: string;
      team: string;
      seniorResponsibleOwner: string;
      externalSupplier: string;
      supplierContract: string;
    };
    descriptionAndRationale: {
      detailedDescription: string;
      scope: string;
      benefits: string;
      previousProcess: string;
      alternativesConsidered: string;
    };
    decisionMakingProcess: {
      processIntegration: string;
      providedInformation: string;
      frequencyAndScale: string;
      humanDecisions: string;
      humanOversight: string;
      appeals: string;
    };
    data: {
      source: string;
      description: string;
      variables: string;
      sensitiveAttributes: string;
      collection: string;
      sharing: string;
      accessAndStorage: string;
    };
    risksAndMitigations: {
      impactAssessments: string;
      risks: string;
      mitigations: string;
    };
    technicalSpecification: {
      architecture: string;
      performance: string;
      evaluation: string;
      fairness: string;
      disclosureControl: string;
      provenance: string;
    };
  };
  /** Dotted paths of fields a person must complete before publishing. */
  toComplete: string[];
}

export interface ModelCard {
  modelDetails: string;
  intendedUse: string;
  factors: string;
  metrics: string;
  evaluationData: string;
  quantitativeAnalyses: string[];
  ethicalConsiderations: string;
  caveats: string;
  /** The TRIPOD+AI (Collins et al. 2024) reporting items that apply, each filled from the report. */
  tripod: TripodItem[];
}

export interface TripodItem {
  /** The checklist topic ("Sample size"). */
  item: string;
  text: string;
}

export interface TransparencyBlock {
  modelCard: ModelCard;
  record: TransparencyRecord;
}

const MODEL_NAMES: Record<ModelResult['model'], string> = {
  baseline: 'baseline (a simple reference model)',
  logistic: 'logistic regression',
  gbdt: 'gradient-boosted decision trees',
  mlp: 'neural network (multi-layer perceptron)',
  external: "an external tool's risk scores (audited, not trained here)",
};

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? 'withheld or undefined' : x.toFixed(3));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'withheld or undefined' : `${(x * 100).toFixed(1)}%`);
const est = (e: Estimate | undefined) => (!e || e.value === null ? 'withheld or undefined' : e.lo !== null && e.hi !== null ? `${f3(e.value)} (95% CI ${f3(e.lo)} to ${f3(e.hi)})` : f3(e.value));

/** The operating point every sentence uses: the run's policy (a /1 bundle: the score threshold). */
const pointOf = (r: ModelResult) => r.atPolicy ?? r.atThreshold;

/** The policy in words, as the run recorded it; a /1 bundle's score threshold otherwise. */
function policyText(bundle: Bundle): string {
  if (bundle.task.policy) return bundle.task.policy.words;
  const op = bundle.task.operatingPoint;
  return op.threshold !== undefined ? `flag every case with a score of ${op.threshold} or more` : `flag the top ${op.topPct}% of cases by score`;
}

function modelLine(r: ModelResult, policy: string): string {
  const at = pointOf(r);
  const name = MODEL_NAMES[r.model] + (r.features === 'structured+text' ? ' with case-note text features' : '');
  return `${name}: average precision ${est(r.metrics.averagePrecision)}, ROC AUC ${est(r.metrics.rocAuc)}; under the policy (${policy}), precision ${pct(at.precision)} (false alarms ${at.precision === null ? 'withheld or undefined' : pct(1 - at.precision)}), children missed ${pct(at.fnr)}.`;
}

/** The split in words (never as JSON). */
function splitWords(split: Bundle['task']['split']): string {
  const s = split as { method?: string; kind?: string; note?: string; cutDate?: string; k?: number; testFraction?: number | null; groupColumn?: string; column?: string };
  if (s.note) return s.note;
  switch (s.method) {
    case 'temporal': return `by date: tested on cases from ${s.cutDate ?? 'the cut date'} on, trained on earlier cases`;
    case 'random': return `at random, ${s.testFraction ? `${Math.round(s.testFraction * 100)}% of cases` : 'a share of cases'} held out for testing`;
    case 'grouped': return `at random by child (${s.groupColumn ?? 'the child ID'}), so no child is on both sides`;
    case 'kfold': return `${s.k ?? 'k'}-fold cross-validation: every case scored once, by a model not trained on it`;
    case 'column': return `by the column '${s.column ?? ''}'`;
    default: return 'as recorded in the report';
  }
}

/** Which audited group columns were model inputs, derived from what the run recorded. */
function sensitiveAttributesSentence(bundle: Bundle, groupCols: string[]): string {
  if (groupCols.length === 0) return '';
  if (bundle.task.mode === 'audit') return `Used to check performance by group: ${groupCols.join(', ')}. Whether the supplied score uses them is not known from this evaluation.`;
  const f = bundle.task.features;
  if (!f) return `Used to check performance by group: ${groupCols.join(', ')}. This report does not record whether they were also model inputs.`;
  const asFeatures = groupCols.filter((g) => f.groupsAsFeatures.includes(g));
  const only = groupCols.filter((g) => !asFeatures.includes(g));
  return [
    asFeatures.length ? `Used as model inputs, by the analyst's explicit choice, and to check performance by group: ${asFeatures.join(', ')}.` : '',
    only.length ? `Used only to check performance by group, never as model inputs: ${only.join(', ')}.` : '',
  ].filter(Boolean).join(' ');
}

/** The disparity measures as a reader says them (never the JSON key, e.g. "flaggedRate"). */
const DISPARITY_WORDS: Record<string, string> = {
  fpr: 'false alarms among those who did not need help', fnr: 'missed among those who needed help', precision: 'precision',
  flaggedRate: 'share flagged', averagePrecision: 'average precision', recall: 'share found',
};

function fairnessLines(bundle: Bundle): string[] {
  const lines: string[] = [];
  for (const r of bundle.results) {
    const verdicts: Record<string, string[]> = {};
    for (const g of r.subgroups) {
      for (const [metric, d] of Object.entries(g.disparity ?? {})) {
        if (!d?.verdict) continue;
        (verdicts[d.verdict] ??= []).push(`${g.attribute} = ${g.group} (${DISPARITY_WORDS[metric] ?? metric})`);
      }
    }
    const parts = Object.entries(verdicts).map(([v, xs]) => `${v}: ${xs.length}${v === 'disparity' ? ` — ${xs.slice(0, 6).join(', ')}${xs.length > 6 ? ', …' : ''}` : ''}`);
    if (parts.length) lines.push(`${r.model}: ${parts.join('; ')}.`);
  }
  return lines;
}

/** A model card prefilled from the bundle. */
export function draftModelCard(bundle: Bundle): ModelCard {
  const attrs = [...new Set(bundle.results.flatMap((r) => r.subgroups.map((g) => g.attribute)))];
  const policy = policyText(bundle);
  return {
    modelDetails: `Evaluated with Candour ${bundle.tool.version} (${bundle.tool.backend} backend) on ${bundle.createdAt}. Models: ${bundle.results.map((r) => MODEL_NAMES[r.model]).join('; ')}.`,
    intendedUse: `To estimate which children referred to social care will have the outcome "${bundle.task.outcome}" (positive value "${bundle.task.positive}"), as an aid to — never a replacement for — a practitioner's judgement.`,
    factors: attrs.length ? `Performance was examined separately for groups of: ${attrs.join(', ')}.` : 'No group attributes were examined.',
    metrics: `Average precision and ROC AUC with 95% bootstrap intervals; under the operating policy (${policy}): precision, recall, false positive rate and the share of children missed (FNR).`,
    evaluationData: `${bundle.data.name}: ${bundle.data.rows ?? 'withheld'} cases, of whom ${bundle.data.positives ?? 'withheld'} had the outcome (prevalence ${pct(bundle.data.prevalence)}); ${bundle.data.testRows ?? 'a withheld number of'} test cases. Split ${splitWords(bundle.task.split)}. Data fingerprint ${bundle.data.fingerprint}.`,
    quantitativeAnalyses: bundle.results.map((r) => modelLine(r, policy)),
    ethicalConsiderations: 'Predictions concern children and families. A flag is a prompt for a practitioner to look again, not evidence; false alarms and missed children both cause harm, and the balance between them is a policy choice to be made openly.',
    caveats: [
      bundle.task.outcomeMeaning ? `${bundle.task.outcomeMeaning.measures} ${bundle.task.outcomeMeaning.cannot}` : '',
      bundle.preregistration ? `Success criteria were fixed before results were seen (locked ${bundle.preregistration.lockedAt}, hash ${bundle.preregistration.sha256}).` : 'No success criteria were pre-registered.',
      ...bundle.results.flatMap((r) => (r.criteria ?? []).map((c) => `${MODEL_NAMES[r.model]}: ${c.sentence}`)),
      'Results describe past data from one area and may not hold elsewhere or later.',
      'Where a fairness verdict is "inconclusive" or "too few to tell", there were too few cases to tell; this is not evidence of fairness.',
      bundle.disclosure ? `Counts below ${bundle.disclosure.threshold} are withheld and others rounded to the nearest ${bundle.disclosure.rounding}.` : '',
    ].filter(Boolean).join(' '),
    tripod: tripodItems(bundle),
  };
}

const METHOD_WORDS: Record<string, string> = {
  bootstrap: 'bootstrap percentile', 'clopper-pearson': 'exact (Clopper-Pearson)', wilson: 'Wilson score', 'katz-log': 'Katz log', 'logistic-wald': 'Wald', none: 'none',
};

/** Which interval methods the report's estimates used, in words ("Wilson score, exact (Clopper-Pearson)"). */
function methodsUsed(bundle: Bundle): string {
  const seen = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object') {
      const m = (x as { method?: unknown }).method;
      if (typeof m === 'string' && m in METHOD_WORDS && m !== 'none') seen.add(METHOD_WORDS[m]);
      Object.values(x).forEach(visit);
    }
  };
  visit(bundle.results);
  return seen.size ? [...seen].join(', ') : 'bootstrap percentile';
}

/**
 * The TRIPOD+AI items that apply to a local evaluation, each filled from the report (or saying
 * what the report does not hold). Items about the study's publication (title, abstract,
 * registration, funding, patient involvement) are for the people publishing it.
 */
export function tripodItems(bundle: Bundle): TripodItem[] {
  const t = bundle.task;
  const split = t.split as { method?: string; kind?: string; note?: string };
  const columns = bundle.data.columns;
  const predictors = columns.filter((c) => c.role === 'feature').map((c) => `${c.name} (${c.type})`);
  const excluded = bundle.data.excluded as Record<string, unknown> | undefined;
  const fit = bundle.results.find((r) => r.calibrationFit)?.calibrationFit;
  const groups = [...new Set(bundle.results.flatMap((r) => r.subgroups.map((g) => g.attribute)))];
  const size = bundle.sampleSize;
  const few = bundle.results.flatMap((r) => r.subgroups.filter((g) => Object.values(g.disparity ?? {}).some((d) => d?.tooFew)).map((g) => `${g.attribute} = ${g.group}`));
  return [
    { item: 'Source of data', text: `${bundle.data.name} (fingerprint ${bundle.data.fingerprint}): ${bundle.data.rows ?? 'a withheld number of'} cases with an outcome, of whom ${bundle.data.positives ?? 'a withheld number'} had it (${pct(bundle.data.prevalence)}). Where and when the data were collected is for the council to state.` },
    { item: 'Outcome and its window', text: `"${t.outcome}" = "${t.positive}".${t.outcomeMeaning ? ` ${t.outcomeMeaning.measures} ${t.outcomeMeaning.cannot}` : ' How and when it was recorded is for the council to state.'}` },
    { item: 'Predictors', text: bundle.results.every((r) => r.model === 'external') ? 'An existing score was audited; its predictors are the supplier\'s to state.' : predictors.length ? `${predictors.length} candidate columns: ${predictors.join(', ')}. ${sensitiveAttributesSentence(bundle, bundle.data.columns.filter((c) => c.role === 'group').map((c) => c.name)) || 'No group columns were audited.'}` : 'No predictor columns are recorded in this report.' },
    { item: 'Sample size', text: size?.sentence ?? (bundle.results.every((r) => r.model === 'external') ? 'Not applicable to the development of a model: an existing score was audited.' : bundle.disclosure ? 'Checked on the council\'s own data before training (Riley et al. 2020); its figures are not in this shared report (withheld to protect small numbers, or shared before they were published).' : 'Not recorded in this report.') },
    { item: 'Missing data', text: `Rows without an outcome were left out${excluded && typeof excluded.missingOutcome === 'number' ? ` (${excluded.missingOutcome})` : ''}${excluded && typeof excluded.missingScore === 'number' ? `, and rows without a score (${excluded.missingScore})` : ''}. Missing predictor values: numbers imputed by the training median with a missing indicator, categories kept as their own level (fitted on training rows only).` },
    { item: 'Model type and evaluation design', text: `${bundle.results.map((r) => MODEL_NAMES[r.model]).join('; ')}. Evaluation: ${split.method ?? split.kind ?? 'as recorded'}${split.note ? ` (${split.note})` : ''}.` },
    { item: 'Performance with intervals', text: `${bundle.results.map((r) => modelLine(r, policyText(bundle))).join(' ')} 95% intervals by ${methodsUsed(bundle)}; ranking metrics need at least 10 cases with and 10 without the outcome.` },
    { item: 'Calibration', text: fit ? `Calibration intercept ${est(fit.intercept)}, slope ${est(fit.slope)} (logistic regression of the outcome on logit(score)); decision curves compare net benefit with flagging all and none.` : 'Not assessed: the scores are not probabilities.' },
    { item: 'Fairness', text: groups.length ? `Each group of ${groups.join(', ')} compared with its reference group under one policy; "disparity" only when the whole interval of the ratio is outside the tolerance and the group meets the minimum sizes. ${fairnessLines(bundle).join(' ')}${few.length ? ` Too few to tell: ${few.slice(0, 8).join(', ')}${few.length > 8 ? ', …' : ''}.` : ''}` : 'No group attributes were examined.' },
    { item: 'Limitations', text: ['Results describe past data from one area and may not hold elsewhere or later.', t.outcomeMeaning ? 'The outcome is a later service decision, observed only for children the service saw again (selective labels).' : '', size && !size.enough ? 'The training side is smaller than the published minimum for this many predictors: expect over-fitting.' : ''].filter(Boolean).join(' ') },
  ];
}

/** A transparency record prefilled from the bundle; fields to be written by a person are empty and listed in `toComplete`. */
export function draftTransparencyRecord(bundle: Bundle): TransparencyRecord {
  const card = draftModelCard(bundle);
  const external = bundle.results.some((r) => r.model === 'external');
  const groupCols = bundle.data.columns.filter((c) => c.role === 'group').map((c) => c.name);
  const usedCols = bundle.data.columns.filter((c) => !['id', 'ignore', 'drop'].includes(c.role)).map((c) => `${c.name} (${c.role}, ${c.type})`);
  const rec: TransparencyRecord = {
    standard: 'UK Algorithmic Transparency Recording Standard (shape)',
    tier1: {
      name: `Predictive model evaluation: ${bundle.task.outcome}`,
      description: `An evaluation of ${external ? 'a supplied risk tool' : 'predictive models'} for children's social care. ${card.intendedUse} ${card.quantitativeAnalyses[0] ?? ''}`.trim(),
      website: '',
      contactEmail: '',
    },
    tier2: {
      ownerAndResponsibility: { organisation: '', team: '', seniorResponsibleOwner: '', externalSupplier: external ? '' : 'None: models trained locally with Candour.', supplierContract: '' },
      descriptionAndRationale: {
        detailedDescription: card.modelDetails,
        scope: card.intendedUse,
        benefits: '',
        previousProcess: '',
        alternativesConsidered: bundle.results.length > 1 ? `Compared: ${bundle.results.map((r) => MODEL_NAMES[r.model]).join('; ')}.` : '',
      },
      decisionMakingProcess: {
        processIntegration: '',
        providedInformation: `A risk score per referral; the operating policy is to ${policyText(bundle)}.`,
        frequencyAndScale: '',
        humanDecisions: '',
        humanOversight: '',
        appeals: '',
      },
      data: {
        source: '',
        description: card.evaluationData,
        variables: usedCols.join(', '),
        sensitiveAttributes: sensitiveAttributesSentence(bundle, groupCols),
        collection: '',
        sharing: 'Case data never left the analyst\'s computer; this record and its bundle hold aggregates only.',
        accessAndStorage: '',
      },
      risksAndMitigations: {
        impactAssessments: '',
        risks: [
          ...bundle.results.map((r) => `${r.model}: of children flagged, ${pointOf(r).precision === null ? 'an unknown share' : pct(1 - pointOf(r).precision!)} did not go on to the outcome (false alarms); ${pointOf(r).fnr === null ? 'the share of children who did that were not flagged is withheld or undefined' : `${pct(pointOf(r).fnr)} of children who did were not flagged`}.`),
          ...fairnessLines(bundle),
        ].join(' '),
        mitigations: '',
      },
      technicalSpecification: {
        architecture: bundle.results.map((r) => MODEL_NAMES[r.model]).join('; '),
        performance: card.quantitativeAnalyses.join(' '),
        evaluation: card.metrics,
        fairness: fairnessLines(bundle).join(' ') || 'No subgroup results.',
        disclosureControl: bundle.disclosure ? bundle.disclosure.rules.join(' ') : 'Not yet applied: apply before sharing.',
        provenance: `Candour ${bundle.tool.version}, ${bundle.tool.backend}; created ${bundle.createdAt}; data fingerprint ${bundle.data.fingerprint}${bundle.preregistration ? `; pre-registration ${bundle.preregistration.sha256} locked ${bundle.preregistration.lockedAt}` : ''}.`,
      },
    },
    toComplete: [],
  };
  rec.toComplete = emptyFields(rec);
  return rec;
}

/** Dotted paths of empty string fields. */
export function emptyFields(rec: TransparencyRecord): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string) => {
    if (typeof x === 'string') { if (x.trim() === '') out.push(path); return; }
    if (x && typeof x === 'object' && !Array.isArray(x)) for (const [k, v] of Object.entries(x)) if (k !== 'toComplete') walk(v, path ? `${path}.${k}` : k);
  };
  walk(rec, '');
  return out;
}

/**
 * `record` with the edits in `changes` (dotted path -> text) applied; unknown paths are ignored
 * and reported. `toComplete` is recomputed.
 */
export function editTransparencyRecord(record: TransparencyRecord, changes: Record<string, string>): { record: TransparencyRecord; unknown: string[] } {
  const next = structuredClone(record);
  const unknown: string[] = [];
  for (const [path, text] of Object.entries(changes)) {
    const keys = path.split('.');
    let node: Record<string, unknown> = next as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) node = (node?.[k] ?? undefined) as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (!node || typeof node[last] !== 'string' || path === 'standard') unknown.push(path);
    else node[last] = text;
  }
  next.toComplete = emptyFields(next);
  return { record: next, unknown };
}

/** A copy of the bundle carrying the card and record in `transparency` (drops any stale integrity hash). */
export function withTransparency(bundle: Bundle, block: TransparencyBlock = { modelCard: draftModelCard(bundle), record: draftTransparencyRecord(bundle) }): Bundle {
  const { integrity: _stale, ...rest } = bundle;
  return { ...rest, transparency: block } as Bundle;
}
