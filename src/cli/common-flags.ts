/**
 * Flags every run command takes alike (`audit`, `evaluate`, `validate`): how the file is read,
 * the bootstrap, and where the report goes. Defaults come from the run's own defaults.
 */
import { DEFAULT_REPLICATES, DEFAULT_SEED } from '../lib/run/defaults.ts';
import type { FlagSpec } from './args.ts';

export const READ_FLAGS: Record<string, FlagSpec> = {
  sheet: { kind: 'string', help: 'Excel: the sheet to read (default: the first with data)' },
  type: { kind: 'list', help: 'override a column type: COL=number|code|category|date|text|id' },
};

export const BOOTSTRAP_FLAGS: Record<string, FlagSpec> = {
  replicates: { kind: 'string', help: `bootstrap replicates (default ${DEFAULT_REPLICATES})` },
  seed: { kind: 'string', help: `random seed (default ${DEFAULT_SEED})` },
  workers: { kind: 'string', help: 'worker threads for the bootstrap (default: one per core for large bootstraps; 0: none). The report is the same' },
};

export const OUTPUT_FLAGS: Record<string, FlagSpec> = {
  json: { kind: 'string', help: 'write the report JSON here (default: standard output)' },
  bundle: { kind: 'string', help: 'write a shareable, self-contained HTML bundle here (disclosure control applied)' },
};
