import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import {
  DEFAULT_QUESTION, windowDaysOf, temporalShortfallWarning, defaultConfig, defaultSplit, isAuditMode, lockedConfiguration, monthlyVolume, parseConfig, rolesForColumns, runSpecOf,
} from '../../src/lib/project/config.ts';

const col = (name: string, type: ColumnInfo['type'], inferredType = type): ColumnInfo => ({ name, type, inferredType });
const TOP10 = { policy: { kind: 'topPct', topPct: 10 } } as const;
const COLUMNS = [col('child_id', 'id'), col('referral_date', 'date'), col('age', 'number'), col('ethnicity', 'category'), col('note', 'text'), col('outcome', 'category'), col('risk', 'number'), col('source', 'code', 'number')];

describe('parseConfig', () => {
  it('gives the defaults for nothing, junk and non-objects', () => {
    for (const t of [null, '', 'not json', '[1,2]', '42', 'null']) expect(parseConfig(t)).toEqual(defaultConfig());
  });

  it('round-trips a full configuration', () => {
    const cfg = defaultConfig();
    cfg.roles = { outcome: 'outcome', positive: 'Yes', date: 'referral_date', id: 'child_id', groups: ['ethnicity'], text: ['note'], exclude: ['risk'] };
    cfg.question = { ...DEFAULT_QUESTION, split: 'kfold', folds: 10, tolerance: { lower: 0.9, upper: 1.1 } };
    cfg.models = ['logistic', 'mlp'];
    cfg.criteria = [{ metric: 'averagePrecision', op: '>=', value: 0.65 }];
    expect(parseConfig(JSON.stringify(cfg))).toEqual(cfg);
  });

  it('replaces each out-of-range or mistyped field by its default, keeping the rest', () => {
    const c = parseConfig(JSON.stringify({ question: { split: 'sideways', folds: 1, testFraction: 2, tolerance: { lower: 2, upper: 0.5 }, operating: { mode: 'x', topPct: 0 } }, models: ['svm', 'gbdt'], roles: { outcome: 7, groups: ['a', 3] }, criteria: [{ metric: 'rocAuc', op: '>=', value: 0.7 }, { metric: 'rocAuc', op: '=', value: 1 }] }));
    expect(c.question.split).toBe('temporal');
    expect(c.question.folds).toBe(5);
    expect(c.question.testFraction).toBe(0.25);
    expect(c.question.tolerance).toEqual({ lower: 0.8, upper: 1.25 });
    expect(c.models).toEqual(['gbdt']);
    expect(c.roles.outcome).toBeUndefined();
    expect(c.roles.groups).toEqual(['a']);
    expect(c.criteria).toEqual([{ metric: 'rocAuc', op: '>=', value: 0.7 }]);
  });

  it('never throws, whatever the stored text (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (t) => { parseConfig(t); }));
  });
});

describe('roles and defaults', () => {
  it('keeps only roles naming columns of this table', () => {
    const r = rolesForColumns({ outcome: 'gone', positive: '1', date: 'referral_date', groups: ['ethnicity', 'sex', 'ethnicity'], text: ['note'], exclude: [] }, COLUMNS);
    expect(r).toEqual({ outcome: undefined, positive: undefined, date: 'referral_date', id: undefined, groups: ['ethnicity'], text: ['note'], score: undefined, exclude: [] });
  });

  it('splits by date when there is one, else at random', () => {
    expect(defaultSplit({ date: 'd', groups: [], text: [], exclude: [] })).toBe('temporal');
    expect(defaultSplit({ groups: [], text: [], exclude: [] })).toBe('random');
  });

  it('is audit mode exactly when a score column is chosen', () => {
    expect(isAuditMode({ score: 'risk', groups: [], text: [], exclude: [] })).toBe(true);
    expect(isAuditMode({ groups: [], text: [], exclude: [] })).toBe(false);
  });
});

describe('capacity', () => {
  it('uses the median month, so part months at the ends do not drag it', () => {
    expect(monthlyVolume([{ count: 3 }, { count: 100 }, { count: 120 }, { count: 110 }, { count: 5 }])).toBe(100);
    expect(monthlyVolume([{ count: 100 }, { count: 120 }])).toBe(110);
    expect(monthlyVolume([])).toBeNull();
    expect(monthlyVolume(undefined)).toBeNull();
  });

  it('a capacity reaches the run as a policy (resolved there over the test side\'s own dates), never converted here', () => {
    const cfg = defaultConfig();
    cfg.roles = { outcome: 'outcome', positive: 'Yes', date: 'referral_date', groups: [], text: [], exclude: [] };
    cfg.question.split = 'random';
    const out = runSpecOf(cfg, COLUMNS, { policy: { kind: 'capacity', perMonth: 40 } });
    if (!('spec' in out)) throw new Error(JSON.stringify(out));
    expect(out.spec.spec.policy).toEqual({ kind: 'capacity', perMonth: 40 });
    expect(out.spec.spec.topPct).toBeUndefined();
    expect(out.spec.spec.date).toBe('referral_date');
  });
});

