/**
 * `candour synth`: write synthetic children's social care data with a known truth.
 *
 * The flat case table streams chunk by chunk (CSV, or an Arrow IPC file written batch by
 * batch), so a million rows need bounded memory. `--annex-a` writes Ofsted Annex A Lists 1-8
 * instead, as one .xlsx workbook or one CSV per list in a directory; those are built in memory.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { RecordBatchFileWriter } from 'apache-arrow';
import { tableCsvChunks } from '../lib/data/write-csv.ts';
import { xlsxBytes, type XlsxCell } from '../lib/data/xlsx-write.ts';
import {
  PRESETS, PRESET_NAMES, annexACsvFiles, annexAWorkbook, generateAnnexA, generateCaseChunks, isPresetName, scenarioFrom,
  truthHeaderFor, truthJsonPieces, TruthJsonWriter, type Scenario, type TextMode, type TruthChunk,
} from '../lib/synth/index.ts';
import { numberFlag, parseArgs, usage, UsageError, type FlagSpec } from './args.ts';
import { AtomicFiles } from './atomic.ts';

const SUMMARY = 'write synthetic children\'s social care data with a known truth';

const FLAGS: Record<string, FlagSpec> = {
  rows: { kind: 'string', required: true, help: 'flat-table rows: referrals with a complete 12-month window (100 to 1000000)' },
  scenario: { kind: 'string', help: `preset: ${PRESET_NAMES.join(', ')} (default realistic)` },
  seed: { kind: 'string', help: 'random seed (default 1); the same seed gives identical files' },
  out: { kind: 'string', required: true, help: 'FILE.csv, FILE.arrow, FILE.xlsx, or DIR/ (one CSV per list with --annex-a)' },
  truth: { kind: 'string', help: 'write the truth (scenario, planted effects, each case\'s true risk and need) to FILE.json' },
  'annex-a': { kind: 'boolean', help: 'write Annex A Lists 1-8 (to .xlsx or DIR/) instead of the flat table' },
  years: { kind: 'string', help: 'years of history before the extract date (default 5)' },
  'extract-date': { kind: 'string', help: 'extract date yyyy-mm-dd (default 2025-03-31)' },
  'base-rate': { kind: 'string', help: 'share of rows with outcome 1, 0.02 to 0.30 (default 0.12)' },
  signal: { kind: 'string', help: 'strength of the effects on true need, 0 to 3 (default 1)' },
  text: { kind: 'string', help: 'case notes: signal, repeat or none (default: the scenario\'s)' },
  help: { kind: 'boolean', help: 'show this help' },
};

/** The largest Annex A extract built in memory. */
const ANNEX_A_MAX_ROWS = 200_000;

function helpText(): string {
  const presets = PRESET_NAMES.map((n) => `  ${n.padEnd(18)} ${PRESETS[n].title}`);
  return [usage('synth', SUMMARY, FLAGS), '', 'scenarios:', ...presets].join('\n');
}

function scenarioOf(args: Record<string, unknown>): Scenario {
  const preset = args.scenario as string | undefined;
  if (preset !== undefined && !isPresetName(preset)) throw new UsageError(`unknown scenario '${preset}' (expected one of ${PRESET_NAMES.join(', ')})`);
  const rows = numberFlag(args as never, 'rows', NaN);
  if (!Number.isInteger(rows) || rows < 100 || rows > 1_000_000) throw new UsageError(`--rows must be a whole number from 100 to 1000000, got '${String(args.rows)}'`);
  const overrides: Partial<Scenario> = { rows, seed: numberFlag(args as never, 'seed', 1) };
  if (args.years !== undefined) overrides.years = numberFlag(args as never, 'years', 5);
  if (args['base-rate'] !== undefined) overrides.baseRate = numberFlag(args as never, 'base-rate', 0.12);
  if (args.signal !== undefined) overrides.signal = numberFlag(args as never, 'signal', 1);
  if (args['extract-date'] !== undefined) overrides.extractDate = String(args['extract-date']);
  if (args.text !== undefined) {
    if (!['signal', 'repeat', 'none'].includes(String(args.text))) throw new UsageError(`--text must be signal, repeat or none, got '${String(args.text)}'`);
    overrides.text = args.text as TextMode;
  }
  return scenarioFrom(preset, overrides);
}

type Target = { kind: 'csv' | 'arrow' | 'xlsx' | 'dir'; path: string };

function targetOf(out: string, annexA: boolean): Target {
  const ext = path.extname(out).toLowerCase();
  if (out.endsWith('/') || out.endsWith(path.sep) || ext === '') return { kind: 'dir', path: out };
  if (ext === '.csv' || ext === '.arrow' || ext === '.xlsx') {
    if (annexA && ext !== '.xlsx') throw new UsageError('--annex-a writes a .xlsx workbook or a directory of CSVs, not ' + ext);
    return { kind: ext.slice(1) as Target['kind'], path: out };
  }
  throw new UsageError(`--out must end in .csv, .arrow or .xlsx, or name a directory, got '${out}'`);
}

