/**
 * The import log in plain words for the app's Annex A summary: what was found, what the case
 * table holds, what was left out and why. Wording lives here (not in markup) so it is tested.
 */
import { formatError } from '../errors.ts';
import { ANNEX_A_OUTCOMES, type AnnexALog } from './case-table.ts';

export interface AnnexASummaryView {
  /** "1,234 referrals of 567 children; 89 (7.2%) had a CP plan or care within 12 months." */
  headline: string;
  extract: string;
  lists: { key: string; name: string; rows: string; dates: string; note: string }[];
  unrecognised: string[];
  rules: { id: string; text: string; warning: boolean }[];
  dropped: string[];
  leftOut: { column: string; reason: string; included: boolean }[];
  issues: string[];
  outcomes: { id: string; label: string }[];
}

const n = (x: number): string => x.toLocaleString('en-GB');

export const OUTCOME_LABELS: Record<string, string> = {
  'cp-or-cla-12m': 'Child protection plan or care within 12 months',
  's47-12m': 'Section 47 enquiry within 12 months',
  'rereferral-12m': 'Re-referral within 12 months',
};

export function annexASummaryView(log: AnnexALog): AnnexASummaryView {
  const unit = log.unit === 'referral' ? 'referrals' : 'contacts';
  const pct = log.rows ? ` (${((100 * log.positives) / log.rows).toFixed(1)}%)` : '';
  const headline = log.rows
    ? `${n(log.rows)} ${unit} of ${n(log.children)} children; ${n(log.positives)}${pct} had the outcome: ${log.outcomeText}.`
    : `No ${unit} can be used yet: none has a complete ${log.months}-month outcome window at the extract date.`;
  return {
    headline,
    extract: log.extractDateFrom.kind === 'given'
      ? `Extract date ${log.extractDate} (as given).`
      : `Extract date ${log.extractDate}: the latest date in the return (List ${log.extractDateFrom.list}, '${log.extractDateFrom.column}').`,
    lists: log.lists.map((l) => ({
      key: String(l.list),
      name: `List ${l.list}: ${l.title}`,
      rows: n(l.rows),
      dates: l.firstDate ? `${l.firstDate} to ${l.lastDate}` : '',
      note: [l.used ? '' : 'not needed', l.unrecognisedColumns.length ? `${l.unrecognisedColumns.length} column(s) not recognised: ${l.unrecognisedColumns.join(', ')}` : '']
        .filter(Boolean).join('; '),
    })),
    unrecognised: [
      ...log.unrecognisedSheets.map((s) => `Sheet or file '${s.name}' (${n(s.rows)} rows) is not an Annex A list and was not read.`),
      ...log.unreadableSheets.map((s) => `'${s.name}' could not be read: ${s.reason}`),
    ],
    rules: log.rules.map((r) => ({ id: r.id, text: r.count !== undefined ? `${r.text} (${n(r.count)})` : r.text, warning: r.warning === true })),
    dropped: log.dropped.map((d) => `${n(d.count)} ${d.text}.`),
    leftOut: [...new Map(log.leftOut.map((o) => [o.column, { column: o.column, reason: o.reason, included: o.included }])).values()],
    issues: log.issues.map(formatError),
    outcomes: ANNEX_A_OUTCOMES.map((id) => ({ id, label: OUTCOME_LABELS[id] })),
  };
}
