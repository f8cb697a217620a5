/**
 * Attacks on the shareable bundle, run against bundles the product writes (the real audit run,
 * then `shareableBundle` / `applyDisclosureControl`). Each test passes because its attack fails.
 * The differencing figures are printed; reproduce them with
 *   npx vitest run test/bundle/attacks.test.ts
 */
import { describe, expect, it } from 'vitest';
import { tableFromArrays, type Table } from 'apache-arrow';
import { runAudit } from '../../src/lib/run/audit-run.ts';
import { auditAttributes } from '../../src/lib/run/group-values.ts';
import { applyDisclosureControl, RATE_CELLS, type DisclosureOptions } from '../../src/lib/bundle/disclosure.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { ptable, perturbationOf } from '../../src/lib/bundle/cell-key.ts';
import { buildAuditReport } from '../../src/lib/report/audit-report.ts';
import { INTERSECTION_SEPARATOR, intersectionValues } from '../../src/lib/fairness/groups.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import type { Bundle, OperatingPointResult, SubgroupResult } from '../../src/lib/bundle/schema.ts';
import { rng } from '../../src/lib/random.ts';
import type { AuditSpec } from '../../src/lib/run/spec.ts';

const SECRET = new Uint8Array(32).fill(7);
const REGIONS = ['North', 'South', 'East', 'West', 'Islands'];

interface Fixture { table: Table; columns: ColumnInfo[]; score: number[]; y: string[]; sex: string[]; region: string[] }

/** n children with an ID, an outcome, a score, sex, region (one region small) and age. */
function fixture(n: number, seed: number): Fixture {
  const r = rng(seed);
  const child_id: string[] = [], y: string[] = [], score: number[] = [], sex: string[] = [], region: string[] = [], age: number[] = [], note: string[] = [], referral: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = r.normal();
    child_id.push(`CH${100000 + i * 7 + seed}`);
    y.push(r.bernoulli(1 / (1 + Math.exp(-(s * 1.5 - 1.2)))) ? 'Yes' : 'No');
    score.push(1 / (1 + Math.exp(-(s + r.normal() * 0.3))));
    sex.push(r.bernoulli(0.5) ? 'Female' : 'Male');
    const u = r.next();
    region.push(u < 0.03 ? 'Islands' : REGIONS[Math.floor((u - 0.03) / 0.2425)] ?? 'West');
    age.push(r.int(18));
    note.push(`visit ${i}`);
    referral.push(`2024-01-${String(1 + (i % 28)).padStart(2, '0')}`);
  }
  const table = tableFromArrays({ child_id, y, score: Float64Array.from(score), sex, region, age: Float64Array.from(age), note, referral });
  const type: Record<string, ColumnInfo['type']> = { child_id: 'id', y: 'category', score: 'number', sex: 'category', region: 'category', age: 'number', note: 'text', referral: 'date' };
  const columns = Object.keys(type).map((name) => ({ name, type: type[name], inferredType: type[name] }));
  return { table, columns, score, y, sex, region };
}

/** The fixture without row `drop` (one child fewer). */
function without(f: Fixture, drop: number): Table {
  const keep = (a: ArrayLike<unknown>) => Array.from(a).filter((_, i) => i !== drop);
  const col = (name: string) => f.table.getChild(name)!.toArray() as ArrayLike<unknown>;
  return tableFromArrays({
    child_id: keep(col('child_id')) as string[], y: keep(col('y')) as string[], score: Float64Array.from(keep(col('score')) as number[]),
    sex: keep(col('sex')) as string[], region: keep(col('region')) as string[], age: Float64Array.from(keep(col('age')) as number[]),
    note: keep(col('note')) as string[], referral: keep(col('referral')) as string[],
  });
}

function audit(f: Pick<Fixture, 'columns'>, table: Table, threshold = 0.5, secret: Uint8Array | undefined = SECRET, replicates = 0, more: Partial<AuditSpec> = {}): Bundle {
  const r = runAudit(table, f.columns, { outcome: 'y', score: 'score', id: 'child_id', groups: ['sex', 'region', 'age'], seed: 1, replicates, threshold, topPct: 10, ...more }, { name: 'x.csv', fingerprint: 'f', createdAt: '2026-01-01T00:00:00Z', councilSecret: secret });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Every path to a number in `x`. */
function numbersIn(x: unknown, path = ''): string[] {
  if (typeof x === 'number') return [path];
  if (Array.isArray(x)) return x.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}
function keysIn(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(keysIn);
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => [k, ...keysIn(v)]);
  return [];
}

