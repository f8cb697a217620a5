/**
 * The planted effects are really there, within sampling error, and absent when not set; the
 * default rates look like England's published figures (../shared/annex-a.md).
 */
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { generateCases, scenarioFrom, type PresetName, type Scenario } from '../../src/lib/synth/index.ts';
import { sourceGroup } from '../../src/lib/annex-a/codes.ts';
import { FACTOR_PHRASES, HIDDEN_PHRASES } from '../../src/lib/synth/notes.ts';

const N = 15_000;
const cache = new Map<string, ReturnType<typeof generateCases>>();
function cases(preset: PresetName, over: Partial<Scenario> = {}) {
  const key = preset + JSON.stringify(over);
  if (!cache.has(key)) cache.set(key, generateCases(scenarioFrom(preset, { rows: N, seed: 11, ...over })));
  return cache.get(key)!;
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};

function shares(values: (string | null)[], map: (v: string | null) => string = (v) => String(v)): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(map(v), (m.get(map(v)) ?? 0) + 1);
  for (const [k, n] of m) m.set(k, n / values.length);
  return m;
}

/** Mean of (recorded outcome - true need) in and out of a group, with the standard error of the difference. */
function recordingGap(table: Table, truth: ReturnType<typeof generateCases>['truth'], group: string) {
  const out = numericColumn(table, 'outcome');
  const inG: number[] = [], outG: number[] = [];
  for (let i = 0; i < out.length; i++) (truth.cases.group[i] === group ? inG : outG).push(out[i] - truth.cases.need[i]);
  const v = (xs: number[]) => {
    const m = mean(xs);
    return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length;
  };
  return { diff: mean(inG) - mean(outG), se: Math.sqrt(v(inG) + v(outG)) };
}

function pearson(x: number[], y: number[]): number {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** One row per child (their first referral): deprivation (11 - decile, higher = poorer) and group membership. */
function deprivationVsGroup(table: Table, truth: ReturnType<typeof generateCases>['truth'], group: string) {
  const child = stringColumn(table, 'child_id');
  const decile = numericColumn(table, 'deprivation_decile');
  const dep: number[] = [], member: number[] = [];
  for (let i = 0; i < child.length; i++) {
    if (i > 0 && child[i] === child[i - 1]) continue;
    if (Number.isNaN(decile[i])) continue;
    dep.push(11 - decile[i]);
    member.push(truth.cases.group[i] === group ? 1 : 0);
  }
  return pearson(dep, member);
}

describe('realistic default rates', () => {
  const { table } = cases('realistic');

  it('escalates 10-15% of referrals to a CP plan or care within 12 months', () => {
    const rate = mean(numericColumn(table, 'outcome'));
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.15);
  });

  it('re-refers about 22% within 12 months of a previous referral', () => {
    const gap = numericColumn(table, 'days_since_prev_referral');
    let k = 0;
    for (const g of gap) if (g <= 365) k++;
    expect(k / gap.length).toBeGreaterThan(0.18);
    expect(k / gap.length).toBeLessThan(0.26);
  });

  it('draws referral sources near the 2020 national mix', () => {
    const s = shares(stringColumn(table, 'referral_source'), (v) => (v === null ? 'unrecognised' : sourceGroup(v)));
    const national: Record<string, number> = { Police: 0.287, Schools: 0.182, 'Health services': 0.15, 'LA services': 0.141, Individual: 0.081, Other: 0.049 };
    // drift moves police up a little over the years
    for (const [g, p] of Object.entries(national)) expect(Math.abs((s.get(g) ?? 0) - p)).toBeLessThan(0.035);
  });

  it('has an ethnicity mix near the children-in-need figures and about 54% boys', () => {
    const s = shares(stringColumn(table, 'ethnicity_group'));
    const known = 1 - (s.get('Unknown') ?? 0);
    const national: Record<string, number> = { White: 0.717, Mixed: 0.088, Asian: 0.074, Black: 0.086, Other: 0.034 };
    for (const [g, p] of Object.entries(national)) expect(Math.abs((s.get(g) ?? 0) / known - p)).toBeLessThan(0.03);
    expect(Math.abs((shares(stringColumn(table, 'gender')).get('Male') ?? 0) - 0.54)).toBeLessThan(0.02);
  });

  it('has assessment factors near their national prevalence', () => {
    const assessed = numericColumn(table, 'prev_assessments'); // any column to size by
    expect(assessed.length).toBe(N);
    expect(Math.abs(mean(numericColumn(table, 'factor_domestic_abuse')) - 0.317)).toBeLessThan(0.06);
    expect(Math.abs(mean(numericColumn(table, 'factor_parental_mental_health')) - 0.327)).toBeLessThan(0.06);
    expect(Math.abs(mean(numericColumn(table, 'factor_neglect')) - 0.165)).toBeLessThan(0.05);
  });
});

describe('label bias', () => {
  it('records the outcome more often than need warrants for the set group, by the set amount', () => {
    const { table, truth } = cases('biased-recording');
    const { diff, se } = recordingGap(table, truth, 'Black');
    expect(Math.abs(diff - 0.06)).toBeLessThan(4 * se);
    expect(se).toBeLessThan(0.01);
  });
  it('works downwards too', () => {
    const { table, truth } = cases('biased-recording', { labelBias: { group: 'Asian', amount: -0.04 }, baseRate: 0.2 });
    const { diff, se } = recordingGap(table, truth, 'Asian');
    expect(Math.abs(diff + 0.04)).toBeLessThan(4 * se);
  });
  it('is absent when not set', () => {
    const { table, truth } = cases('fair-but-weak');
    const { diff, se } = recordingGap(table, truth, 'Black');
    expect(Math.abs(diff)).toBeLessThan(4 * se);
  });
});

