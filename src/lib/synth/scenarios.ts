/**
 * What a synthetic data set should look like: the knobs, their defaults, and the named presets
 * offered in workshops. Every knob has a default so `scenarioFrom(undefined, {})` is a
 * realistic council.
 */
import { AppFailure } from '../errors.ts';
import { ETHNIC_GROUPS, type EthnicGroup } from '../annex-a/codes.ts';
import { parseIsoDay } from '../annex-a/dates.ts';

export type TextMode = 'signal' | 'repeat' | 'none';

export interface Scenario {
  /** Flat-table rows (referrals with a complete outcome window), 100 to 1,000,000. */
  rows: number;
  /** Same seed -> byte-identical output. */
  seed: number;
  /** Years of history before the extract date (2 to 10); the last year's referrals have no complete window. */
  years: number;
  /** Extract date, `yyyy-mm-dd`. */
  extractDate: string;
  /** Target share of rows with outcome 1 (0.02 to 0.30); the intercept of true need is calibrated to it. */
  baseRate: number;
  /** Multiplies every effect on true need (0 = need is a coin flip at the base rate; 1 = realistic; 2 = strong). */
  signal: number;
  /**
   * Label bias: for children of `group`, the recorded outcome rate is `amount` higher (lower when
   * negative) than their true need warrants, in absolute terms (0.05 = 5 percentage points).
   */
  labelBias: { group: EthnicGroup; amount: number };
  /**
   * Proxy: deprivation (a latent normal behind `deprivation_decile`, given in the truth) has
   * correlation `strength` (0 to 0.9) with belonging to `group`, and raises the rate of contacts
   * and re-referrals by `referralEffect` on the log scale per standard deviation. It never changes
   * true need. The recorded decile's correlation is somewhat weaker (binning squeezes a shifted
   * minority into the top deciles: 0.5 gives about 0.42 for a group of 9%).
   */
  proxy: { group: EthnicGroup; strength: number; referralEffect: number };
  /**
   * Missingness: ethnicity is recorded as NOBT (not obtained) and the deprivation decile is
   * missing with probability `base`, plus `extra` for children of `group`.
   */
  missingness: { group: EthnicGroup; base: number; extra: number };
  /**
   * Drift per year over the period: referrals from police and with domestic abuse grow by
   * `drift` on the log-odds scale each year, and true need's intercept moves by -drift/2 a year.
   */
  drift: number;
  /** Notes carry extra signal about need ('signal'), only repeat structured data ('repeat'), or are absent ('none'). */
  text: TextMode;
  /**
   * Weight of the family's hidden circumstances on need (log-odds per SD). Structured columns
   * never show them; notes do when `text` is 'signal'.
   */
  hiddenWeight: number;
}

export const DEFAULT_SCENARIO: Scenario = {
  rows: 10_000,
  seed: 1,
  years: 5,
  extractDate: '2025-03-31',
  baseRate: 0.12,
  signal: 1,
  labelBias: { group: 'Black', amount: 0 },
  proxy: { group: 'Black', strength: 0.2, referralEffect: 0.2 },
  missingness: { group: 'Mixed', base: 0.02, extra: 0.03 },
  drift: 0.05,
  text: 'repeat',
  hiddenWeight: 0.8,
};

export type PresetName = 'realistic' | 'fair-but-weak' | 'poverty-as-proxy' | 'biased-recording' | 'text-that-helps' | 'drifting';