describe('attack 1: a withheld group gives back its counts', () => {
  const f = fixture(600, 3);
  const local = audit(f, f.table, 0.5, SECRET, 200);
  const shared = shareableBundle(local);
  it('works on the local report: replicatesDefined and the like are per-group numbers', () => {
    expect(keysIn(local)).toContain('replicatesDefined');
  });
  it('fails on the bundle: a suppressed group publishes its label and the reason, nothing else', () => {
    const withheld = shared.results[0].subgroups.filter((g) => g.withheld?.group !== undefined);
    expect(withheld.length).toBeGreaterThan(0);
    for (const g of withheld) {
      expect(Object.keys(g).sort()).toEqual(['attribute', 'group', 'suppressed', 'withheld']);
      expect(numbersIn(g)).toEqual([]);
      expect(['primary', 'secondary']).toContain(g.withheld!.group);
    }
    // Any group with a withheld size, positives or negatives is one of them.
    for (const g of shared.results[0].subgroups) if (g.n === null || g.positives === null) expect(g.withheld?.group).toBeDefined();
    expect(keysIn(shared)).not.toContain('replicatesDefined');
    expect(keysIn(shared)).not.toContain('cellKeys');
  });
});

describe('attack 2: the exact size of a group from a rounded n plus a rate', () => {
  const f = fixture(600, 4);
  const local = audit(f, f.table, 0.5, SECRET, 100);
  /** (n, positives) pairs consistent with a published n rounded to 5 and a prevalence to 3 decimals. */
  const candidates = (nPub: number, prevalence: number, spread: number) => {
    const out: [number, number][] = [];
    for (let n = nPub - spread; n <= nPub + spread; n++) for (let p = 0; p <= n; p++) if (n > 0 && Number((p / n).toFixed(3)) === prevalence) out.push([n, p]);
    return out;
  };
  it('works under the old rule (counts rounded to 5, rates from the exact data)', () => {
    const g = local.results[0].subgroups.find((s) => s.attribute === 'sex')!;
    const c = candidates(Math.round(g.n! / 5) * 5, Number((g.positives! / g.n!).toFixed(3)), 2);
    expect(c.length).toBeLessThanOrEqual(2);
    expect(c.map(([n]) => n)).toContain(g.n);
  });
  it('fails on the bundle: every published rate is worked out from published counts', () => {
    const shared = shareableBundle(local);
    const q = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : Number(Math.min(1, a / b).toFixed(3)));
    const check = (t: OperatingPointResult, n: number | null | undefined, pos: number | null | undefined) => {
      const counts: Record<string, number | null | undefined> = { tp: t.tp, fp: t.fp, fn: t.fn, tn: t.tn, flagged: t.nFlagged, unflagged: null, pos, neg: null, n };
      for (const [rate, [num, den]] of Object.entries(RATE_CELLS)) {
        const v = (t as unknown as Record<string, number | null>)[rate];
        if (v === null || v === undefined || counts[num] === null || counts[den] === null || counts[num] === undefined || counts[den] === undefined) continue;
        expect(v, rate).toBe(q(counts[num], counts[den]));
      }
    };
    let checked = 0;
    for (const g of shared.results[0].subgroups) {
      if (g.n === undefined) continue;
      expect(g.prevalence).toBe(q(g.positives, g.n));
      for (const t of [g.atThreshold, g.topK]) { check(t, g.n, g.positives); checked++; }
    }
    expect(shared.data.prevalence).toBe(q(shared.data.positives, shared.data.rows));
    expect(checked).toBeGreaterThan(4);
  });
  it('fails on the bundle: intervals only for groups that pass the threshold, to 2 decimals', () => {
    const shared = shareableBundle(local);
    for (const g of shared.results[0].subgroups) {
      if (g.n === undefined) continue;
      for (const e of Object.values(g.atThreshold.intervals ?? {})) {
        for (const b of [e?.lo, e?.hi]) if (b !== null && b !== undefined) expect(Number(b.toFixed(2))).toBe(b);
      }
    }
  });
});

// ------------------------------------------------------------- attack 3: linked tables

