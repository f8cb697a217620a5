import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { applyDisclosureControl, DEFAULT_CURVE_GRID, disclosureRules } from '../../src/lib/bundle/disclosure.ts';
import type { Bundle, OperatingPointResult, SubgroupResult } from '../../src/lib/bundle/schema.ts';
import { exampleBundle } from './make-bundle.ts';

/** The suppression and rounding rules alone, without cell-key noise (tested in attacks.test.ts). */
const EXACT = { maxPerturbation: 0 } as const;

function op(tp: number, fp: number, fn: number, tn: number, threshold = 0.5): OperatingPointResult {
  const d = (a: number, b: number) => (b ? a / b : null);
  return {
    threshold, nFlagged: tp + fp, tp, fp, fn, tn, precision: d(tp, tp + fp), recall: d(tp, tp + fn), fpr: d(fp, fp + tn), fnr: d(fn, fn + tp),
    flaggedRate: d(tp + fp, tp + fp + fn + tn), falseOmissionRate: d(fn, fn + tn),
  };
}

function tinyBundle(overall: OperatingPointResult, subgroups: SubgroupResult[] = []): Bundle {
  const n = overall.tp! + overall.fp! + overall.fn! + overall.tn!;
  const pos = overall.tp! + overall.fn!;
  return {
    schema: 'candour.bundle/1', tool: { name: 'candour', version: '0.1.0', backend: 'cpu' }, createdAt: '2026-01-01T00:00:00Z',
    data: { name: 'x.csv', rows: n, positives: pos, prevalence: pos / n, fingerprint: 'f', columns: [], testRows: n },
    task: { outcome: 'y', positive: '1', split: { kind: 'none', note: '' }, operatingPoint: { threshold: 0.5, topPct: 10 } } as Bundle['task'],
    preregistration: null,
    results: [{
      model: 'external', features: null,
      metrics: { averagePrecision: { value: 0.31234, lo: 0.2, hi: 0.4 }, rocAuc: { value: 0.7, lo: 0.6, hi: 0.8 }, brier: { value: 0.1, lo: null, hi: null }, prevalence: pos / n },
      atThreshold: overall, topK: { ...overall, topPct: 10, nTarget: 100 }, subgroups, verdict: null,
    }],
  };
}

function group(attribute: string, name: string, t: OperatingPointResult, reference: string): SubgroupResult {
  const n = t.tp! + t.fp! + t.fn! + t.tn!, pos = t.tp! + t.fn!;
  return {
    attribute, group: name, n, positives: pos, prevalence: pos / n, averagePrecision: { value: 0.3, lo: 0.2, hi: 0.4 }, rocAuc: { value: 0.7, lo: 0.6, hi: 0.8 },
    atThreshold: t, topK: { ...t, topPct: 10, nTarget: 100 }, suppressed: false,
    disparity: name === reference ? {} : { fpr: { reference, difference: 0.01, ratio: 1.2, lo: 0.9, hi: 1.6, verdict: 'inconclusive', casesNeeded: 401 } },
  };
}

