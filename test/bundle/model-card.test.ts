import { describe, it, expect } from 'vitest';
import { draftTransparencyRecord, draftModelCard, editTransparencyRecord, withTransparency } from '../../src/lib/bundle/model-card.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { withIntegrity, verifyIntegrity } from '../../src/lib/bundle/integrity.ts';
import { validateBundle } from '../../src/lib/bundle/validate.ts';
import { exampleBundle } from './make-bundle.ts';

describe('draftTransparencyRecord', () => {
  const shared = shareableBundle(exampleBundle());
  const rec = draftTransparencyRecord(shared);
  it('prefills what the bundle knows', () => {
    expect(rec.tier1.name).toBe('Predictive model evaluation: outcome');
    expect(rec.tier2.technicalSpecification.architecture).toContain('gradient-boosted decision trees');
    const ap = shared.results[1].metrics.averagePrecision;
    expect(rec.tier2.technicalSpecification.performance).toContain(`average precision ${ap.value!.toFixed(3)} (95% CI ${ap.lo!.toFixed(3)} to ${ap.hi!.toFixed(3)})`);
    expect(rec.tier2.data.sensitiveAttributes).toBe('Used to check performance by group: ethnicity, ageBand, disability, locality. This report does not record whether they were also model inputs.');
    expect(rec.tier2.technicalSpecification.disclosureControl).toContain('Counts below 10');
    expect(rec.tier2.technicalSpecification.provenance).toContain(shared.data.fingerprint);
  });
  it('leaves to a person what only a person can say, and lists it', () => {
    expect(rec.tier1.contactEmail).toBe('');
    expect(rec.toComplete).toEqual(expect.arrayContaining(['tier1.contactEmail', 'tier2.ownerAndResponsibility.seniorResponsibleOwner', 'tier2.decisionMakingProcess.humanOversight', 'tier2.risksAndMitigations.mitigations']));
    expect(rec.toComplete).not.toContain('tier2.technicalSpecification.performance');
  });
  it('takes edits as plain data and recomputes what is left', () => {
    const { record, unknown } = editTransparencyRecord(rec, { 'tier1.contactEmail': 'data@council.example', 'tier2.nope': 'x', 'standard': 'y' });
    expect(record.tier1.contactEmail).toBe('data@council.example');
    expect(record.toComplete).not.toContain('tier1.contactEmail');
    expect(unknown).toEqual(['tier2.nope', 'standard']);
    expect(rec.tier1.contactEmail).toBe('');
  });
  it('is stored in bundle.transparency, stays valid, and is covered by the integrity hash', () => {
    const b = withIntegrity(withTransparency(shared, { modelCard: draftModelCard(shared), record: rec }));
    expect(validateBundle(JSON.parse(JSON.stringify(b))).ok).toBe(true);
    expect(verifyIntegrity(b).ok).toBe(true);
    const edited = structuredClone(b);
    (edited.transparency as { record: { tier1: { name: string } } }).record.tier1.name = 'changed';
    expect(verifyIntegrity(edited).ok).toBe(false);
  });
  it('says withheld rather than inventing a number', () => {
    const b = structuredClone(shared);
    b.results[0].atThreshold.precision = null;
    expect(draftTransparencyRecord(b).tier2.risksAndMitigations.risks).toContain('baseline: of children flagged, an unknown share did not go on');
  });

  it('reads as a sentence with a withheld miss rate, and names disparity measures in words', () => {
    const b = structuredClone(shared);
    b.results[0].atThreshold.fnr = null;
    const g = b.results[0].subgroups[0];
    g.disparity = { flaggedRate: { reference: 'x', difference: 0.1, ratio: 2, lo: 1.5, hi: 3, verdict: 'disparity', casesNeeded: null } } as typeof g.disparity;
    const risks = draftTransparencyRecord(b).tier2.risksAndMitigations.risks;
    expect(risks).toContain('the share of children who did that were not flagged is withheld or undefined');
    expect(risks).not.toMatch(/withheld or undefined of children|\(flaggedRate\)/);
    expect(risks).toContain('(share flagged)');
  });
});

