/**
 * Annex A lists: exact column names from the spec, a workbook that unzips and parses back, and
 * a flat table that can be rebuilt from the lists alone by the documented rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { numericColumn, stringColumn } from '../../src/lib/data/schema.ts';
import { parseIsoDay } from '../../src/lib/annex-a/dates.ts';
import { importAnnexALists } from '../../src/lib/annex-a/index.ts';
import { annexACsvFiles, annexAWorkbook, generateAnnexA, generateCases, scenarioFrom } from '../../src/lib/synth/index.ts';
import type { AnnexAList } from '../../src/lib/annex-a/lists.ts';

const repoRoot = path.resolve(__dirname, '../..');
const spec = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/data/annex-a/annexa-spec.json'), 'utf8'));

const scenario = scenarioFrom(undefined, { rows: 2500, seed: 5 });
const { lists, flat, truth } = generateAnnexA(scenario);

/** A tiny .xlsx reader for the test: shared strings, inline strings, numbers; cells by reference. */
function readWorkbook(bytes: Uint8Array): Map<string, (string | number | null)[][]> {
  const files = unzipSync(bytes);
  const text = (name: string) => strFromU8(files[name]);
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const shared = files['xl/sharedStrings.xml'] ? [...text('xl/sharedStrings.xml').matchAll(/<si><t[^>]*>([\s\S]*?)<\/t><\/si>/g)].map((m) => unescape(m[1])) : [];
  const rels = new Map([...text('xl/_rels/workbook.xml.rels').matchAll(/Id="(rId\d+)"[^>]*Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const out = new Map<string, (string | number | null)[][]>();
  for (const m of text('xl/workbook.xml').matchAll(/<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"\/>/g)) {
    const xml = text('xl/' + rels.get(m[2]));
    const rows: (string | number | null)[][] = [];
    for (const r of xml.matchAll(/<row r="(\d+)">([\s\S]*?)<\/row>/g)) {
      const row: (string | number | null)[] = [];
      for (const c of r[2].matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([\s\S]*?)<\/t><\/is>)<\/c>/g)) {
        let col = 0;
        for (const ch of c[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
        while (row.length < col - 1) row.push(null);
        const t = /t="(\w+)"/.exec(c[2])?.[1];
        row.push(t === 's' ? shared[Number(c[3])] : t === 'inlineStr' ? unescape(c[4]) : Number(c[3]));
      }
      rows[Number(r[1]) - 1] = row;
    }
    out.set(unescape(m[1]), rows);
  }
  return out;
}

describe('Annex A lists', () => {
  it('use exactly the spec column names for Lists 1-8', () => {
    for (const l of lists) expect(l.columns).toEqual(spec.lists[`List ${l.list}`].columns.map((c: { name: string }) => c.name));
    expect(lists.map((l) => l.sheet)).toEqual(['List 1', 'List 2', 'List 3', 'List 4', 'List 5', 'List 6', 'List 7', 'List 8']);
  });

  it('hold only events on or before the extract date, and use the template code labels', () => {
    const extract = parseIsoDay(scenario.extractDate);
    for (const l of lists) {
      expect(l.rows.length).toBeGreaterThan(0);
      l.types.forEach((t, j) => {
        if (t === 'date') for (const r of l.rows) if (r[j] !== null) expect(r[j] as number).toBeLessThanOrEqual(extract);
      });
    }
    const codeLabels = (set: string) => new Set(spec.code_sets[set].map((c: { label: string }) => c.label));
    const l3 = lists[2];
    const sources = codeLabels('contact_referral_source');
    const src = l3.rows.map((r) => r[l3.columns.indexOf('Referral Source')] as string);
    const unknown = src.filter((s) => !sources.has(s));
    expect(unknown.length).toBeGreaterThan(0); // a few unrecognised codes, as in real returns
    expect(unknown.length / src.length).toBeLessThan(0.01);
    const eth = codeLabels('ethnicity');
    const ethValues = l3.rows.map((r) => r[2] as string);
    expect(ethValues.filter((e) => eth.has(e)).length / ethValues.length).toBeGreaterThan(0.95);
    expect(ethValues.some((e) => / - /.test(e))).toBe(true); // raw CMS spellings
  });

  it('write a workbook that unzips and parses back cell for cell', () => {
    const book = readWorkbook(annexAWorkbook(lists));
    expect([...book.keys()]).toEqual(lists.map((l) => l.sheet));
    for (const l of lists) {
      const rows = book.get(l.sheet)!;
      expect(rows[0]).toEqual(l.columns);
      expect(rows.length).toBe(l.rows.length + 1);
      for (const k of [0, Math.floor(l.rows.length / 2), l.rows.length - 1]) {
        const want = l.rows[k].map((v, j) => (l.types[j] === 'date' && typeof v === 'number' ? v + 25569 : v));
        const got = rows[k + 1];
        want.forEach((v, j) => expect(got[j] ?? null).toEqual(v === '' ? null : v));
      }
    }
  });

  it('write one CSV per list with UK dates', () => {
    const files = annexACsvFiles(lists);
    expect(files.map((f) => f.name)).toEqual(['List_1.csv', 'List_2.csv', 'List_3.csv', 'List_4.csv', 'List_5.csv', 'List_6.csv', 'List_7.csv', 'List_8.csv']);
    const first = files[2].text.split('\r\n');
    expect(first[0]).toBe(lists[2].columns.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
    expect(first[1]).toMatch(/^\d+,[^,]+,[^,]+,(\d\d\/\d\d\/\d{4})?,[\d.]*,\d\d\/\d\d\/\d{4},/);
  });

  it('extend the same rows as generateCases for the same seed', () => {
    const { table } = generateCases(scenario);
    expect(flat.numRows).toBeGreaterThanOrEqual(2500);
    expect(stringColumn(flat, 'referral_id').slice(0, 2500)).toEqual(stringColumn(table, 'referral_id'));
    expect(truth.counts.rows).toBe(flat.numRows);
  });
});

/** The flat columns rebuilt from the lists by the Annex A importer (the rules of flat-columns.ts), as plain rows. */
function rebuild(all: AnnexAList[], extractDate: string) {
  const r = importAnnexALists(all, { extractDate });
  if (!r.ok) throw new Error(r.error.message);
  const t = r.value.table;
  const out: Record<string, unknown>[] = Array.from({ length: t.numRows }, () => ({}));
  for (const c of ['referral_date', 'age_at_referral', 'prev_contacts', 'prev_referrals', 'prev_assessments', 'prev_s47', 'prev_cp_plans', 'prev_cla_episodes', 'days_since_prev_referral', 'outcome'])
    numericColumn(t, c).forEach((x, i) => (out[i][c] = Number.isNaN(x) ? null : x));
  for (const c of ['child_id', 'referral_id', 'gender', 'ethnicity', 'referral_source']) stringColumn(t, c).forEach((x, i) => (out[i][c] = x));
  return out;
}

describe('the flat table agrees with the lists', () => {
  it('row for row, for every column an importer can rebuild', () => {
    const rebuilt = rebuild(lists, scenario.extractDate);
    expect(rebuilt.length).toBe(flat.numRows);
    const numeric = ['referral_date', 'age_at_referral', 'prev_contacts', 'prev_referrals', 'prev_assessments', 'prev_s47', 'prev_cp_plans', 'prev_cla_episodes', 'days_since_prev_referral', 'outcome'];
    for (const c of numeric) {
      const have = [...numericColumn(flat, c)].map((x) => (Number.isNaN(x) ? null : x));
      expect(rebuilt.map((r) => r[c]), c).toEqual(have);
    }
    for (const c of ['child_id', 'referral_id', 'gender', 'ethnicity', 'referral_source']) expect(rebuilt.map((r) => r[c]), c).toEqual(stringColumn(flat, c));
    expect(numericColumn(flat, 'outcome').some((x) => x === 1)).toBe(true);
  });
});
