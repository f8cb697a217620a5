import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleBundle } from '../bundle/make-bundle.ts';
import { readBundle } from '../../src/lib/bundle/read.ts';
import { bundleFileName, disclosureSummary, finalBundle, labelOfKey, recordFields, shareDraft, withRecordField } from '../../src/lib/project/share.ts';
import { openBundle, oneResultEach, pooledMetric, pooledSentence, poolableModels } from '../../src/lib/project/compare.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';

const report = exampleBundle(1500, 7);

describe('shareDraft and finalBundle', () => {
  const draft = shareDraft(report);

  it('drafts the record from the disclosed bundle, so its figures are the published (perturbed) ones', () => {
    expect(draft.disclosed.disclosure).toBeDefined();
    const rows = draft.disclosed.data.rows;
    expect(draft.record.tier2.data.description).toContain(`${rows} cases`);
    expect(rows).not.toBeNull();
  });

  it('the final bundle carries the edited record, passes its integrity check and reads back', () => {
    const record = withRecordField(draft.record, 'tier2.ownerAndResponsibility.organisation', 'Anytown Council');
    const b = finalBundle(report, draft.modelCard, record);
    const back = readBundle(JSON.stringify(b));
    expect(back.ok).toBe(true);
    const t = (back.ok ? back.value.transparency : null) as { record: typeof record };
    expect(t.record.tier2.ownerAndResponsibility.organisation).toBe('Anytown Council');
    expect(t.record.toComplete).not.toContain('tier2.ownerAndResponsibility.organisation');
  });

  it('says what disclosure control did', () => {
    const s = disclosureSummary(draft.disclosed);
    expect(s.sentence).toMatch(/noise of at most 3 either way/);
    expect(disclosureSummary(shareDraft(report, { rounding: 5 }).disclosed).sentence).toMatch(/noise of at most 3 either way added and are rounded to the nearest 5/);
    expect(s.rows.map((r) => r.key)).toContain('Counts withheld because they were small');
    expect(s.rules.length).toBeGreaterThan(0);
    expect(disclosureSummary(report).sentence).toMatch(/not safe to share/);
  });
});

describe('recordFields', () => {
  it('lists every text field with its section and whether a person must complete it', () => {
    const rec = shareDraft(report).record;
    const f = recordFields(rec);
    expect(f[0]).toMatchObject({ path: 'tier1.name', section: 'Summary (tier 1)', label: 'Name' });
    expect(f.find((x) => x.path === 'tier2.ownerAndResponsibility.seniorResponsibleOwner')).toMatchObject({ label: 'Senior responsible owner', toComplete: true, value: '' });
    expect(f.filter((x) => x.toComplete).map((x) => x.path).sort()).toEqual([...rec.toComplete].sort());
  });
  it('labels camelCase keys in words', () => {
    expect(labelOfKey('contactEmail')).toBe('Contact email');
  });
});

describe('bundleFileName', () => {
  it('makes a safe name from the data name and the day', () => {
    const b = { ...report, data: { ...report.data, name: 'My Extract (2024).csv' }, createdAt: '2026-03-04T05:06:07Z' } as Bundle;
    expect(bundleFileName(b, 'html')).toBe('candour-my-extract-2024-2026-03-04.html');
    expect(bundleFileName({ ...b, data: { ...b.data, name: '../../' } }, 'json')).toBe('candour-bundle-2026-03-04.json');
  });
});

describe('openBundle', () => {
  const shared = finalBundle(report, shareDraft(report).modelCard, shareDraft(report).record);
  it('finds an untouched unsigned bundle unchanged, and says that does not show who wrote it', () => {
    const o = openBundle('a.json', JSON.stringify(shared));
    expect(o.status).toBe('unsigned');
    expect(o.message).toMatch(/does not show who wrote it/);
  });
  it('flags a changed number as failed but still opens it', () => {
    const t = JSON.parse(JSON.stringify(shared));
    t.results[0].metrics.averagePrecision.value = 0.99;
    const o = openBundle('t.json', JSON.stringify(t));
    expect(o.status).toBe('failed');
    expect(o.message).toMatch(/Do not rely on these numbers/);
    expect(o.bundle).not.toBeNull();
  });
  it('opens a local report without a hash as missing, and junk as unreadable naming the file', () => {
    expect(openBundle('local.json', JSON.stringify(report)).status).toBe('missing');
    const junk = openBundle('junk.txt', 'hello');
    expect(junk).toMatchObject({ status: 'unreadable', bundle: null });
    expect(junk.message).toMatch(/^junk\.txt: not a Candour bundle/);
  });
});

describe('pooling opened bundles', () => {
  const councils = [3, 4, 5, 6].map((seed) => shareDraft(exampleBundle(1500, seed)).disclosed);

  it('finds the models present in at least two bundles', () => {
    expect(poolableModels(councils)).toEqual(['baseline', 'logistic', 'gbdt', 'mlp']);
    expect(poolableModels(councils.slice(0, 1))).toEqual([]);
  });

  it('keeps one result per bundle for a model', () => {
    expect(oneResultEach(councils, 'logistic').every((b) => b.results.length === 1)).toBe(true);
  });

  it('pools average precision with a prediction interval and says it in words', () => {
    const p = pooledMetric(councils, 'logistic', 'averagePrecision');
    if (!p.ok) throw new Error(p.error.message);
    expect(p.value.analysis.k).toBe(4);
    expect(p.value.pooled.lo).toBeLessThanOrEqual(p.value.pooled.value);
    expect(p.value.pooled.predictionLo).not.toBeNull();
    expect(pooledSentence(p.value, 'Average precision')).toMatch(/^Pooling 4 bundles, average precision is 0\.\d\d \(95% interval 0\.\d\d to 0\.\d\d\)\. .*I² \d+%.*prediction interval/);
  });

  it('fails clearly with one bundle', () => {
    const p = pooledMetric(councils.slice(0, 1), 'logistic', 'averagePrecision');
    expect(p.ok).toBe(false);
  });
});

describe('disclosureSummary words', () => {
  it('names no internal field path (results[0]..., replicatesDefined) to the analyst', () => {
    const demo = JSON.parse(readFileSync('test/fixtures/bundles/synthetic-models.json', 'utf8')) as Bundle;
    const draft = shareDraft(demo).disclosed;
    expect(draft.disclosure?.dropped.length).toBeGreaterThan(0);
    const text = disclosureSummary(draft).rows.map((r) => `${r.key} ${r.value}`).join(' ');
    expect(text).not.toMatch(/results\[|\.disparity\.|replicatesDefined|subgroups\[/);
  });
});
