/**
 * `candour evaluate`: train and evaluate models on an extract, honestly split, and write the
 * report (bundle JSON) — the same run as the app's.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, usage, numberFlag, UsageError, type FlagSpec } from './args.ts';
import { loadFile, typeOverrides } from './load-file.ts';
import { runEvaluation } from '../lib/run/evaluate-run.ts';
import { poolOfFlags } from './node-pool.ts';
import { MODEL_KINDS, type EvaluateSpec, type ModelKind, type SplitSpec } from '../lib/run/spec.ts';
import { AppFailure } from '../lib/errors.ts';
import { readSigningKey, writeBundleFile } from './write-bundle.ts';
import { recordKeySecretBytes } from '../lib/bundle/signing.ts';
import { loadAnnexAInput } from './annex-a-input.ts';
import { annexABundleSummary } from '../lib/annex-a/index.ts';
import { retype, rowNumberOf } from '../lib/data/load.ts';
import { outcomeLabels } from '../lib/run/outcome.ts';
import { guessId, positiveGuessOf } from '../lib/data/roles.ts';
import { say } from './messages.ts';
import type { LoadedFile } from './load-file.ts';

/**
 * A decision date read as numbers: whole years become their 1 January (said on stderr); any
 * other numbers are refused, since they would read as milliseconds after 1970.
 */
function withDates(file: LoadedFile, date: string | undefined): LoadedFile {
  const col = file.columns.find((c) => c.name === date);
  if (!date || !col || col.type === 'date') return file;
  const r = retype(file, { [date]: 'date' });
  const after = r.ok ? r.value.columns.find((c) => c.name === date) : undefined;
  if (!r.ok || !after || after.missing === undefined || after.missing >= file.table.numRows)
    throw new AppFailure({ code: 'not-a-date', message: `--date names a column read as ${col.type}, and none of its values is a date (such as 2019-06-01) or a whole year (such as 2019)`, file: file.name, column: date });
  say(`note: column '${date}' read as dates for the decision date${after.notes?.length ? `: ${after.notes.join('; ')}` : ''}`);
  if (after.missing > (col.missing ?? 0)) say(`note: column '${date}': ${after.missing - (col.missing ?? 0)} values are not dates or whole years and are treated as missing`);
  return { ...file, ...r.value };
}

/** What the outcome column holds, said before the run: the "yes" value (guessed or given) and the rows left out for a blank outcome. */
function describeOutcome(file: LoadedFile, outcome: string, positive: string | undefined): void {
  const o = outcomeLabels(file.table, outcome, positive, file.name);
  if (!o.ok) return; // the run reports it, with the file and column
  const yes = o.value.labels.reduce((a, b) => a + b, 0);
  const no = o.value.labels.length - yes;
  if (positive === undefined) {
    const guess = positiveGuessOf(new Map([[o.value.positive, yes], ...(o.value.negative === null ? [] : [[o.value.negative, no] as [string, number]])]));
    say(`outcome '${outcome}': '${o.value.positive}' read as yes (${yes} rows) and ${o.value.negative === null ? 'no other value' : `'${o.value.negative}' as no (${no} rows)`}` +
      (guess?.doubt ? `; check this: ${guess.doubt}; say --positive VALUE to choose` : ''));
  }
  if (o.value.missing > 0) say(`left out: ${o.value.missing} rows with a blank outcome '${outcome}' (never counted as no)`);
}
import { DEFAULT_FOLDS, DEFAULT_GAP_DAYS, DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_TEST_FRACTION, DEFAULT_THRESHOLD, DEFAULT_TOP_PCT } from '../lib/run/defaults.ts';
import { policyOfFlags } from './policy-flags.ts';
import { GROUPING_FLAGS, groupingOf } from './grouping-flags.ts';
import { BOOTSTRAP_FLAGS, OUTPUT_FLAGS, READ_FLAGS } from './common-flags.ts';
import { modelFileOf, modelFileText, type FittedModel } from '../lib/external/model-file.ts';
import { signModelFile } from '../lib/external/model-signing.ts';
import { keyFingerprint } from '../lib/bundle/signing.ts';