type Lin = { cells: Map<string, number | null>; eqs: string[][]; reason: Map<string, string> };

/** The linear system a reader can write from a bundle: every count, and what sums to what. */
function linearSystem(b: Bundle): Lin {
  const cells = new Map<string, number | null>();
  const reason = new Map<string, string>();
  const eqs: string[][] = [];
  const r = b.results[0];
  const put = (k: string, v: number | null | undefined, why?: string) => { cells.set(k, v ?? null); if (why) reason.set(k, why); };
  const table = (p: string, t: OperatingPointResult | undefined, n: number | null | undefined, pos: number | null | undefined, whole: boolean, why?: string) => {
    const w = (f: string) => (t?.withheld?.[f] ?? why);
    put(`${p}tp`, t?.tp, w('tp')); put(`${p}fp`, t?.fp, w('fp')); put(`${p}fn`, t?.fn, w('fn')); put(`${p}tn`, t?.tn, w('tn')); put(`${p}fl`, t?.nFlagged, w('nFlagged'));
    put(`${p}ufl`, null, 'virtual'); put(`${p}neg`, null, 'virtual');
    if (!whole) { put(`${p}pos`, pos, why); put(`${p}n`, n, why); }
    eqs.push([`${p}fl`, `${p}tp`, `${p}fp`], [`${p}ufl`, `${p}fn`, `${p}tn`], [`${p}pos`, `${p}tp`, `${p}fn`], [`${p}neg`, `${p}fp`, `${p}tn`], [`${p}n`, `${p}fl`, `${p}ufl`], [`${p}n`, `${p}pos`, `${p}neg`]);
  };
  for (const op of ['atThreshold', 'topK'] as const) {
    put(`${op}*pos`, b.data.positives); put(`${op}*n`, b.data.rows);
    table(`${op}*`, r[op], null, null, true);
    for (const g of r.subgroups) table(`${op}|${g.attribute}=${g.group}|`, g[op], g.n, g.positives, false, g.withheld?.group);
    const attrs = new Set(r.subgroups.map((g) => g.attribute));
    for (const a of attrs) {
      const groups = r.subgroups.filter((g) => g.attribute === a);
      for (const k of ['tp', 'fp', 'fn', 'tn', 'fl', 'ufl', 'pos', 'neg', 'n']) eqs.push([`${op}*${k}`, ...groups.map((g) => `${op}|${a}=${g.group}|${k}`)]);
      const sides = a.split(INTERSECTION_SEPARATOR);
      if (sides.length !== 2) continue;
      sides.forEach((parent, side) => {
        for (const p of r.subgroups.filter((g) => g.attribute === parent)) {
          const kids = groups.filter((g) => g.group.split(INTERSECTION_SEPARATOR)[side] === p.group);
          for (const k of ['tp', 'fp', 'fn', 'tn', 'fl', 'ufl', 'pos', 'neg', 'n']) eqs.push([`${op}|${parent}=${p.group}|${k}`, ...kids.map((g) => `${op}|${a}=${g.group}|${k}`)]);
        }
      });
    }
  }
  // One population across the two operating points: its n and positives are the same cells.
  for (const g of r.subgroups) for (const k of ['pos', 'neg', 'n']) eqs.push([`atThreshold|${g.attribute}=${g.group}|${k}`, `topK|${g.attribute}=${g.group}|${k}`]);
  return { cells, eqs, reason };
}

/**
 * Exhaustive integer feasibility: can `x` take a value other than `truth[x]` while every
 * equation holds, published cells keep their (exact) values and withheld cells stay in the range
 * their reason allows (primary: 0..threshold-1)? Depth-first search with interval propagation.
 */
