/**
 * Ofsted Annex A Lists 1-8 read off the simulated histories, cut at the extract date. Column
 * names are exactly those of ../shared/data/annex-a/annexa-spec.json. Values use the template's
 * lettered labels, with the untidiness real returns have: some raw CMS spellings (`Female`,
 * `WBRI - White British`, `Yes`), a few unrecognised codes (`u) UNKNOWN`, `v) 11: Other agency`),
 * blank optional fields, and "as at extract" columns (age, disability, case status, allocated
 * team and worker, rolling 12-month counts) that reflect the extract date, not the event date.
 *
 * The lists hold every event in the simulated period (`years` before the extract date), not only
 * the six-month inspection window, so that prior counts can be rebuilt from them; List 8 has
 * one row per care episode (not only the current one) for the same reason.
 */
import {
  ABUSE_CATEGORIES, CASE_STATUS, ETHNICITIES, GENDER_LABELS, LEGAL_STATUS, NO, PERMANENCE_PLANS, PLACEMENT_PROVIDERS,
  PLACEMENT_TYPES, PRIMARY_NEED, REASON_CEASED, REASON_CLOSURE, SOURCES, UNKNOWN_YN, YES,
} from '../annex-a/codes.ts';
import { addMonths, decimalAge } from '../annex-a/dates.ts';
import { ANNEX_A_COLUMNS, COMMON, COMMON_TYPES, type AnnexACell, type AnnexAList } from '../annex-a/lists.ts';
import type { Child, SimContext } from './simulate.ts';