const SPEC: Record<string, FlagSpec> = {
  data: { kind: 'string', required: true, help: 'the extract: CSV, TSV, Excel, Arrow or Parquet' },
  ...READ_FLAGS,
  'annex-a': { kind: 'boolean', help: 'build the case table from an Ofsted Annex A return (workbook or folder of list CSVs); --outcome is then cp-or-cla-12m, s47-12m or rereferral-12m' },
  'extract-date': { kind: 'string', help: 'Annex A: the extract date, yyyy-mm-dd (default: the latest date in it)' },
  unit: { kind: 'string', help: 'Annex A: one row per referral (default) or contact' },
  'as-at-extract': { kind: 'boolean', help: 'Annex A: add the as-at-extract columns back (they can leak the future)' },
  outcome: { kind: 'string', required: true, help: 'the outcome column' },
  positive: { kind: 'string', help: 'the outcome value that means yes (guessed from 1/yes/true)' },
  models: { kind: 'string', help: `comma-separated models (default baseline,logistic,gbdt; from ${MODEL_KINDS.join(',')})` },
  split: { kind: 'string', help: 'random|temporal|kfold|column:COL (default temporal with --date, else random; grouped by --id)' },
  'test-fraction': { kind: 'string', help: `share of cases in the test side (default ${DEFAULT_TEST_FRACTION})` },
  folds: { kind: 'string', help: `k for --split kfold (default ${DEFAULT_FOLDS})` },
  'gap-days': { kind: 'string', help: `temporal split: days left out before the cut, the outcome window (default ${DEFAULT_GAP_DAYS})` },
  date: { kind: 'string', help: 'the decision date column (e.g. referral date)' },
  id: { kind: 'string', help: 'the child ID column (whole children resampled; never on both sides of a split)' },
  group: { kind: 'list', help: 'a column to audit for fairness (never a model input unless also given as --feature-group)' },
  'feature-group': { kind: 'list', help: 'a --group column also used as a model input (an explicit choice the report records)' },
  ...GROUPING_FLAGS,
  text: { kind: 'list', help: 'a free-text column (hashed TF-IDF features)' },
  drop: { kind: 'list', help: 'a column never to use as a feature' },
  threshold: { kind: 'string', help: `operating policy: flag when score >= T (the fixed threshold point is ${DEFAULT_THRESHOLD} otherwise)` },
  top: { kind: 'string', help: `operating policy: flag the top K% (default policy: top ${DEFAULT_TOP_PCT}%)` },
  capacity: { kind: 'string', help: 'operating policy: flag N cases a month, over the test side\'s own date span (needs --date)' },
  ...BOOTSTRAP_FLAGS,
  ...OUTPUT_FLAGS,
  'model-out': { kind: 'string', help: 'write the first model of --models (not the baseline) as a model file another council can test (candour validate); models are then fitted under the export rules' },
  sign: { kind: 'string', help: 'sign the --bundle and the --model-out file with this key file (from candour keygen)' },
  'council-key': { kind: 'string', help: 'key file (from candour keygen) whose secret keys the noise on shared counts, so the same children get the same noise in every run (default: the --sign key file)' },
  help: { kind: 'boolean', help: 'show this help' },
};