describe('proxy', () => {
  it('correlates latent deprivation with the group at the set strength, and the recorded decile follows', () => {
    const { table, truth } = cases('poverty-as-proxy');
    const child = stringColumn(table, 'child_id');
    const dep: number[] = [], member: number[] = [];
    for (let i = 0; i < child.length; i++) {
      if (i > 0 && child[i] === child[i - 1]) continue;
      dep.push(truth.cases.deprivation[i]);
      member.push(truth.cases.group[i] === 'Black' ? 1 : 0);
    }
    // Fisher z: SE of a correlation is about (1 - r^2) / sqrt(n)
    const r = pearson(dep, member);
    expect(Math.abs(r - 0.5)).toBeLessThan((4 * (1 - 0.25)) / Math.sqrt(dep.length));
    // deciles squeeze a shifted minority into the top bins: weaker, but clearly there
    const visible = deprivationVsGroup(table, truth, 'Black');
    expect(visible).toBeGreaterThan(0.35);
    expect(visible).toBeLessThan(r);
  });
  it('drives referrals but not need', () => {
    const { table, truth } = cases('poverty-as-proxy');
    const prev = numericColumn(table, 'prev_referrals');
    const risk = truth.cases.risk;
    const g = truth.cases.group;
    const by = (xs: ArrayLike<number>, grp: string) => mean(Array.from(xs).filter((_, i) => (g[i] === grp) === true));
    const notBy = (xs: ArrayLike<number>, grp: string) => mean(Array.from(xs).filter((_, i) => g[i] !== grp));
    expect(by(prev, 'Black') - notBy(prev, 'Black')).toBeGreaterThan(0.1);
    expect(Math.abs(by(risk, 'Black') - notBy(risk, 'Black'))).toBeLessThan(0.015);
  });
  it('is absent when not set', () => {
    const { table, truth } = cases('fair-but-weak');
    expect(Math.abs(deprivationVsGroup(table, truth, 'Black'))).toBeLessThan(0.05);
  });
});

describe('missingness by group', () => {
  it('leaves ethnicity not obtained more often for the set group', () => {
    const { table, truth } = cases('realistic');
    const eth = stringColumn(table, 'ethnicity');
    const child = stringColumn(table, 'child_id');
    const rate = (inGroup: boolean) => {
      let n = 0, k = 0;
      for (let i = 0; i < eth.length; i++) {
        if (i > 0 && child[i] === child[i - 1]) continue;
        if ((truth.cases.group[i] === 'Mixed') !== inGroup) continue;
        n++;
        if (eth[i] === 'NOBT') k++;
      }
      return { p: k / n, n };
    };
    const a = rate(true), b = rate(false);
    const se = Math.sqrt((a.p * (1 - a.p)) / a.n + (b.p * (1 - b.p)) / b.n);
    expect(Math.abs(a.p - b.p - 0.03)).toBeLessThan(4 * se);
    expect(Math.abs(b.p - 0.02)).toBeLessThan(0.01);
  });
});

describe('drift', () => {
  it('raises the share of police referrals over the years when set', () => {
    const { table } = cases('drifting');
    const dates = numericColumn(table, 'referral_date');
    const src = stringColumn(table, 'referral_source');
    const lo = Math.min(...dates), hi = Math.max(...dates);
    const police = (from: number, to: number) => {
      let n = 0, k = 0;
      for (let i = 0; i < dates.length; i++) if (dates[i] >= from && dates[i] < to) {
        n++;
        if (src[i] === '6') k++;
      }
      return k / n;
    };
    const third = (hi - lo) / 3;
    expect(police(hi - third, hi + 1) - police(lo, lo + third)).toBeGreaterThan(0.1);
  });
});

describe('case notes', () => {
  const hasPhrase = (note: string | null, phrase: string) => note !== null && note.includes(phrase);

  it('carry extra signal in "text that helps": a note phrase is associated with the outcome', () => {
    const { table } = cases('text-that-helps');
    const notes = stringColumn(table, 'note');
    const out = numericColumn(table, 'outcome');
    let a = 0, an = 0, b = 0, bn = 0;
    for (let i = 0; i < notes.length; i++) {
      if (hasPhrase(notes[i], 'unexplained bruising')) {
        an++;
        a += out[i];
      } else {
        bn++;
        b += out[i];
      }
    }
    expect(an / notes.length).toBeGreaterThan(0.01);
    expect(a / an / (b / bn)).toBeGreaterThan(2);
  });

  it('only repeat the structured columns by default', () => {
    const { table } = cases('realistic');
    const notes = stringColumn(table, 'note');
    for (const [phrase] of HIDDEN_PHRASES) expect(notes.some((n) => hasPhrase(n, phrase))).toBe(false);
    const cols = ['factor_domestic_abuse', 'factor_parental_mental_health', 'factor_alcohol', 'factor_drugs', 'factor_neglect', 'factor_child_mental_health'].map((c) => numericColumn(table, c));
    FACTOR_PHRASES.forEach(([, phrase], f) => {
      for (let i = 0; i < notes.length; i++) expect(hasPhrase(notes[i], phrase)).toBe(cols[f][i] === 1);
    });
  });

  it('are absent when text is none, and the text mode leaves every other column unchanged', () => {
    const none = generateCases(scenarioFrom('realistic', { rows: 500, seed: 3, text: 'none' })).table;
    const repeat = generateCases(scenarioFrom('realistic', { rows: 500, seed: 3, text: 'repeat' })).table;
    expect(stringColumn(none, 'note').every((n) => n === null)).toBe(true);
    for (const c of ['outcome', 'prev_referrals', 'factor_neglect', 'referral_date']) expect([...numericColumn(none, c)]).toEqual([...numericColumn(repeat, c)]);
  });
});
