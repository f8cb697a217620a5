/**
 * One place holds the operating policy: the Question page sets it, the run spec carries it,
 * Results changes it (a live report is re-derived through `repolicy`), the workshop moves it, and
 * every view reads the report at it. A report opened from a file snaps to its rows and says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bundle } from '../../../src/lib/bundle/schema.ts';
import type { OperatingPolicy } from '../../../src/lib/run/policy.ts';
import { POLICY_KEY, PolicyState } from '../../../src/ui/state/Policy.svelte.ts';
import { ReportState } from '../../../src/ui/state/Report.svelte.ts';
import { ProjectState } from '../../../src/ui/state/Project.svelte.ts';
import { WorkshopState } from '../../../src/ui/state/Workshop.svelte.ts';
import { Settings } from '../../../src/ui/state/Settings.svelte.ts';
import type { ComputeState } from '../../../src/ui/state/Compute.svelte.ts';
import type { TableSummary } from '../../../workers/api.ts';
import { loadFixture, reportAtTop10 } from '../../report/policy-fixture.ts';

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

/** The fixture report re-recorded at another top share, as the worker's repolicy would return it. */
function atTopPct(b: Bundle, k: number): Bundle {
  return {
    ...b,
    task: { ...b.task, policy: { ...(b.task.policy as object), policy: { kind: 'topPct', topPct: k }, words: `flag the top ${k}% of cases by score` } },
    results: b.results.map((r) => {
      const row = r.curves!.operating!.find((o) => o.topPct === k)!;
      return { ...r, atPolicy: { ...r.topK, ...row, topPct: k, nTarget: row.nFlagged, intervals: {} } };
    }),
  } as Bundle;
}

describe('PolicyState', () => {
  it('is kept in the browser and read back; a corrupt entry falls back to the top 10%', () => {
    const store = memoryStore();
    const a = new PolicyState(store);
    a.set({ mode: 'capacity', capacity: 25 });
    const b = new PolicyState(store);
    b.load();
    expect(b.policy).toEqual({ kind: 'capacity', perMonth: 25 });
    store.setItem(POLICY_KEY, '{oops');
    b.load();
    expect(b.policy).toEqual({ kind: 'topPct', topPct: 10 });
  });
  it('refuses values that make no policy', () => {
    const p = new PolicyState();
    p.set({ topPct: 0 });
    p.set({ capacity: -3 });
    expect(p.policy).toEqual({ kind: 'topPct', topPct: 10 });
  });
});

describe('the Question page sets the one policy, and the run spec carries it', () => {
  it('top 10% chosen on the Question page is the spec\'s policy; a capacity is not converted on the main thread', () => {
    const policy = new PolicyState();
    const project = new ProjectState({} as ComputeState, async () => null, policy);
    project.summary = { rows: 100, fingerprint: 'f', columns: [{ name: 'y', type: 'category', inferredType: 'category' }, { name: 'd', type: 'date', inferredType: 'date' }] } as unknown as TableSummary;
    project.config = { ...project.config, roles: { outcome: 'y', positive: '1', date: 'd', groups: [], text: [], exclude: [] }, question: { ...project.config.question, split: 'random' } };
    project.setOperating({ mode: 'topPct', topPct: 10 });
    const spec = project.runSpec;
    expect('spec' in spec && spec.spec.spec.policy).toEqual({ kind: 'topPct', topPct: 10 });
    project.setOperating({ mode: 'capacity', capacity: 40 });
    const spec2 = project.runSpec;
    expect('spec' in spec2 && spec2.spec.spec).toMatchObject({ policy: { kind: 'capacity', perMonth: 40 }, date: 'd' });
    expect('spec' in spec2 && spec2.spec.spec.topPct).toBeUndefined();
  });
});

describe('ReportState reads the report at the one policy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a finished run: the report\'s policy is THE policy, and the numbers are its own', () => {
    const policy = new PolicyState();
    policy.set({ mode: 'threshold', threshold: 0.5 });
    const report = new ReportState(policy, async () => null);
    report.setBundle(reportAtTop10(), 'run');
    expect(policy.policy).toEqual({ kind: 'topPct', topPct: 10 });
    expect(report.view).toMatchObject({ exact: true, words: 'flag the top 10% of cases by score' });
    const at = reportAtTop10().results[1].atPolicy!;
    expect(report.view!.row).toMatchObject({ tp: at.tp, fp: at.fp });
  });

  it('changing the policy on Results re-derives the live report through repolicy, once after the control settles', async () => {
    const policy = new PolicyState();
    const calls: OperatingPolicy[] = [];
    const base = reportAtTop10();
    const report = new ReportState(policy, async (p) => {
      calls.push(p);
      return p.kind === 'topPct' ? atTopPct(base, p.topPct) : null;
    });
    report.setBundle(base, 'run');
    report.setPolicy({ topPct: 18 });
    report.setPolicy({ topPct: 20 });
    expect(report.updating).toBe(true);
    expect(report.view!.note).toMatch(/Working out every number at this policy/);
    await vi.runAllTimersAsync();
    expect(calls).toEqual([{ kind: 'topPct', topPct: 20 }]);
    expect(report.updating).toBe(false);
    expect(report.view).toMatchObject({ exact: true, words: 'flag the top 20% of cases by score' });
    expect(report.bundle!.task.policy).toMatchObject({ policy: { kind: 'topPct', topPct: 20 } });
  });

  it('a report opened from a file is not re-derived: it snaps to its rows and says intervals are not available', async () => {
    const policy = new PolicyState();
    const repolicy = vi.fn(async () => null);
    const report = new ReportState(policy, repolicy);
    report.setBundle(reportAtTop10(), 'file');
    report.setPolicy({ topPct: 20 });
    await vi.runAllTimersAsync();
    expect(repolicy).not.toHaveBeenCalled();
    expect(report.view).toMatchObject({ exact: false, intervals: ['Intervals are not available here: they need the scores, which a report opened from a file does not hold.'] });
    expect(report.view!.row.topPct).toBe(20);
  });

  it('the picture and its sentence come from the same numbers', () => {
    const report = new ReportState(new PolicyState());
    report.setBundle(loadFixture('synthetic-models.json'), 'demo');
    report.setPolicy({ topPct: 1 });
    const { counts, sentences } = report.panel!;
    expect(sentences[0]).toContain(`the model flags ${counts!.flaggedNeeded + counts!.falseAlarm}: ${counts!.flaggedNeeded} of them`);
  });
});

describe('the workshop pictures use the same policy', () => {
  it('the slider moves THE policy, and the Results view follows', async () => {
    const policy = new PolicyState();
    const workshop = new WorkshopState(new Settings(), policy);
    workshop.bundles = { realistic: loadFixture('synthetic-models.json') };
    const report = new ReportState(policy);
    report.setBundle(loadFixture('synthetic-models.json'), 'demo');
    workshop.setTopPct(25);
    expect(policy.policy).toEqual({ kind: 'topPct', topPct: 25 });
    expect(workshop.row!.topPct).toBe(25);
    expect(report.view!.row.topPct).toBe(25);
  });
});
