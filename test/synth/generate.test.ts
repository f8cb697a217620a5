import { describe, expect, it } from 'vitest';
import { RecordBatchFileWriter, RecordBatchStreamWriter, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { AppFailure } from '../../src/lib/errors.ts';
import { addMonths, parseIsoDay } from '../../src/lib/annex-a/dates.ts';
import {
  FLAT_COLUMNS, PRESETS, PRESET_NAMES, generateCaseChunks, generateCases, scenarioFrom, truthJsonPieces, truthHeaderFor,
} from '../../src/lib/synth/index.ts';

const small = scenarioFrom(undefined, { rows: 3000, seed: 7 });

function bytes(t: Table): Buffer {
  return Buffer.from(tableToIPC(t, 'file'));
}

describe('generateCases', () => {
  const { table, truth } = generateCases(small);

  it('has exactly the requested rows and the documented columns in order', () => {
    expect(table.numRows).toBe(3000);
    expect(table.schema.fields.map((f) => f.name)).toEqual([...FLAT_COLUMNS]);
    expect(truth.cases.risk.length).toBe(3000);
    expect(truth.counts.rows).toBe(3000);
  });

  it('is byte-identical for the same seed and differs for another', () => {
    // Buffer.equals, not toEqual: a deep comparison of megabytes is needlessly slow
    expect(bytes(generateCases(small).table).equals(bytes(table))).toBe(true);
    const other = generateCases({ ...small, seed: 8 }).table;
    expect(bytes(other).equals(bytes(table))).toBe(false);
  });

  it('streams the same rows in chunks', () => {
    const chunks = [...generateCaseChunks(small, 700)];
    expect(chunks.reduce((s, c) => s + c.table.numRows, 0)).toBe(3000);
    const ids = chunks.flatMap((c) => stringColumn(c.table, 'referral_id'));
    expect(ids).toEqual(stringColumn(table, 'referral_id'));
    const out = chunks.flatMap((c) => [...numericColumn(c.table, 'outcome')]);
    expect(out).toEqual([...numericColumn(table, 'outcome')]);
    const notes = chunks.flatMap((c) => stringColumn(c.table, 'note'));
    expect(notes).toEqual(stringColumn(table, 'note'));
    expect(chunks.flatMap((c) => [...c.truth.risk])).toEqual([...truth.cases.risk]);
  });

  it('shares dictionaries across chunks, so an IPC file or stream written batch by batch reads back whole', () => {
    const batches = [...generateCaseChunks(small, 700)].flatMap((c) => c.table.batches);
    expect(batches.length).toBeGreaterThan(3);
    for (const Writer of [RecordBatchFileWriter, RecordBatchStreamWriter]) {
      const back = tableFromIPC(Writer.writeAll(batches).toUint8Array(true));
      expect(back.numRows).toBe(3000);
      expect(stringColumn(back, 'referral_source')).toEqual(stringColumn(table, 'referral_source'));
      expect(stringColumn(back, 'gender')).toEqual(stringColumn(table, 'gender'));
    }
  });

  it('keeps only referrals whose 12-month window is complete, in child then date order', () => {
    const extract = parseIsoDay(small.extractDate);
    const dates = numericColumn(table, 'referral_date');
    const child = stringColumn(table, 'child_id');
    for (let i = 0; i < dates.length; i++) {
      expect(addMonths(dates[i] / 86400000, 12)).toBeLessThanOrEqual(extract);
      if (i > 0) expect(child[i]! > child[i - 1]! || (child[i] === child[i - 1] && dates[i] > dates[i - 1])).toBe(true);
    }
    expect(truth.counts.incompleteWindow).toBeGreaterThan(0);
  });

  it('has consistent histories: counts never fall for a child, the gap matches the dates', () => {
    const child = stringColumn(table, 'child_id');
    const dates = numericColumn(table, 'referral_date');
    const gap = numericColumn(table, 'days_since_prev_referral');
    const prevRef = numericColumn(table, 'prev_referrals');
    const cols = ['prev_contacts', 'prev_referrals', 'prev_assessments', 'prev_s47', 'prev_cp_plans', 'prev_cla_episodes'].map((c) => numericColumn(table, c));
    for (let i = 0; i < child.length; i++) {
      if (prevRef[i] === 0) expect(gap[i]).toBeNaN();
      else expect(gap[i]).toBeGreaterThan(0);
      if (i > 0 && child[i] === child[i - 1]) {
        expect(gap[i]).toBe((dates[i] - dates[i - 1]) / 86400000);
        for (const c of cols) expect(c[i]).toBeGreaterThanOrEqual(c[i - 1]);
      }
    }
  });

  it('gives outcomes and needs as 0/1 and risks as probabilities', () => {
    for (const x of numericColumn(table, 'outcome')) expect(x === 0 || x === 1).toBe(true);
    for (const p of truth.cases.risk) expect(p > 0 && p < 1).toBe(true);
    expect(new Set(truth.cases.need)).toEqual(new Set([0, 1]));
  });

  it('reports progress and can be cancelled', () => {
    const seen: number[] = [];
    generateCases({ ...small, rows: 2000 }, { onProgress: (d) => seen.push(d) });
    expect(seen.at(-1)).toBe(2000);
    expect(() => generateCases(small, { cancel: { cancelled: true } })).toThrow('cancelled');
  });

  it('writes the truth as JSON that parses back', () => {
    const chunks = [...generateCaseChunks({ ...small, rows: 500 }, 200)];
    const json = JSON.parse([...truthJsonPieces(truthHeaderFor(small), chunks.map((c) => c.truth))].join(''));
    expect(json.schema).toBe('candour.synth-truth/1');
    expect(json.cases.length).toBe(500);
    expect(json.cases[0][0]).toBe(stringColumn(chunks[0].table, 'referral_id')[0]);
    expect(json.counts.rows).toBe(500);
    expect(json.effects.map((e: { name: string }) => e.name)).toContain('label bias');
  });
});

describe('calibration', () => {
  it('hits the base rate across the range of the knobs', () => {
    for (const over of [{ baseRate: 0.02, years: 2 }, { baseRate: 0.3, years: 10 }, { baseRate: 0.05, signal: 3 }, { baseRate: 0.12, signal: 0 }]) {
      const { table } = generateCases(scenarioFrom(undefined, { rows: 4000, seed: 2, ...over }));
      const out = numericColumn(table, 'outcome');
      const rate = out.reduce((a, b) => a + b, 0) / out.length;
      // pilot error plus this sample's own
      expect(Math.abs(rate - over.baseRate), JSON.stringify(over)).toBeLessThan(0.2 * over.baseRate + 3 * Math.sqrt((over.baseRate * (1 - over.baseRate)) / 4000));
    }
  });
});

describe('scenarioFrom', () => {
  it('merges defaults, preset and overrides field by field', () => {
    const s = scenarioFrom('biased-recording', { labelBias: { group: 'Asian', amount: 0.03 } });
    expect(s.labelBias).toEqual({ group: 'Asian', amount: 0.03 });
    expect(s.proxy.strength).toBe(0);
    expect(scenarioFrom('poverty-as-proxy', {}).proxy.strength).toBe(0.5);
  });
  it('has a title and a plain-language description for every preset', () => {
    for (const name of PRESET_NAMES) {
      expect(PRESETS[name].title.length).toBeGreaterThan(5);
      expect(PRESETS[name].description.length).toBeGreaterThan(200);
      expect(() => scenarioFrom(name, {})).not.toThrow();
    }
  });
  it('rejects out-of-range knobs naming the knob', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AppFailure).error;
      }
      return null;
    };
    expect(err(() => scenarioFrom(undefined, { baseRate: 0.5 }))).toMatchObject({ code: 'invalid-scenario', column: 'baseRate' });
    expect(err(() => scenarioFrom(undefined, { rows: 50 }))).toMatchObject({ column: 'rows' });
    expect(err(() => scenarioFrom(undefined, { rows: 2_000_000 }))).toMatchObject({ column: 'rows' });
    expect(err(() => scenarioFrom(undefined, { extractDate: '2025-02-30' }))).toMatchObject({ column: 'extractDate' });
    expect(err(() => scenarioFrom('nope' as never, {}))).toMatchObject({ column: 'scenario' });
    expect(err(() => scenarioFrom(undefined, { proxy: { group: 'Purple' as never, strength: 0.1, referralEffect: 0 } }))).toMatchObject({ column: 'proxy.group' });
  });
});