describe('runSpecOf', () => {
  const ready = () => {
    const cfg = defaultConfig();
    cfg.roles = { outcome: 'outcome', positive: 'Yes', date: 'referral_date', id: 'child_id', groups: ['ethnicity'], text: ['note'], exclude: ['risk'] };
    return cfg;
  };

  it('builds an evaluate spec: temporal split by the decision date, overridden types, text ablation', () => {
    const cfg = ready();
    cfg.question.gapDays = 365;
    const out = runSpecOf(cfg, COLUMNS, TOP10);
    if (!('spec' in out)) throw new Error(JSON.stringify(out));
    expect(out.spec.mode).toBe('evaluate');
    expect(out.spec.spec).toMatchObject({
      outcome: 'outcome', positive: 'Yes', groups: ['ethnicity'], id: 'child_id', seed: 1, replicates: 1000, policy: { kind: 'topPct', topPct: 10 },
      models: ['baseline', 'logistic', 'gbdt'], split: { kind: 'temporal', date: 'referral_date', testFraction: 0.25, gapDays: 365 },
      date: 'referral_date', text: ['note'], drop: ['risk'], types: { source: 'code' }, textAblation: true, tolerance: { lower: 0.8, upper: 1.25 },
    });
  });

  it('builds an audit spec when a score column is chosen, and trains nothing', () => {
    const cfg = ready();
    cfg.roles = { ...cfg.roles, score: 'risk', exclude: [] };
    const out = runSpecOf(cfg, COLUMNS, TOP10);
    if (!('spec' in out)) throw new Error(JSON.stringify(out));
    expect(out.spec).toMatchObject({ mode: 'audit', spec: { score: 'risk', outcome: 'outcome' } });
    expect('models' in out.spec.spec).toBe(false);
  });

  it('lists every problem at once', () => {
    const cfg = defaultConfig();
    cfg.models = [];
    const out = runSpecOf(cfg, COLUMNS, { policy: { kind: 'capacity', perMonth: 40 } });
    if (!('problems' in out)) throw new Error('expected problems');
    expect(out.problems.map((p) => p.code).sort()).toEqual(['no-date', 'no-dates-for-capacity', 'no-models', 'no-outcome']);
  });

  it('refuses a score column that is not numbers', () => {
    const cfg = ready();
    cfg.roles.score = 'ethnicity';
    cfg.roles.groups = [];
    const out = runSpecOf(cfg, COLUMNS, TOP10);
    expect('problems' in out && out.problems[0]).toMatchObject({ code: 'score-not-number', column: 'ethnicity' });
  });

  it('needs the child ID for a grouped split and the yes value for the outcome', () => {
    const cfg = ready();
    cfg.roles = { ...cfg.roles, id: undefined, positive: undefined };
    cfg.question.split = 'grouped';
    const out = runSpecOf(cfg, COLUMNS, TOP10);
    expect('problems' in out && out.problems.map((p) => p.code)).toEqual(['no-positive', 'no-id']);
  });

  it('asks for the outcome window of a temporal split rather than assuming 12 months', () => {
    const out = runSpecOf(ready(), COLUMNS, TOP10);
    expect('problems' in out && out.problems[0]).toMatchObject({ code: 'no-window' });
    expect('problems' in out && out.problems[0].message).toMatch(/how many days after the decision date 'outcome' is counted/);
    const cfg = ready();
    cfg.question.gapDays = 90;
    const ok = runSpecOf(parseConfig(JSON.stringify(cfg)), COLUMNS, TOP10);
    expect('spec' in ok && ok.spec.spec).toMatchObject({ split: { kind: 'temporal', gapDays: 90 } });
    expect([windowDaysOf('cp-or-cla-12m'), windowDaysOf('two_year_recid'), windowDaysOf('s47_6m'), windowDaysOf('outcome'), windowDaysOf('is_recid')]).toEqual([365, 730, 183, null, null]);
  });

  it('with no usable case says so, rather than asking for an outcome column', () => {
    const out = runSpecOf(defaultConfig(), COLUMNS, { ...TOP10, rows: 0 });
    expect('problems' in out && out.problems.map((p) => p.message)).toEqual(['0 usable cases: there is nothing to train or test on (the Data page says why rows were left out)']);
  });

  it('carries the unit into the spec', () => {
    const cfg = ready();
    cfg.question = { ...cfg.question, gapDays: 365, unit: 'person' };
    const out = runSpecOf(parseConfig(JSON.stringify(cfg)), COLUMNS, TOP10);
    expect('spec' in out && out.spec.spec).toMatchObject({ unit: 'person' });
    expect(parseConfig(JSON.stringify({ question: { unit: 'alien', gapDays: 'x' } })).question).toMatchObject({ unit: 'child', gapDays: null });
  });

  it('asks the analyst to confirm a doubtful "yes" value before training, and keeps the doubt through a reload', () => {
    const cfg = ready();
    cfg.roles.positiveDoubt = "'Yes' (4,337, 83%) reads as yes, but it is the more common value";
    const out = runSpecOf(parseConfig(JSON.stringify(cfg)), COLUMNS, TOP10);
    expect('problems' in out && out.problems[0]).toMatchObject({ code: 'positive-unconfirmed', column: 'outcome' });
    expect('problems' in out && out.problems[0].message).toMatch(/^confirm which value of 'outcome' means yes on the Data page: 'Yes' \(4,337, 83%\)/);
  });
});

