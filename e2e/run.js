#!/usr/bin/env node
// Runs the end-to-end suite against the built site (dist/), building it first when missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync('dist/index.html') || !existsSync('dist/viewer/viewer.js')) run('npm', ['run', 'build']);
run('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)]);