/** Deterministic uniform in [0, 1) from integers, so list untidiness never touches the main random stream. */
function hash01(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(salt, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

const FIRST = ['Amara', 'Ben', 'Chloe', 'Dev', 'Efua', 'Finn', 'Grace', 'Hassan', 'Isla', 'Jamal', 'Kasia', 'Liam', 'Maya', 'Noor', 'Owen', 'Priya', 'Rhys', 'Sade', 'Tom', 'Zara'];
const LAST = ['Ahmed', 'Brown', 'Clarke', 'Davies', 'Evans', 'Farah', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Mensah', 'Nowak', 'Okafor', 'Patel', 'Roberts', 'Smith', 'Taylor', 'Walsh'];
const EH_ORGS = ['Early Help Locality 1', 'Early Help Locality 2', 'Top Town Academy', 'Family Hub North'];
const PLACEMENT_LAS = ['Home authority', 'Northshire', 'Westborough', 'Eastfield'];

type Status = 0 | 1 | 2 | 3 | 4; // index into CASE_STATUS

function statusAt(child: Child, day: number): Status {
  let status: Status = 4;
  for (const r of child.referrals) {
    if (r.cla && r.cla.start <= day && r.cla.end > day) return 0;
    if (r.cp && r.cp.start <= day && r.cp.end > day) status = Math.min(status, 1) as Status;
    if (r.cin && r.cin.start <= day && r.cin.closure > day) status = Math.min(status, 2) as Status;
    if (r.assessment && r.assessment.start <= day && r.assessment.auth > day) status = Math.min(status, 3) as Status;
  }
  return status;
}

function teamFor(status: Status, child: Child): [string | null, string | null] {
  const k = 1 + (child.index % 4);
  const team = [`Children in Care Team ${k}`, `Locality ${k} Unit ${1 + (child.index % 3)}`, `Locality ${k} Child in Need Team`, `Locality ${k} Duty Team`, null][status];
  if (team === null) return [null, null];
  const w = Math.floor(hash01(child.index, 0, 7) * FIRST.length * LAST.length);
  return [team, `${FIRST[w % FIRST.length]} ${LAST[Math.floor(w / FIRST.length)]}`];
}

/** The five columns every list starts with, as recorded (labels, raw spellings, blanks). */
function commonCells(child: Child, extract: number): AnnexACell[] {
  const g = child.gender;
  const gender = child.untidy.gender && (g === 'Male' || g === 'Female') ? g : GENDER_LABELS[g];
  const e = child.ethnicityRecorded;
  const ethnicity = e < 0 ? 'u) UNKNOWN' : child.untidy.ethnicity ? `${ETHNICITIES[e].code} - ${ETHNICITIES[e].description}` : ETHNICITIES[e].label;
  const age = child.dobBlank ? null : Math.round(decimalAge(child.dob, extract) * 1e6) / 1e6;
  return [child.id, gender, ethnicity, child.dobBlank ? null : child.dob, age];
}

function yesNo(b: boolean): string {
  return b ? YES : NO;
}

/** Lists 1-8 for these children, cut at the extract date. */
export function annexALists(children: readonly Child[], ctx: SimContext): AnnexAList[] {
  const x = ctx.extract;
  const yearAgo = addMonths(x, -12);
  const sixMonthsAgo = addMonths(x, -6);
  const rows: AnnexACell[][][] = [[], [], [], [], [], [], [], [], []];
  const on = (d: number): number | null => (Number.isFinite(d) && d <= x ? d : null);
  for (const c of children) {
    const common = commonCells(c, x);
    const status = statusAt(c, x);
    const [team, worker] = teamFor(status, c);
    const du = hash01(c.index, 1, 11);
    const disability = du < 0.01 ? UNKNOWN_YN : yesNo(c.disabilityFrom <= x);
    // List 1
    for (const ct of c.contacts) if (ct.date <= x) rows[1].push([...common, ct.date, SOURCES[ct.source].label]);
    // List 2
    for (const eh of c.earlyHelp) if (eh.start <= x) rows[2].push([...common, eh.start, on(eh.end), EH_ORGS[eh.org]]);
    const refsInYear = c.referrals.filter((r) => r.date > yearAgo && r.date <= x).length;
    const s47InYear = c.referrals.filter((r) => r.s47 && r.s47.start > yearAgo && r.s47.start <= x).length;
    const icpcInYear = c.referrals.filter((r) => r.s47 && r.s47.icpc > yearAgo && r.s47.icpc <= x).length;
    let prevCareEnd = -Infinity;
    for (const r of c.referrals) {
      if (r.date > x) continue;
      const h = (salt: number) => hash01(c.index, r.ordinal, salt);
      // List 3
      const source = r.source < 0 ? 'v) 11: Other agency' : SOURCES[r.source].label;
      const nfa = h(1) < 0.15 ? (r.nfa ? 'Yes' : 'No') : yesNo(r.nfa);
      rows[3].push([...common, r.date, source, nfa, refsInYear, team, worker]);
      // List 4
      const a = r.assessment;
      if (a && a.start <= x) {
        const done = a.auth <= x;
        rows[4].push([...common, disability, a.start, yesNo(a.seen), done ? a.auth : null, done ? yesNo(a.requiresSupport) : null, team, worker]);
      }
      // List 5
      const s = r.s47;
      if (s && s.start <= x) {
        const held = Number.isFinite(s.icpc) && s.icpc <= x;
        const decided = s.icpcUnnecessary || held;
        rows[5].push([
          ...common, disability, s.start, decided ? yesNo(s.icpcUnnecessary) : null, held ? s.icpc : null,
          held ? yesNo(s.plan) : null, s47InYear, icpcInYear, team, worker,
        ]);
      }
      // List 6
      const cin = r.cin;
      if (cin && cin.start <= x) {
        const closed = cin.closure <= x;
        const seen = closed ? null : x - Math.floor(h(2) * 30);
        rows[6].push([
          ...common, disability, cin.start, PRIMARY_NEED[cin.needCode], seen, closed ? cin.closure : null,
          closed ? REASON_CLOSURE[cin.reason] : null, CASE_STATUS[status], team, worker,
        ]);
      }
      // List 7
      const cp = r.cp;
      if (cp && cp.start <= x) {
        const open = cp.end > x;
        const visit = open ? Math.max(cp.start, x - Math.floor(h(3) * 20)) : null;
        const review = open && x - cp.start > 90 ? cp.start + 90 : null;
        const epo = r.cla && r.cla.legal >= 4 && r.cla.start > sixMonthsAgo && r.cla.start <= x;
        rows[7].push([
          ...common, disability, cp.start, ABUSE_CATEGORIES[cp.initialCategory], ABUSE_CATEGORIES[open ? cp.latestCategory : cp.initialCategory],
          visit, open ? yesNo(h(4) < 0.8) : null, review, open ? null : cp.end, yesNo(Boolean(epo)), cp.number, team, worker,
        ]);
      }
      // List 8
      const cla = r.cla;
      if (cla && cla.start <= x) {
        const open = cla.end > x;
        const ceased = open ? null : cla.end;
        const second = Number.isFinite(prevCareEnd) && cla.start <= addMonths(prevCareEnd, 12);
        const missing = h(5) < 0.1 ? 1 + Math.floor(h(6) * 4) : 0;
        rows[8].push([
          ...common, yesNo(h(7) < 0.01), disability, cla.start, PRIMARY_NEED[cla.needCode], yesNo(second),
          cla.start, LEGAL_STATUS[cla.legal], open && x - cla.start > 28 ? Math.max(cla.start + 28, x - Math.floor(h(8) * 150)) : null,
          open ? x - Math.floor(h(9) * 40) : null, open ? PERMANENCE_PLANS[cla.permanence] : null,
          open ? x - Math.floor(h(10) * 60) : null, open && x - cla.start > 28 ? x - Math.floor(h(11) * 200) : null,
          open && h(12) > 0.15 ? x - Math.floor(h(13) * 300) : null, cla.placements, ceased, open ? null : REASON_CEASED[cla.reasonCeased],
          cla.start, PLACEMENT_TYPES[cla.placement], PLACEMENT_PROVIDERS[cla.provider],
          `CN${1 + Math.floor(h(14) * 20)} ${1 + Math.floor(h(15) * 9)}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(h(16) * 20)]}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(h(17) * 20)]}`,
          h(18) < 0.3 ? `SC${100000 + Math.floor(h(19) * 900000)}` : null, h(20) < 0.7 ? 'a) In' : 'b) Out', PLACEMENT_LAS[Math.floor(h(21) * 4)],
          missing, h(22) < 0.05 ? 1 : 0, missing ? yesNo(h(23) < 0.8) : null, missing ? yesNo(h(24) < 0.6) : null, team, worker,
        ]);
        prevCareEnd = cla.end;
      }
    }
  }
  const out: AnnexAList[] = [];
  for (let list = 1; list <= 8; list++) {
    const spec = ANNEX_A_COLUMNS[list];
    const common = list >= 1 ? COMMON : [];
    out.push({
      list,
      sheet: `List ${list}`,
      title: spec.title,
      columns: [...common, ...spec.columns.map((c) => c[0])],
      types: [...COMMON_TYPES, ...spec.columns.map((c) => c[1])],
      rows: rows[list],
    });
  }
  return out;
}
