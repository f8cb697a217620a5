/**
 * `candour audit`: evaluate an existing risk score (e.g. a vendor's) against outcomes,
 * overall and for every group, and write the report (the bundle JSON).
 *
 * Argument handling and I/O only: the file is read by the app's loader (CSV/TSV with the
 * delimiter sniffed, UTF-8, Windows-1252 or UTF-16, Excel, Arrow, Parquet), and the audit is
 * the app's audit run (`runAudit`: the same outcome rules, typing, groupings and report).
 * Rows with a blank outcome or a blank score are left out and counted (stderr and
 * `data.excluded`); anything else that does not fit is exit 2 with one line on stderr naming
 * file, row and column.
 */
import { policyOfFlags } from './policy-flags.ts';
import { writeFileSync } from 'node:fs';
import { AppFailure, Cancelled, formatError } from '../lib/errors.ts';
import type { AuditProgress } from '../lib/report/audit-report.ts';
import { runAuditAsync } from '../lib/run/audit-run.ts';
import { poolOfFlags } from './node-pool.ts';
import type { AuditSpec } from '../lib/run/spec.ts';
import { GROUPING_FLAGS, groupingOf } from './grouping-flags.ts';
import { BOOTSTRAP_FLAGS, OUTPUT_FLAGS, READ_FLAGS } from './common-flags.ts';
import { DEFAULT_REPLICATES, DEFAULT_SEED, DEFAULT_THRESHOLD, DEFAULT_TOLERANCE, DEFAULT_TOP_PCT } from '../lib/run/defaults.ts';
import type { Bundle } from '../lib/bundle/schema.ts';
import type { ViewerAssets } from '../lib/bundle/write-html.ts';
import { readSigningKey, writeBundleFile } from './write-bundle.ts';
import { recordKeySecretBytes } from '../lib/bundle/signing.ts';
import { loadFile, typeOverrides } from './load-file.ts';
import { rowNumberOf } from '../lib/data/load.ts';
import { say } from './messages.ts';
import { numberFlag, parseArgs, usage, UsageError, type FlagSpec, type ParsedArgs } from './args.ts';

const SUMMARY = 'evaluate an existing risk score (e.g. a vendor\'s) against outcomes, overall and for every group';

const FLAGS: Record<string, FlagSpec> = {
  data: { kind: 'string', required: true, help: 'the cases: CSV, TSV, Excel, Arrow or Parquet, one row per case' },
  ...READ_FLAGS,
  outcome: { kind: 'string', required: true, help: 'outcome column (binary)' },
  positive: { kind: 'string', help: 'outcome value meaning "yes" (guessed from 1/yes/true)' },
  score: { kind: 'string', required: true, help: 'score column (numeric; higher = more at risk)' },
  group: { kind: 'list', help: 'column to audit by (a number column named like "age" in age bands, anything else as recorded)' },
  ...GROUPING_FLAGS,
  tolerance: { kind: 'string', help: `ratio band counted as no disparity, as LOWER,UPPER (default ${DEFAULT_TOLERANCE.lower},${DEFAULT_TOLERANCE.upper})` },
  id: { kind: 'string', help: 'case or child ID column: rows sharing an ID are resampled together' },
  threshold: { kind: 'string', help: `operating policy: flag when score >= T (the fixed threshold point is ${DEFAULT_THRESHOLD} otherwise)` },
  top: { kind: 'string', help: `operating policy: flag the top K% of scores (default policy: top ${DEFAULT_TOP_PCT}%)` },
  capacity: { kind: 'string', help: "operating policy: flag N cases a month over the cases' own date span (needs --date)" },
  date: { kind: 'string', help: 'the decision date column (for --capacity)' },
  ...BOOTSTRAP_FLAGS,
  ...OUTPUT_FLAGS,
  sign: { kind: 'string', help: 'sign the --bundle with this key file (from candour keygen)' },
  'council-key': { kind: 'string', help: 'key file (from candour keygen) whose secret keys the noise on shared counts, so the same children get the same noise in every run (default: the --sign key file)' },
  help: { kind: 'boolean', help: 'show this help' },
};