describe('applyDisclosureControl: one table', () => {
  // tp=5 is small. flagged = tp+fp publishes, so fp must go; positives = tp+fn, so fn must go;
  // then fn+tn = not flagged leaves tn alone, so tn goes too. Margins stay.
  const out = applyDisclosureControl(tinyBundle(op(5, 20, 40, 935)), EXACT);
  const at = out.results[0].atThreshold;
  it('suppresses the small cell and every cell that would reveal it', () => {
    expect([at.tp, at.fp, at.fn, at.tn]).toEqual([null, null, null, null]);
    expect(at.withheld).toEqual({ tp: 'primary', fp: 'secondary', fn: 'secondary', tn: 'secondary', precision: 'derived', recall: 'derived', fpr: 'derived', fnr: 'derived', falseOmissionRate: 'derived' });
    expect(at.suppressed).toBe(true);
  });
  it('keeps and rounds the margins, and keeps rates that use only margins', () => {
    expect(at.nFlagged).toBe(25);
    expect(out.data.rows).toBe(1000);
    expect(out.data.positives).toBe(45);
    expect(at.flaggedRate).toBe(0.025);
    expect(out.data.prevalence).toBe(0.045);
  });
  it('records what it did', () => {
    // atThreshold and topK are two tables with the same counts: 1 primary + 3 secondary each.
    expect(out.disclosure).toMatchObject({ threshold: 10, rounding: 5, rateDecimals: 3, primaryCells: 2, secondaryCells: 6, suppressedCells: 8 });
    expect(out.disclosure!.rules.length).toBeGreaterThan(3);
  });
  it('says what the noise follows as the run keyed it: never "the same data, the same noise" for a report without cell keys', () => {
    const noisy = applyDisclosureControl(exampleBundle());
    expect(noisy.disclosure!.perturbation).toMatchObject({ recordKeys: false, keyedBy: 'report' });
    const words = noisy.disclosure!.rules.join(' ');
    expect(words).not.toMatch(/same data always give the same noise/);
    expect(words).toMatch(/follows this report alone/);
    expect(disclosureRules(10, 1, 3, true, 3, 'council key').join(' ')).toMatch(/the same data always give the same noise.*nobody without that key/);
    expect(disclosureRules(10, 1, 3, true, 3, 'data').join(' ')).toMatch(/made without a council key, so anyone holding the whole data set could work the noise out/);
  });
  it('keeps model metrics (the population is large) rounded to 3 decimals', () => {
    expect(out.results[0].metrics.averagePrecision).toEqual({ value: 0.312, lo: 0.2, hi: 0.4 });
  });
});

describe('applyDisclosureControl: rounding and rates', () => {
  const out = applyDisclosureControl(tinyBundle(op(12, 23, 37, 938)), EXACT);
  const at = out.results[0].atThreshold;
  it('rounds counts to the nearest 5 (half up)', () => {
    expect([at.tp, at.fp, at.fn, at.tn, at.nFlagged]).toEqual([10, 25, 35, 940, 35]);
    expect(out.data.rows).toBe(1010);
  });
  it('works rates out from the published counts, so they carry nothing the counts do not', () => {
    expect(at.precision).toBe(Number((10 / 35).toFixed(3)));
    expect(at.recall).toBe(Number((10 / 50).toFixed(3)));
    expect(at.withheld).toBeUndefined();
  });
  it('honours other threshold and rounding settings', () => {
    const o = applyDisclosureControl(tinyBundle(op(12, 23, 37, 938)), { ...EXACT, threshold: 20, rounding: 10 });
    const a = o.results[0].atThreshold;
    expect(a.tp).toBeNull();
    expect(a.nFlagged).toBe(40);
    expect(o.disclosure!.rounding).toBe(10);
  });
  it('does not suppress zeros when asked not to', () => {
    const o = applyDisclosureControl(tinyBundle(op(0, 0, 50, 950)), { ...EXACT, suppressZeros: false });
    expect(o.results[0].atThreshold.tp).toBe(0);
    const o2 = applyDisclosureControl(tinyBundle(op(0, 0, 50, 950)), EXACT);
    expect(o2.results[0].atThreshold.tp).toBeNull();
  });
});

describe('applyDisclosureControl: groups of one attribute', () => {
  // Three groups; C is small (n = 8). Its n would follow from the total minus A and B, so the
  // next smallest group n (B) goes too, and so on through every linked set.
  const A = op(30, 60, 20, 600), B = op(12, 20, 15, 200), C = op(1, 2, 1, 4);
  const overall = op(43, 82, 36, 804);
  const out = applyDisclosureControl(tinyBundle(overall, [group('sex', 'A', A, 'A'), group('sex', 'B', B, 'A'), group('sex', 'C', C, 'A')]), EXACT);
  const [a, b, c] = out.results[0].subgroups;
  it('suppresses the small group and a second one so neither follows from the total', () => {
    expect(c).toEqual({ attribute: 'sex', group: 'C', suppressed: true, withheld: { group: 'primary' } });
    expect(b).toEqual({ attribute: 'sex', group: 'B', suppressed: true, withheld: { group: 'secondary' } });
    expect(a.n).toBe(710);
  });
  it('keeps the large group', () => {
    expect(a.averagePrecision.value).toBe(0.3);
    expect(a.atThreshold.tp).toBe(30);
  });
});

