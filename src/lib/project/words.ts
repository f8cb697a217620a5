/**
 * The load report and the data-quality report in plain words and small tables, for the Data
 * page. Each section gets one sentence a council analyst can read aloud, then the figures.
 */
import { formatError, type AppError } from '../errors.ts';
import type { LoadReport } from '../data/load.ts';
import type { QualityReport, Representativeness } from '../data/quality.ts';

export const count = (n: number): string => n.toLocaleString('en-GB');
export const percent = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(digits)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

const FORMAT_NAMES: Record<string, string> = {
  csv: 'a comma-separated text file (CSV)', tsv: 'a tab-separated text file (TSV)', xlsx: 'an Excel workbook (.xlsx)', arrow: 'an Arrow file', parquet: 'a Parquet file',
};
const DELIMITERS: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs', '|': 'vertical bars (|)' };

export interface SummaryRow {
  key: string;
  value: string;
}

export interface LoadSummary {
  sentence: string;
  rows: SummaryRow[];
  /** One line per listed issue, naming file, row and column. */
  issues: string[];
  /** "312 cells were not numbers (12 listed)" per kind with more than listed. */
  counts: string[];
}

const ISSUE_WORDS: Record<string, string> = {
  'not-a-number': 'cells that were not numbers in a number column (read as missing)',
  'not-a-date': 'cells that were not dates in a date column (read as missing)',
  'extra-cells': 'cells beyond the header\'s columns (not in the table)',
  'short-row': 'rows with fewer cells than the header (the missing cells read as blank)',
  'long-row': 'rows with more cells than the header (the extra cells are not in the table)',
  'stray-quote': 'cells with a stray quote mark',
  'unterminated-quote': 'quoted cells that never close',
  'us-date-order': 'dates that only make sense as month/day/year',
  'duplicate-header': 'repeated column names (renamed)',
  'blank-header': 'blank column names (named for their position)',
  'blank-lines': 'blank lines (left out)',
  'header-not-first': 'rows above the header (left out)',
  'excel-error': 'Excel error cells such as #N/A or #DIV/0! (read as missing)',
};

export function issueWords(code: string): string {
  return ISSUE_WORDS[code] ?? `issues of kind '${code}'`;
}

/** The load report in words: what was read, how, and what was odd. */
export function loadSummary(name: string, rows: number, columns: number, report?: LoadReport): LoadSummary {
  if (!report) return { sentence: `${plural(rows, 'case')} and ${plural(columns, 'column')} made here in the browser.`, rows: [], issues: [], counts: [] };
  const out: SummaryRow[] = [{ key: 'File type', value: FORMAT_NAMES[report.format] ?? report.format }];
  if (report.encoding) out.push({ key: 'Text encoding', value: report.encoding });
  if (report.delimiter) out.push({ key: 'Columns separated by', value: DELIMITERS[report.delimiter] ?? `'${report.delimiter}'` });
  if (report.sheet) out.push({ key: 'Sheet', value: report.headerRow && report.headerRow > 1 ? `${report.sheet} (header on row ${report.headerRow})` : report.sheet });
  out.push({ key: 'Cases (rows) read', value: count(rows) });
  out.push({ key: 'Columns', value: count(columns) });
  const why = report.skippedWhy?.length ? report.skippedWhy.join('; ') : 'blank lines, or rows above the header';
  out.push({ key: 'Rows left out', value: report.skippedRows === 0 ? 'none' : `${count(report.skippedRows)} (${why})` });
  const total = Object.values(report.issueCounts).reduce((a, b) => a + b, 0);
  out.push({ key: 'Things to check', value: total === 0 ? 'none' : count(total) });
  const counts = Object.entries(report.issueCounts).map(([code, n]) => {
    const listed = report.issues.filter((e) => e.code === code && !/rows had this problem in all/.test(e.message)).length;
    return `${count(n)} ${issueWords(code)}${listed < n ? ` (the first ${count(listed)} are listed)` : ''}`;
  });
  const sentence = `${name} was read as ${FORMAT_NAMES[report.format] ?? report.format}: ${plural(rows, 'case')} in ${plural(columns, 'column')}` +
    (total === 0 ? ', with nothing odd found.' : `, with ${plural(total, 'thing')} to check, each listed below with its row and column.`);
  return { sentence, rows: out, issues: report.issues.map((e: AppError) => formatError(e)), counts };
}