function canDiffer(sys: Lin, truth: Map<string, number>, x: string, threshold: number, budget = 200000): boolean | 'budget' {
  const unknown = [...sys.cells.keys()].filter((k) => sys.cells.get(k) === null);
  const total = Math.max(...[...truth.values()]);
  const lo0 = new Map<string, number>(), hi0 = new Map<string, number>();
  for (const k of unknown) { lo0.set(k, 0); hi0.set(k, sys.reason.get(k) === 'primary' ? threshold - 1 : total); }
  const known = (k: string) => sys.cells.get(k) ?? null;
  let nodes = 0;
  const propagate = (lo: Map<string, number>, hi: Map<string, number>): boolean => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const [t, ...parts] of sys.eqs) {
        // t = sum(parts): each member bounded by the others.
        const terms: [string, number][] = [[t, -1], ...parts.map((p): [string, number] => [p, 1])];
        let sLo = 0, sHi = 0;
        for (const [k, c] of terms) {
          const v = known(k);
          const a = v ?? lo.get(k)!, b = v ?? hi.get(k)!;
          sLo += c > 0 ? c * a : c * b; sHi += c > 0 ? c * b : c * a;
        }
        if (sLo > 0 || sHi < 0) return false;
        for (const [k, c] of terms) {
          if (known(k) !== null) continue;
          const a = lo.get(k)!, b = hi.get(k)!;
          const restLo = sLo - (c > 0 ? c * a : c * b), restHi = sHi - (c > 0 ? c * b : c * a);
          // c*k + rest = 0 -> k in [-restHi/c, -restLo/c] (c = ±1)
          const nLo = c > 0 ? -restHi : restLo, nHi = c > 0 ? -restLo : restHi;
          if (nLo > a) { lo.set(k, nLo); changed = true; }
          if (nHi < b) { hi.set(k, nHi); changed = true; }
          if (lo.get(k)! > hi.get(k)!) return false;
        }
      }
    }
    return true;
  };
  const search = (lo: Map<string, number>, hi: Map<string, number>): boolean | 'budget' => {
    if (++nodes > budget) return 'budget';
    if (!propagate(lo, hi)) return false;
    const open = unknown.filter((k) => lo.get(k)! < hi.get(k)!).sort((a, b) => (hi.get(a)! - lo.get(a)!) - (hi.get(b)! - lo.get(b)!));
    if (open.length === 0) return true;
    const k = open[0];
    for (let v = lo.get(k)!; v <= hi.get(k)!; v++) {
      const l = new Map(lo), h = new Map(hi);
      l.set(k, v); h.set(k, v);
      const r = search(l, h);
      if (r !== false) return r;
    }
    return false;
  };
  const t = truth.get(x)!;
  for (const [a, b] of [[0, t - 1], [t + 1, total]]) {
    if (a > b) continue;
    const lo = new Map(lo0), hi = new Map(hi0);
    lo.set(x, Math.max(lo.get(x)!, a)); hi.set(x, Math.min(hi.get(x)!, b));
    if (lo.get(x)! > hi.get(x)!) continue;
    const r = search(lo, hi);
    if (r !== false) return r;
  }
  return false;
}

/** A small audit report (the real report builder) with two attributes and their intersection. */
function smallReport(seed: number, n: number): Bundle {
  const r = rng(seed);
  const labels = new Uint8Array(n), scores = new Float64Array(n);
  const a: string[] = [], b: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = r.normal();
    labels[i] = r.bernoulli(1 / (1 + Math.exp(-(1.5 * s - 0.5)))) ? 1 : 0;
    scores[i] = 1 / (1 + Math.exp(-s));
    a.push(['a1', 'a2', 'a3'][r.next() < 0.08 ? 2 : r.int(2)]);
    b.push(r.bernoulli(0.5) ? 'b1' : 'b2');
  }
  return buildAuditReport({
    labels, scores, replicates: 0, seed: 1, threshold: 0.5, topPct: 20, createdAt: '2026-01-01T00:00:00Z',
    groups: [{ attribute: 'A', values: a }, { attribute: 'B', values: b }, { attribute: `A${INTERSECTION_SEPARATOR}B`, values: intersectionValues(a, b) }],
    dataInfo: { name: 's.csv', fingerprint: 'f', columns: [] }, task: { outcome: 'y', positive: '1' },
  });
}

