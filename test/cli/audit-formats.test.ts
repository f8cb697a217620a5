/**
 * `candour audit` reads a file exactly as the app does: the same loader (delimiter sniffed,
 * Windows-1252 and UTF-16 decoded) and the same audit run, so every encoding and delimiter of
 * one table gives one report — from the command and from the app's compute (in-process, as the
 * worker runs it).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/audit.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { createCompute } from '../../workers/compute.ts';
import { captureOutput } from './output.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'candour-audit-formats-'));

const io = captureOutput();

/** Group labels a council might type: accents that differ only in one letter, a pound sign, an en dash, a curly apostrophe. */
const LABELS = ['Zoë', 'Zoé', '£ band – A', 'O’Neil family'];
const rows = Array.from({ length: 80 }, (_, i) => ({ y: i % 3 === 0 ? 1 : 0, score: ((i * 37) % 100) / 100, who: LABELS[i % 4] }));

const table = (sep: string) => [['y', 'score', 'who'].join(sep), ...rows.map((r) => [r.y, r.score, r.who].join(sep))].join('\r\n') + '\r\n';

/** Windows-1252 bytes of text made of ASCII and the five characters above. */
function windows1252(text: string): Uint8Array {
  const high: Record<string, number> = { '£': 0xa3, 'é': 0xe9, 'ë': 0xeb, '–': 0x96, '’': 0x92 };
  return Uint8Array.from(text, (c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : high[c]));
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + 2 * text.length);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const FILES: [string, Uint8Array][] = [
  ['comma.csv', new TextEncoder().encode(table(','))],
  ['semicolon.csv', new TextEncoder().encode(table(';'))],
  ['tab.tsv', new TextEncoder().encode(table('\t'))],
  ['windows-1252.csv', windows1252(table(','))],
  ['utf-16.csv', utf16le(table('\t'))],
];

/** The report without what names the file it came from and when it ran. */
function comparable(b: Bundle): unknown {
  const { createdAt: _at, data, ...rest } = structuredClone(b);
  const { name: _name, fingerprint: _fp, ...dataRest } = data;
  return { ...rest, data: dataRest };
}

async function cliReport(name: string, bytes: Uint8Array): Promise<Bundle> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const json = path.join(dir, `${name}.json`);
  const code = await run(['--data', file, '--outcome', 'y', '--score', 'score', '--group', 'who', '--replicates', '20', '--json', json]);
  if (code !== 0) throw new Error(io.err());
  return JSON.parse(readFileSync(json, 'utf8')) as Bundle;
}

describe('candour audit reads every delimiter and encoding as the app does', () => {
  it('comma, semicolon, tab, Windows-1252 and UTF-16 give one report, with "Zoë" and "Zoé" two groups', async () => {
    const reports = [];
    for (const [name, bytes] of FILES) reports.push(await cliReport(name, bytes));
    const groups = reports[0].results[0].subgroups.map((s) => [s.group, s.n]);
    expect(groups).toEqual(LABELS.map((l) => [l, 20]));
    for (const r of reports.slice(1)) expect(comparable(r)).toEqual(comparable(reports[0]));
  }, 60_000);

  it('the app (its compute, in-process) gives the same report as the command for each file', async () => {
    const compute = createCompute();
    for (const [name, bytes] of FILES.slice(3)) {
      const loaded = await compute.loadFile(1, new File([bytes as Uint8Array<ArrayBuffer>], name), {}, () => {});
      expect(loaded.status).toBe('done');
      const app = await compute.audit(2, { outcome: 'y', score: 'score', groups: ['who'], seed: 1, replicates: 20, threshold: 0.5, topPct: 10 }, () => {});
      if (app.status !== 'done') throw new Error(JSON.stringify(app));
      const cli = await cliReport(name, bytes);
      expect(comparable(app.value)).toEqual(comparable({ ...cli, tool: app.value.tool }));
      expect(app.value.data.fingerprint).toBe(cli.data.fingerprint);
    }
  }, 60_000);
});