/** Every cell of every table, with the equations linking them, read from a bundle. */
function linkedSets(bundle: Bundle) {
  const cells = new Map<string, { value: number | null; virtual: boolean }>();
  const eqs: string[][] = [];
  const put = (k: string, v: number | null, virtual = false) => cells.set(k, { value: v, virtual });
  bundle.results.forEach((r, mi) => {
    for (const opName of ['atThreshold', 'topK'] as const) {
      const tables: [string, OperatingPointResult, number | null, number | null][] = [[`${mi}${opName}*`, r[opName], null, null]];
      const none = { tp: null, fp: null, fn: null, tn: null, nFlagged: null } as unknown as OperatingPointResult;
      // A group withheld whole has no tables: every cell of it is unknown.
      for (const g of r.subgroups) tables.push([`${mi}${opName}${g.attribute}=${g.group}`, g[opName] ?? none, g.n ?? null, g.positives ?? null]);
      if (opName === 'topK') {
        // Rows of the operating table at the grid, as extra tables of the same populations.
        for (const row of (r.curves?.operating ?? []) as unknown as (OperatingPointResult & { topPct: number })[]) {
          if (row.topPct % 5 === 0) tables.push([`${mi}row${row.topPct}*`, row as unknown as OperatingPointResult, null, null]);
        }
        for (const g of r.subgroups) {
          const rows = g.operating ?? (g.suppressed && g.n === undefined ? Array.from({ length: 20 }, (_, i) => ({ ...none, topPct: (i + 1) * 5 })) : []);
          for (const row of rows as { topPct: number }[]) {
            if (row.topPct % 5 === 0) tables.push([`${mi}row${row.topPct}${g.attribute}=${g.group}`, row as unknown as OperatingPointResult, g.n ?? null, g.positives ?? null]);
          }
        }
      }
      for (const [p, t, n, pos] of tables) {
        put(`${p}tp`, t.tp); put(`${p}fp`, t.fp); put(`${p}fn`, t.fn); put(`${p}tn`, t.tn); put(`${p}fl`, t.nFlagged);
        put(`${p}ufl`, null, true); put(`${p}neg`, null, true); put(`${p}pos`, pos, pos === null && p.endsWith('*')); put(`${p}n`, n, n === null && p.endsWith('*'));
        eqs.push([`${p}fl`, `${p}tp`, `${p}fp`], [`${p}ufl`, `${p}fn`, `${p}tn`], [`${p}pos`, `${p}tp`, `${p}fn`], [`${p}neg`, `${p}fp`, `${p}tn`], [`${p}n`, `${p}fl`, `${p}ufl`], [`${p}n`, `${p}pos`, `${p}neg`]);
      }
      const attrs = new Set(r.subgroups.map((g) => g.attribute));
      const levels = opName === 'topK' ? [opName, ...Array.from({ length: 20 }, (_, i) => `row${(i + 1) * 5}`)] : [opName];
      for (const a of attrs) {
        for (const lv of levels) {
          if (!cells.has(`${mi}${lv}*tp`)) continue;
          for (const k of ['tp', 'fp', 'fn', 'tn', 'fl', 'ufl', 'neg', 'pos', 'n']) {
            eqs.push([`${mi}${lv}*${k}`, ...r.subgroups.filter((g) => g.attribute === a).map((g) => `${mi}${lv}${a}=${g.group}${k}`)]);
          }
        }
      }
    }
  });
  return { cells, eqs };
}