describe('attack 3: a withheld cell recovered by adding and subtracting published cells', () => {
  it('works against primary suppression alone: the solver finds the cell', () => {
    const local = smallReport(1, 150);
    const shared = applyDisclosureControl(local, { maxPerturbation: 0, rounding: 1, threshold: 0 });
    const g = shared.results[0].subgroups.find((s) => s.attribute === 'A' && s.group === 'a1')!;
    const tp = g.atThreshold.tp!;
    g.atThreshold.tp = null;
    g.atThreshold.withheld = { tp: 'primary' };
    const sys = linearSystem(shared);
    const truth = new Map([[`atThreshold|A=a1|tp`, tp]]);
    expect(canDiffer(sys, truth, 'atThreshold|A=a1|tp', tp + 1)).toBe(false);
  });

  it('fails: no withheld cell is pinned by the linked tables (totals, groups, intersections), exhaustive search', () => {
    let withheldSeen = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const local = smallReport(seed, 120 + seed * 10);
      const exact: DisclosureOptions = { maxPerturbation: 0, rounding: 1 };
      const shared = applyDisclosureControl(local, exact);
      const truth = new Map<string, number>();
      const tl = linearSystem(local);
      for (const [k, v] of tl.cells) if (v !== null) truth.set(k, v);
      // Virtual cells' true values from the equations of the local report.
      for (let changed = true; changed; ) {
        changed = false;
        for (const [t, ...parts] of tl.eqs) {
          const all = [t, ...parts];
          const miss = all.filter((k) => !truth.has(k));
          if (miss.length !== 1) continue;
          const sum = parts.reduce((s, p) => s + (truth.get(p) ?? 0), 0);
          truth.set(miss[0], miss[0] === t ? sum : truth.get(t)! - (sum - 0));
          if (miss[0] !== t) truth.set(miss[0], truth.get(t)! - parts.filter((p) => p !== miss[0]).reduce((s, p) => s + truth.get(p)!, 0));
          changed = true;
        }
      }
      const sys = linearSystem(shared);
      const small = [...sys.cells.keys()].filter((k) => sys.cells.get(k) === null && sys.reason.get(k) === 'primary' && truth.has(k));
      for (const k of small) {
        withheldSeen++;
        const r = canDiffer(sys, truth, k, 10);
        expect(r, `seed ${seed}: ${k} (true ${truth.get(k)}) is pinned`).toBe(true);
      }
    }
    expect(withheldSeen).toBeGreaterThan(10);
  }, 120000);
});

// ------------------------------------------------------------- attack 4: differencing

interface Guess { headline: number; allCells: number }

/** Signed evidence that the missing child was positive: positive-side cells rose, negative-side fell. */
function evidence(a: Bundle, b: Bundle, groups: { attribute: string; group: string }[]): Guess {
  const d = (x: number | null | undefined, y: number | null | undefined) => (x == null || y == null ? 0 : x - y);
  const headline = d(a.data.positives, b.data.positives) - d(a.data.rows! - a.data.positives!, b.data.rows! - b.data.positives!);
  let all = headline;
  const tables = (x: Bundle) => {
    const r = x.results[0];
    const out: (OperatingPointResult | SubgroupResult | undefined)[][] = [[r.atThreshold, r.topK, ...((r.curves?.operating ?? []) as unknown as OperatingPointResult[])]];
    for (const g of groups) {
      const s = r.subgroups.find((t) => t.attribute === g.attribute && t.group === g.group);
      out.push([s?.atThreshold, s?.topK, ...((s?.operating ?? []) as unknown as OperatingPointResult[])]);
    }
    return out;
  };
  const ta = tables(a), tb = tables(b);
  ta.forEach((list, i) => list.forEach((t, j) => {
    const u = tb[i][j] as OperatingPointResult | undefined;
    const v = t as OperatingPointResult | undefined;
    all += d(v?.tp, u?.tp) + d(v?.fn, u?.fn) - d(v?.fp, u?.fp) - d(v?.tn, u?.tn);
  }));
  for (const g of groups) {
    const sa = a.results[0].subgroups.find((t) => t.attribute === g.attribute && t.group === g.group);
    const sb = b.results[0].subgroups.find((t) => t.attribute === g.attribute && t.group === g.group);
    all += d(sa?.positives, sb?.positives) - d(sa?.n != null && sa.positives != null ? sa.n - sa.positives : null, sb?.n != null && sb.positives != null ? sb.n - sb.positives : null);
  }
  return { headline, allCells: all };
}

function accuracy(pairs: number, opts: DisclosureOptions, secret: Uint8Array | undefined): { headline: number; allCells: number } {
  let headline = 0, allCells = 0;
  const coin = rng(99);
  const call = (e: number, truth: boolean) => (e > 0 ? truth : e < 0 ? !truth : coin.next() < 0.5);
  for (let p = 0; p < pairs; p++) {
    const f = fixture(300, 1000 + p);
    const child = rng(5000 + p).int(300);
    const truth = f.y[child] === 'Yes';
    const a = applyDisclosureControl(audit(f, f.table, 0.5, secret), opts);
    const b = applyDisclosureControl(audit(f, without(f, child), 0.5, secret), opts);
    const groups = [{ attribute: 'sex', group: f.sex[child] }, { attribute: 'region', group: f.region[child] }];
    const e = evidence(a, b, groups);
    if (call(e.headline, truth)) headline++;
    if (call(e.allCells, truth)) allCells++;
  }
  return { headline: headline / pairs, allCells: allCells / pairs };
}

