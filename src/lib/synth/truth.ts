/**
 * The known truth behind a synthetic data set: the scenario, every planted effect, and each
 * case's true risk (probability of true need) and true need. Written beside the data with
 * `--truth FILE.json`; streamed for large outputs.
 */
import type { Scenario } from './scenarios.ts';
import { NEED_WEIGHTS } from './simulate.ts';

export interface PlantedEffect {
  name: 'signal' | 'hidden circumstances' | 'label bias' | 'proxy' | 'missingness' | 'drift';
  /** False when the scenario sets this effect to nothing. */
  planted: boolean;
  group?: string;
  size: number;
  description: string;
  [detail: string]: unknown;
}

export interface TruthCounts {
  children: number;
  /** Referrals simulated up to the extract date. */
  referrals: number;
  /** Flat-table rows. */
  rows: number;
  /** Referrals left out of the flat table because their 12-month window ends after the extract date. */
  incompleteWindow: number;
}

/** Per-case truth, aligned with the flat table's rows. */
export interface TruthChunk {
  referralId: string[];
  /** True probability of need, (n). */
  risk: Float64Array;
  /** True need 0/1, (n). */
  need: Uint8Array;
  /** The child's true ethnicity group (the recorded one may be NOBT or missing). */
  group: string[];
  /** The child's latent deprivation (standard normal, higher = poorer) behind `deprivation_decile`, (n). */
  deprivation: Float64Array;
  /** Cumulative counts up to and including this chunk. */
  counts: TruthCounts;
}

export interface TruthHeader {
  schema: 'candour.synth-truth/1';
  scenario: Scenario;
  extractDate: string;
  /** Log-odds of true need for a referral with no factor at average adversity, at the start of the period. */
  intercept: number;
  needWeights: Record<string, number>;
  effects: PlantedEffect[];
}

export interface Truth extends TruthHeader {
  counts: TruthCounts;
  cases: Omit<TruthChunk, 'counts'>;
}

export function truthHeader(scenario: Scenario, intercept: number): TruthHeader {
  const s = scenario;
  return {
    schema: 'candour.synth-truth/1',
    scenario: s,
    extractDate: s.extractDate,
    intercept,
    needWeights: Object.fromEntries(Object.entries(NEED_WEIGHTS).map(([k, v]) => [k, v * s.signal])),
    effects: [
      { name: 'signal', planted: s.signal > 0, size: s.signal, description: 'multiplies every effect on the log-odds of true need (needWeights are already multiplied)' },
      {
        name: 'hidden circumstances', planted: s.hiddenWeight * s.signal > 0, size: s.hiddenWeight * s.signal, text: s.text,
        description: s.text === 'signal' ? 'log-odds of need per SD of circumstances that only the case notes mention' : 'log-odds of need per SD of circumstances that no column shows',
      },
      { name: 'label bias', planted: s.labelBias.amount !== 0, group: s.labelBias.group, size: s.labelBias.amount, description: 'recorded outcome rate minus true need rate for this group, in absolute terms' },
      {
        name: 'proxy', planted: s.proxy.strength > 0 || s.proxy.referralEffect > 0, group: s.proxy.group, size: s.proxy.strength, referralEffect: s.proxy.referralEffect,
        description: 'correlation of latent deprivation with belonging to the group; referralEffect = log rate of contacts and re-referrals per SD of deprivation; no effect on need',
      },
      { name: 'missingness', planted: s.missingness.extra > 0, group: s.missingness.group, size: s.missingness.extra, base: s.missingness.base, description: 'extra probability that ethnicity is not obtained and the deprivation decile is missing, over the base for everyone' },
      { name: 'drift', planted: s.drift !== 0, size: s.drift, description: 'per year: log-odds of police referral and of domestic abuse rise by this, intercept of need falls by half of it' },
    ],
  };
}

/** The truth file's JSON in pieces (header, then cases chunk by chunk, then counts), for streaming. */
export function* truthJsonPieces(header: TruthHeader, chunks: Iterable<TruthChunk>): Generator<string> {
  const w = new TruthJsonWriter(header);
  yield w.start();
  for (const c of chunks) yield w.cases(c);
  yield w.end();
}

/** Writes the truth JSON piece by piece: `start()`, `cases(chunk)` for each chunk, `end()`. */
export class TruthJsonWriter {
  private first = true;
  private counts: TruthCounts = { children: 0, referrals: 0, rows: 0, incompleteWindow: 0 };
  constructor(private readonly header: TruthHeader) {}

  start(): string {
    return JSON.stringify(this.header).slice(0, -1) + ',"caseColumns":["referral_id","true_risk","true_need","true_group","true_deprivation"],"cases":[';
  }

  cases(c: TruthChunk): string {
    const parts: string[] = [];
    for (let i = 0; i < c.referralId.length; i++) {
      parts.push(`${this.first ? '' : ','}\n[${JSON.stringify(c.referralId[i])},${roundRisk(c.risk[i])},${c.need[i]},${JSON.stringify(c.group[i])},${roundRisk(c.deprivation[i])}]`);
      this.first = false;
    }
    this.counts = c.counts;
    return parts.join('');
  }

  end(): string {
    return `\n],"counts":${JSON.stringify(this.counts)}}\n`;
  }
}

/** Risks to 6 significant digits keep the file small and byte-stable. */
function roundRisk(p: number): string {
  return String(Number(p.toPrecision(6)));
}
