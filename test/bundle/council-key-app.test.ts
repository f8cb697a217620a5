/**
 * The app's runs key the noise on shared counts with the council's key file as the command does:
 * the compute worker (in-process) given the key file's record-key secret writes the same cell
 * keys as `candour audit --council-key` on the same file; without a key both key the noise by the data alone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/audit.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import { createKeyFile, keyFileText, recordKeySecretBytes } from '../../src/lib/bundle/signing.ts';
import { createCompute } from '../../workers/compute.ts';
import { captureOutput } from '../cli/output.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'candour-council-key-'));
const io = captureOutput();

const csv = ['child_id,y,score,area', ...Array.from({ length: 120 }, (_, i) => `C${1000 + i},${i % 3 === 0 ? 1 : 0},${((i * 37) % 100) / 100},${['North', 'South', 'East'][i % 3 === 0 ? (i >> 2) % 3 : i % 3]}`)].join('\n') + '\n';
let counter = 0;
const key = createKeyFile(new Date('2026-01-01T00:00:00Z'), (n) => Uint8Array.from({ length: n }, () => (counter = (counter * 73 + 41) % 256)));
const spec = { outcome: 'y', score: 'score', id: 'child_id', groups: ['area'], seed: 1, replicates: 20, threshold: 0.5, topPct: 10 };

async function cliReport(keyPath?: string): Promise<Bundle> {
  const data = path.join(dir, 'cases.csv');
  writeFileSync(data, csv);
  const json = path.join(dir, `out-${keyPath ? 'key' : 'none'}.json`);
  const code = await run(['--data', data, '--outcome', 'y', '--score', 'score', '--id', 'child_id', '--group', 'area', '--replicates', '20', ...(keyPath ? ['--council-key', keyPath] : []), '--json', json]);
  if (code !== 0) throw new Error(io.err());
  return JSON.parse(readFileSync(json, 'utf8')) as Bundle;
}

async function appReport(secret: Uint8Array | null): Promise<Bundle> {
  const compute = createCompute();
  const loaded = await compute.loadFile(1, new File([csv], 'cases.csv'), {}, () => {});
  expect(loaded.status).toBe('done');
  await compute.setCouncilSecret(secret);
  const r = await compute.audit(2, spec, () => {});
  if (r.status !== 'done') throw new Error(JSON.stringify(r));
  return r.value;
}

describe('the council key reaches the app run', () => {
  it('compute with the key file secret writes the same cell keys as the command with that key file', async () => {
    const keyPath = path.join(dir, 'council.key');
    writeFileSync(keyPath, keyFileText(key));
    const cli = await cliReport(keyPath);
    const app = await appReport(recordKeySecretBytes(key));
    expect(cli.cellKeys).toBeDefined();
    expect(Object.keys(cli.cellKeys ?? {}).length).toBeGreaterThan(3);
    expect(app.cellKeys).toEqual(cli.cellKeys);
    // Another council's key gives other keys: the secret, not the data alone, decides them.
    const other = await appReport(new Uint8Array(32).fill(7));
    expect(other.cellKeys).not.toEqual(cli.cellKeys);
  }, 60_000);

  it('without a key (or after forgetting it) the noise is keyed by the data alone, the same in the app and the command', async () => {
    const app = await appReport(null), cli = await cliReport();
    expect(app.cellKeys?.['keys|council']).toBe(0);
    expect(app.cellKeys).toEqual(cli.cellKeys);
    expect(app.cellKeys!['data|tag']).not.toBe((await appReport(recordKeySecretBytes(key))).cellKeys!['data|tag']);
  }, 60_000);
});