/** Two thresholds a little apart, one child's score between them: is that child positive? */
function thresholdAccuracy(pairs: number, opts: DisclosureOptions): number {
  let right = 0;
  const coin = rng(98);
  for (let p = 0; p < pairs; p++) {
    const f = fixture(300, 2000 + p);
    const sorted = [...f.score].map((s, i) => [s, i] as const).sort((x, y) => x[0] - y[0]);
    const k = 150 + rng(6000 + p).int(100);
    const [s1, child] = sorted[k];
    const s2 = sorted[k + 1][0];
    const a = applyDisclosureControl(audit(f, f.table, s1), opts);
    const b = applyDisclosureControl(audit(f, f.table, s2), opts);
    const d = (x: number | null | undefined, y: number | null | undefined) => (x == null || y == null ? 0 : x - y);
    let e = 0;
    const pick = (x: Bundle) => [x.results[0].atThreshold, ...['sex', 'region'].map((attr) => x.results[0].subgroups.find((g) => g.attribute === attr && g.group === (attr === 'sex' ? f.sex[child] : f.region[child]))?.atThreshold)];
    const ta = pick(a), tb = pick(b);
    ta.forEach((t, i) => { e += d(t?.tp, tb[i]?.tp) - d(t?.fp, tb[i]?.fp); });
    const truth = f.y[child] === 'Yes';
    if (e > 0 ? truth : e < 0 ? !truth : coin.next() < 0.5) right++;
  }
  return right / pairs;
}

describe('attack 4: differencing two bundles one child apart (and two thresholds a little apart)', () => {
  const PAIRS = 160;
  const se = Math.sqrt(0.25 / PAIRS);
  it('works without noise (counts rounded to 5): adding every cell that holds the child tells its outcome', () => {
    const r = accuracy(60, { maxPerturbation: 0 }, SECRET);
    process.stdout.write(`differencing, rounding to 5 only (60 pairs): headline ${r.headline.toFixed(3)}, all cells ${r.allCells.toFixed(3)}\n`);
    expect(r.allCells).toBeGreaterThan(0.95);
  }, 300000);
  describe('with cell-key noise (council key, D = 3)', () => {
    let r = { headline: 0, allCells: 0 }, t = 0;
    it('measures the guessers', () => {
      r = accuracy(PAIRS, {}, SECRET);
      t = thresholdAccuracy(PAIRS, {});
      process.stdout.write(`differencing, cell key noise D=3 (${PAIRS} pairs, SE ${se.toFixed(3)}): headline ${r.headline.toFixed(3)}, all cells ${r.allCells.toFixed(3)}; two thresholds apart: ${t.toFixed(3)}\n`);
    }, 600000);
    it('fails for the headline guesser (prevalence and rows) and the two-threshold guesser: no better than a coin within 3 standard errors', () => {
      expect(r.headline).toBeLessThan(0.5 + 3 * se);
      expect(t).toBeLessThan(0.5 + 3 * se);
    });
    it('still works, weakly, for a guesser adding every cell that holds the child (a known limit: each such cell adds evidence)', () => {
      expect(r.allCells).toBeGreaterThan(0.5);
      expect(r.allCells).toBeLessThan(0.85);
    });
  });
});

describe('cell keys', () => {
  it('the ptable has mean zero, covers every key once, and stays within -D..D', () => {
    for (const d of [1, 2, 3, 5]) {
      const t = ptable(d);
      let sum = 0;
      for (let k = 0; k < 256; k++) { const p = perturbationOf(k, t); sum += p; expect(Math.abs(p)).toBeLessThanOrEqual(d); }
      expect(sum).toBe(0);
      expect(t[0].lo).toBe(0);
      expect(t[t.length - 1].hi).toBe(255);
    }
  });
  it('the same data gives the same bundle; the secret never reaches it', () => {
    const f = fixture(300, 9);
    const a = shareableBundle(audit(f, f.table)), b = shareableBundle(audit(f, f.table));
    expect(a).toEqual(b);
    expect(a.disclosure!.perturbation!.recordKeys).toBe(true);
    expect(JSON.stringify(a)).not.toContain('0707070707');
  });
});

