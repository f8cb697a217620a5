// Attack: the size of a small group's withheld or perturbed count solved from the "cases needed"
// of a "too few" disparity. Below the minimums, casesNeeded is about need / share of the group
// (e.g. 10 positives / (positives / n)), so with the published n it gives back the exact count.
import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { runAudit } from '../../src/lib/run/audit-run.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { MINIMUMS } from '../../src/lib/evaluate/minimums.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import type { Bundle, Disparity, SubgroupResult } from '../../src/lib/bundle/schema.ts';
import { rng } from '../../src/lib/random.ts';

/** 600 children; group "Small" has 36, of whom 6 needed help (below the 10 positives ranking metrics need). The
 *  default 1000 replicates: with a few dozen, the noisy standard error can put the power-based need above the minimums. */
function report(): Bundle {
  const r = rng(3);
  const child_id: string[] = [], y: string[] = [], score: number[] = [], grp: string[] = [];
  for (let i = 0; i < 600; i++) {
    const s = r.normal();
    child_id.push(`CH${100000 + i}`);
    const g = i < 36 ? 'Small' : i % 2 ? 'A' : 'B';
    grp.push(g);
    y.push(g === 'Small' ? (i < 6 ? 'Yes' : 'No') : r.bernoulli(1 / (1 + Math.exp(-(s * 1.5 - 1.2)))) ? 'Yes' : 'No');
    score.push(1 / (1 + Math.exp(-(s + r.normal() * 0.3))));
  }
  const table = tableFromArrays({ child_id, y, score: Float64Array.from(score), grp });
  const type: Record<string, ColumnInfo['type']> = { child_id: 'id', y: 'category', score: 'number', grp: 'category' };
  const columns = Object.keys(type).map((name) => ({ name, type: type[name], inferredType: type[name] }));
  const a = runAudit(table, columns, { outcome: 'y', score: 'score', id: 'child_id', groups: ['grp'], seed: 1, replicates: 1000, threshold: 0.5, topPct: 10 }, { name: 'x.csv', fingerprint: 'f', createdAt: '2026-01-01T00:00:00Z', councilSecret: new Uint8Array(32).fill(7) });
  if (!a.ok) throw new Error(a.error.message);
  return a.value;
}

const disparities = (g: SubgroupResult): Disparity[] => [...Object.values(g.disparity ?? {}), ...Object.values(g.disparityTopK ?? {})].filter((d): d is Disparity => !!d);
/** The attacker's guess of a group's positives from a "too few" average-precision disparity. */
const solvePositives = (n: number, casesNeeded: number) => Math.round((MINIMUMS.rankingPositives * n) / casesNeeded);

describe('attack: a "too few" group\'s counts from its cases needed', () => {
  const local = report();
  // A council publishing at a threshold of 3: the group (36 children, 6 positives, noise at most 3) is published whatever its noise, below the ranking minimums.
  const shared = shareableBundle(local, { threshold: 3 });
  it('works on the local report: 10 × n / casesNeeded gives the exact positives', () => {
    const g = local.results[0].subgroups.find((s) => s.group === 'Small')!;
    const ap = g.disparity.averagePrecision!;
    expect(ap.tooFew).toBe(true);
    expect(solvePositives(g.n!, ap.casesNeeded!)).toBe(6);
  });
  it('fails on the bundle: a "too few" disparity publishes no cases needed, and never a verdict other than inconclusive', () => {
    let tooFew = 0;
    for (const g of shared.results[0].subgroups) {
      for (const d of disparities(g)) {
        if (d.tooFew !== true) continue;
        tooFew++;
        expect(d.casesNeeded).toBeNull();
        expect([null, 'inconclusive']).toContain(d.verdict);
      }
    }
    expect(tooFew).toBeGreaterThan(0);
  });
});
