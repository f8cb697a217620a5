import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(__dirname, '../../bin/candour.js');

describe('an interrupted candour synth', () => {
  it('leaves no file under the name asked for, and no temporary file, after Ctrl-C mid-write', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'candour-interrupt-'));
    const out = path.join(dir, 'big.csv');
    const child = spawn(process.execPath, [bin, 'synth', '--rows', '1000000', '--out', out, '--truth', path.join(dir, 'big.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Interrupt once rows are being written (the progress line says so).
    await new Promise<void>((ok) => child.stderr.on('data', (b: Buffer) => /wrote \d/.test(b.toString()) && ok()));
    const code = await new Promise<number | null>((ok) => {
      child.on('exit', (c) => ok(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
