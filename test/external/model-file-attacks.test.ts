/**
 * Attacks on an exported model file: what the learned values give back about one child. A column
 * filled in for one child, and two files fitted one child apart, must not give back that child's
 * values or n-grams; the coarsened values are the ones the model was fitted with.
 */
import { describe, expect, it } from 'vitest';
import { csvOf, fitForExport, loadCsv, syntheticRows } from './helpers.ts';
import { modelFileOf, type ModelFile } from '../../src/lib/external/model-file.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';
import type { CsvValue } from '../../src/lib/data/write-csv.ts';

const SPEC: EvaluateSpec = {
  outcome: 'outcome',
  positive: '1',
  models: ['logistic'],
  split: { kind: 'column', column: 'side' },
  date: 'referral_date',
  id: 'child_id',
  groups: ['gender', 'ethnicity_group'],
  text: ['note'],
  drop: ['referral_id'],
  seed: 5,
  replicates: 10,
};

async function exportOf(header: string[], rows: CsvValue[][]): Promise<ModelFile> {
  const data = await loadCsv('council.csv', csvOf(header, rows));
  const { bundle, fitted } = await fitForExport(data, SPEC);
  const f = fitted.find((x) => x.kind === 'logistic' && x.features === 'structured+text')!;
  const made = modelFileOf(f, bundle, '2026-01-01T00:00:00Z');
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

describe('model file attacks', async () => {
  const { header: h0, rows: r0 } = syntheticRows('text-that-helps', 1200, 17);
  const header = [...h0, 'lone_score', 'almost_full', 'side'];
  // One training child (row 0) has a value in `lone_score`; nobody else does.
  const rows: CsvValue[][] = r0.map((r, i) => [...r, i === 0 ? '123.4' : '', i >= 1 && i <= 3 ? '' : String(i % 7), i % 10 < 7 ? 'train' : 'test']);
  const contacts = header.indexOf('prev_contacts');
  // The removed child: the training row with the most previous contacts (far from the mean).
  let victim = -1;
  rows.forEach((r, i) => {
    if (i > 0 && i % 10 < 7 && (victim < 0 || Number(r[contacts]) > Number(rows[victim][contacts]))) victim = i;
  });
  const nTrain = rows.filter((_, i) => i % 10 < 7).length;
  const a = await exportOf(header, rows);
  const b = await exportOf(header, rows.filter((_, i) => i !== victim));

  it('a column filled in for one child is not in the file', () => {
    for (const f of [a, b]) {
      expect(f.preprocessing.numeric.map((s) => s.name)).not.toContain('lone_score');
      expect(f.preprocessing.sources).not.toContain('lone_score');
      expect(f.inputs.map((i) => i.name)).not.toContain('lone_score');
      expect(JSON.stringify(f)).not.toContain('123.4');
    }
  });

  it('a column missing for fewer than 10 training children keeps its values but has no missing indicator', () => {
    const step = a.preprocessing.numeric.find((s) => s.name === 'almost_full');
    expect(step?.indicator).toBe(false);
    expect(a.preprocessing.names).toContain('num__almost_full');
    expect(a.preprocessing.names).not.toContain('num__missingindicator_almost_full');
  });

  it('calibration summaries of the development test side are written to 2 decimals', () => {
    const { calibrationInTheLarge: c, calibrationSlope: s } = a.development.metrics;
    for (const x of [c.value, c.lo, c.hi, s.value, s.lo, s.hi]) if (x !== null) expect(Math.abs(x * 100 - Math.round(x * 100))).toBeLessThan(1e-9);
  });

  it('differencing the means of two files one child apart does not give back the child\u2019s values', () => {
    const linearSteps = (f: ModelFile) => f.preprocessing.numeric.filter((s) => s.median !== null);
    const stepsA = linearSteps(a);
    const stepsB = linearSteps(b);
    expect(stepsA.map((s) => s.name)).toEqual(stepsB.map((s) => s.name));
    let checked = 0;
    stepsA.forEach((s, k) => {
      if (s.kind !== 'column') return;
      const raw = rows[victim][header.indexOf(s.sources[0])];
      const truth = raw === '' || raw === null ? s.median! : Number(raw);
      const recovered = a.preprocessing.mean[k] * nTrain - b.preprocessing.mean[k] * (nTrain - 1);
      const error = Math.abs(recovered - truth);
      // Never exact; and for a value far from the column's mean (so guessing the mean is no help),
      // off by more than half the column's spread.
      expect(error, `${s.name}: recovered ${recovered}, truth ${truth}`).toBeGreaterThan(1e-6);
      if (Math.abs(truth - a.preprocessing.mean[k]) > a.preprocessing.scale[k]) {
        expect(error, `${s.name}: recovered ${recovered}, truth ${truth}`).toBeGreaterThan(0.5 * a.preprocessing.scale[k]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('no n-gram\u2019s document frequency changes by exactly one document', () => {
    const df = (f: ModelFile) => {
      const t = f.preprocessing.text!;
      return new Map(t.idf.map(([j, v]) => [j, (1 + t.nDocs) / Math.exp(v - 1) - 1]));
    };
    expect(a.preprocessing.text!.nDocs % 5).toBe(0);
    expect(b.preprocessing.text!.nDocs % 5).toBe(0);
    const dA = df(a);
    const dB = df(b);
    let shared = 0;
    for (const [j, x] of dA) {
      const y = dB.get(j);
      if (y === undefined) continue;
      shared++;
      const diff = x - y;
      expect(Math.abs(diff - 5 * Math.round(diff / 5)), `n-gram column ${j}: df ${x} vs ${y}`).toBeLessThan(1e-6);
    }
    expect(shared).toBeGreaterThan(10);
  });
});