function progress(label: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 500) return;
    last = now;
    process.stderr.write(`candour synth: ${label} ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} rows\r${done >= total ? '\n' : ''}`);
  };
}

/** Let queued microtasks (the IPC writer's consumer) run before producing more. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function writeFlat(scenario: Scenario, target: Target, truthPath: string | undefined, files: AtomicFiles): Promise<void> {
  if (target.kind === 'dir') mkdirSync(target.path, { recursive: true });
  const file = files.temp(target.kind === 'dir' ? path.join(target.path, 'cases.csv') : target.path);
  const report = progress('wrote');
  const truthFd = truthPath ? openSync(files.temp(truthPath), 'w') : null;
  const truthWriter = new TruthJsonWriter(truthHeaderFor(scenario));
  if (truthFd !== null) writeSync(truthFd, truthWriter.start());
  const writeTruth = (chunk: TruthChunk): void => {
    if (truthFd !== null) writeSync(truthFd, truthWriter.cases(chunk));
  };

  if (target.kind === 'xlsx') {
    const rows: XlsxCell[][] = [];
    let header: string[] | null = null;
    for (const { table, truth } of generateCaseChunks(scenario)) {
      header ??= table.schema.fields.map((f) => f.name);
      const dateCol = header.indexOf('referral_date');
      for (const r of table) {
        const vals = header.map((h) => (r as unknown as Record<string, unknown>)[h]);
        vals[dateCol] = new Date(Number(vals[dateCol]));
        rows.push(vals.map((v) => (typeof v === 'bigint' ? Number(v) : (v as XlsxCell))));
      }
      writeTruth(truth);
      report(truth.counts.rows, scenario.rows);
      await yieldToLoop();
    }
    writeFileSync(file, xlsxBytes([{ name: 'Cases', rows: [header ?? [], ...rows] }]));
  } else if (target.kind === 'arrow') {
    const fd = openSync(file, 'w');
    const writer = new RecordBatchFileWriter();
    const drained = (async () => {
      for await (const buf of writer) writeSync(fd, buf);
    })();
    for (const { table, truth } of generateCaseChunks(scenario)) {
      for (const batch of table.batches) writer.write(batch);
      writeTruth(truth);
      report(truth.counts.rows, scenario.rows);
      await yieldToLoop();
    }
    writer.finish();
    await writer.close();
    await drained;
    closeSync(fd);
  } else {
    const fd = openSync(file, 'w');
    let first = true;
    // CSV text is several times the size of the columns: smaller chunks keep the peak down
    for (const { table, truth } of generateCaseChunks(scenario, 16_384)) {
      for (const piece of tableCsvChunks(table, { header: first })) writeSync(fd, piece);
      first = false;
      writeTruth(truth);
      report(truth.counts.rows, scenario.rows);
      // Between chunks, so Ctrl-C is handled (temporary files removed) while writing.
      await yieldToLoop();
    }
    closeSync(fd);
  }
  if (truthFd !== null) {
    writeSync(truthFd, truthWriter.end());
    closeSync(truthFd);
  }
}

function writeAnnexA(scenario: Scenario, target: Target, truthPath: string | undefined, files: AtomicFiles): void {
  if (scenario.rows > ANNEX_A_MAX_ROWS) throw new UsageError(`--annex-a builds the lists in memory: at most ${ANNEX_A_MAX_ROWS} rows`);
  const { lists, truth } = generateAnnexA(scenario);
  if (target.kind === 'xlsx') writeFileSync(files.temp(target.path), annexAWorkbook(lists));
  else {
    mkdirSync(target.path, { recursive: true });
    for (const f of annexACsvFiles(lists)) writeFileSync(files.temp(path.join(target.path, f.name)), f.text);
  }
  if (truthPath) {
    const { cases, counts, ...header } = truth;
    const chunk: TruthChunk = { ...cases, counts };
    writeFileSync(files.temp(truthPath), [...truthJsonPieces(header, [chunk])].join(''));
  }
  process.stderr.write(`candour synth: wrote Annex A lists (${lists.map((l) => `${l.sheet}: ${l.rows.length}`).join(', ')}); ${truth.counts.rows} referrals with a complete window\n`);
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  const args = parseArgs(argv, FLAGS);
  const scenario = scenarioOf(args);
  const annexA = args['annex-a'] === true;
  const target = targetOf(String(args.out), annexA);
  const truthPath = args.truth as string | undefined;
  if (truthPath !== undefined && path.extname(truthPath).toLowerCase() !== '.json') throw new UsageError(`--truth must name a .json file, got '${truthPath}'`);
  const started = performance.now();
  // Written under temporary names and renamed when complete: an interrupted run leaves no
  // truncated file that looks like a finished one.
  const files = new AtomicFiles();
  try {
    if (annexA) writeAnnexA(scenario, target, truthPath, files);
    else await writeFlat(scenario, target, truthPath, files);
    files.commit();
  } finally {
    files.discard();
  }
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(`candour synth: ${scenario.rows} rows in ${secs.toFixed(1)} s (${Math.round(scenario.rows / secs).toLocaleString('en-GB')} rows/s)\n`);
  return 0;
}
