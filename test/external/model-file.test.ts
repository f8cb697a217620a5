import { describe, expect, it } from 'vitest';
import { csvOf, fitForExport, loadCsv, syntheticRows } from './helpers.ts';
import { modelFileOf, modelFileText, parseModelFile, restoreModel, exportProblems, modelHash, type ModelFile } from '../../src/lib/external/model-file.ts';
import { mappedTable, matchInputs, scoreRows } from '../../src/lib/external/apply.ts';
import { runValidation } from '../../src/lib/run/validate-run.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';
import { transform } from '../../src/lib/features/pipeline.ts';
import { canonicalJson } from '../../src/lib/bundle/integrity.ts';
import { murmurhash3 } from '../../src/lib/features/text-hash.ts';
import { stringColumn } from '../../src/lib/data/schema.ts';
import { createKeyFile } from '../../src/lib/bundle/signing.ts';
import { modelAuthenticity, signModelFile } from '../../src/lib/external/model-signing.ts';

/** One synthetic council, its rows marked train (7 in 10) or test, and the test rows alone. */
async function council() {
  const { header, rows } = syntheticRows('text-that-helps', 2500, 11);
  const sided = rows.map((r, i) => [...r, i % 10 < 7 ? 'train' : 'test']);
  const all = await loadCsv('council.csv', csvOf([...header, 'side'], sided));
  const testOnly = await loadCsv('council-test.csv', csvOf(header, rows.filter((_, i) => i % 10 >= 7)));
  return { all, testOnly };
}

const SPEC: EvaluateSpec = {
  outcome: 'outcome',
  positive: '1',
  models: ['logistic', 'gbdt', 'mlp'],
  split: { kind: 'column', column: 'side' },
  date: 'referral_date',
  id: 'child_id',
  groups: ['gender', 'ethnicity_group'],
  text: ['note'],
  drop: ['referral_id'],
  seed: 3,
  replicates: 40,
};

describe('model file round trip', async () => {
  const { all, testOnly } = await council();
  const { bundle, fitted } = await fitForExport(all, SPEC);

  for (const f of fitted.filter((x) => x.kind !== 'baseline')) {
    it(`${f.kind} (${f.features}): the file re-applied to its own test side gives the same scores and the same report`, async () => {
      const made = modelFileOf(f, bundle, '2026-01-01T00:00:00Z');
      expect(made.ok).toBe(true);
      if (!made.ok) return;
      const parsed = parseModelFile(modelFileText(made.value), 'm.json');
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const file = parsed.value;
      expect(file.integrity.hash).toBe(made.value.integrity.hash);

      const matches = matchInputs(file, testOnly.columns);
      expect(matches.ok).toBe(true);
      if (!matches.ok) return;
      const rows = Int32Array.from({ length: testOnly.table.numRows }, (_, i) => i);
      const scores = scoreRows(restoreModel(file), mappedTable(testOnly.table, matches.value), rows);
      expect(scores.ok).toBe(true);
      if (!scores.ok) return;
      let worst = 0;
      for (let i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(scores.value[i] - f.test.scores[i]));
      expect(scores.value.length).toBe(f.test.scores.length);
      expect(worst).toBeLessThanOrEqual(1e-12);

      const v = await runValidation(testOnly.table, testOnly.columns, file, { outcome: 'outcome', positive: '1', groups: SPEC.groups, id: 'child_id', seed: SPEC.seed, replicates: SPEC.replicates }, { name: 'council-test.csv', fingerprint: 't' });
      expect(v.ok).toBe(true);
      if (!v.ok) return;
      const here = v.value.results[0];
      const there = bundle.results.find((r) => r.model === f.kind && r.features === f.features)!;
      expect(here.metrics.averagePrecision).toEqual(there.metrics.averagePrecision);
      expect(here.metrics.rocAuc).toEqual(there.metrics.rocAuc);
      expect(here.metrics.brier).toEqual(there.metrics.brier);
      expect(here.atThreshold).toEqual(there.atThreshold);
      expect(here.topK).toEqual(there.topK);
      expect(here.subgroups).toEqual(there.subgroups);
      expect(v.value.task.externalModel).toMatchObject({ hash: file.integrity.hash, kind: f.kind });
    });
  }

  it('keeps the text block only for the model that read text', () => {
    const withText = fitted.find((f) => f.kind === 'logistic' && f.features === 'structured+text')!;
    const without = fitted.find((f) => f.kind === 'logistic' && f.features === 'structured')!;
    const a = modelFileOf(withText, bundle);
    const b = modelFileOf(without, bundle);
    expect(a.ok && a.value.preprocessing.text?.columns).toEqual(['note']);
    expect(b.ok && b.value.preprocessing.text).toBeNull();
    expect(b.ok && b.value.inputs.some((i) => i.name === 'note')).toBe(false);
  });
});

