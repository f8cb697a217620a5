/**
 * One child's whole history, simulated forwards in time and then cut at the extract date
 * (the method of Social Finance's csc-data-synthesizer): contacts -> referral -> assessment ->
 * section 47 -> initial conference -> child protection plan -> care, with repeat episodes.
 * Everything downstream (the flat table, the Annex A lists, the truth) is read off these
 * histories, so the outputs always agree.
 */
import type { Rng } from '../random.ts';
import {
  ETHNICITIES, ETHNIC_GROUPS, ETHNIC_GROUP_SHARES, NOBT, REFU, SOURCES, POLICE,
  type EthnicGroup, type Gender,
} from '../annex-a/codes.ts';
import { addMonths, ageInYears, dayOf, parseIsoDay } from '../annex-a/dates.ts';
import { cumulative, pick } from './sample.ts';
import type { Scenario } from './scenarios.ts';

/** Bits of `Referral.factors`, in FACTOR_COLUMNS order. */
export const F_DA = 1, F_PMH = 2, F_ALC = 4, F_DRG = 8, F_NEG = 16, F_CMH = 32;

export interface Assessment { start: number; auth: number; seen: boolean; requiresSupport: boolean }
export interface S47 { start: number; icpcUnnecessary: boolean; icpc: number; plan: boolean }
export interface CpPlan { start: number; end: number; initialCategory: number; latestCategory: number; number: number }
export interface CareEpisode { start: number; end: number; legal: number; placement: number; provider: number; permanence: number; reasonCeased: number; placements: number; needCode: number }
export interface CinEpisode { start: number; closure: number; reason: number; needCode: number }

export interface Referral {
  date: number;
  /** 1-based among the child's referrals. */
  ordinal: number;
  /** Index into SOURCES; -1 when recorded as an unknown code. */
  source: number;
  nfa: boolean;
  /** Latent assessment factors (bit mask); recorded only when assessed. */
  factors: number;
  /** True probability of need. */
  risk: number;
  need: 0 | 1;
  /** The service escalated (plan or care) for this referral: need, shifted by label bias. */
  escalated: 0 | 1;
  assessment: Assessment | null;
  s47: S47 | null;
  cin: CinEpisode | null;
  cp: CpPlan | null;
  cla: CareEpisode | null;
  /** Day the episode's work ended (next referral comes after it). */
  end: number;
}

export interface Contact { date: number; source: number }
export interface EarlyHelp { start: number; end: number; org: number }

export interface Child {
  index: number;
  id: string;
  gender: Gender;
  /** Index into ETHNICITIES of the true ethnicity. */
  ethnicity: number;
  group: EthnicGroup;
  /** Index into ETHNICITIES as recorded (NOBT/REFU when not obtained); -1 = an unrecognised value. */
  ethnicityRecorded: number;
  dob: number;
  dobBlank: boolean;
  /** Latent deprivation, standard normal (higher = more deprived). */
  deprivation: number;
  /** 1 (most deprived) .. 10, NaN when not recorded. */
  decile: number;
  /** Family adversity (drives factors, need and re-referral) and hidden circumstances (need; notes only). */
  adversity: number;
  hidden: number;
  /** Day a disability became known (Infinity = never). */
  disabilityFrom: number;
  contacts: Contact[];
  referrals: Referral[];
  earlyHelp: EarlyHelp[];
  /** Raw spellings chosen for untidiness, per child (CMS exports are consistent per child). */
  untidy: { gender: boolean; ethnicity: boolean };
}

/** Everything fixed by the scenario, computed once. */
export interface SimContext {
  scenario: Scenario;
  extract: number;
  start: number;
  /** Last referral date with a complete 12-month window. */
  lastComplete: number;
  intercept: number;
  sourceCum: Float64Array;
  /** Sources other than police (indices above POLICE shifted down by one), for drift. */
  otherSourceCum: Float64Array;
  policeLogit: number;
  groupCum: Float64Array;
  ethCumByGroup: Float64Array[];
  ethIndexByGroup: number[][];
}

