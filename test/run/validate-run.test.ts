import { describe, expect, it } from 'vitest';
import { csvOf, fitForExport, loadCsv, syntheticRows } from '../external/helpers.ts';
import { modelFileOf, modelFileText, type ModelFile } from '../../src/lib/external/model-file.ts';
import { createCompute } from '../../workers/compute.ts';
import { runValidation, type ValidationBlock } from '../../src/lib/run/validate-run.ts';
import type { EvaluateSpec, ValidateSpec } from '../../src/lib/run/spec.ts';
import type { Estimate } from '../../src/lib/bundle/schema.ts';
import type { LoadedTable } from '../../src/lib/data/load.ts';
import { validationSummary, sideBySide } from '../../src/lib/report/validation-view.ts';
import { applyDisclosureControl } from '../../src/lib/bundle/disclosure.ts';
import { numericColumn } from '../../src/lib/data/schema.ts';

const DEV: EvaluateSpec = {
  outcome: 'outcome',
  positive: '1',
  models: ['logistic'],
  split: { kind: 'column', column: 'side' },
  date: 'referral_date',
  id: 'child_id',
  groups: ['gender'],
  text: [],
  drop: ['referral_id'],
  seed: 1,
  replicates: 0,
};
const VAL: ValidateSpec = { outcome: 'outcome', positive: '1', groups: ['gender', 'ethnicity_group'], id: 'child_id', seed: 1, replicates: 100 };