function parseTolerance(text: string): { lower: number; upper: number } {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new UsageError(`--tolerance must be LOWER,UPPER, got '${text}'`);
  return { lower: parts[0], upper: parts[1] };
}

function progressWriter(): (p: AuditProgress) => void {
  let lastPhase = '';
  let lastPct = -1;
  return (p) => {
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total / 25) * 25 : 100;
    if (p.phase === lastPhase && pct === lastPct) return;
    lastPhase = p.phase;
    lastPct = pct;
    const what = p.phase === 'overall' ? 'overall metrics' : 'subgroup audit';
    process.stderr.write(`candour audit: ${what}: bootstrap ${pct}%\n`);
  };
}

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);

/** `candour audit ...`: the exit code (0 done, 2 bad input). */
export async function run(argv: string[]): Promise<number> {
  try {
    return await audit(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`candour audit: ${e.message} (try candour audit --help)`);
      return 2;
    }
    if (e instanceof AppFailure) {
      say(`candour audit: ${formatError(e.error)}`);
      return 2;
    }
    if (e instanceof Cancelled) {
      process.stderr.write('candour audit: cancelled\n');
      return 130;
    }
    throw e;
  }
}

/** One line a group: counts and error rates at the threshold, and the FPR ratio against the reference. */
function summaryLines(report: Bundle, file: string): string[] {
  const r = report.results[0];
  const threshold = report.task.operatingPoint.threshold;
  const lines = [`candour audit: wrote ${file} (${report.data.rows} cases, threshold ${threshold}: precision ${fmt(r.atThreshold.precision)}, FPR ${fmt(r.atThreshold.fpr)}, FNR ${fmt(r.atThreshold.fnr)})`];
  for (const s of r.subgroups) {
    const d = s.disparity.fpr;
    lines.push(
      `  ${s.attribute} = ${s.group}: n ${s.n}, FPR ${fmt(s.atThreshold.fpr)}, FNR ${fmt(s.atThreshold.fnr)}` +
        (d ? `, FPR ratio ${d.ratio === null ? '—' : d.ratio.toFixed(2)} vs ${d.reference}: ${d.verdict ?? 'undefined'}` : ' (reference)') +
        (s.small ? ' [small group]' : ''),
    );
  }
  return lines;
}

