/**
 * `candour audit`: evaluate an existing risk score (e.g. a vendor's) against outcomes,
 * overall and for every group, and write the report (the bundle JSON).
 *
 * Reads CSV with a small strict reader (quoted fields, doubled quotes, CRLF, BOM; a row
 * with the wrong number of fields is an error naming the row), so rows are named exactly
 * as in the file; Excel (.xlsx), Arrow and Parquet go through the shared loader. Rows with a blank outcome
 * or a blank score are left out and counted (stderr and `data.excluded`); anything else
 * that does not fit is exit 2 with one line on stderr naming file, row and column.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ColumnDescriptor } from '../lib/bundle/schema.ts';
import { AppFailure, Cancelled, fail, formatError, ok, type AppError, type Result } from '../lib/errors.ts';
import { ageBands, ethnicityGroups, intersectionValues, parseAgeEdges, DEFAULT_AGE_EDGES } from '../lib/fairness/groups.ts';
import type { AuditAttribute } from '../lib/fairness/audit.ts';
import { buildAuditReport, dataFingerprint, type AuditProgress } from '../lib/report/audit-report.ts';
import { shareableBundle } from '../lib/bundle/share.ts';
import { loadTable, sniffFormat } from '../lib/data/load.ts';
import { sourceFromBytes } from '../lib/data/source.ts';
import { stringColumn } from '../lib/data/schema.ts';
import type { ViewerAssets } from '../lib/bundle/write-html.ts';
import { writeBundleFile } from './write-bundle.ts';
import { numberFlag, parseArgs, usage, UsageError, type FlagSpec } from './args.ts';

const SUMMARY = 'evaluate an existing risk score (e.g. a vendor\'s) against outcomes, overall and for every group';

const FLAGS: Record<string, FlagSpec> = {
  data: { kind: 'string', required: true, help: 'CSV file with one row per case' },
  outcome: { kind: 'string', required: true, help: 'outcome column (binary)' },
  positive: { kind: 'string', help: 'outcome value meaning "yes" (default: 1, true, yes or y)' },
  score: { kind: 'string', required: true, help: 'score column (numeric; higher = more at risk)' },
  group: { kind: 'list', help: 'column to audit by, as recorded' },
  age: { kind: 'list', help: 'age column (years) to audit by age band' },
  'age-bands': { kind: 'string', help: 'lower edges of the age bands after the first (default 1,5,10,16)' },
  ethnicity: { kind: 'list', help: 'ethnicity column to audit by major group (White, Mixed, Asian, Black, Other, Unknown)' },
  'ethnicity-code': { kind: 'list', help: 'ethnicity column to audit by detailed DfE code (WBRI, MWBC, ...)' },
  intersect: { kind: 'list', help: 'two audited attributes to cross, as A,B' },
  reference: { kind: 'list', help: 'reference group for an attribute, as ATTRIBUTE=GROUP (default: largest)' },
  tolerance: { kind: 'string', help: 'ratio band counted as no disparity, as LOWER,UPPER (default 0.8,1.25)' },
  'what-if': { kind: 'boolean', help: 'add group thresholds that equalise recall, and their overall cost (JSON only)' },
  id: { kind: 'string', help: 'case or child ID column: rows sharing an ID are resampled together' },
  threshold: { kind: 'string', help: 'flag when score >= T (default 0.5)' },
  top: { kind: 'string', help: 'also audit flagging the top K% of scores (default 10)' },
  replicates: { kind: 'string', help: 'bootstrap replicates (default 1000)' },
  seed: { kind: 'string', help: 'random seed (default 1)' },
  json: { kind: 'string', help: 'write the report JSON here (default: print it)' },
  bundle: { kind: 'string', help: 'write a shareable one-file HTML bundle here (disclosure control applied)' },
  help: { kind: 'boolean', help: 'show this help' },
};

export interface CsvText {
  header: string[];
  /** Data rows; row r (0-based) is file row r + 2 (the header is row 1). */
  rows: string[][];
}

/**
 * Parses CSV text strictly: comma-separated, fields optionally in double quotes with ""
 * for a quote, LF or CRLF line ends, a leading BOM ignored, blank lines at the end ignored.
 * Fails (naming the row) on an unterminated quote, text after a closing quote, or a row
 * whose field count differs from the header's.
 */