describe('model file disclosure', async () => {
  // A council where some levels, one word and so some possible leaves are rare.
  const { header, rows } = syntheticRows('realistic', 3000, 5);
  const team = ['North', 'South', 'East', 'West'];
  const isTrain = (i: number) => i % 10 < 7;
  const trainRows = Int32Array.from(rows.keys()).filter(isTrain);
  const noteAt = header.indexOf('note');
  let t = 0;
  const extra = rows.map((r, i) => {
    // Among training rows: 3 in 'Tiny team', 9 in 'Nine team', 10 in 'Ten team'; a word in 4 notes.
    const k = isTrain(i) ? t++ : Infinity;
    const rareTeam = k < 3 ? 'Tiny team' : k < 12 ? 'Nine team' : k < 22 ? 'Ten team' : team[i % 4];
    const note = k < 4 ? `${String(r[noteAt])} qxzvword` : r[noteAt];
    return [...r.slice(0, noteAt), note, ...r.slice(noteAt + 1), rareTeam, isTrain(i) ? 'train' : 'test'];
  });
  const data = await loadCsv('rare.csv', csvOf([...header, 'team', 'side'], extra));
  const spec: EvaluateSpec = { ...SPEC, models: ['logistic', 'gbdt'], groups: [], replicates: 0 };
  const { bundle, fitted } = await fitForExport(data, spec);
  const files = fitted.filter((f) => f.kind !== 'baseline').map((f) => {
    const m = modelFileOf(f, bundle);
    if (!m.ok) throw new Error(m.error.message);
    return { fitted: f, file: m.value };
  });

  it('names no category level seen in fewer than 10 training rows', () => {
    for (const { file, fitted: f } of files) {
      const team = file.preprocessing.categorical.find((c) => c.source === 'team')!;
      expect(team.levels).toContain('Ten team');
      expect(team.levels).not.toContain('Nine team');
      expect(team.levels).toContain('(other)');
      const text = modelFileText(file);
      expect(text).not.toContain('Tiny team');
      expect(text).not.toContain('Nine team');
      void f;
      // Every named level of every category input occurs at least 10 times in the training rows.
      for (const c of file.preprocessing.categorical) {
        const values = stringColumn(data.table, c.source);
        const counts = new Map<string, number>();
        for (const i of trainRows) counts.set(String(values[i]), (counts.get(String(values[i])) ?? 0) + 1);
        for (const l of c.levels) if (l !== '(other)' && l !== '(missing)') expect(counts.get(l) ?? 0).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('gives no weight to an n-gram in fewer than 10 training documents', () => {
    const { file } = files.find((x) => x.file.model.features === 'structured+text')!;
    expect(file.preprocessing.text!.minDf).toBe(10);
    // The rare word's hashed column has no idf and no coefficient in the file.
    const idf = restoreModel(file).pipeline.text!.idf;
    const col = Math.abs(murmurhash3('qxzvword', 0)) % 2 ** file.preprocessing.text!.bits;
    expect(idf[col]).toBe(0);
    if (file.parameters.kind === 'logistic') expect(file.parameters.text!.some(([j]) => j === col)).toBe(false);
  });

  it('has no tree leaf holding fewer than 10 training cases', () => {
    const { file } = files.find((x) => x.file.model.kind === 'gbdt')!;
    expect(file.parameters.kind === 'gbdt' && file.parameters.minSamplesLeaf).toBeGreaterThanOrEqual(10);
    // Route every training row through every tree and count the cases in each leaf.
    const d = transform(restoreModel(file).pipeline, data.table, trainRows);
    expect(d.ok).toBe(true);
    if (!d.ok || file.parameters.kind !== 'gbdt') return;
    expect(file.parameters.trees.length).toBeGreaterThan(5);
    for (const t of file.parameters.trees) {
      const counts = new Map<number, number>();
      for (let i = 0; i < trainRows.length; i++) {
        let k = 0;
        while (t.left[k] !== -1) {
          const x = d.value.X[i * d.value.p + t.feature[k]];
          const thr = t.threshold[k] ?? Infinity;
          k = (Number.isNaN(x) ? t.missingLeft[k] === 1 : x <= thr) ? t.left[k] : t.right[k];
        }
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(10);
    }
  });

  it('refuses a model not fitted under the export rules', async () => {
    const plain = await fitForExport(data, { ...spec, models: ['logistic'], exportable: false });
    const m = modelFileOf(plain.fitted.find((f) => f.kind === 'logistic')!, plain.bundle);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error.code).toBe('not-exportable');
  });

  it('flags small leaves and rare n-grams in a file', () => {
    const { file } = files.find((x) => x.file.model.kind === 'gbdt')!;
    const { integrity: _i, ...rest } = file;
    expect(exportProblems(rest)).toEqual([]);
    if (rest.parameters.kind === 'gbdt') expect(exportProblems({ ...rest, parameters: { ...rest.parameters, minSamplesLeaf: 5 } })[0]).toMatch(/fewer than 10 cases/);
  });
});

describe('reading a model file', async () => {
  const { header, rows } = syntheticRows('realistic', 1500, 2);
  const data = await loadCsv('small.csv', csvOf(header, rows));
  const { bundle, fitted } = await fitForExport(data, { ...SPEC, models: ['gbdt'], split: { kind: 'random' }, text: [], groups: [], replicates: 0 });
  const made = modelFileOf(fitted.find((f) => f.kind === 'gbdt')!, bundle);
  if (!made.ok) throw new Error(made.error.message);
  const good = made.value;
  const rehash = (f: Omit<ModelFile, 'integrity'>): ModelFile => ({ ...f, integrity: { algorithm: 'sha256', hash: modelHash(f) } });

  it('hashes the canonical JSON, whatever the layout', () => {
    expect(parseModelFile(JSON.stringify(good)).ok).toBe(true);
    expect(parseModelFile(canonicalJson(good)).ok).toBe(true);
  });

  it('refuses a file altered after export', () => {
    const bad = structuredClone(good);
    bad.operatingPoint.threshold = 0.01;
    const r = parseModelFile(JSON.stringify(bad), 'm.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('model-altered');
      expect(r.error.file).toBe('m.json');
    }
  });

  it('refuses what is not a model file, naming why', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['[]', /not a model file/],
      [JSON.stringify({ schema: 'candour.bundle/1' }), /candour.bundle\/1/],
      [JSON.stringify({ ...good, integrity: undefined }), /no integrity/],
    ];
    for (const [text, message] of cases) {
      const r = parseModelFile(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(message);
    }
  });

  it('refuses a tree that loops or splits on a column the design lacks, even with a valid hash', () => {
    const { integrity: _i, ...rest } = structuredClone(good);
    if (rest.parameters.kind !== 'gbdt') throw new Error('expected trees');
    const loop = structuredClone(rest);
    if (loop.parameters.kind === 'gbdt') loop.parameters.trees[0].left[0] = 0;
    const r1 = parseModelFile(JSON.stringify(rehash(loop)));
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.message).toMatch(/outside the tree/);
    const wide = structuredClone(rest);
    if (wide.parameters.kind === 'gbdt') wide.parameters.trees[0].feature[0] = 9999;
    const r2 = parseModelFile(JSON.stringify(rehash(wide)));
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error.message).toMatch(/column the design does not have/);
  });
});

describe('signed model files', async () => {
  const { header, rows } = syntheticRows('realistic', 1200, 4);
  const data = await loadCsv('signed.csv', csvOf(header, rows));
  const { bundle, fitted } = await fitForExport(data, { ...SPEC, models: ['logistic'], split: { kind: 'random' }, text: [], groups: [], replicates: 0 });
  const made = modelFileOf(fitted.find((f) => f.kind === 'logistic')!, bundle);
  if (!made.ok) throw new Error(made.error.message);
  let b = 1;
  const key = createKeyFile(new Date('2026-01-01T00:00:00Z'), (n) => Uint8Array.from({ length: n }, () => (b = (b * 73 + 11) % 251)));
  const signed = signModelFile(made.value, key);

  it('keeps the hash, adds a signature that verifies, and a validation names the signer', async () => {
    expect(signed.integrity.hash).toBe(made.value.integrity.hash);
    const parsed = parseModelFile(modelFileText(signed));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const a = modelAuthenticity(parsed.value, [key.ed25519.publicKey]);
    expect(a).toMatchObject({ status: 'signed', trusted: true, signer: { publicKey: key.ed25519.publicKey } });
    expect(modelAuthenticity(made.value).status).toBe('unsigned');
    const v = await runValidation(data.table, data.columns, parsed.value, { outcome: 'outcome', positive: '1', groups: [], seed: 1, replicates: 0 }, { name: 'x.csv', fingerprint: 'x' });
    expect(v.ok && v.value.task.externalModel).toMatchObject({ signer: key.ed25519.publicKey });
  });

  it('refuses a signed file whose content was changed and re-hashed', async () => {
    const { integrity, ...rest } = structuredClone(signed);
    rest.operatingPoint.threshold = 0.02;
    const forged: ModelFile = { ...rest, integrity: { ...integrity, hash: modelHash(rest) } };
    const parsed = parseModelFile(JSON.stringify(forged));
    expect(parsed.ok).toBe(true); // the hash alone cannot tell
    if (!parsed.ok) return;
    expect(modelAuthenticity(parsed.value).status).toBe('failed');
    const v = await runValidation(data.table, data.columns, parsed.value, { outcome: 'outcome', positive: '1', groups: [], seed: 1, replicates: 0 }, { name: 'x.csv', fingerprint: 'x' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error.message).toMatch(/signature does not match/);
  });
});

describe('a crafted model file', async () => {
  const { header, rows } = syntheticRows('realistic', 1200, 8);
  const data = await loadCsv('crafted.csv', csvOf(header, rows));
  const { bundle, fitted } = await fitForExport(data, { ...SPEC, models: ['logistic'], split: { kind: 'random' }, text: [], groups: [], replicates: 0 });
  const made = modelFileOf(fitted.find((f) => f.kind === 'logistic')!, bundle);
  if (!made.ok) throw new Error(made.error.message);
  const { integrity: _i, ...rest } = made.value;
  const rehash = (f: Omit<ModelFile, 'integrity'>): string => JSON.stringify({ ...f, integrity: { algorithm: 'sha256', hash: modelHash(f) } });

  it('is refused when its inputs disagree with its preprocessing (levels that are not strings, inputs left out)', () => {
    const odd = structuredClone(rest);
    const cat = odd.inputs.find((i) => i.type === 'category')!;
    (cat as unknown as { levels: unknown }).levels = 7;
    const r1 = parseModelFile(rehash(odd));
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.message).toMatch(/inputs does not match its preprocessing/);
    const fewer = { ...structuredClone(rest), inputs: rest.inputs.slice(1) };
    expect(parseModelFile(rehash(fewer)).ok).toBe(false);
  });

  it('is refused when its coefficients do not fit its design, or it asks for a huge text block', () => {
    const short = structuredClone(rest);
    if (short.parameters.kind === 'logistic') short.parameters.coef.pop();
    const r = parseModelFile(rehash(short));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/coefficients do not match/);
    const huge = structuredClone(rest);
    huge.preprocessing.text = { columns: ['note'], bits: 30, minDf: 10, nDocs: 5, idf: [] };
    expect(parseModelFile(rehash(huge)).ok).toBe(false);
  });
});