export function contextFor(scenario: Scenario, intercept: number): SimContext {
  const extract = parseIsoDay(scenario.extractDate);
  const [y, m, d] = scenario.extractDate.split('-').map(Number);
  const start = dayOf(y - scenario.years, m, d);
  let lastComplete = extract;
  while (addMonths(lastComplete, 12) > extract) lastComplete--;
  const ethIndexByGroup = ETHNIC_GROUPS.map((g) => ETHNICITIES.flatMap((e, i) => (e.group === g ? [i] : [])));
  return {
    scenario,
    extract,
    start,
    lastComplete,
    intercept,
    sourceCum: cumulative(SOURCES.map((s) => s.share)),
    otherSourceCum: cumulative(SOURCES.filter((_, i) => i !== POLICE).map((s) => s.share)),
    policeLogit: logit(SOURCES[POLICE].share / SOURCES.reduce((t, s) => t + s.share, 0)),
    groupCum: cumulative(ETHNIC_GROUPS.map((g) => ETHNIC_GROUP_SHARES[g])),
    ethCumByGroup: ethIndexByGroup.map((ix) => cumulative(ix.map((i) => ETHNICITIES[i].within))),
    ethIndexByGroup,
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

// Factor prevalences among assessed episodes (DfE 2024, annex-a.md), as log-odds at average
// adversity; 1.118 undoes the shrinkage of averaging a logistic over adversity ~ N(0, 1) with slope 0.8.
const FACTOR_LOGIT = [0.317, 0.327, 0.143, 0.14, 0.165, 0.17].map((p) => logit(p) * 1.118);
const FACTOR_ADVERSITY = 0.8;

// Effects on the log-odds of true need at signal 1 (the hidden circumstances have their own knob).
export const NEED_WEIGHTS = {
  domesticAbuse: 0.9,
  parentalMentalHealth: 0.5,
  alcohol: 0.5,
  drugs: 0.7,
  neglect: 1.1,
  childMentalHealth: 0.3,
  underOne: 0.7,
  disabled: 0.3,
  adversity: 0.7,
} as const;

// Age at first referral: under 1 ~10%, 1-4 ~21%, 5-9 ~26%, 10-15 ~34%, 16-17 ~9% (CIN referrals).
const AGE_BANDS: [number, number, number][] = [[0, 1, 0.1], [1, 5, 0.21], [5, 10, 0.26], [10, 16, 0.34], [16, 18, 0.09]];
const AGE_CUM = cumulative(AGE_BANDS.map((b) => b[2]));

/** Re-referral hazard per year at average adversity and deprivation (tuned so ~22% of referrals are repeats within 12 months). */
const REREFERRAL_RATE = 0.7;
/** Extra contacts (not leading to a referral) per child-year known to the service. */
const CONTACT_RATE = 0.9;

function lognormalDays(rng: Rng, median: number, sigma: number): number {
  return Math.max(1, Math.round(median * Math.exp(sigma * rng.normal())));
}

function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/**
 * Simulate child number `index` (0-based). Every random draw comes from `rng` in a fixed order,
 * so a seed gives the same children whatever is done with them afterwards.
 */
export function simulateChild(ctx: SimContext, rng: Rng, index: number): Child {
  const s = ctx.scenario;
  const span = ctx.extract - ctx.start;
  // --- who the child is
  const gu = rng.next();
  const gender: Gender = gu < 0.54 ? 'Male' : gu < 0.995 ? 'Female' : gu < 0.999 ? 'Unknown' : 'Neither';
  const gi = pick(ctx.groupCum, rng.next());
  const group = ETHNIC_GROUPS[gi];
  const ethnicity = ctx.ethIndexByGroup[gi][pick(ctx.ethCumByGroup[gi], rng.next())];
  const missP = s.missingness.base + (group === s.missingness.group ? s.missingness.extra : 0);
  const ethMissing = rng.bernoulli(missP);
  const refused = rng.bernoulli(0.005);
  const unrecognised = rng.bernoulli(0.004);
  const ethnicityRecorded = unrecognised ? -1 : ethMissing ? NOBT : refused ? REFU : ethnicity;
  // Deprivation: corr(latent, [group == proxy group]) = strength, exactly, in this population.
  const p = ETHNIC_GROUP_SHARES[s.proxy.group];
  const indicator = group === s.proxy.group ? 1 : 0;
  const rho = s.proxy.strength;
  const deprivation = (rho * (indicator - p)) / Math.sqrt(p * (1 - p)) + Math.sqrt(1 - rho * rho) * rng.normal();
  const decileMissing = rng.bernoulli(missP);
  const decile = decileMissing ? NaN : 10 - Math.min(9, Math.floor(normalCdf(deprivation) * 10));
  const adversity = rng.normal();
  const hidden = rng.normal();
  // --- when the child first comes to attention, and how old they are then
  const first = ctx.start + rng.int(span + 1);
  const band = AGE_BANDS[pick(AGE_CUM, rng.next())];
  const ageDays = Math.floor((band[0] + rng.next() * (band[1] - band[0])) * 365.25);
  const dob = first - ageDays;
  const eighteen = addMonths(dob, 216);
  const du = rng.next();
  const disabilityFrom = du < 0.09 ? dob : du < 0.13 ? dob + Math.floor(rng.next() * 16 * 365.25) : Infinity;
  const dobBlank = rng.bernoulli(0.003);
  const untidy = { gender: rng.bernoulli(0.03), ethnicity: rng.bernoulli(0.02) };
  const referralRate = REREFERRAL_RATE * Math.exp(0.6 * adversity + s.proxy.referralEffect * deprivation - 0.18 - s.proxy.referralEffect ** 2 / 2);

  const child: Child = {
    index, id: String(1_000_001 + index), gender, ethnicity, group, ethnicityRecorded, dob, dobBlank, deprivation, decile,
    adversity, hidden, disabilityFrom, contacts: [], referrals: [], earlyHelp: [], untidy,
  };

  // --- referral episodes, one after another
  let date = first;
  let cpCount = 0;
  while (date <= ctx.extract && date < eighteen) {
    const r = simulateReferral(ctx, rng, child, date, child.referrals.length + 1, cpCount);
    child.referrals.push(r);
    child.contacts.push({ date, source: r.source >= 0 ? r.source : SOURCES.length - 1 });
    if (r.cp) cpCount++;
    const gapYears = -Math.log(1 - rng.next()) / referralRate;
    date = Math.max(r.end, date) + 7 + Math.floor(gapYears * 365.25);
  }

  // --- contacts that did not become referrals, spread over the time the child was known
  const from = Math.max(ctx.start, first - 365);
  const to = Math.min(ctx.extract, eighteen - 1);
  const years = Math.max(0, (to - from) / 365.25);
  const mean = CONTACT_RATE * years * Math.exp(s.proxy.referralEffect * deprivation - s.proxy.referralEffect ** 2 / 2);
  const n = poisson(rng, mean);
  for (let i = 0; i < n; i++) {
    const y = (rng.next() * (to - from)) / 365.25 / Math.max(1, s.years);
    child.contacts.push({ date: from + rng.int(Math.max(1, to - from + 1)), source: drawSource(ctx, rng, y) });
  }
  child.contacts.sort((a, b) => a.date - b.date);

  // --- early help for some families
  if (rng.bernoulli(0.2)) {
    const st = from + rng.int(Math.max(1, to - from + 1));
    child.earlyHelp.push({ start: st, end: st + uniformInt(rng, 7, 90), org: rng.int(4) });
  }
  return child;
}

function poisson(rng: Rng, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const l = Math.exp(-mean);
  let k = 0;
  let prod = rng.next();
  while (prod > l) {
    k++;
    prod *= rng.next();
  }
  return k;
}

/** Source drawn from the national mix; police grows with drift (`y` = years since the start). */
function drawSource(ctx: SimContext, rng: Rng, y: number): number {
  const u = rng.next();
  const d = ctx.scenario.drift;
  if (d === 0) return pick(ctx.sourceCum, u);
  const shifted = sigmoid(ctx.policeLogit + d * y);
  if (u < shifted) return POLICE;
  // the other sources keep their relative shares
  const i = pick(ctx.otherSourceCum, (u - shifted) / (1 - shifted));
  return i >= POLICE ? i + 1 : i;
}

function simulateReferral(ctx: SimContext, rng: Rng, child: Child, date: number, ordinal: number, cpCount: number): Referral {
  const s = ctx.scenario;
  const y = (date - ctx.start) / 365.25;
  const sourceDrawn = drawSource(ctx, rng, y);
  const source = rng.bernoulli(0.003) ? -1 : sourceDrawn;
  const age = ageInYears(child.dob, date);
  // latent factors
  let factors = 0;
  for (let f = 0; f < 6; f++) {
    let z = FACTOR_LOGIT[f] + FACTOR_ADVERSITY * child.adversity;
    if (f === 0) z += s.drift * y;
    if (f === 5) z += age >= 11 ? 1.0 : age < 5 ? -2.0 : 0;
    if (rng.next() < sigmoid(z)) factors |= 1 << f;
  }
  const disabled = child.disabilityFrom <= date ? 1 : 0;
  const w = NEED_WEIGHTS;
  const lin =
    w.domesticAbuse * (factors & F_DA ? 1 : 0) +
    w.parentalMentalHealth * (factors & F_PMH ? 1 : 0) +
    w.alcohol * (factors & F_ALC ? 1 : 0) +
    w.drugs * (factors & F_DRG ? 1 : 0) +
    w.neglect * (factors & F_NEG ? 1 : 0) +
    w.childMentalHealth * (factors & F_CMH ? 1 : 0) +
    w.underOne * (age < 1 ? 1 : 0) +
    w.disabled * disabled +
    w.adversity * child.adversity +
    s.hiddenWeight * child.hidden;
  const risk = sigmoid(ctx.intercept - (s.drift / 2) * y + s.signal * lin);
  const uNeed = rng.next();
  const need: 0 | 1 = uNeed < risk ? 1 : 0;
  // label bias: the service acts (and records) more or less often than need warrants for one group
  const uBias = rng.next();
  let escalated: 0 | 1 = need;
  const delta = child.group === s.labelBias.group ? s.labelBias.amount : 0;
  if (delta > 0 && !need) escalated = uBias < delta / (1 - risk) ? 1 : 0;
  else if (delta < 0 && need) escalated = uBias < -delta / risk ? 0 : 1;

  // pathway draws, all taken up front so the stream does not depend on the branch
  const u = PATH_DRAWS;
  for (let k = 0; k < 12; k++) u[k] = rng.next();
  const n1 = rng.normal();
  const assessDays = Math.max(3, Math.round(33 * Math.exp(0.45 * n1)));
  const r: Referral = {
    date, ordinal, source, nfa: false, factors, risk, need, escalated,
    assessment: null, s47: null, cin: null, cp: null, cla: null, end: date,
  };
  const needCode = factors & (F_DA | F_NEG) ? 0 : 1 + Math.floor(u[11] * 7);
  if (escalated) {
    const aStart = date + Math.floor(u[0] * 4);
    r.assessment = { start: aStart, auth: aStart + assessDays, seen: true, requiresSupport: true };
    if (u[1] < 0.72) {
      // child protection route: strategy discussion, s47, conference, plan
      const s47 = date + Math.floor(u[2] * 14);
      const icpc = s47 + 8 + Math.floor(u[3] * 25);
      r.s47 = { start: s47, icpcUnnecessary: false, icpc, plan: true };
      const planLen = Math.min(900, lognormalDays(rng, 270, 0.5));
      const cat = factors & F_NEG ? 0 : pick(CATEGORY_CUM, u[4]);
      r.cp = { start: icpc, end: icpc + planLen, initialCategory: cat, latestCategory: u[5] < 0.85 ? cat : pick(CATEGORY_CUM, u[6]), number: cpCount };
      r.end = r.cp.end;
      if (u[7] < 0.2) {
        const claStart = icpc + 20 + Math.floor(u[8] * Math.min(planLen, 280));
        r.cla = careEpisode(rng, claStart, u[9], needCode === 0 ? 0 : needCode);
        r.cp.end = claStart;
        r.end = r.cla.end;
      }
    } else {
      // straight into care (often an emergency), sometimes after a section 47
      const claStart = date + 1 + (u[2] < 0.3 ? Math.floor(u[3] * 7) : Math.floor(u[3] * 200));
      if (u[4] < 0.5) r.s47 = { start: date + Math.floor(u[5] * 3), icpcUnnecessary: true, icpc: NaN, plan: false };
      r.cla = careEpisode(rng, claStart, u[9], needCode);
      r.end = r.cla.end;
    }
    r.cin = { start: date, closure: r.end, reason: 0, needCode };
  } else if (u[0] < 0.075) {
    r.nfa = true;
    r.end = date + 1;
  } else {
    const aStart = date + Math.floor(u[1] * 6);
    const requiresSupport = u[2] >= 0.34;
    r.assessment = { start: aStart, auth: aStart + assessDays, seen: u[3] < 0.97, requiresSupport };
    if (u[4] < 0.27) {
      const s47 = date + Math.floor(u[5] * 14);
      const conference = u[6] < 0.25;
      r.s47 = { start: s47, icpcUnnecessary: !conference, icpc: conference ? s47 + 8 + Math.floor(u[7] * 25) : NaN, plan: false };
    }
    if (requiresSupport) {
      const closure = r.assessment.auth + 60 + Math.floor(u[8] * 240);
      r.cin = { start: date, closure, reason: 0, needCode };
      r.end = closure;
    } else {
      r.cin = { start: date, closure: r.assessment.auth, reason: u[9] < 0.6 ? 1 : 2, needCode: 8 };
      r.end = r.assessment.auth;
    }
  }
  return r;
}

/** Scratch space for a referral's pathway draws (reused; the generator is single-threaded). */
const PATH_DRAWS = new Float64Array(12);

const CATEGORY_CUM = cumulative([0.5, 0.08, 0.04, 0.35, 0.03]);

function careEpisode(rng: Rng, start: number, u: number, needCode: number): CareEpisode {
  const len = lognormalDays(rng, 420, 0.9);
  const legal = u < 0.45 ? 0 : u < 0.65 ? 1 : u < 0.9 ? 3 : 4;
  return {
    start,
    end: start + len,
    legal,
    placement: rng.int(7),
    provider: 1 + rng.int(4),
    permanence: rng.int(7),
    reasonCeased: rng.int(6),
    placements: 1 + poisson(rng, 0.4),
    needCode,
  };
}