export const PRESETS: Record<PresetName, { title: string; description: string; scenario: Partial<Scenario> }> = {
  realistic: {
    title: 'A typical council',
    description:
      'Referrals, assessments, child protection plans and care episodes at roughly the rates seen across England: about one referral in eight leads to a child protection plan or care within a year, police and schools refer most children, and about one referral in five is a repeat within a year. Some information is missing, a little more often for some groups, and the mix of referrals shifts slowly over the years. A good place to start.',
    scenario: {},
  },
  'fair-but-weak': {
    title: 'Fair but weak',
    description:
      'Nobody is treated differently because of who they are: outcomes are recorded the same way for every group and deprivation has nothing to do with ethnicity. But the information on file says little about which children will go on to need protection, so any model built on it will flag many families who do not need help and miss many children who do. Use it to talk about what "a model that is not biased" can still get wrong.',
    scenario: { signal: 0.5, labelBias: { group: 'Black', amount: 0 }, proxy: { group: 'Black', strength: 0, referralEffect: 0 }, missingness: { group: 'Mixed', base: 0.02, extra: 0 }, drift: 0 },
  },
  'poverty-as-proxy': {
    title: 'Poverty as a proxy',
    description:
      'Families in poorer areas are reported to children\'s services more often, and in this town Black families are more likely to live in poorer areas. Being poorer does not make a child more likely to need protection, but it does mean more contacts and more referrals on file. A model that learns from "how often has this family been referred" can end up flagging Black children more often for the wrong reason. Use it to ask what a model is really picking up.',
    scenario: { proxy: { group: 'Black', strength: 0.5, referralEffect: 0.6 }, labelBias: { group: 'Black', amount: 0 } },
  },
  'biased-recording': {
    title: 'Biased recording',
    description:
      'The outcome the model learns from is not the same as the need it is meant to find. Here, children from Black families are recorded as going on to a child protection plan or care more often than their circumstances warrant, six more in every hundred referrals. A model trained on these records learns the bias and passes it on, and an audit against the same records cannot see it. Use it to talk about where "the truth" in the data comes from.',
    scenario: { labelBias: { group: 'Black', amount: 0.06 }, proxy: { group: 'Black', strength: 0, referralEffect: 0 } },
  },
  'text-that-helps': {
    title: 'Case notes that help',
    description:
      'Some of what matters about a family, such as an unexplained injury or a child\'s own disclosure, is written only in the case notes and never in the tick-boxes. Here a model that reads the notes can see more than one that only uses the structured data. (In the 2020 study of four councils, adding case notes did not help; this scenario shows what it would look like if it did.)',
    scenario: { text: 'signal', hiddenWeight: 1.6 },
  },
  drifting: {
    title: 'Things change over time',
    description:
      'Over the five years the mix of referrals changes: more come from the police and more involve domestic abuse, and the share that go on to a plan or care falls. A model trained on the early years and tested on the later ones looks worse than one tested on a random sample of the same years. Use it to talk about why a model must be checked again as practice changes.',
    scenario: { drift: 0.35 },
  },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(s: string): s is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, s);
}

function bad(column: string, message: string): never {
  throw new AppFailure({ code: 'invalid-scenario', message, column });
}

function checkRange(name: string, x: number, lo: number, hi: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) bad(name, `invalid ${name}: ${x} (expected ${lo} to ${hi})`);
}

function checkGroup(name: string, g: string): void {
  if (!ETHNIC_GROUPS.includes(g as EthnicGroup)) bad(name, `invalid ${name}: '${g}' (expected one of ${ETHNIC_GROUPS.join(', ')})`);
}

/**
 * A full scenario: defaults, then the preset, then the overrides (nested knobs merge field by
 * field). Throws AppFailure (code 'invalid-scenario') naming the knob when a value is out of range.
 */
export function scenarioFrom(preset: PresetName | undefined, overrides: Partial<Scenario>): Scenario {
  if (preset !== undefined && !isPresetName(preset)) bad('scenario', `unknown scenario '${String(preset)}' (expected one of ${PRESET_NAMES.join(', ')})`);
  const p = preset ? PRESETS[preset].scenario : {};
  const s: Scenario = {
    ...DEFAULT_SCENARIO,
    ...p,
    ...overrides,
    labelBias: { ...DEFAULT_SCENARIO.labelBias, ...p.labelBias, ...overrides.labelBias },
    proxy: { ...DEFAULT_SCENARIO.proxy, ...p.proxy, ...overrides.proxy },
    missingness: { ...DEFAULT_SCENARIO.missingness, ...p.missingness, ...overrides.missingness },
  };
  checkRange('rows', s.rows, 100, 1_000_000);
  if (!Number.isInteger(s.rows)) bad('rows', `invalid rows: ${s.rows} (expected a whole number)`);
  if (!Number.isFinite(s.seed)) bad('seed', `invalid seed: ${s.seed}`);
  checkRange('years', s.years, 2, 10);
  if (!Number.isInteger(s.years)) bad('years', `invalid years: ${s.years} (expected a whole number)`);
  if (Number.isNaN(parseIsoDay(s.extractDate))) bad('extractDate', `invalid extract date: '${s.extractDate}' (expected yyyy-mm-dd)`);
  checkRange('baseRate', s.baseRate, 0.02, 0.3);
  checkRange('signal', s.signal, 0, 3);
  checkRange('labelBias.amount', s.labelBias.amount, -0.2, 0.2);
  checkGroup('labelBias.group', s.labelBias.group);
  checkRange('proxy.strength', s.proxy.strength, 0, 0.9);
  checkRange('proxy.referralEffect', s.proxy.referralEffect, 0, 1.5);
  checkGroup('proxy.group', s.proxy.group);
  checkRange('missingness.base', s.missingness.base, 0, 0.5);
  checkRange('missingness.extra', s.missingness.extra, 0, 0.5);
  checkGroup('missingness.group', s.missingness.group);
  checkRange('drift', s.drift, -1, 1);
  if (!['signal', 'repeat', 'none'].includes(s.text)) bad('text', `invalid text: '${String(s.text)}' (expected signal, repeat or none)`);
  checkRange('hiddenWeight', s.hiddenWeight, 0, 4);
  return s;
}