function splitSpec(text: string | undefined, args: { date?: string; id?: string; testFraction?: number; folds?: number; gapDays?: number }): SplitSpec {
  const kind = text ?? (args.date ? 'temporal' : 'random');
  if (kind === 'temporal') {
    if (!args.date) throw new UsageError('--split temporal needs --date COL');
    return { kind: 'temporal', date: args.date, testFraction: args.testFraction, gapDays: args.gapDays };
  }
  if (kind === 'random') return args.id ? { kind: 'grouped', id: args.id, testFraction: args.testFraction } : { kind: 'random', testFraction: args.testFraction };
  if (kind === 'kfold') return { kind: 'kfold', folds: args.folds };
  if (kind === 'grouped') {
    if (!args.id) throw new UsageError('--split grouped needs --id COL');
    return { kind: 'grouped', id: args.id, testFraction: args.testFraction };
  }
  if (kind.startsWith('column:') && kind.length > 7) return { kind: 'column', column: kind.slice(7) };
  throw new UsageError(`--split must be random, temporal, kfold or column:COL, got '${kind}'`);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, Object.fromEntries(Object.entries(SPEC).map(([k, v]) => [k, argv.includes('--help') ? { ...v, required: false } : v])));
  if (args.help) {
    process.stdout.write(usage('evaluate', 'train and evaluate models on an extract, honestly split', SPEC) + '\n');
    return 0;
  }
  if (args.sign !== undefined && args.bundle === undefined && args['model-out'] === undefined) throw new UsageError('--sign needs --bundle or --model-out (it signs what is shared)');
  const signingKey = readSigningKey(args.sign as string | undefined);
  const councilKey = args['council-key'] !== undefined ? readSigningKey(args['council-key'] as string) : signingKey;
  const councilSecret = councilKey ? recordKeySecretBytes(councilKey) : undefined;
  const models = ((args.models as string | undefined) ?? 'baseline,logistic,gbdt').split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of models) if (!MODEL_KINDS.includes(m as ModelKind)) throw new UsageError(`unknown model '${m}' (choose from ${MODEL_KINDS.join(', ')})`);
  const annexA = args['annex-a'] === true;
  const unit = args.unit as string | undefined;
  if (unit !== undefined && unit !== 'referral' && unit !== 'contact') throw new UsageError(`--unit must be referral or contact, got '${unit}'`);
  const date = (args.date as string | undefined) ?? (annexA ? `${unit ?? 'referral'}_date` : undefined);
  const id = (args.id as string | undefined) ?? (annexA ? 'child_id' : undefined);
  const types = typeOverrides(args.type as string[] | undefined);
  const modelOut = args['model-out'] as string | undefined;
  const exported = models.find((m) => m !== 'baseline');
  if (modelOut !== undefined && exported === undefined) throw new UsageError('--model-out needs a model other than the baseline in --models');
  const spec: EvaluateSpec = {
    outcome: annexA ? 'outcome' : (args.outcome as string),
    positive: annexA ? '1' : (args.positive as string | undefined),
    models: models as ModelKind[],
    split: splitSpec(args.split as string | undefined, {
      date,
      id,
      testFraction: args['test-fraction'] === undefined ? undefined : numberFlag(args, 'test-fraction', DEFAULT_TEST_FRACTION),
      folds: args.folds === undefined ? undefined : numberFlag(args, 'folds', DEFAULT_FOLDS),
      gapDays: args['gap-days'] === undefined ? undefined : numberFlag(args, 'gap-days', DEFAULT_GAP_DAYS),
    }),
    date,
    id,
    ...groupingOf(args),
    featureGroups: (args['feature-group'] as string[] | undefined) ?? [],
    text: (args.text as string[] | undefined) ?? [],
    drop: (args.drop as string[] | undefined) ?? [],
    types,
    seed: numberFlag(args, 'seed', DEFAULT_SEED),
    replicates: numberFlag(args, 'replicates', DEFAULT_REPLICATES),
    ...policyOfFlags(args),
    ...(modelOut !== undefined ? { exportable: true } : {}),
  };
  if (modelOut !== undefined && spec.split.kind === 'kfold') throw new UsageError('--model-out needs one train/test split, not k folds (there would be k models)');
  const file = annexA
    ? await loadAnnexAInput(args.data as string, args.outcome as string, {
        extractDate: args['extract-date'] as string | undefined,
        unit: unit as 'referral' | 'contact' | undefined,
        includeAsAtExtract: args['as-at-extract'] === true,
      })
    : withDates(await loadFile(args.data as string, { sheet: args.sheet as string | undefined, types }), date);
  if (!('log' in file)) {
    describeOutcome(file, spec.outcome, spec.positive);
    // The app's guess of the child ID, taken only when its values repeat (without it a random split would put one child on both sides).
    const repeated = args.id === undefined ? guessId(file.columns, file.table) : undefined;
    if (repeated && repeated.repeated > 0) {
      spec.id = repeated.column;
      const grouped = spec.split.kind === 'random';
      if (spec.split.kind === 'random') spec.split = { kind: 'grouped', id: repeated.column, testFraction: spec.split.testFraction };
      say(`child ID: '${repeated.column}' (read as an identifier; ${repeated.repeated} of its values appear on more than one row), so each child is ${grouped ? 'kept on one side of the split and ' : ''}resampled whole in the intervals; say --id COL to choose another column`);
    }
  }
  let last = '';
  const fitted: FittedModel[] = [];
  const pool = poolOfFlags(args);
  const ctx = {
    name: file.name,
    fingerprint: file.fingerprint,
    backend: 'cpu',
    councilSecret,
    pool,
    fileRow: rowNumberOf(file),
    onFitted: modelOut !== undefined ? (f: FittedModel) => fitted.push(f) : undefined,
    ...('log' in file ? { annexA: annexABundleSummary(file.log) } : {}),
  };
  const result = await runEvaluation(file.table, file.columns, spec, ctx, (p) => {
    const line = p.kind === 'phase' ? `${p.phase}${p.detail ? ` ${p.detail}` : ''}` : `training ${p.model}`;
    if (line !== last) {
      last = line;
      process.stderr.write(line + '\n');
    }
  }).finally(() => pool?.close());
  if (!result.ok) throw new AppFailure(result.error);
  const json = JSON.stringify(result.value, null, 2) + '\n';
  if (args.json) writeFileSync(args.json as string, json);
  if (args.bundle) writeBundleFile(result.value, args.bundle as string, undefined, signingKey);
  if (modelOut !== undefined) {
    // The richest variant of the first model named: with text when it was trained with text.
    const chosen = fitted.filter((f) => f.kind === exported).sort((a, b) => (a.features === 'structured+text' ? -1 : 0) - (b.features === 'structured+text' ? -1 : 0))[0];
    const made = chosen ? modelFileOf(chosen, result.value) : null;
    if (!made) throw new AppFailure({ code: 'not-exportable', message: `no ${exported} model was fitted` });
    if (!made.ok) throw new AppFailure(made.error);
    const shared = signingKey ? signModelFile(made.value, signingKey) : made.value;
    writeFileSync(modelOut, modelFileText(shared));
    process.stderr.write(`model file ${modelOut}: ${exported}, sha256 ${shared.integrity.hash}${signingKey ? `, signed by key ${keyFingerprint(signingKey.ed25519.publicKey)}` : ', not signed'}\n`);
  }
  if (!args.json && !args.bundle) process.stdout.write(json);
  return 0;
}