/** Cells an attacker recovers exactly from published counts by solving linked sets one unknown at a time. */
function recoveredSmallCells(input: Bundle, out: Bundle): string[] {
  const truth = linkedSets(input), seen = linkedSets(out);
  const known = new Map<string, number>();
  for (const [k, c] of seen.cells) if (c.value !== null && !c.virtual) known.set(k, 0);
  const trueValue = (k: string): number => {
    const c = truth.cells.get(k)!;
    if (c.value !== null) return c.value;
    const p = k.replace(/(ufl|neg|pos|n)$/, '');
    const g = (s: string) => truth.cells.get(p + s)!.value!;
    return k.endsWith('ufl') ? g('fn') + g('tn') : k.endsWith('neg') ? g('fp') + g('tn') : k.endsWith('pos') ? g('tp') + g('fn') : g('tp') + g('fp') + g('fn') + g('tn');
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const eq of seen.eqs) {
      const unknown = eq.filter((k) => !known.has(k));
      if (unknown.length !== 1) continue;
      known.set(unknown[0], 0);
      changed = true;
    }
  }
  return [...known.keys()].filter((k) => seen.cells.get(k)!.value === null && trueValue(k) < 10);
}

describe('applyDisclosureControl: properties', () => {
  it('for any groups of one attribute, no published count is small and no small count can be solved for', () => {
    const cellArb = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cellArb, cellArb, cellArb, cellArb), { minLength: 2, maxLength: 5 }), (groups) => {
        const total = groups.reduce((a, [tp, fp, fn, tn]) => [a[0] + tp, a[1] + fp, a[2] + fn, a[3] + tn], [0, 0, 0, 0]);
        if (total.reduce((a, b) => a + b, 0) === 0) return;
        const sgs = groups.map(([tp, fp, fn, tn], i) => group('g', `level${i}`, op(tp, fp, fn, tn), 'level0'));
        const input = tinyBundle(op(total[0], total[1], total[2], total[3]), sgs);
        const out = applyDisclosureControl(input, EXACT);
        for (const t of [out.results[0].atThreshold, ...out.results[0].subgroups.flatMap((g) => (g.atThreshold ? [g.atThreshold] : []))]) {
          for (const v of [t.tp, t.fp, t.fn, t.tn, t.nFlagged]) expect(v === null || (v >= 10 && v % 5 === 0)).toBe(true);
        }
        for (const g of out.results[0].subgroups) for (const v of [g.n, g.positives]) expect(v === null || v === undefined || v >= 10).toBe(true);
        expect(recoveredSmallCells(input, out)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('applyDisclosureControl: a realistic bundle', () => {
  const input = exampleBundle();
  const out = applyDisclosureControl(input, EXACT);
  it('leaves no published count below the threshold and rounds the rest to 5', () => {
    const bad: string[] = [];
    const walk = (x: unknown, path: string) => {
      if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${path}[${i}]`));
      else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) {
        if (k === 'withheld') continue;
        // Structural zeros: at the top 100% nobody is left unflagged.
        if ((x as { topPct?: number }).topPct === 100 && (k === 'fn' || k === 'tn') && v === 0) continue;
        if (['n', 'positives', 'tp', 'fp', 'fn', 'tn', 'nFlagged', 'rows'].includes(k) && v !== null && (typeof v !== 'number' || v < 10 || v % 5 !== 0)) bad.push(`${path}.${k}=${v}`);
        walk(v, `${path}.${k}`);
      }
    };
    walk(out, '');
    expect(bad).toEqual([]);
    expect(out.disclosure!.primaryCells).toBeGreaterThan(0);
    expect(out.disclosure!.secondaryCells).toBeGreaterThan(0);
  });
  it('an attacker who knows every published count exactly recovers no small count from the totals', () => {
    const truth = linkedSets(input), seen = linkedSets(out);
    // Knowns: exact (unrounded) values of whatever was published.
    const known = new Map<string, number>();
    for (const [k, c] of seen.cells) if (c.value !== null && !c.virtual) known.set(k, truth.cells.get(k)!.value!);
    const trueValue = (k: string): number => {
      const c = truth.cells.get(k)!;
      if (c.value !== null) return c.value;
      const p = k.replace(/(ufl|neg|pos|n)$/, '');
      const g = (s: string) => truth.cells.get(p + s)!.value!;
      return k.endsWith('ufl') ? g('fn') + g('tn') : k.endsWith('neg') ? g('fp') + g('tn') : k.endsWith('pos') ? g('tp') + g('fn') : g('tp') + g('fp') + g('fn') + g('tn');
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const eq of seen.eqs) {
        const unknown = eq.filter((k) => !known.has(k));
        if (unknown.length !== 1) continue;
        known.set(unknown[0], trueValue(unknown[0]));
        changed = true;
      }
    }
    const structural = (k: string) => /row100.*(fn|tn|ufl)$/.test(k) && trueValue(k) === 0;
    const leaked = [...known.keys()].filter((k) => seen.cells.get(k)!.value === null && trueValue(k) < 10 && !structural(k));
    expect(leaked).toEqual([]);
  });
  it('works every rate out from published counts, and withholds it where a count is withheld', () => {
    const check = (t: OperatingPointResult) => {
      const q = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : Number(Math.min(1, a / b).toFixed(3)));
      const pos = t.tp === null || t.fn === null ? null : null;
      void pos;
      if (t.precision !== null) expect(t.precision).toBe(q(t.tp, t.nFlagged));
      else if (t.tp === null || t.nFlagged === null) expect(t.withheld?.precision).toBe('derived');
    };
    for (const r of out.results) {
      check(r.atThreshold);
      for (const g of r.subgroups) if (g.atThreshold) check(g.atThreshold);
    }
  });
  it('keeps the operating table only at the 5% grid, with coarse cuts', () => {
    const rows = out.results[0].curves!.operating as { topPct: number; threshold: number | null }[];
    expect(rows.map((r) => r.topPct)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 5));
    for (const r of rows) expect(r.threshold === null || Number(r.threshold.toFixed(3)) === r.threshold).toBe(true);
    expect((out.results[0].subgroups.find((g) => g.operating)!.operating as unknown[]).length).toBe(20);
  });
  it('summarises curves at the fixed grid, without score thresholds', () => {
    const c = out.results[1].curves!;
    expect(c.grid).toBe(true);
    expect(c.pr!.map((p) => p.recall)).toEqual(DEFAULT_CURVE_GRID);
    expect(c.roc!.length).toBe(21);
    expect(JSON.stringify({ ...c, operating: undefined })).not.toContain('threshold');
    // Best precision at recall >= r can only fall as r grows.
    const ps = c.pr!.map((p) => p.precision!);
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeLessThanOrEqual(ps[i - 1]);
    const atFullRecall = input.results[1].curves!.pr!.filter((p) => p.recall === 1).map((p) => p.precision!);
    expect(c.pr![19].precision).toBe(Number(Math.max(...atFullRecall).toFixed(3)));
  });
  it('drops fields it does not know, and says so', () => {
    const b = exampleBundle() as Bundle & { rows?: unknown };
    b.rows = [{ id: 'CH123456A' }];
    (b.results[0].subgroups[0] as unknown as Record<string, unknown>).caseIds = ['CH123456A'];
    const o = applyDisclosureControl(b);
    expect(JSON.stringify(o)).not.toContain('CH123456A');
    expect(o.disclosure!.dropped).toEqual(expect.arrayContaining(['rows', 'results[0].subgroups[0].caseIds']));
  });
  it('does not modify its input', () => {
    expect(input).toEqual(exampleBundle());
  });
});
