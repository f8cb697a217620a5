/**
 * What an Annex A return looks like: which sheet is which list, which column is which field,
 * and when each column's value was true (at the event, or "as at" the extract date). Column
 * names are those of ../shared/data/annex-a/annexa-spec.json (reused from the synthetic
 * generator's list layout), with the aliases and header patterns councils' files show.
 */
import { ANNEX_A_COLUMNS } from './lists.ts';

/** Fields the importer reads. A list's columns not named here are recognised but unused. */
export type FieldKey =
  | 'childId' | 'gender' | 'ethnicity' | 'dob' | 'age'
  | 'contactDate' | 'contactSource'
  | 'ehStart'
  | 'referralDate' | 'referralSource'
  | 'assessmentStart'
  | 's47Start'
  | 'cinStart' | 'caseStatus'
  | 'cpStart' | 'cpInitialCategory' | 'cpLatestCategory'
  | 'claStart' | 'legalStatus' | 'placementType'
  | 'disability' | 'allocatedTeam';

export const LIST_TITLES: Record<number, string> = {
  1: 'Contacts', 2: 'Early help assessments', 3: 'Referrals', 4: 'Assessments', 5: 'Section 47 enquiries and ICPCs',
  6: 'Children in need', 7: 'Child protection plans', 8: 'Children in care', 9: 'Care leavers', 10: 'Adoption', 11: 'Adopters',
};

/** Lists the case table is built from; 9-11 are recognised and reported but hold nothing it needs. */
export const USED_LISTS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

/** The event date that dates a row of each list (for prior counts, outcomes and date ranges). */
export const EVENT_DATE: Record<number, FieldKey> = {
  1: 'contactDate', 2: 'ehStart', 3: 'referralDate', 4: 'assessmentStart', 5: 's47Start', 6: 'cinStart', 7: 'cpStart', 8: 'claStart',
};