export function parseCsvText(text: string, file: string): Result<CsvText> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  const recordLine: number[] = [];
  /** Records holding a quoted field: `""` alone is an empty value, not a blank line. */
  const quoted = new Set<number>();
  let field = '';
  let record: string[] = [];
  let i = 0;
  let line = 1;
  let startLine = 1;
  const len = text.length;
  while (i < len) {
    const c = text[i];
    if (c === '"' && field === '') {
      quoted.add(records.length);
      i++;
      for (;;) {
        if (i >= len) return fail({ code: 'parse', message: 'a quoted field is never closed', file, row: startLine });
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      if (i < len && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        return fail({ code: 'parse', message: 'unexpected text after a closing quote', file, row: line });
      }
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      recordLine.push(startLine);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      startLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || record.length > 0 || quoted.has(records.length)) {
    record.push(field);
    records.push(record);
    recordLine.push(startLine);
  }
  // Trailing blank lines are not rows.
  while (records.length > 0 && records[records.length - 1].length === 1 && records[records.length - 1][0] === '' && !quoted.has(records.length - 1)) {
    records.pop();
    recordLine.pop();
  }
  if (records.length === 0) return fail({ code: 'empty', message: 'the file is empty', file });
  const header = records[0].map((h) => h.trim());
  for (let r = 1; r < records.length; r++) {
    if (records[r].length !== header.length) {
      return fail({
        code: 'parse',
        message: `${records[r].length} fields where the header has ${header.length}`,
        file,
        row: recordLine[r],
      });
    }
  }
  return ok({ header, rows: records.slice(1) });
}

const TRUE_WORDS = ['1', 'true', 'yes', 'y'];
const FALSE_WORDS = ['0', 'false', 'no', 'n'];

/**
 * Which outcome value is positive: `positive` when given (it must occur, and at most one
 * other value may), else one of 1/true/yes/y paired with 0/false/no/n (any case).
 */
export function positiveValue(seen: string[], positive: string | undefined, file: string, column: string): Result<string> {
  const shown = seen.slice(0, 8).map((s) => `'${s}'`).join(', ') + (seen.length > 8 ? `, … (${seen.length} distinct)` : '');
  if (positive !== undefined) {
    if (!seen.includes(positive)) return fail({ code: 'not-binary', message: `the positive value '${positive}' does not occur (values seen: ${shown})`, file, column });
    if (seen.length > 2) return fail({ code: 'not-binary', message: `outcome is not binary: values seen ${shown}`, file, column });
    return ok(positive);
  }
  const lower = seen.map((s) => s.toLowerCase());
  for (let k = 0; k < TRUE_WORDS.length; k++) {
    const okSet = [TRUE_WORDS[k], FALSE_WORDS[k]];
    if (lower.every((s) => okSet.includes(s))) {
      const idx = lower.indexOf(TRUE_WORDS[k]);
      // An outcome that is all "no" still has a well-defined positive value.
      return ok(idx >= 0 ? seen[idx] : TRUE_WORDS[k]);
    }
  }
  return fail({
    code: 'not-binary',
    message: `outcome is not binary: values seen ${shown}${seen.length === 2 ? ' (name the positive one with --positive)' : ''}`,
    file,
    column,
  });
}

function columnIndex(header: string[], name: string, file: string): number {
  const k = header.indexOf(name);
  if (k < 0) {
    const list = header.slice(0, 20).join(', ') + (header.length > 20 ? ', …' : '');
    throw new AppFailure({ code: 'missing-column', message: `no column named '${name}' (columns: ${list})`, file, column: name });
  }
  return k;
}

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
      process.stderr.write(`candour audit: ${e.message} (try candour audit --help)\n`);
      return 2;
    }
    if (e instanceof AppFailure) {
      process.stderr.write(`candour audit: ${formatError(e.error)}\n`);
      return 2;
    }
    if (e instanceof Cancelled) {
      process.stderr.write('candour audit: cancelled\n');
      return 130;
    }
    throw e;
  }
}

/**
 * The file as text cells: CSV through the strict reader; Excel, Arrow and Parquet through
 * the shared loader (missing cells as ''). `firstRow` is the file row of rows[0].
 */
async function tableText(bytes: Uint8Array, fileName: string): Promise<CsvText & { firstRow: number }> {
  if (sniffFormat(bytes.subarray(0, 16)) === null) {
    const parsed = parseCsvText(new TextDecoder('utf-8').decode(bytes), fileName);
    if (!parsed.ok) failWith(parsed.error);
    return { ...parsed.value, firstRow: 2 };
  }
  const loaded = await loadTable(sourceFromBytes(fileName, bytes));
  if (!loaded.ok) failWith(loaded.error);
  const { table, report } = loaded.value;
  const header = table.schema.fields.map((f) => f.name);
  const cols = header.map((h) => stringColumn(table, h));
  const rows = Array.from({ length: table.numRows }, (_, i) => cols.map((c) => c[i] ?? ''));
  // Excel: the header may sit below row 1; Arrow and Parquet have no rows to name, so count data rows from 1.
  const firstRow = report.format === 'xlsx' ? (report.headerRow ?? 1) + 1 : 1;
  return { header, rows, firstRow };
}

function failWith(error: AppError): never {
  throw new AppFailure(error);
}

