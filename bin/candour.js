#!/usr/bin/env node
// Runs the TypeScript command through tsx, so `npx candour ...` works straight after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
