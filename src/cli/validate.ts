/**
 * `candour validate`: test a model fitted elsewhere (a candour.model/1 file) on this extract,
 * unchanged, and write the report — the same run as the app's "Test a model from elsewhere".
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs, usage, numberFlag, UsageError, type FlagSpec, type ParsedArgs } from './args.ts';
import { BOOTSTRAP_FLAGS, OUTPUT_FLAGS, READ_FLAGS } from './common-flags.ts';
import { loadFile, typeOverrides } from './load-file.ts';
import { runValidation } from '../lib/run/validate-run.ts';
import { poolOfFlags } from './node-pool.ts';
import type { ValidateSpec } from '../lib/run/spec.ts';
import { AppFailure } from '../lib/errors.ts';
import { parseModelFile } from '../lib/external/model-file.ts';
import { authenticityWords, modelAuthenticity } from '../lib/external/model-signing.ts';
import { writeBundleFile } from './write-bundle.ts';
import { validationSummary } from '../lib/report/validation-view.ts';

const SPEC: Record<string, FlagSpec> = {
  model: { kind: 'string', required: true, help: 'the model file (candour.model/1 JSON) to test' },
  data: { kind: 'string', required: true, help: 'this council\'s extract: CSV, TSV, Excel, Arrow or Parquet' },
  ...READ_FLAGS,
  outcome: { kind: 'string', required: true, help: 'the outcome column' },
  positive: { kind: 'string', help: 'the outcome value that means yes (guessed from 1/yes/true)' },
  map: { kind: 'list', help: 'INPUT=COL: feed the model\'s input from this column; INPUT= when it is not recorded here (treated as missing)' },
  group: { kind: 'list', help: 'a column to audit for fairness' },
  id: { kind: 'string', help: 'the child ID column (whole children resampled)' },
  date: { kind: 'string', help: 'the decision date column: recalibration is fitted on earlier cases and tested on later ones (default: a random split)' },
  'test-fraction': { kind: 'string', help: 'share of cases that test the recalibration (default 0.3)' },
  'gap-days': { kind: 'string', help: 'with --date: the outcome window in days, left out before the recalibration\'s cut (default 365)' },
  top: { kind: 'string', help: 'this council\'s capacity: flag the top K% (default: the model\'s own top K%)' },
  capacity: { kind: 'string', help: 'this council\'s capacity: flag N cases a month over the span of --date (instead of --top)' },
  ...BOOTSTRAP_FLAGS,
  ...OUTPUT_FLAGS,
  help: { kind: 'boolean', help: 'show this help' },
};

function mappingOf(flags: string[] | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = Object.create(null);
  for (const f of flags ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`--map needs INPUT=COL (or INPUT= when not recorded), got '${f}'`);
    const col = f.slice(eq + 1);
    out[f.slice(0, eq)] = col === '' ? null : col;
  }
  return out;
}

function capacityOf(args: ParsedArgs): Pick<ValidateSpec, 'policy'> {
  if (args.top !== undefined && args.capacity !== undefined) throw new UsageError('choose one capacity: --top or --capacity');
  if (args.capacity !== undefined) {
    if (args.date === undefined) throw new UsageError('--capacity needs --date COL (to know how many months the cases span)');
    return { policy: { kind: 'capacity', perMonth: numberFlag(args, 'capacity', 1) } };
  }
  return args.top !== undefined ? { policy: { kind: 'topPct', topPct: numberFlag(args, 'top', 10) } } : {};
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, Object.fromEntries(Object.entries(SPEC).map(([k, v]) => [k, argv.includes('--help') ? { ...v, required: false } : v])));
  if (args.help) {
    process.stdout.write(usage('validate', 'test a model fitted elsewhere on this extract, unchanged (external validation)', SPEC) + '\n');
    return 0;
  }
  const modelPath = args.model as string;
  if (!existsSync(modelPath)) throw new AppFailure({ code: 'no-file', message: `cannot read '${modelPath}': no such file`, file: modelPath });
  const model = parseModelFile(readFileSync(modelPath, 'utf8'), basename(modelPath));
  if (!model.ok) throw new AppFailure(model.error);
  process.stderr.write(`${basename(modelPath)}: ${authenticityWords(modelAuthenticity(model.value))}\n`);
  const types = typeOverrides(args.type as string[] | undefined);
  const spec: ValidateSpec = {
    outcome: args.outcome as string,
    positive: args.positive as string | undefined,
    mapping: mappingOf(args.map as string[] | undefined),
    groups: (args.group as string[] | undefined) ?? [],
    id: args.id as string | undefined,
    date: args.date as string | undefined,
    testFraction: args['test-fraction'] === undefined ? undefined : numberFlag(args, 'test-fraction', 0.3),
    gapDays: args['gap-days'] === undefined ? undefined : numberFlag(args, 'gap-days', 365),
    seed: numberFlag(args, 'seed', 1),
    replicates: numberFlag(args, 'replicates', 1000),
    ...capacityOf(args),
  };
  const file = await loadFile(args.data as string, { sheet: args.sheet as string | undefined, types });
  let last = '';
  const pool = poolOfFlags(args);
  const result = await runValidation(file.table, file.columns, model.value, spec, { name: file.name, fingerprint: file.fingerprint, backend: 'cpu', pool }, (p) => {
    const line = p.kind === 'phase' ? `${p.phase}${p.detail ? ` ${p.detail}` : ''}` : `training ${p.model}`;
    if (line !== last) {
      last = line;
      process.stderr.write(line + '\n');
    }
  }).finally(() => pool?.close());
  if (!result.ok) throw new AppFailure(result.error);
  for (const line of validationSummary(result.value)) process.stderr.write(line + '\n');
  const json = JSON.stringify(result.value, null, 2) + '\n';
  if (args.json) writeFileSync(args.json as string, json);
  if (args.bundle) writeBundleFile(result.value, args.bundle as string);
  if (!args.json && !args.bundle) process.stdout.write(json);
  return 0;
}