/** Lower case, every run of other characters one space: "Date of referral" = "DATE OF REFERRAL" = "Date_of_Referral". */
export function normalisedName(s: string): string {
  return s.replace(/\u00a0/g, ' ').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Field keys by the exact spec column name; the five common columns come first in every list. */
const FIELD_BY_NAME: Record<string, FieldKey> = {
  'Child Unique ID': 'childId', Gender: 'gender', Ethnicity: 'ethnicity', 'Date of Birth': 'dob', 'Age of Child (Years)': 'age',
  'Date of Contact': 'contactDate', 'Contact Source': 'contactSource',
  'Assessment start date': 'ehStart',
  'Date of Referral': 'referralDate', 'Referral Source': 'referralSource',
  'Continuous Assessment Start Date': 'assessmentStart',
  'Strategy discussion initiating Section 47 Enquiry Start Date': 's47Start',
  'CIN Start Date': 'cinStart', 'Case Status': 'caseStatus',
  'Child Protection Plan Start Date': 'cpStart', 'Initial Category of Abuse': 'cpInitialCategory', 'Latest Category of Abuse': 'cpLatestCategory',
  'Date Started to be Looked After': 'claStart', "Child's Legal Status": 'legalStatus', 'Placement Type': 'placementType',
  'Does the Child have a Disability': 'disability', 'Allocated Team': 'allocatedTeam',
};

/** The template's name for a field. */
export function specNameOf(field: FieldKey): string {
  return Object.keys(FIELD_BY_NAME).find((k) => FIELD_BY_NAME[k] === field) ?? field;
}

/** Other spellings seen in returns (spec aliases, liia-tools column names). */
const ALIASES: Record<string, string[]> = {
  'Age of Child (Years)': ['Age', 'Age of Child'],
  'Date of Referral': ['Date of referral', 'Referral Date'],
  'Child Unique ID': ['Child ID', 'Unique Child ID', 'ChildID', 'Person ID'],
  'Date of Birth': ['DOB'],
  'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)': ['Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))'],
};

/** Header patterns for the columns every list needs (liia-tools-pipeline header_regex), tried after exact names. */
const PATTERNS: [FieldKey, RegExp][] = [
  ['childId', /\bchild\b.*\b(id|identifier)\b|\b(id|identifier)\b.*\bchild\b/],
  ['dob', /\bdate\b.*\bbirth\b/],
  ['referralDate', /\bdate of\b.*\breferral\b|\breferral date\b/],
  ['contactDate', /\bdate\b.*\bcontact\b/],
  ['referralSource', /\breferral\b.*\bsource\b/],
  ['contactSource', /\bcontact\b.*\bsource\b/],
];

/** When a column's value was true, from the spec's `temporal` field. Event and static columns are the default. */
export type Timing = 'event' | 'static' | 'as-at-extract' | 'rolling-count' | 'after-decision';

const AS_AT_EXTRACT = new Set([
  'Age of Child (Years)', 'Allocated Team', 'Allocated Worker', 'Does the Child have a Disability', 'Date Child Was Last Seen', 'Case Status',
  'Latest Category of Abuse', 'Date of the Last Statutory Visit', 'Was the Child Seen Alone?', 'Date of latest review conference',
  'Start date of current legal status', "Child's Legal Status", 'Date of Latest Statutory Review', 'Date of Last Social Work Visit',
  'What is the permanence plan for this child?', 'Date of Last IRO Visit / Contact to the Child', 'Date of Last Health Assessment',
  'Date of Last Dental Check', 'Start Date of Most Recent Placement', 'Placement Type', 'Placement Provider', 'Placement postcode',
  'URN of Placement', 'Placement Location', 'LA of Placement',
  'Was the child offered a Return Interview after their last missing episode (Y/N)?', 'Did the child accept a Return Interview after their last missing episode (Y/N)?',
]);
const ROLLING = new Set([
  'Number of Referrals in Last 12 Months', 'Number of Section 47 Enquiries in the last 12 months', 'Number of ICPCs in the last 12 months',
  'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
  'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)', 'Number of Placements in the Last 12 months',
  "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
  "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
]);
/** Event columns whose value is settled only after the referral decision (what happened next). */
const AFTER_DECISION = new Set(['Referral NFA?']);

export function timingOf(specName: string): Timing {
  if (AS_AT_EXTRACT.has(specName)) return 'as-at-extract';
  if (ROLLING.has(specName)) return 'rolling-count';
  if (AFTER_DECISION.has(specName)) return 'after-decision';
  return 'event';
}

/** Which list a sheet (or CSV file) name names, or null. "List 3", "List_3", "AnnexA_List03.csv", "Referrals". */
export function listOfSheetName(name: string): number | null {
  const base = name.replace(/\.(csv|tsv|txt|xlsx)$/i, '');
  const n = normalisedName(base);
  const m = /(?:^|\s|[^a-z])list\s?0?(\d{1,2})(?!\d)/.exec(' ' + n);
  if (m) {
    const k = Number(m[1]);
    return k >= 1 && k <= 11 ? k : null;
  }
  const squashed = n.replace(/ /g, '');
  const byTitle: [RegExp, number][] = [
    [/^contacts?$/, 1],
    [/^earlyhelp/, 2],
    [/^referrals?$/, 3],
    [/^(continuous|single)?assessments?$/, 4],
    [/^(sec(tion)?|s)47|icpc/, 5],
    [/^(childreninneed|cin)/, 6],
    [/^(childprotection|cp(plans?)?$)/, 7],
    [/^(childrenincare|lookedafter|childrenlookedafter|cla$|lac$)/, 8],
    [/^careleavers?/, 9],
    [/^adopters?$/, 11],
    [/^adoption/, 10],
  ];
  for (const [re, k] of byTitle) if (re.test(squashed)) return k;
  return null;
}

/** Which list a header looks like when the sheet name does not say: a column only that list has. */
export function listOfColumns(names: readonly string[]): number | null {
  const have = new Set(names.map(normalisedName));
  const marks: [string, number][] = [
    ['Date of Contact', 1], ['Organisation completing assessment', 2], ['Date of Referral', 3], ['Continuous Assessment Start Date', 4],
    ['Strategy discussion initiating Section 47 Enquiry Start Date', 5], ['CIN Start Date', 6], ['Child Protection Plan Start Date', 7],
    ['Date Started to be Looked After', 8],
  ];
  for (const [name, k] of marks) if (have.has(normalisedName(name))) return k;
  if (have.has(normalisedName('Referral Date'))) return 3;
  return null;
}

export interface ColumnMatch {
  /** Spec name of the column (exact template spelling). */
  specName: string;
  /** Name as it appears in the file. */
  fileName: string;
  field: FieldKey | null;
  timing: Timing;
}

export interface HeaderMatch {
  matched: ColumnMatch[];
  /** File columns matching no spec column of this list. */
  unrecognised: string[];
  /** Spec columns of this list the file does not have. */
  missing: string[];
  fields: Partial<Record<FieldKey, string>>;
}

/** Spec column names of a list (1-8; empty for lists the importer does not read). */
export function specColumns(list: number): string[] {
  const l = ANNEX_A_COLUMNS[list];
  if (!l) return [];
  return ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)', ...l.columns.map((c) => c[0])];
}

/** Match a sheet's header to a list's spec columns: exact name, then aliases, then header patterns for key fields. */
export function matchHeader(list: number, names: readonly string[]): HeaderMatch {
  const spec = specColumns(list);
  const byNorm = new Map<string, string>();
  for (const s of spec) {
    byNorm.set(normalisedName(s), s);
    for (const a of ALIASES[s] ?? []) if (!byNorm.has(normalisedName(a))) byNorm.set(normalisedName(a), s);
  }
  const matched: ColumnMatch[] = [];
  const taken = new Set<string>();
  const unmatched: string[] = [];
  for (const fileName of names) {
    const s = byNorm.get(normalisedName(fileName));
    if (s && !taken.has(s)) {
      taken.add(s);
      matched.push({ specName: s, fileName, field: FIELD_BY_NAME[s] ?? null, timing: timingOf(s) });
    } else unmatched.push(fileName);
  }
  const unrecognised: string[] = [];
  for (const fileName of unmatched) {
    const n = normalisedName(fileName);
    const hit = PATTERNS.find(([field, re]) => re.test(n) && spec.some((s) => FIELD_BY_NAME[s] === field && !taken.has(s)));
    if (hit) {
      const s = spec.find((x) => FIELD_BY_NAME[x] === hit[0])!;
      taken.add(s);
      matched.push({ specName: s, fileName, field: hit[0], timing: timingOf(s) });
    } else unrecognised.push(fileName);
  }
  const fields: Partial<Record<FieldKey, string>> = {};
  for (const m of matched) if (m.field) fields[m.field] = m.fileName;
  return { matched, unrecognised, missing: spec.filter((s) => !taken.has(s)), fields };
}
