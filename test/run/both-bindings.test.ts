/**
 * Same suite, both bindings: one spec run through the app's compute (in-process, as the web
 * worker runs it: the file handed over as a File, then `evaluate` / `audit`) and through the
 * `candour` command (`--json OUT`) gives one report. Only when it ran, how long fitting took and
 * the name of the numeric backend may differ; anything else a binding adds or changes fails here.
 *
 * The child ID is named to both: the command finds a repeated identifier column by itself (and
 * says so), where the app's spec names it from the Data page's role.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as evaluateCommand } from '../../src/cli/evaluate.ts';
import { run as auditCommand } from '../../src/cli/audit.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { createCompute } from '../../workers/compute.ts';
import { captureOutput } from '../cli/output.ts';

const FIXTURE = path.join(import.meta.dirname, '../../e2e/fixtures/council.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'candour-both-bindings-'));

const io = captureOutput();

/** The report without what may differ between two runs of one spec: when, fitting time, backend name. */
function comparable(b: Bundle): unknown {
  const { createdAt: _at, tool, results, ...rest } = structuredClone(b);
  const { backend: _backend, ...toolRest } = tool;
  return {
    ...rest,
    tool: toolRest,
    results: results.map((r) => {
      if (!r.training) return r;
      const { fitMs: _ms, ...training } = r.training;
      return { ...r, training };
    }),
  };
}

async function computeReport(kind: 'evaluate' | 'audit', spec: unknown): Promise<Bundle> {
  const compute = createCompute();
  const bytes = readFileSync(FIXTURE);
  const loaded = await compute.loadFile(1, new File([bytes], 'council.csv'), {}, () => {});
  if (loaded.status !== 'done') throw new Error(JSON.stringify(loaded));
  // The spec is what the page would send; each binding gets its own copy.
  const r = kind === 'evaluate' ? await compute.evaluate(2, structuredClone(spec) as never, () => {}) : await compute.audit(2, structuredClone(spec) as never, () => {});
  if (r.status !== 'done') throw new Error(JSON.stringify(r));
  return r.value;
}

async function commandReport(run: (argv: string[]) => Promise<number>, argv: string[], name: string): Promise<Bundle> {
  const json = path.join(dir, `${name}.json`);
  const code = await run(['--data', FIXTURE, ...argv, '--json', json]);
  if (code !== 0) throw new Error(io.err());
  return JSON.parse(readFileSync(json, 'utf8')) as Bundle;
}

function expectOneReport(app: Bundle, cli: Bundle): void {
  expect(app.data.fingerprint).toBe(cli.data.fingerprint);
  expect(app.task.policy).toEqual(cli.task.policy);
  expect(app.results.map((r) => r.model)).toEqual(cli.results.map((r) => r.model));
  // Every subgroup's figures at the operating policy (the baseline is audited for no group).
  expect(app.results.some((r) => r.subgroups.length > 0)).toBe(true);
  for (const [i, r] of app.results.entries()) expect(r.subgroups.map((s) => [s.attribute, s.group, s.atPolicy])).toEqual(cli.results[i].subgroups.map((s) => [s.attribute, s.group, s.atPolicy]));
  expect(comparable(app)).toEqual(comparable(cli));
}

describe('one spec through the compute worker and through the command gives one report', () => {
  it('evaluate: logistic and baseline, temporal split by referral date, gender audited, top 10%', async () => {
    const spec = {
      outcome: 'outcome',
      positive: 'Yes',
      models: ['baseline', 'logistic'],
      split: { kind: 'temporal', date: 'referral_date' },
      date: 'referral_date',
      id: 'child_id',
      groups: ['gender'],
      featureGroups: [],
      text: [],
      drop: ['risk_score'],
      seed: 7,
      replicates: 50,
      policy: { kind: 'topPct', topPct: 10 },
      topPct: 10,
    };
    const app = await computeReport('evaluate', spec);
    const cli = await commandReport(
      evaluateCommand,
      ['--outcome', 'outcome', '--positive', 'Yes', '--models', 'baseline,logistic', '--split', 'temporal', '--date', 'referral_date', '--id', 'child_id', '--group', 'gender', '--drop', 'risk_score', '--seed', '7', '--replicates', '50', '--top', '10'],
      'evaluate',
    );
    expect(app.task.policy).toMatchObject({ policy: { kind: 'topPct', topPct: 10 }, words: 'flag the top 10% of cases by score' });
    expectOneReport(app, cli);
  }, 120_000);

  it('audit: the recorded risk score, gender and ethnicity audited, threshold 0.3', async () => {
    const spec = { outcome: 'outcome', positive: 'Yes', score: 'risk_score', groups: ['gender', 'ethnicity_group'], seed: 7, replicates: 50, policy: { kind: 'threshold', threshold: 0.3 }, threshold: 0.3 };
    const app = await computeReport('audit', spec);
    const cli = await commandReport(
      auditCommand,
      ['--outcome', 'outcome', '--positive', 'Yes', '--score', 'risk_score', '--group', 'gender', '--group', 'ethnicity_group', '--seed', '7', '--replicates', '50', '--threshold', '0.3'],
      'audit',
    );
    expect(app.task.policy).toMatchObject({ policy: { kind: 'threshold', threshold: 0.3 }, words: 'flag every case with a score of 0.3 or more' });
    expectOneReport(app, cli);
  }, 120_000);
});