export interface QualitySection {
  id: 'representativeness' | 'relevancy' | 'recency' | 'accuracy' | 'leakage';
  title: string;
  sentence: string;
}

/** The figure most worth saying about one attribute's representativeness. */
export function representativenessSentence(r: Representativeness): string {
  if (!r.groups.some((g) => g.count > 0)) return `${r.column}: no case to compare with the national figures.`;
  const withRef = r.groups.filter((g) => g.difference !== null);
  const unknown = r.unknown > 0 ? ` ${plural(r.unknown, 'case')} had no recognised ${r.column}.` : '';
  if (withRef.length === 0) {
    const top = r.groups[0];
    return top ? `${r.column}: the largest group is ${top.group} (${percent(top.share)}); there are no national figures to compare with.${unknown}` : `${r.column}: no values.${unknown}`;
  }
  const far = withRef.reduce((a, b) => (Math.abs(b.difference!) > Math.abs(a.difference!) ? b : a));
  const dir = far.difference! > 0 ? 'more' : 'fewer';
  return `${r.column}: the biggest gap from the national figures is ${far.group}, ${percent(far.share)} of these cases against ${percent(far.reference)} of children in need in England (${dir} here).${unknown}`;
}

/** One plain sentence per section of the quality report. */
export function qualitySentences(q: QualityReport): QualitySection[] {
  const missingMuch = q.relevancy.filter((c) => c.missingShare >= 0.2);
  const constant = q.relevancy.filter((c) => c.nearConstant);
  const a = q.accuracy;
  const accuracyParts = [
    a.invalidCodes.length ? `${plural(a.invalidCodes.reduce((s, x) => s + x.count, 0), 'invalid code')} in ${plural(a.invalidCodes.length, 'column')}` : '',
    a.futureDates.length ? `${plural(a.futureDates.reduce((s, x) => s + x.count, 0), 'date')} in the future` : '',
    a.birthAfterDecision ? `${plural(a.birthAfterDecision.count, 'birth date')} after the decision date` : '',
    a.duplicateRows.count ? `${plural(a.duplicateRows.count, 'duplicate row')} (first at row ${count(a.duplicateRows.firstRow)})` : '',
    a.duplicateIds ? `${plural(a.duplicateIds.ids, 'ID')} in ${a.duplicateIds.column} appearing on more than one row (${plural(a.duplicateIds.rows, 'row')})` : '',
    a.outliers.length ? `unusual values in ${plural(a.outliers.length, 'number column')}` : '',
  ].filter(Boolean);
  const r = q.recency;
  const rates = r ? r.perYear.map((p) => p.outcomeRate).filter((x): x is number => x !== null) : [];
  const drift = r ? r.drift.reduce<{ column: string; maxPsi: number } | null>((best, d) => (!best || d.maxPsi > best.maxPsi ? d : best), null) : null;
  return [
    {
      id: 'representativeness', title: 'Representativeness: who is in the data',
      sentence: q.representativeness.length === 0 ? 'No group columns were chosen, so the mix of children cannot be compared with England. Mark gender, age, ethnicity or disability as groups to audit.' : q.representativeness.map(representativenessSentence).join(' '),
    },
    {
      id: 'relevancy', title: 'Relevancy: what the columns hold',
      sentence: `${plural(q.relevancy.length, 'column')}: ${missingMuch.length ? `${plural(missingMuch.length, 'column')} ${missingMuch.length === 1 ? 'is' : 'are'} missing in a fifth of cases or more (${missingMuch.slice(0, 5).map((c) => `${c.column} ${percent(c.missingShare)}`).join(', ')}${missingMuch.length > 5 ? ', …' : ''})` : 'none is missing in a fifth of cases or more'}; ${constant.length ? `${plural(constant.length, 'column')} hold${constant.length === 1 ? 's' : ''} (nearly) one value only and cannot help a model (${constant.slice(0, 5).map((c) => c.column).join(', ')}${constant.length > 5 ? ', …' : ''})` : 'no column is (nearly) constant'}.`,
    },
    {
      id: 'recency', title: 'Recency: when the cases happened',
      sentence: !r ? 'No decision date was chosen, so the span of the data and changes over time cannot be checked.' :
        `Cases run from ${r.first} to ${r.last} (${plural(r.perYear.length, 'calendar year')}).` +
        (rates.length > 1 ? ` The outcome rate by year ranged from ${percent(Math.min(...rates), 1)} to ${percent(Math.max(...rates), 1)}.` : '') +
        (drift ? ` The biggest year-on-year change in the mix of ${drift.column} has a population stability index of ${drift.maxPsi.toFixed(2)} (${drift.maxPsi > 0.25 ? 'a major shift' : drift.maxPsi >= 0.1 ? 'a moderate shift' : 'little change'}).` : ''),
    },
    {
      id: 'accuracy', title: 'Accuracy: values that cannot be right',
      sentence: accuracyParts.length ? `Found ${accuracyParts.join('; ')}. Check these in the source system before trusting results.` : 'No invalid codes, impossible dates, duplicates or unusual values were found.',
    },
    {
      id: 'leakage', title: 'Leakage: columns that give the answer away',
      sentence: q.leakage.length ? `${plural(q.leakage.length, 'column')} may hold information from after the decision, or predict the outcome almost perfectly on their own: ${q.leakage.map((l) => l.column).join(', ')}. A model using them would look better than it can be in practice; exclude them unless you are sure.` : 'No column is dated after the decision or predicts the outcome almost perfectly on its own.',
    },
  ];
}

