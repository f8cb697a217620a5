import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidateParameters, preTrainingSentence, sampleSizeCheck, sampleSizeSentence } from '../../src/lib/evaluate/sample-size.ts';
import { runEvaluation } from '../../src/lib/run/evaluate-run.ts';
import { generateCases } from '../../src/lib/synth/generate.ts';
import { scenarioFrom } from '../../src/lib/synth/scenarios.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';

interface Port { n1: number; n2: number; n3: number; required: number; maxR2: number; shrinkage2: number; epp: number }
const golden: {
  packageTests: { csR2: number; parameters: number; prevalence: number; expected: number[]; port: Port }[];
  nagelkerke015: ({ parameters: number; prevalence: number; csR2: number } & Port)[];
} = JSON.parse(readFileSync(path.join(__dirname, '../golden/sample-size.json'), 'utf8'));

describe('minimum sample size (Riley et al. 2020, as pmsampsize)', () => {
  for (const t of golden.packageTests) {
    it(`pmsampsize's own test: R²cs ${t.csR2}, ${t.parameters} parameters, prevalence ${t.prevalence}`, () => {
      const s = sampleSizeCheck({ n: 1000, prevalence: t.prevalence, parameters: t.parameters, coxSnellR2: t.csR2 });
      expect([s.criteria.shrinkage, s.criteria.optimism, s.criteria.intercept, s.required]).toEqual(t.expected);
      expect(s.maxCoxSnellR2).toBeCloseTo(t.port.maxR2, 12);
      expect(s.shrinkageForOptimism).toBeCloseTo(t.port.shrinkage2, 12);
    });
  }
  for (const t of golden.nagelkerke015) {
    it(`Nagelkerke R² 0.15: ${t.parameters} parameters at prevalence ${t.prevalence}`, () => {
      const s = sampleSizeCheck({ n: 500, prevalence: t.prevalence, parameters: t.parameters });
      expect(s.coxSnellR2).toBe(t.csR2);
      expect([s.criteria.shrinkage, s.criteria.optimism, s.criteria.intercept, s.required]).toEqual([t.n1, t.n2, t.n3, t.required]);
    });
  }
  it('700 cases at 5% support 3 candidate parameters; with 10 the run is told to use 3 or fewer', () => {
    const s = sampleSizeCheck({ n: 700, prevalence: 0.05, parameters: 10 });
    expect(s).toMatchObject({ enough: false, maxParameters: 3, required: 1787 });
    expect(sampleSizeSentence(s)).toBe('700 cases (35 with the outcome, 5.0%) support at most 3 candidate predictor parameters by the published criteria (Riley et al. 2020), but this run has 10, which needs 1,787 cases: use 3 or fewer (drop columns, merge rare categories), or expect an over-fitted model whose risks are too extreme.');
    expect(sampleSizeCheck({ n: 700, prevalence: 0.05, parameters: 3 }).enough).toBe(true);
  });
  it('too few for the intercept: no number of predictors is enough', () => {
    const s = sampleSizeCheck({ n: 50, prevalence: 0.05, parameters: 1 });
    expect(s).toMatchObject({ enough: false, maxParameters: 0 });
    expect(sampleSizeSentence(s)).toMatch(/^50 cases .* are too few to build a model/);
  });
  it('maxParameters is the largest P whose required n is met (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 50000 }), fc.double({ min: 0.02, max: 0.5, noNaN: true }), (n, prevalence) => {
      const s = sampleSizeCheck({ n, prevalence, parameters: 1 });
      if (s.maxParameters === 0) return true;
      return sampleSizeCheck({ n, prevalence, parameters: s.maxParameters }).enough && !sampleSizeCheck({ n, prevalence, parameters: s.maxParameters + 1 }).enough;
    }));
  });
  it('refuses impossible inputs with a message', () => {
    expect(() => sampleSizeCheck({ n: 100, prevalence: 0, parameters: 3 })).toThrow(/invalid prevalence/);
    expect(() => sampleSizeCheck({ n: 100, prevalence: 0.2, parameters: 0 })).toThrow(/invalid number of predictor parameters/);
  });
});

describe('sample size in the run and before it', () => {
  it('counts candidate parameters from types: numbers (+ missing indicator), category levels; roles excluded', () => {
    const columns = [
      { name: 'y', type: 'category' }, { name: 'age', type: 'number', missing: 3 }, { name: 'n', type: 'number' },
      { name: 'sex', type: 'category', distinct: 3 }, { name: 'eth', type: 'category' }, { name: 'id', type: 'id' }, { name: 'note', type: 'text' },
    ];
    const plan = { outcome: 'y', id: 'id', drop: [], text: ['note'], groups: ['eth'] };
    expect(candidateParameters(columns, plan)).toBe(2 + 1 + 3);
    expect(candidateParameters(columns, { ...plan, groups: [] }, (c) => (c === 'eth' ? 5 : null))).toBe(2 + 1 + 3 + 5);
  });
  it('the pre-training sentence uses the outcome counts and says the training side will be smaller', () => {
    const words = preTrainingSentence([{ name: 'y', type: 'category' }, { name: 'a', type: 'number' }], { outcome: 'y', positive: 'yes', drop: [], text: [], groups: [] }, [{ value: 'no', count: 665 }, { value: 'yes', count: 35 }]);
    expect(words).toBe('About 1 candidate predictor parameter (each number, and each level of a category). On all the cases with an outcome, before the test side is set aside: 700 cases (35 with the outcome, 5.0%) are enough for the 1 candidate predictor parameters by the published criteria (Riley et al. 2020, needing 179); they would support at most 3 candidate predictor parameters.');
    expect(preTrainingSentence([], { outcome: 'y', positive: 'yes', drop: [], text: [], groups: [] }, [{ value: 'no', count: 10 }])).toBeNull();
  });
  it('a training run records the check on its training side, with the exact design width', async () => {
    const { table } = generateCases(scenarioFrom('realistic', { rows: 700, seed: 4 }));
    const columns: ColumnInfo[] = table.schema.fields.map((f) => {
      const type: ColumnInfo['type'] = ['child_id', 'referral_id'].includes(f.name) ? 'id' : f.name === 'note' ? 'text' : f.name === 'referral_date' ? 'date' : /Utf8|Dictionary/.test(String(f.type)) ? 'category' : 'number';
      return { name: f.name, type, inferredType: type };
    });
    const r = await runEvaluation(table, columns, { outcome: 'outcome', models: ['baseline'], split: { kind: 'random' }, groups: ['gender'], text: [], drop: ['referral_id', 'referral_date', 'note'], seed: 1, replicates: 20 }, { name: 's', fingerprint: 'f' });
    if (!r.ok) throw new Error(r.error.message);
    const s = r.value.sampleSize!;
    expect(s.n).toBe((r.value.data.rows as number) - (r.value.data.testRows as number));
    expect(s.parameters).toBeGreaterThan(3);
    expect(s.enough).toBe(false);
    expect(s.sentence).toMatch(/support at most \d+ candidate predictor parameters/);
  });
});