async function modelOf(data: LoadedTable): Promise<ModelFile> {
  const { bundle, fitted } = await fitForExport(data, DEV);
  const m = modelFileOf(fitted.find((f) => f.kind === 'logistic')!, bundle);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

async function validate(file: ModelFile, data: LoadedTable, spec: Partial<ValidateSpec> = {}) {
  const r = await runValidation(data.table, data.columns, file, { ...VAL, ...spec }, { name: 'here.csv', fingerprint: 'h' });
  if (!r.ok) throw new Error(r.error.message);
  return { bundle: r.value, v: r.value.validation as ValidationBlock };
}

const contains = (e: Estimate, x: number) => e.lo! <= x && x <= e.hi!;

describe('a model that travels to a council with more children needing help', async () => {
  const a = syntheticRows('realistic', 4000, 1);
  const dev = await loadCsv('council-a.csv', csvOf([...a.header, 'side'], a.rows.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test'])));
  const b = syntheticRows('realistic', 4000, 9, { baseRate: 0.25 });
  const other = await loadCsv('council-b.csv', csvOf(b.header, b.rows));
  const file = await modelOf(dev);
  const { bundle, v } = await validate(file, other);

  it('is calibrated where it was developed', () => {
    expect(contains(file.development.metrics.calibrationInTheLarge, 0)).toBe(true);
  });

  it('under-predicts here: calibration-in-the-large above 0, interval and all', () => {
    const citl = bundle.results[0].metrics.calibrationInTheLarge as Estimate;
    expect(citl.lo!).toBeGreaterThan(0.3);
    expect(v.calibration.meanScore!).toBeLessThan(v.calibration.observed!);
  });

  it('recalibrating the intercept on the training side fixes calibration-in-the-large on the test side', () => {
    const [unchanged, intercept, both] = v.recalibration.rows;
    expect(unchanged.method).toBe('unchanged');
    expect(unchanged.calibrationInTheLarge.lo!).toBeGreaterThan(0);
    expect(contains(intercept.calibrationInTheLarge, 0)).toBe(true);
    expect(contains(both.calibrationInTheLarge, 0)).toBe(true);
    expect(Math.abs(intercept.calibrationInTheLarge.value!)).toBeLessThan(Math.abs(unchanged.calibrationInTheLarge.value!) / 4);
    expect(intercept.brier!).toBeLessThan(unchanged.brier!);
    // The split is this council's, stated with its sides.
    expect(v.recalibration.split.test.n + v.recalibration.split.train.n).toBe(bundle.data.rows);
  });

  it('reports the development results beside these', () => {
    const rows = sideBySide(bundle);
    expect(rows.find((r) => r.measure.startsWith('Calibration-in-the-large'))?.here).toMatch(/^\d/);
    expect(validationSummary(bundle).join(' ')).toMatch(/predicts the outcome less often than it happened here/);
    expect(bundle.task.externalModel).toEqual({ schema: 'candour.model/1', hash: file.integrity.hash, kind: 'logistic', features: 'structured', signer: null });
  });
});

describe('a shareable validation bundle', async () => {
  const a = syntheticRows('realistic', 2000, 1);
  const dev = await loadCsv('council-a.csv', csvOf([...a.header, 'side'], a.rows.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test'])));
  const file = await modelOf(dev);
  const b = syntheticRows('realistic', 1500, 2);
  const other = await loadCsv('council-b.csv', csvOf(b.header, b.rows.map((r) => r.map((x, j) => (b.header[j] === 'ethnicity_group' && x === 'Mixed' && Number(r[0]) % 7 === 0 ? 'Mixed-new' : x)))));
  // Not audited by ethnicity here: an audited group is named in a bundle with its counts withheld.
  const { bundle } = await validate(file, other, { groups: ['gender'] });

  it('names the model by hash and keeps its calibration, never the unknown values or their small counts', () => {
    const shared = applyDisclosureControl(bundle);
    expect(shared.task.externalModel).toMatchObject({ hash: file.integrity.hash });
    expect((shared.results[0].metrics.calibrationInTheLarge as Estimate).value).not.toBeNull();
    expect(shared.validation).toBeUndefined();
    const text = JSON.stringify(shared);
    expect(text).not.toContain('Mixed-new');
    const problem = (bundle.validation as ValidationBlock).problems.find((p) => p.input === 'ethnicity_group')!;
    expect(problem.unknownTotal!).toBeLessThan(10);
    expect((shared.task.notes as string[]).join(' ')).toMatch(/Fewer than 10 cases in 'ethnicity_group'/);
  });
});

describe('a model trained on the early years of a drifting council, tested on the later years', async () => {
  const { header, rows } = syntheticRows('drifting', 8000, 4);
  const at = header.indexOf('referral_date');
  const dates = rows.map((r) => String(r[at])).sort();
  const cut = dates[Math.floor(dates.length * 0.5)];
  const early = rows.filter((r) => String(r[at]) < cut);
  const late = rows.filter((r) => String(r[at]) >= cut);
  const dev = await loadCsv('early.csv', csvOf([...header, 'side'], early.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test'])));
  const later = await loadCsv('later.csv', csvOf(header, late));
  const file = await modelOf(dev);
  const { bundle, v } = await validate(file, later, { date: 'referral_date' });

  it('over-predicts later: calibration-in-the-large below 0', () => {
    const citl = bundle.results[0].metrics.calibrationInTheLarge as Estimate;
    expect(citl.hi!).toBeLessThan(0);
    expect(v.calibration.meanScore!).toBeGreaterThan(v.calibration.observed!);
    expect(validationSummary(bundle).join(' ')).toMatch(/predicts the outcome more often than it happened here/);
  });

  it('recalibration on earlier cases of this period fixes calibration-in-the-large on its later ones', () => {
    const [unchanged, intercept] = v.recalibration.rows;
    expect(v.recalibration.split.method).toBe('temporal');
    expect(Math.abs(intercept.calibrationInTheLarge.value!)).toBeLessThan(Math.abs(unchanged.calibrationInTheLarge.value!));
    expect(contains(intercept.calibrationInTheLarge, 0)).toBe(true);
  });
});

describe("this council's capacity", async () => {
  const a = syntheticRows('realistic', 1500, 3);
  const dev = await loadCsv('a.csv', csvOf([...a.header, 'side'], a.rows.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test'])));
  const file = await modelOf(dev);
  const b = syntheticRows('realistic', 1500, 6);
  const other = await loadCsv('b.csv', csvOf(b.header, b.rows));

  it('flags N cases a month over the span of the decision dates, beside the model\'s own threshold', async () => {
    const { bundle } = await validate(file, other, { date: 'referral_date', policy: { kind: 'capacity', perMonth: 10 } });
    const days = Array.from(numericColumn(other.table, 'referral_date'));
    const months = (Math.max(...days) - Math.min(...days) + 86_400_000) / ((365.25 / 12) * 86_400_000);
    const r = bundle.results[0];
    expect(r.topK.nTarget).toBe(Math.floor(10 * months));
    expect(r.atThreshold.threshold).toBe(file.operatingPoint.threshold);
    expect(bundle.task.policy).toMatchObject({ policy: { kind: 'capacity', perMonth: 10 }, nTarget: Math.floor(10 * months) });
    expect(r.atPolicy!.nTarget).toBe(Math.floor(10 * months));
  });

  it('in the worker, a new policy re-derives the validation report, not the run before it', async () => {
    const compute = createCompute();
    expect((await compute.loadFile(1, new File([csvOf(b.header, b.rows)], 'b.csv'), {}, () => {})).status).toBe('done');
    expect((await compute.audit(2, { outcome: 'outcome', positive: '1', score: 'deprivation_decile', groups: ['gender'], seed: 1, replicates: 0 }, () => {})).status).toBe('done');
    const validated = await compute.validateModel(3, modelFileText(file), 'model.json', { ...VAL, replicates: 0 }, () => {});
    expect(validated.status).toBe('done');
    const again = await compute.repolicy(4, { kind: 'topPct', topPct: 20 });
    if (again.status !== 'done') throw new Error(JSON.stringify(again));
    expect(again.value.task.mode).toBe('validate');
    expect(again.value.task.externalModel).toMatchObject({ hash: file.integrity.hash });
    expect(again.value.task.policy).toMatchObject({ policy: { kind: 'topPct', topPct: 20 } });
  });

  it('needs decision dates for a capacity a month', async () => {
    const r = await runValidation(other.table, other.columns, file, { ...VAL, policy: { kind: 'capacity', perMonth: 10 } }, { name: 'b.csv', fingerprint: 'b' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('no-dates-for-capacity');
  });
});

describe('matching the inputs', async () => {
  const a = syntheticRows('realistic', 1500, 3);
  const dev = await loadCsv('a.csv', csvOf([...a.header, 'side'], a.rows.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test'])));
  const file = await modelOf(dev);
  const b = syntheticRows('realistic', 1500, 5);
  const renamed = b.header.map((h) => (h === 'deprivation_decile' ? 'Deprivation Decile' : h === 'disability' ? 'disabled' : h));
  const other = await loadCsv('b.csv', csvOf(renamed, b.rows.map((r) => r.map((x, j) => (b.header[j] === 'ethnicity_group' && x === 'White' ? 'W' : x)))));

  it('names the inputs it cannot find', async () => {
    const r = await runValidation(other.table, other.columns, file, VAL, { name: 'b.csv', fingerprint: 'b' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/'disability'/);
      expect(r.error.file).toBe('b.csv');
    }
  });

  it('uses a similar name, a mapping, and counts unknown levels', async () => {
    const { v } = await validate(file, other, { mapping: { disability: 'disabled' } });
    expect(v.inputs.find((m) => m.input === 'deprivation_decile')).toMatchObject({ column: 'Deprivation Decile', how: 'similar name' });
    expect(v.inputs.find((m) => m.input === 'disability')).toMatchObject({ column: 'disabled', how: 'mapped' });
    const ethnicity = v.problems.find((p) => p.input === 'ethnicity_group')!;
    expect(ethnicity.unknownLevels).toEqual([{ value: 'W', count: b.rows.filter((r) => r[b.header.indexOf('ethnicity_group')] === 'White').length }]);
    expect(v.inputs.some((m) => m.input === 'gender')).toBe(false); // a group column, never an input
  });

  it('treats an input marked as not recorded as missing', async () => {
    const { v, bundle } = await validate(file, other, { mapping: { disability: null } });
    expect(v.inputs.find((m) => m.input === 'disability')).toMatchObject({ column: null, how: 'not recorded' });
    expect(bundle.results[0].metrics.rocAuc.value).not.toBeNull();
  });

  it('refuses a mapping to a column that is not there', async () => {
    const r = await runValidation(other.table, other.columns, file, { ...VAL, mapping: { disability: 'nope' } }, { name: 'b.csv', fingerprint: 'b' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no column named 'nope'/);
  });
});
