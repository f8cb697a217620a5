/**
 * "Try with synthetic data": a whole run on a made-up council, the same path as the analyst's
 * own data (generate -> split by date -> train -> evaluate with intervals -> audit groups).
 */
import type { Bundle } from '../bundle/schema.ts';
import type { PresetName } from '../synth/scenarios.ts';
import { headlineOf, modelLabel, naturalFrequencySentences } from '../report/view.ts';
import type { EvaluateSpec } from './spec.ts';

export const DEMO: { preset: PresetName; rows: number; seed: number } = { preset: 'realistic', rows: 8000, seed: 2020 };

/** The run the demo makes: referrals split by date, three models, notes as text, four attributes audited. */
export function demoSpec(): EvaluateSpec {
  return {
    outcome: 'outcome',
    positive: '1',
    models: ['baseline', 'logistic', 'gbdt'],
    split: { kind: 'temporal', date: 'referral_date' },
    date: 'referral_date',
    id: 'child_id',
    groups: ['gender', 'ethnicity_group', 'disability', 'age_at_referral'],
    text: ['note'],
    drop: ['referral_id', 'ethnicity'],
    seed: DEMO.seed,
    replicates: 1000,
    topPct: 10,
  };
}

/** The demo's answer in a few sentences: the best model's average precision, then what flagging the top 10% means. */
export function demoSummary(bundle: Bundle): { title: string; sentences: string[] } {
  const best = bundle.results
    .filter((r) => r.model !== 'baseline')
    .reduce<(typeof bundle.results)[number] | null>((a, r) => ((r.metrics.averagePrecision.value ?? -1) > (a?.metrics.averagePrecision.value ?? -1) ? r : a), null);
  if (!best) return { title: 'No model was trained', sentences: [] };
  const row = best.curves?.operating?.find((o) => o.topPct === 10);
  return {
    title: `${modelLabel(best)}: flagging the top 10%`,
    sentences: [headlineOf(bundle, best).sentence, ...(row ? naturalFrequencySentences(row) : [])],
  };
}