describe('attack 5: a child ID, note or date published as a group', () => {
  const f = fixture(50, 1);
  const rows = Int32Array.from({ length: 50 }, (_, i) => i);
  for (const [column, words] of [['child_id', 'identifies children'], ['note', 'free text'], ['referral', 'exact dates'], ['score', 'is a number']] as const) {
    it(`fails: '${column}' is refused as a group, with a clear message`, () => {
      const r = auditAttributes(f.table, f.columns, { groups: [column] }, rows);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('unsafe-group');
        expect(r.error.message).toContain(words);
      }
    });
  }
  it('a numeric age column is grouped in bands, never value by value', () => {
    const r = auditAttributes(f.table, f.columns, { groups: ['age'] }, rows);
    expect(r.ok).toBe(true);
    if (r.ok) expect(new Set(Array.from(r.value.attributes[0].values)).size).toBeLessThanOrEqual(6);
  });
});

/** Every published count (tp, fp, fn, tn, nFlagged, n, positives, rows) by its path, for tables both releases hold. */
function countsIn(x: unknown, path = '', out = new Map<string, number | null>()): Map<string, number | null> {
  if (Array.isArray(x)) x.forEach((v, i) => countsIn(v, `${path}[${i}]`, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (['tp', 'fp', 'fn', 'tn', 'nFlagged', 'n', 'positives', 'rows'].includes(k) && (typeof v === 'number' || v === null)) out.set(`${path}.${k}`, v);
      else countsIn(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** The counts of `b` that differ from those of `a` at the same path. */
function differing(a: Bundle, b: Bundle): string[] {
  const ca = countsIn(a), cb = countsIn(b);
  return [...ca].filter(([k, v]) => cb.has(k) && cb.get(k) !== v).map(([k]) => k);
}

describe('attack 6: averaging many releases of the same children', () => {
  const f = fixture(400, 21);
  const published = (secret: Uint8Array | undefined, seed: number, more: Partial<AuditSpec> = {}, threshold = 0.5) =>
    shareableBundle(audit(f, f.table, threshold, secret, 20, { seed, ...more }));
  for (const [name, secret] of [['with a council key', SECRET], ['without a council key', undefined]] as const) {
    it(`fails ${name}: re-runs with other seeds and policies give every published count the same noise`, () => {
      const first = published(secret, 1);
      expect(countsIn(first).size).toBeGreaterThan(100);
      for (const [seed, more] of [[2, {}], [3, {}], [4, { tolerance: { lower: 0.7, upper: 1.4 } }], [5, { replicates: 30 }], [6, { whatIf: true }]] as const) {
        expect(differing(first, published(secret, seed, more as Partial<AuditSpec>))).toEqual([]);
      }
      // Another top K% is another table (other children); every other table keeps its noise.
      const other = differing(first, published(secret, 7, { topPct: 20, policy: { kind: 'topPct', topPct: 20 } }));
      expect(other.length).toBeGreaterThan(0);
      expect(other.filter((k) => !/\.(topK|atPolicy)\./.test(k))).toEqual([]);
    });
  }
  it('fails: thresholds that flag the same children give the same published counts (a threshold is not a fresh draw of noise)', () => {
    // Scores on a grid of tenths, as whole-number deciles: every threshold in (0.5, 0.6] flags the same children.
    const deciles = { ...f, table: tableFromArrays({ ...Object.fromEntries(f.table.schema.fields.map((c) => [c.name, f.table.getChild(c.name)!.toArray()])), score: Float64Array.from(f.score, (s) => Math.ceil(s * 10) / 10) }) };
    for (const secret of [SECRET, undefined]) {
      const at = (t: number) => shareableBundle(audit(deciles, deciles.table, t, secret, 0, { policy: { kind: 'threshold', threshold: t } }));
      const first = at(0.51);
      expect(first.results[0].atThreshold!.tp).not.toBeNull();
      for (const t of [0.53, 0.55, 0.58, 0.6]) expect(differing(first, at(t))).toEqual([]);
    }
  });
});
