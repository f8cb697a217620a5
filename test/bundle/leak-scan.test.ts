/**
 * Privacy scan: build a shareable bundle (and its HTML file) from a synthetic extract through
 * the real report builder, then look in every byte of the output for every identifier, date,
 * score and note of the input. Only aggregates and the tool's own words may be there.
 */
import { describe, it, expect } from 'vitest';
import { generateCases, scenarioFrom } from '../../src/lib/synth/index.ts';
import { buildAuditReport } from '../../src/lib/report/audit-report.ts';
import { stringColumn, numericColumn } from '../../src/lib/data/schema.ts';
import { shareableBundle } from '../../src/lib/bundle/share.ts';
import { withIntegrity } from '../../src/lib/bundle/integrity.ts';
import { withTransparency } from '../../src/lib/bundle/model-card.ts';
import { bundleHtml } from '../../src/lib/bundle/write-html.ts';
import { readBundle } from '../../src/lib/bundle/read.ts';
import type { Table } from 'apache-arrow';

const ATTRIBUTES = ['ethnicity_group', 'gender', 'disability', 'referral_source'];

function exported(seed: number, text: 'repeat' | 'none') {
  const { table, truth } = generateCases(scenarioFrom(undefined, { rows: 1500, seed, text }));
  const labels = Uint8Array.from(numericColumn(table, 'outcome'));
  const scores = Float64Array.from(truth.cases.risk);
  const report = buildAuditReport({
    labels, scores, replicates: 20, seed: 1, createdAt: '2026-01-01T00:00:00.000Z',
    groups: ATTRIBUTES.map((attribute) => ({ attribute, values: stringColumn(table, attribute) })),
    dataInfo: { name: 'synthetic-extract.csv', fingerprint: 'f'.repeat(64), columns: table.schema.fields.map((f) => ({ name: f.name, role: 'feature', type: String(f.type) })) },
    task: { outcome: 'outcome', positive: '1', score: 'risk' },
  });
  // The record is drafted from the disclosed bundle, so its numbers are the published ones.
  const shared = withIntegrity(withTransparency(shareableBundle(report)));
  return { table, scores, shared, html: bundleHtml(shared, { js: 'void 0;', css: '' }) };
}

const input = exported(11, 'repeat');
const { html, shared } = input;
const reference = exported(12, 'none').html;

const col = (t: Table, name: string) => stringColumn(t, name).filter((v): v is string => v !== null);
const tokensOf = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 3));

describe('a shareable bundle holds no case data', () => {
  it('is a valid bundle that reads back', () => {
    expect(readBundle(html).ok).toBe(true);
  });
  it('contains no child or referral ID', () => {
    const digitRuns = new Set(html.replace(/\b[0-9a-f]{64}\b/g, '').match(/\d+(-\d+)?/g) ?? []);
    const ids = [...col(input.table, 'child_id'), ...col(input.table, 'referral_id')];
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids.filter((id) => digitRuns.has(id))).toEqual([]);
  });
  it('contains no referral date', () => {
    const dates = new Set(html.match(/\d{4}-\d{2}-\d{2}/g) ?? []);
    const col = input.table.getChild('referral_date')!;
    const referralDates = Array.from({ length: col.length }, (_, i) => new Date(col.get(i) as number).toISOString().slice(0, 10));
    expect(referralDates.filter((d) => dates.has(d))).toEqual([]);
  });
  it('contains no case score, nor any number more precise than 3 decimals in the results', () => {
    const precise = JSON.stringify(shared.results).match(/\d+\.\d{4,}/g) ?? [];
    expect(precise).toEqual([]);
    const numbers = new Set(html.match(/\d+\.\d+/g) ?? []);
    const leaked = Array.from(input.scores).filter((s) => numbers.has(String(s)) || (s > 0.001 && numbers.has(s.toFixed(6))));
    expect(leaked).toEqual([]);
  });
  it('contains no line of a note, and no word of the notes that the tool does not write for any extract', () => {
    const notes = col(input.table, 'note');
    expect(notes.length).toBeGreaterThan(1000);
    const lower = html.toLowerCase();
    const phrases = new Set(notes.flatMap((n) => n.split('.').map((p) => p.trim().toLowerCase()).filter((p) => p.length > 15)));
    expect([...phrases].filter((p) => lower.includes(p))).toEqual([]);
    const fieldNames = new Set(input.table.schema.fields.flatMap((f) => [...tokensOf(f.name)]));
    const groupNames = new Set(shared.results.flatMap((r) => r.subgroups.flatMap((g) => [...tokensOf(g.group)])));
    const toolWords = tokensOf(reference);
    const noteWords = new Set(notes.flatMap((n) => [...tokensOf(n)]));
    const found = [...tokensOf(html)].filter((w) => noteWords.has(w) && !fieldNames.has(w) && !groupNames.has(w) && !toolWords.has(w));
    expect(found).toEqual([]);
  });
  it('has no count below the threshold anywhere', () => {
    const small: string[] = [];
    const walk = (x: unknown, path: string) => {
      if (Array.isArray(x)) return x.forEach((v, i) => walk(v, `${path}[${i}]`));
      if (!x || typeof x !== 'object') return;
      for (const [k, v] of Object.entries(x)) {
        if (k === 'withheld' || k === 'task' || k === 'disclosure') continue;
        if (['n', 'positives', 'tp', 'fp', 'fn', 'tn', 'nFlagged', 'rows', 'nTarget'].includes(k) && typeof v === 'number' && v < 10 && !((x as { topPct?: number }).topPct === 100 && v === 0)) small.push(`${path}.${k}=${v}`);
        walk(v, `${path}.${k}`);
      }
    };
    walk(shared, '');
    expect(small).toEqual([]);
  });
});
