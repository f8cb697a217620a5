/**
 * Annex A in, a fair case table out. One call for a workbook or a set of list files
 * (`importAnnexA`), one for the generator's lists (`importAnnexALists`), and the aggregate
 * counts a bundle carries (`annexABundleSummary`).
 */
import type { CancelToken, Result } from '../errors.ts';
import { Cancelled, fail } from '../errors.ts';
import type { Source } from '../data/source.ts';
import type { AnnexAList } from './lists.ts';
import { caseTableFromSheets, type AnnexAImport, type AnnexALog, type AnnexAOptions } from './case-table.ts';
import { readAnnexASources, sheetsOfLists } from './read.ts';

export {
  ANNEX_A_OUTCOMES, DEFAULT_OUTCOME, caseTableFromSheets, parseOutcome,
  type AnnexAImport, type AnnexALog, type AnnexAOptions, type AnnexAOutcome, type AnnexAOutcomeKind, type AnnexAListSummary,
  type AnnexARule, type AnnexADrop, type AnnexALeftOut, type DropReason,
} from './case-table.ts';
export { readAnnexASources, sheetsOfLists, sheetsOfWorkbook, type AnnexASheets, type SheetData, type SheetColumn } from './read.ts';
export { listOfSheetName, listOfColumns, matchHeader, LIST_TITLES } from './spec.ts';

/** Read an Annex A workbook (or one file per list) and build the case table. */
export async function importAnnexA(
  sources: Source | readonly Source[],
  options: AnnexAOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<Result<AnnexAImport>> {
  const list = Array.isArray(sources) ? (sources as readonly Source[]) : [sources as Source];
  try {
    const read = await readAnnexASources(list, { cancel: options.cancel, onProgress: options.onProgress });
    if (!read.ok) return read;
    return caseTableFromSheets(read.value, options);
  } catch (e) {
    if (e instanceof Cancelled) return fail({ code: 'cancelled', message: 'the Annex A import was cancelled' });
    throw e;
  }
}

/** The case table straight from the generator's lists (no file in between). */
export function importAnnexALists(lists: readonly AnnexAList[], options: AnnexAOptions = {}, name?: string): Result<AnnexAImport> {
  return caseTableFromSheets(sheetsOfLists(lists, name), options);
}

/**
 * What a bundle carries about the import (`bundle.data.annexA`): aggregate counts only, no
 * names, IDs or values. Shareable bundles pass the counts through the same disclosure control as
 * every other count.
 */
export interface AnnexABundleSummary {
  unit: 'referral' | 'contact';
  outcome: string;
  months: number;
  extractDate: string;
  extractDateFrom: 'given' | 'latest';
  /** Rows per list found, by list number ("3": {...}). */
  lists: Record<string, { rows: number; firstDate: string | null; lastDate: string | null; used: boolean }>;
  /** Rule ids applied, in order (the app and docs explain each). */
  rules: string[];
  /** Rows dropped, by reason, summed over lists. */
  dropped: Partial<Record<string, number>>;
  /** Columns left out for leakage (and those added back knowingly). */
  leftOut: { column: string; timing: string; included: boolean }[];
  rows: number;
  positives: number;
}

export function annexABundleSummary(log: AnnexALog): AnnexABundleSummary {
  const dropped: Record<string, number> = {};
  for (const d of log.dropped) dropped[d.reason] = (dropped[d.reason] ?? 0) + d.count;
  const leftOut = new Map<string, { column: string; timing: string; included: boolean }>();
  for (const o of log.leftOut) if (!leftOut.has(o.column)) leftOut.set(o.column, { column: o.column, timing: o.timing, included: o.included });
  return {
    unit: log.unit,
    outcome: log.outcome,
    months: log.months,
    extractDate: log.extractDate,
    extractDateFrom: log.extractDateFrom.kind,
    lists: Object.fromEntries(log.lists.map((l) => [String(l.list), { rows: l.rows, firstDate: l.firstDate, lastDate: l.lastDate, used: l.used }])),
    rules: log.rules.map((r) => r.id),
    dropped,
    leftOut: [...leftOut.values()],
    rows: log.rows,
    positives: log.positives,
  };
}