async function audit(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage('audit', SUMMARY, FLAGS) + '\n');
    return 0;
  }
  const args = parseArgs(argv, FLAGS);
  if (args.sign !== undefined && args.bundle === undefined) throw new UsageError('--sign needs --bundle (it signs the shareable bundle)');
  const signingKey = readSigningKey(args.sign as string | undefined);
  const councilKey = args['council-key'] !== undefined ? readSigningKey(args['council-key'] as string) : signingKey;
  const councilSecret = councilKey ? recordKeySecretBytes(councilKey) : undefined;
  const topPct = numberFlag(args, 'top', DEFAULT_TOP_PCT);
  if (!(topPct > 0 && topPct <= 100)) throw new UsageError(`--top must be in (0, 100], got '${String(args.top)}'`);
  const replicates = numberFlag(args, 'replicates', DEFAULT_REPLICATES);
  if (!Number.isInteger(replicates) || replicates < 0) throw new UsageError(`--replicates must be a whole number >= 0, got '${String(args.replicates)}'`);
  const spec: AuditSpec = {
    outcome: args.outcome as string,
    positive: args.positive as string | undefined,
    score: args.score as string,
    ...groupingOf(args),
    id: args.id as string | undefined,
    seed: numberFlag(args, 'seed', DEFAULT_SEED),
    replicates,
    date: args.date as string | undefined,
    threshold: numberFlag(args, 'threshold', DEFAULT_THRESHOLD),
    topPct,
    policy: policyOfFlags(args).policy,
    tolerance: typeof args.tolerance === 'string' ? parseTolerance(args.tolerance) : undefined,
  };
  const types = typeOverrides(args.type as string[] | undefined);
  const file = await loadFile(args.data as string, { sheet: args.sheet as string | undefined, types });
  const pool = poolOfFlags(args);
  const result = await runAuditAsync(file.table, file.columns, spec, {
    name: file.name,
    pool,
    fingerprint: file.fingerprint,
    backend: 'cpu',
    councilSecret,
    fileRow: rowNumberOf(file),
    onNote: (sentence) => say(`candour audit: ${sentence}`),
  }, progressWriter()).finally(() => pool?.close());
  if (!result.ok) {
    const e = result.error;
    // The one thing the command adds: how to name the positive value from a terminal.
    throw new AppFailure(e.code === 'positive-unknown' ? { ...e, message: `${e.message}; name it with --positive` } : e);
  }
  const report = result.value;
  const { missingOutcome = 0, missingScore = 0 } = (report.data.excluded ?? {}) as { missingOutcome?: number; missingScore?: number };
  if (missingOutcome + missingScore > 0) {
    process.stderr.write(
      `candour audit: left out ${missingOutcome + missingScore} of ${(report.data.rows ?? 0) + missingOutcome + missingScore} rows (${missingOutcome} with no outcome, ${missingScore} with no score)\n`,
    );
  }

  const json = JSON.stringify(report, null, 2) + '\n';
  if (typeof args.bundle === 'string') {
    // The app's own report pages when built; a plain summary viewer before the first build.
    const shared = writeBundleFile(report, args.bundle, FALLBACK_VIEWER, signingKey);
    const d = shared.disclosure;
    process.stderr.write(
      `candour audit: wrote ${args.bundle} (shareable: ${d ? `${d.suppressedCells} count(s) withheld below ${d.threshold}, others ${d.rules.some((r) => r.includes('noise')) ? 'with cell-key noise' : `rounded to ${d.rounding}`}` : 'disclosure control applied'})\n`,
    );
  }
  if (typeof args.json === 'string') {
    writeFileSync(args.json, json);
    for (const line of summaryLines(report, args.json)) say(line);
  } else if (typeof args.bundle !== 'string') {
    process.stdout.write(json);
  }
  return 0;
}

/**
 * A minimal viewer for bundles written from the terminal, until the app's viewer build is
 * available to the command: it shows the writer's plain summary and a subgroup table, built
 * with textContent only (the bundle is data, never markup).
 */
const FALLBACK_VIEWER: ViewerAssets = {
  module: false,
  css: 'body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}caption{font-weight:bold;text-align:left}',
  js: `(function(){
var app=document.getElementById('app');var ns=document.querySelector('noscript');
if(ns){var box=document.createElement('div');box.innerHTML=ns.textContent;var p=box.querySelector('p');if(p)p.remove();app.appendChild(box);}
var b=JSON.parse(document.getElementById('candour-bundle').textContent);
var pct=function(x){return x===null||x===undefined?'—':(100*x).toFixed(1)+'%';};
var num=function(x){return x===null||x===undefined?'withheld':String(x);};
b.results.forEach(function(r){if(!r.subgroups||!r.subgroups.length)return;
var t=document.createElement('table');var c=document.createElement('caption');c.textContent='Groups at the threshold (ratios against the reference group, 95% interval)';t.appendChild(c);
var head=['attribute','group','cases','FPR','FNR','precision','FPR ratio','verdict'];var tr=document.createElement('tr');
head.forEach(function(h){var th=document.createElement('th');th.textContent=h;tr.appendChild(th);});t.appendChild(tr);
r.subgroups.forEach(function(s){var d=(s.disparity||{}).fpr;var a=s.atThreshold||{};
var held=s.withheld&&s.withheld['disparity.fpr'];
var cells=[s.attribute,s.group,num(s.n),pct(a.fpr),pct(a.fnr),pct(a.precision),d?(d.ratio===null?'—':d.ratio.toFixed(2))+(d.lo!==null&&d.hi!==null?' ('+d.lo.toFixed(2)+' to '+d.hi.toFixed(2)+')':''):(held?'withheld':'reference'),d?(d.verdict||'—'):''];
var row=document.createElement('tr');cells.forEach(function(v){var td=document.createElement('td');td.textContent=v;row.appendChild(td);});t.appendChild(row);});
app.appendChild(t);});
})();`,
};
