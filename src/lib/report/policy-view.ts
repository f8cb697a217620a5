/**
 * The operating policy as the report pages show it. One policy is chosen (Question page, or the
 * control on Results); every page reads the report at it. When the report was derived at that
 * policy (`task.policy`, `atPolicy`), the numbers are the report's own, with their intervals.
 * Otherwise (a report opened from a file has no scores to re-derive it, or a live report is still
 * being re-derived) the view snaps to the nearest of the report's operating rows and says so.
 */
import { capitalised, unitWords } from '../project/words.ts';
import type { Bundle, MinimumCheck, ModelResult, OperatingPointResult, OperatingRow } from '../bundle/schema.ts';
import { casesNeededWords } from '../charts/forest.ts';
import { iconArraySentence, iconCounts, type IconCounts } from '../charts/icon-array.ts';
import { count, num2, num3, pct } from '../charts/svg.ts';
import { DEFAULT_POLICY } from '../run/defaults.ts';
import { policyWords, type OperatingPolicy } from '../run/policy.ts';

export type OperatingMode = OperatingPolicy['kind'];

/** What the policy control holds: the chosen kind and the last value of each kind (switching back keeps it). */
export interface OperatingControl {
  mode: OperatingMode;
  /** Percentage of cases to flag, above 0 and at most 100. */
  topPct: number;
  /** Flag when score >= threshold. */
  threshold: number;
  /** Cases the team can review per month. */
  capacity: number;
}

export const DEFAULT_CONTROL: OperatingControl = controlWith({ mode: 'topPct', topPct: 10, threshold: 0.5, capacity: 40 }, DEFAULT_POLICY);

/** The policy the control names. */
export function policyOf(c: OperatingControl): OperatingPolicy {
  if (c.mode === 'threshold') return { kind: 'threshold', threshold: c.threshold };
  if (c.mode === 'capacity') return { kind: 'capacity', perMonth: c.capacity };
  return { kind: 'topPct', topPct: c.topPct };
}

/** The control set to a policy, keeping the other kinds' values. */
export function controlWith(c: OperatingControl, p: OperatingPolicy): OperatingControl {
  if (p.kind === 'threshold') return { ...c, mode: 'threshold', threshold: p.threshold };
  if (p.kind === 'capacity') return { ...c, mode: 'capacity', capacity: p.perMonth };
  return { ...c, mode: 'topPct', topPct: p.topPct };
}

export function samePolicy(a: OperatingPolicy | null | undefined, b: OperatingPolicy | null | undefined): boolean {
  if (!a || !b) return false;
  const value = (p: OperatingPolicy) => (p.kind === 'threshold' ? p.threshold : p.kind === 'capacity' ? p.perMonth : p.topPct);
  return a.kind === b.kind && value(a) === value(b);
}

const MODES: readonly OperatingMode[] = ['topPct', 'threshold', 'capacity'];
const num = (x: unknown, ok: (v: number) => boolean, d: number) => (typeof x === 'number' && Number.isFinite(x) && ok(x) ? x : d);

/** A control from stored JSON, field by field (anything odd falls back to its default). */
export function parseControl(x: unknown): OperatingControl {
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  const d = DEFAULT_CONTROL;
  return {
    mode: MODES.includes(o.mode as OperatingMode) ? (o.mode as OperatingMode) : d.mode,
    topPct: num(o.topPct, (v) => v > 0 && v <= 100, d.topPct),
    threshold: num(o.threshold, () => true, d.threshold),
    capacity: num(o.capacity, (v) => v > 0, d.capacity),
  };
}

// ------------------------------------------------------------------ what the report recorded