describe('lockedConfiguration', () => {
  it('holds the question and roles, no data, and ignores models in audit mode', () => {
    const cfg = defaultConfig();
    cfg.roles = { outcome: 'y', positive: '1', score: 's', groups: [], text: [], exclude: [] };
    const locked = lockedConfiguration(cfg, { kind: 'topPct', topPct: 5 }) as { models: string[]; roles: { score: string }; policy: unknown };
    expect(locked.models).toEqual([]);
    expect(locked.roles.score).toBe('s');
    expect(locked.policy).toEqual({ kind: 'topPct', topPct: 5 });
  });
});

describe('grouping choices (the app offers what candour audit --age/--ethnicity/--intersect/--reference/--what-if do)', () => {
  const groupings = {
    grouping: [{ column: 'ethnicity', kind: 'ethnicity-major' as const }, { column: 'age', kind: 'age-bands' as const, edges: [5, 10] }],
    intersections: [['ethnicity (major group)', 'age (band)']] as [string, string][],
    reference: [{ attribute: 'ethnicity (major group)', group: 'White' }],
    whatIf: true,
  };
  it('round-trip through stored JSON, dropping malformed entries', () => {
    const cfg = defaultConfig();
    cfg.question = { ...DEFAULT_QUESTION, groupings };
    expect(parseConfig(JSON.stringify(cfg)).question.groupings).toEqual(groupings);
    const bad = parseConfig(JSON.stringify({ question: { groupings: { grouping: [{ column: 'a', kind: 'stars' }, { column: 'b', kind: 'age-bands', edges: [5, 2] }], intersections: [['a', 'a'], ['a']], reference: [{ attribute: 'a', group: ' ' }], whatIf: 'yes' } } }));
    expect(bad.question.groupings).toEqual({ grouping: [{ column: 'b', kind: 'age-bands' }], intersections: [], reference: [], whatIf: false });
  });
  it('reach the run spec, kept only where they name a group column or one of its attributes', () => {
    const cfg = defaultConfig();
    cfg.roles = { outcome: 'outcome', positive: 'Yes', score: 'risk', groups: ['ethnicity', 'age'], text: [], exclude: [] };
    cfg.question = { ...DEFAULT_QUESTION, groupings };
    const r = runSpecOf(cfg, COLUMNS, TOP10);
    if (!('spec' in r)) throw new Error(JSON.stringify(r.problems));
    expect(r.spec.spec).toMatchObject(groupings);
    cfg.roles = { ...cfg.roles, groups: ['ethnicity'] };
    const s = runSpecOf(cfg, COLUMNS, TOP10);
    if (!('spec' in s)) throw new Error('no spec');
    expect(s.spec.spec).toMatchObject({ grouping: [groupings.grouping[0]], intersections: [], reference: groupings.reference, whatIf: true });
  });
});

describe('temporalShortfallWarning', () => {
  const year = (y: number, n = 10) => Array.from({ length: 12 }, (_, m) => ({ period: `${y}-${String(m + 1).padStart(2, '0')}`, count: n }));
  it('warns on a one-year extract with a 12-month window, saying why and what to do', () => {
    const w = temporalShortfallWarning(year(2019), 365, 0.25)!;
    expect(w.trainCases).toBe(0);
    expect(w.message).toMatch(/^The cases run from 2019-01 to 2019-12\. Testing on the latest 25% starts about 2019-10, .*outcome window \(365 days\).*no case is that early\. Load a longer extract/);
  });
  it('is quiet when the extract is long enough or the window short, and when it cannot judge', () => {
    expect(temporalShortfallWarning([...year(2017), ...year(2018), ...year(2019)], 365, 0.25)).toBeNull();
    expect(temporalShortfallWarning(year(2019), 60, 0.25)).toBeNull();
    expect(temporalShortfallWarning(year(2019), null, 0.25)).toBeNull();
    expect(temporalShortfallWarning(undefined, 365, 0.25)).toBeNull();
  });
});