async function audit(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage('audit', SUMMARY, FLAGS) + '\n');
    return 0;
  }
  const args = parseArgs(argv, FLAGS);
  const file = args.data as string;
  const fileName = path.basename(file);
  const threshold = numberFlag(args, 'threshold', 0.5);
  const topPct = numberFlag(args, 'top', 10);
  if (!(topPct > 0 && topPct <= 100)) throw new UsageError(`--top must be in (0, 100], got '${String(args.top)}'`);
  const replicates = numberFlag(args, 'replicates', 1000);
  if (!Number.isInteger(replicates) || replicates < 0) throw new UsageError(`--replicates must be a whole number >= 0, got '${String(args.replicates)}'`);
  const seed = numberFlag(args, 'seed', 1);
  const tolerance = typeof args.tolerance === 'string' ? parseTolerance(args.tolerance) : undefined;
  let edges: number[] = [...DEFAULT_AGE_EDGES];
  if (typeof args['age-bands'] === 'string') {
    try {
      edges = parseAgeEdges(args['age-bands']);
    } catch (e) {
      throw new UsageError(`--age-bands: ${(e as Error).message}`);
    }
  }

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    failWith({ code: 'missing-file', message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(e)})`, file });
  }
  const { header, rows, firstRow } = await tableText(bytes, fileName);

  const outcomeCol = args.outcome as string;
  const scoreCol = args.score as string;
  const groupCols = (args.group as string[] | undefined) ?? [];
  const ageCols = (args.age as string[] | undefined) ?? [];
  const ethCols = (args.ethnicity as string[] | undefined) ?? [];
  const ethDetailedCols = (args['ethnicity-code'] as string[] | undefined) ?? [];
  const oi = columnIndex(header, outcomeCol, fileName);
  const si = columnIndex(header, scoreCol, fileName);
  for (const c of [...groupCols, ...ageCols, ...ethCols, ...ethDetailedCols]) columnIndex(header, c, fileName);
  const idCol = args.id as string | undefined;
  const ii = idCol !== undefined ? columnIndex(header, idCol, fileName) : -1;

  // Outcome values, and which rows are kept (blank outcome or score: left out, counted).
  const seen: string[] = [];
  const keep: number[] = [];
  let missingOutcome = 0;
  let missingScore = 0;
  const scoreList: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r][oi].trim();
    const s = rows[r][si].trim();
    if (o === '') {
      missingOutcome++;
      continue;
    }
    if (s === '') {
      missingScore++;
      continue;
    }
    const x = Number(s);
    if (!Number.isFinite(x)) {
      failWith({ code: 'not-numeric', message: `score '${s}' is not a number`, file: fileName, row: r + firstRow, column: scoreCol });
    }
    if (!seen.includes(o)) seen.push(o);
    keep.push(r);
    scoreList.push(x);
  }
  if (keep.length === 0) failWith({ code: 'no-cases', message: 'no row has both an outcome and a score', file: fileName });
  const pos = positiveValue(seen, args.positive as string | undefined, fileName, outcomeCol);
  if (!pos.ok) failWith(pos.error);
  const labels = Uint8Array.from(keep, (r) => (rows[r][oi].trim() === pos.value ? 1 : 0));
  const scores = Float64Array.from(scoreList);
  if (missingOutcome + missingScore > 0) {
    process.stderr.write(
      `candour audit: left out ${missingOutcome + missingScore} of ${rows.length} rows (${missingOutcome} with no outcome, ${missingScore} with no score)\n`,
    );
  }

  const column = (k: number) => keep.map((r) => rows[r][k]);
  const attributes: AuditAttribute[] = [];
  const byName = new Map<string, (string | null)[]>();
  for (const c of groupCols) {
    const v = column(header.indexOf(c));
    byName.set(c, v);
    attributes.push({ attribute: c, values: v });
  }
  for (const c of ageCols) {
    const raw = column(header.indexOf(c));
    const ages = Float64Array.from(raw, (s) => (s.trim() === '' ? NaN : Number(s)));
    const bad = raw.findIndex((s, j) => s.trim() !== '' && Number.isNaN(ages[j]));
    if (bad >= 0) failWith({ code: 'not-numeric', message: `age '${raw[bad]}' is not a number`, file: fileName, row: keep[bad] + firstRow, column: c });
    const bands = ageBands(ages, edges);
    if (bands.invalid > 0) process.stderr.write(`candour audit: ${bands.invalid} negative age(s) in '${c}' counted as Missing\n`);
    const name = `${c} (band)`;
    byName.set(name, bands.values);
    attributes.push({ attribute: name, values: bands.values });
  }
  const ethnicity: [string, 'major' | 'detailed'][] = [...ethCols.map((c) => [c, 'major'] as [string, 'major']), ...ethDetailedCols.map((c) => [c, 'detailed'] as [string, 'detailed'])];
  for (const [c, level] of ethnicity) {
    const g = ethnicityGroups(column(header.indexOf(c)), level);
    const unread = Object.entries(g.unrecognised);
    if (unread.length > 0) {
      const total = unread.reduce((s, [, k]) => s + k, 0);
      const examples = unread.slice(0, 3).map(([v]) => `'${v}'`).join(', ');
      const as = level === 'major' ? "audited as 'Unrecognised'" : 'audited as written';
      process.stderr.write(`candour audit: ${total} ethnicity value(s) in '${c}' not recognised (e.g. ${examples}): ${as}\n`);
    }
    const name = `${c} (${level === 'major' ? 'major group' : 'code'})`;
    byName.set(name, g.values);
    attributes.push({ attribute: name, values: g.values });
  }
  for (const spec of (args.intersect as string[] | undefined) ?? []) {
    const [a, b, ...rest] = spec.split(',').map((s) => s.trim());
    const va = byName.get(a);
    const vb = byName.get(b ?? '');
    if (rest.length > 0 || va === undefined || vb === undefined) {
      throw new UsageError(`--intersect needs two audited attributes as A,B (audited: ${[...byName.keys()].join(', ') || 'none'}), got '${spec}'`);
    }
    attributes.push({ attribute: `${a} × ${b}`, values: intersectionValues(va, vb) });
  }
  for (const spec of (args.reference as string[] | undefined) ?? []) {
    const eq = spec.indexOf('=');
    const attr = attributes.find((x) => x.attribute === spec.slice(0, eq));
    if (eq < 0 || !attr) throw new UsageError(`--reference must be ATTRIBUTE=GROUP for an audited attribute, got '${spec}'`);
    attr.reference = spec.slice(eq + 1);
  }

  let clusters: Int32Array | undefined;
  if (ii >= 0) {
    const ids = new Map<string, number>();
    clusters = Int32Array.from(keep, (r) => {
      const id = rows[r][ii].trim();
      let c = ids.get(id);
      if (c === undefined) ids.set(id, (c = ids.size));
      return c;
    });
  }

  const roles = new Map<string, string>([[outcomeCol, 'outcome'], [scoreCol, 'score']]);
  for (const c of [...groupCols, ...ageCols, ...ethCols, ...ethDetailedCols]) roles.set(c, 'group');
  if (idCol !== undefined) roles.set(idCol, 'id');
  const isNumeric = (k: number) => rows.every((row) => row[k].trim() === '' || Number.isFinite(Number(row[k])));
  const columns: ColumnDescriptor[] = header.map((name, k) => ({
    name,
    role: roles.get(name) ?? 'unused',
    type: name === idCol ? 'id' : name === outcomeCol || roles.get(name) === 'group' && !ageCols.includes(name) ? 'category' : isNumeric(k) ? 'number' : 'category',
  }));

  const report = buildAuditReport({
    labels,
    scores,
    groups: attributes,
    threshold,
    topPct,
    replicates,
    seed,
    clusters,
    tolerance,
    whatIf: args['what-if'] === true,
    dataInfo: {
      name: fileName,
      fingerprint: dataFingerprint(bytes),
      columns,
      excluded: { missingOutcome, missingScore },
    },
    task: { outcome: outcomeCol, positive: pos.value, score: scoreCol },
    onProgress: progressWriter(),
  });

  const json = JSON.stringify(report, null, 2) + '\n';
  if (typeof args.bundle === 'string') {
    // The app's own report pages when built; a plain summary viewer before the first build.
    const shared = writeBundleFile(report, args.bundle, FALLBACK_VIEWER);
    const d = shared.disclosure;
    process.stderr.write(
      `candour audit: wrote ${args.bundle} (shareable: ${d ? `${d.suppressedCells} count(s) withheld below ${d.threshold}, others rounded to ${d.rounding}` : 'disclosure control applied'})\n`,
    );
  }
  if (typeof args.json === 'string') {
    await writeFile(args.json, json);
    const r = report.results[0];
    const lines = [`candour audit: wrote ${args.json} (${labels.length} cases, threshold ${threshold}: precision ${fmt(r.atThreshold.precision)}, FPR ${fmt(r.atThreshold.fpr)}, FNR ${fmt(r.atThreshold.fnr)})`];
    for (const s of r.subgroups) {
      const d = s.disparity.fpr;
      lines.push(
        `  ${s.attribute} = ${s.group}: n ${s.n}, FPR ${fmt(s.atThreshold.fpr)}, FNR ${fmt(s.atThreshold.fnr)}` +
          (d ? `, FPR ratio ${d.ratio === null ? '—' : d.ratio.toFixed(2)} vs ${d.reference}: ${d.verdict ?? 'undefined'}` : ' (reference)') +
          (s.small ? ' [small group]' : ''),
      );
    }
    process.stderr.write(lines.join('\n') + '\n');
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