describe('the record says truthfully which group columns were model inputs', () => {
  const withFeatures = (groupsAsFeatures: string[]) => {
    const b = structuredClone(exampleBundle());
    b.task = { ...b.task, mode: 'evaluate', features: { numeric: ['age'], categorical: ['ethnicity', ...groupsAsFeatures.filter((g) => g !== 'ethnicity')], text: [], dates: [], dateColumn: null, groupsAsFeatures } };
    return b;
  };
  it('says a group column was used only to check performance when it was not a feature', () => {
    const rec = draftTransparencyRecord(withFeatures([]));
    expect(rec.tier2.data.sensitiveAttributes).toBe('Used only to check performance by group, never as model inputs: ethnicity, ageBand, disability, locality.');
  });
  it('says so when the analyst chose a group column as a model input too', () => {
    const rec = draftTransparencyRecord(withFeatures(['ethnicity']));
    expect(rec.tier2.data.sensitiveAttributes).toBe('Used as model inputs, by the analyst\'s explicit choice, and to check performance by group: ethnicity. Used only to check performance by group, never as model inputs: ageBand, disability, locality.');
    expect(rec.tier2.data.sensitiveAttributes).not.toMatch(/^Used only/);
  });
  it('does not claim what an audit of a supplied score cannot know', () => {
    const b = structuredClone(exampleBundle());
    b.task = { ...b.task, mode: 'audit' };
    expect(draftTransparencyRecord(b).tier2.data.sensitiveAttributes).toBe('Used to check performance by group: ethnicity, ageBand, disability, locality. Whether the supplied score uses them is not known from this evaluation.');
  });
  it('states the operating policy in words, and no raw JSON anywhere', () => {
    const b = withFeatures([]);
    b.task.policy = { policy: { kind: 'topPct', topPct: 10 }, words: 'flag the top 10% of cases by score', testRows: 100, testMonths: 4, nTarget: 10, topPct: 10 };
    const rec = draftTransparencyRecord(b);
    expect(rec.tier2.decisionMakingProcess.providedInformation).toBe('A risk score per referral; the operating policy is to flag the top 10% of cases by score.');
    const texts: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') texts.push(x);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(rec);
    walk(draftModelCard(b));
    expect(texts.filter((t) => /[{}]|":/.test(t))).toEqual([]);
  });
});

describe('the sample-size item in a shared report', async () => {
  const { tripodItems } = await import('../../src/lib/bundle/model-card.ts');
  const { trainingSampleSize } = await import('../../src/lib/evaluate/sample-size.ts');
  const item = (b: Parameters<typeof tripodItems>[0]) => tripodItems(b).find((i) => i.item === 'Sample size')!.text;
  it('publishes a coarse check (it read "Not recorded in this report" because disclosure dropped it)', () => {
    const local = { ...exampleBundle(), sampleSize: trainingSampleSize(703, 37, 24)! };
    const shared = shareableBundle(local);
    const s = shared.sampleSize!;
    expect(s).toBeDefined();
    expect(s.enough).toBe(local.sampleSize.enough);
    expect(s.maxParameters).toBe(local.sampleSize.maxParameters);
    expect(s.parameters).toBe(24);
    // Counts perturbed like every published count; the prevalence from the published counts;
    // cases required rounded up to 10.
    expect(Math.abs(s.n - 703)).toBeLessThanOrEqual(3);
    expect(Math.abs(s.events - 37)).toBeLessThanOrEqual(3);
    expect(s.prevalence).toBe(Number((s.events / s.n).toFixed(3)));
    for (const v of [s.required, s.criteria.shrinkage, s.criteria.optimism, s.criteria.intercept]) expect(v % 10).toBe(0);
    expect(s.required).toBeGreaterThanOrEqual(local.sampleSize.required);
    expect(item(shared)).toBe(s.sentence);
    expect(item(shared)).toMatch(/by the published criteria \(Riley et al\. 2020/);
    expect(item(shared)).toContain(`${s.n} cases (${s.events} with the outcome`);
    expect(shared.disclosure!.dropped).not.toContain('sampleSize');
    expect(validateBundle(JSON.parse(JSON.stringify(shared))).ok).toBe(true);
  });
  it('below the threshold the check is withheld, and the card says what was checked rather than "not recorded"', () => {
    const local = { ...exampleBundle(), sampleSize: trainingSampleSize(300, 6, 4)! };
    const shared = shareableBundle(local);
    expect(shared.sampleSize).toBeUndefined();
    expect(JSON.stringify(shared)).not.toMatch(/"events"/);
    expect(item(shared)).toMatch(/^Checked on the council's own data before training \(Riley et al\. 2020\); its figures are not in this shared report/);
    expect(item(local)).toBe(local.sampleSize.sentence);
  });
});