// ------------------------------------------------------------------ the unit of the data

export interface UnitWords {
  /** "child", "family", "referral", "person" */
  one: string;
  /** "children", "families", "referrals", "people" */
  many: string;
  /** What the "yes" outcome is called for a row: "went on to need help", or for a person "had the outcome". */
  yes: string;
  /** The same, short, after "those who": "needed help", or "had the outcome". */
  had: string;
  /** Its opposite: "did not need help", or "did not have the outcome". */
  hadNot: string;
}

const UNIT_WORDS: Record<string, UnitWords> = {
  child: { one: 'child', many: 'children', yes: 'went on to need help', had: 'needed help', hadNot: 'did not need help' },
  family: { one: 'family', many: 'families', yes: 'went on to need help', had: 'needed help', hadNot: 'did not need help' },
  referral: { one: 'referral', many: 'referrals', yes: 'went on to need help', had: 'needed help', hadNot: 'did not need help' },
  person: { one: 'person', many: 'people', yes: 'had the outcome', had: 'had the outcome', hadNot: 'did not have the outcome' },
};

/**
 * The words for what one row of the data is about, as the analyst named it on the Question page
 * (`task.unit` in a report). Anything else, or nothing (older reports), reads as children.
 */
export function unitWords(unit: unknown): UnitWords {
  return typeof unit === 'string' && Object.hasOwn(UNIT_WORDS, unit) ? UNIT_WORDS[unit] : UNIT_WORDS.child;
}

/** The sentence-start form: "children" -> "Children". */
export function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `n` units in words: "1 child", "12 children", "1,204 people". */
export function unitCount(n: number, unit: unknown): string {
  const w = unitWords(unit);
  return `${count(n)} ${n === 1 ? w.one : w.many}`;
}

// ------------------------------------------------------------------ model inputs in words

/**
 * A model input's encoded name in words: `cat__gender_Unknown` -> "gender: Unknown",
 * `num__age` -> "age", `num__missingindicator_age` -> "age: missing". `columns` (the data's
 * column names) splits a category's column from its value exactly; without them the last
 * underscore does. Any other name is returned as it is.
 */
export function featureWords(name: string, columns: readonly string[] = []): string {
  if (name.startsWith('num__missingindicator_')) return `${name.slice(22)}: missing`;
  if (name.startsWith('num__')) return name.slice(5);
  if (!name.startsWith('cat__')) return name;
  const rest = name.slice(5);
  const column = [...columns].sort((a, b) => b.length - a.length).find((c) => rest.startsWith(`${c}_`));
  if (column !== undefined) return `${column}: ${rest.slice(column.length + 1)}`;
  const cut = rest.lastIndexOf('_');
  return cut > 0 ? `${rest.slice(0, cut)}: ${rest.slice(cut + 1)}` : rest;
}