/** The report's own policy record (`task.policy`), checked; null for a report made before policies were recorded. */
export interface ReportPolicy {
  policy: OperatingPolicy;
  words: string;
  testRows: number | null;
  testMonths: number | null;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const numOrNull = (x: unknown): number | null => (isNum(x) ? x : null);

export function reportPolicyOf(bundle: Bundle): ReportPolicy | null {
  const rec = (bundle.task as { policy?: unknown }).policy as { policy?: Record<string, unknown>; words?: unknown; testRows?: unknown; testMonths?: unknown } | undefined;
  const p = rec?.policy;
  if (!p || typeof p !== 'object') return null;
  let policy: OperatingPolicy;
  if (p.kind === 'threshold' && isNum(p.threshold)) policy = { kind: 'threshold', threshold: p.threshold };
  else if (p.kind === 'topPct' && isNum(p.topPct)) policy = { kind: 'topPct', topPct: p.topPct };
  else if (p.kind === 'capacity' && isNum(p.perMonth)) policy = { kind: 'capacity', perMonth: p.perMonth };
  else return null;
  return { policy, words: typeof rec.words === 'string' ? rec.words : policyWords(policy), testRows: numOrNull(rec.testRows), testMonths: numOrNull(rec.testMonths) };
}

/**
 * Cases on the test side, the "N test cases" every page states: the report's `data.testRows`
 * (or its policy record's); in a report without them, the confusion counts of its first result,
 * which are the test side by construction. Never the whole table's rows.
 */
export function testRowsOf(bundle: Bundle): number | null {
  const d = numOrNull((bundle.data as { testRows?: unknown }).testRows);
  if (d !== null) return d;
  const p = reportPolicyOf(bundle)?.testRows ?? null;
  if (p !== null) return p;
  const o = bundle.results[0]?.atThreshold;
  if (!o) return null;
  const xs = [o.tp, o.fp, o.fn, o.tn];
  return xs.every(isNum) ? (xs as number[]).reduce((a, b) => a + b, 0) : null;
}

/** The test side's size and span in words, for the capacity control; null when the report does not record its span. */
export function testSideNote(bundle: Bundle): string | null {
  const n = testRowsOf(bundle);
  const months = reportPolicyOf(bundle)?.testMonths ?? null;
  if (n === null || months === null || !(months > 0)) return null;
  return `The ${count(n)} test cases span ${num2(months)} months: about ${count(n / months)} referrals a month.`;
}

// ------------------------------------------------------------------ the operating view

/** How the report stands against the chosen policy. */
export type PolicyStanding = 'report' | 'updating' | 'fixed';

export interface OperatingView {
  /** The chosen policy in words ("flag the top 10% of cases by score"). */
  words: string;
  /** Counts at the policy: the report's own (`exact`), or its nearest operating row. */
  row: OperatingRow;
  /** true when the counts (and intervals) are the report's own at this very policy. */
  exact: boolean;
  /** What is shown and why, in a sentence. */
  note: string;
  /** The rates with their intervals, in words; or one sentence saying why there are none. */
  intervals: string[];
}

function nearest(rows: readonly OperatingRow[], key: (r: OperatingRow) => number | null, target: number): OperatingRow | null {
  let best: OperatingRow | null = null;
  let d = Infinity;
  for (const r of rows) {
    const v = key(r);
    if (v === null) continue;
    const dv = Math.abs(v - target);
    if (dv < d) {
      d = dv;
      best = r;
    }
  }
  return best;
}

/** The operating row nearest to the policy and why that one; null when there are no rows. */
export function snapToPolicy(rows: readonly OperatingRow[] | null, policy: OperatingPolicy, side: { testRows: number | null; testMonths: number | null }): { row: OperatingRow; note: string } | null {
  if (!rows || rows.length === 0) return null;
  const flagged = (r: OperatingRow) => (r.nFlagged === null ? 'a withheld number of' : count(r.nFlagged));
  const byTop = (k: number) => nearest(rows, (r) => r.topPct, k)!;
  if (policy.kind === 'threshold') {
    const row = nearest(rows, (r) => r.threshold, policy.threshold);
    if (row) return { row, note: `the nearest row is the top ${row.topPct}% (score ${num3(row.threshold)} or more, ${flagged(row)} cases flagged)` };
    const fallback = byTop(10);
    return { row: fallback, note: `this report does not record the score at each row, so a threshold cannot be placed; showing the top ${fallback.topPct}% instead` };
  }
  if (policy.kind === 'capacity') {
    const { testRows, testMonths } = side;
    if (testRows === null || !(testRows > 0) || testMonths === null || !(testMonths > 0)) {
      const fallback = byTop(10);
      return { row: fallback, note: `this report does not say how many months its test cases span, so a capacity a month cannot be placed; showing the top ${fallback.topPct}% instead` };
    }
    const want = Math.min(100, (100 * policy.perMonth * testMonths) / testRows);
    const row = byTop(want);
    return { row, note: `${count(policy.perMonth)} a month over the ${num2(testMonths)} months the ${count(testRows)} test cases span is the top ${want < 1 ? want.toFixed(2) : want.toFixed(1)}%; the nearest row is the top ${row.topPct}% (${flagged(row)} cases flagged)` };
  }
  const row = byTop(policy.topPct);
  return { row, note: `the nearest row is the top ${row.topPct}% (${flagged(row)} cases flagged${row.threshold === null ? '' : `, score ${num3(row.threshold)} or more`})` };
}

/** The rates at the policy with their intervals, in the report's unit (children by default). */
function intervalLines(o: OperatingPointResult, unit?: unknown): string[] {
  const w = unitWords(unit);
  const many = capitalised(w.many);
  const rateWords: [keyof NonNullable<OperatingPointResult['intervals']>, string][] = [
    ['precision', 'Flags that were right (precision)'],
    ['recall', `${many} who ${w.yes} who were flagged (recall)`],
    ['fpr', `False alarms among ${w.many} who ${w.hadNot}`],
    ['fnr', `${many} missed among those who ${w.yes}`],
  ];
  return rateWords.flatMap(([k, label]) => {
    const value = o[k];
    if (value === null || value === undefined) return [];
    const iv = o.intervals?.[k];
    const interval = iv && iv.lo !== null && iv.hi !== null ? ` (95% interval ${pct(iv.lo)} to ${pct(iv.hi)})` : ' (no interval)';
    return [`${label}: ${pct(value)}${interval}.`];
  });
}

/** The row of a result at the report's own policy (`atPolicy`), or null when it has none. */
function rowAtPolicy(r: ModelResult): (OperatingRow & { point: OperatingPointResult }) | null {
  const a = (r as { atPolicy?: unknown }).atPolicy as (OperatingPointResult & { topPct?: number | null }) | undefined;
  if (!a || typeof a !== 'object') return null;
  return { topPct: a.topPct ?? (a.flaggedRate == null ? 0 : 100 * a.flaggedRate), threshold: a.threshold, nFlagged: a.nFlagged, tp: a.tp, fp: a.fp, fn: a.fn, tn: a.tn, point: a };
}

/**
 * The result at the chosen policy: the report's own numbers when it was derived at it, else the
 * nearest operating row, said so. `standing` says why a report may not be at the policy:
 * 'updating' while a live report is re-derived at it; 'report' for a live report that could not
 * be; 'fixed' for a report without scores (opened from a file, or a demo), which cannot be.
 * Null when the report has neither `atPolicy` nor operating rows.
 */
export function operatingViewOf(bundle: Bundle, r: ModelResult, policy: OperatingPolicy, standing: PolicyStanding): OperatingView | null {
  const own = reportPolicyOf(bundle);
  const words = policyWords(policy);
  const at = rowAtPolicy(r);
  if (own && at && samePolicy(own.policy, policy)) {
    const n = testRowsOf(bundle);
    const cut = at.threshold === null ? '' : ` (score ${num3(at.threshold)} or more)`;
    const flagged = at.nFlagged === null ? 'A withheld number of' : count(at.nFlagged);
    return {
      words: own.words,
      row: at,
      exact: true,
      note: `${capitalised(own.words)}: ${flagged} of ${n === null ? 'a withheld number of' : count(n)} test cases flagged${cut}.`,
      intervals: intervalLines(at.point, bundle.task.unit),
    };
  }
  const rows = r.curves?.operating ?? null;
  const snapped = snapToPolicy(Array.isArray(rows) ? rows : null, policy, { testRows: testRowsOf(bundle), testMonths: own?.testMonths ?? null });
  if (!snapped) return null;
  const made = own ? `This report was made at “${own.words}”` : 'This report does not record an operating policy of its own';
  const why = {
    updating: 'Working out every number at this policy; meanwhile',
    report: `${made}:`,
    fixed: `${made} and was opened without the cases’ scores, so it cannot be re-derived at another policy:`,
  }[standing];
  const noIntervals = {
    updating: 'The intervals follow in a moment.',
    report: 'Intervals are not available at a row of the report, only at its own policy.',
    fixed: 'Intervals are not available here: they need the scores, which a report opened from a file does not hold.',
  }[standing];
  return { words, row: snapped.row, exact: false, note: `${capitalised(words)}. ${why} ${snapped.note}.`, intervals: [noIntervals] };
}

// ------------------------------------------------------------------ the picture and its words

/**
 * "Too few to tell" in place of a picture of 100 when a test side (or group) is below the
 * minimums (evaluate/minimums.ts): scaling a handful of cases to 100 would read as a rate.
 * Null when the minimums are met or were not recorded.
 */
export function tooFewForPicture(m: MinimumCheck | null | undefined, unit?: unknown): string | null {
  if (!m || m.enough) return null;
  const n = m.positives !== null && m.negatives !== null ? m.positives + m.negatives : null;
  const have = n === null ? 'a withheld number of cases' : `${count(n)} ${n === 1 ? 'case' : 'cases'}`;
  const more = m.casesNeeded === null ? 'more would be needed' : casesNeededWords(m.casesNeeded, n).replace(/ cases needed$/, ' would be needed');
  const w = unitWords(unit);
  return `Too few to tell: ${have}, ${more} (at least ${m.needPositives} who ${w.had} and ${m.needNegatives} who did not), so no picture of 100 ${w.many} is drawn: it would show a handful of cases as if it were a rate.`;
}

export interface IconPanel {
  counts: IconCounts | null;
  sentences: string[];
  /** true when the counts are below the minimums: no picture, and the words say so. */
  tooFew: boolean;
}

/**
 * The 100-children picture and the sentences beside it, from one set of numbers: the first
 * sentence reads the picture's own per-100 counts, the second the exact counts behind them.
 * Below the minimums (`minimums` not enough) there is no picture: "too few to tell" and the
 * exact counts only.
 */
export function iconPanelOf(row: Pick<OperatingRow, 'tp' | 'fp' | 'fn' | 'tn'>, minimums?: MinimumCheck | null, unit?: unknown): IconPanel {
  const { tp, fp, fn, tn } = row;
  const w = unitWords(unit);
  const few = tooFewForPicture(minimums, unit);
  if (few) {
    const exact = tp === null || fp === null || fn === null || tn === null ? [] : [`Exactly: it flags ${count(tp + fp)} of ${count(tp + fp + fn + tn)} ${w.many}; ${count(tp)} of them ${w.yes} and ${count(fp)} ${fp === 1 ? 'was a false alarm' : 'were false alarms'}; ${count(fn)} who ${w.had} ${fn === 1 ? 'was' : 'were'} missed.`];
    return { counts: null, sentences: [few, ...exact], tooFew: true };
  }
  const counts = iconCounts(row);
  if (!counts || tp === null || fp === null || fn === null || tn === null) return { counts: null, sentences: ['The counts at this point were withheld to protect small numbers, so they cannot be described.'], tooFew: false };
  const n = tp + fp + fn + tn;
  const flagged = tp + fp;
  const sentences = [iconArraySentence(counts, unit)];
  sentences.push(
    `Exactly: it flags ${count(flagged)} of ${count(n)} ${w.many} (${pct(flagged / n)}); ${count(tp)} of them ${w.yes} and ${count(fp)} ${fp === 1 ? 'was a false alarm' : 'were false alarms'}; ${count(fn)} who ${w.had} ${fn === 1 ? 'was' : 'were'} missed.`,
  );
  const shown = counts.flaggedNeeded + counts.falseAlarm;
  if (shown === 0 && flagged > 0) sentences.push(`Fewer than 1 in 100 ${w.many} is flagged, so the picture of 100 shows none.`);
  return { counts, sentences, tooFew: false };
}

// ------------------------------------------------------------------ the fairness page

/**
 * The policy the group verdicts are at, in words, and a note when that is not the chosen one.
 * Disparities need the scores: a report is only ever read at its own policy (`task.policy`), or,
 * made before policies were recorded, at its score threshold.
 */
export function fairnessPolicyOf(bundle: Bundle, chosen: OperatingPolicy, standing: PolicyStanding): { words: string; note: string | null } {
  const own = reportPolicyOf(bundle);
  if (!own) {
    const t = bundle.results[0]?.atThreshold.threshold;
    return { words: `flag every case with a score of ${t ?? 'the threshold'} or more`, note: 'This report was made before operating policies were recorded: its group verdicts are at its score threshold.' };
  }
  if (samePolicy(own.policy, chosen)) return { words: own.words, note: null };
  const note =
    standing === 'updating'
      ? `The verdicts are being worked out again to ${policyWords(chosen)}; until then they are at the report’s policy.`
      : standing === 'fixed'
        ? `You chose to ${policyWords(chosen)}, but this report was opened without the cases’ scores, so its group verdicts cannot be re-derived: they are at its own policy.`
        : `The report could not be re-derived to ${policyWords(chosen)}: the verdicts are at its own policy.`;
  return { words: own.words, note };
}
