/**
 * Reading the values councils type into Annex A cells: template labels (`a) Male`,
 * `q) 6: Police`), raw case-management spellings (`Female`, `WBRI - White British`, `6 - Police`)
 * and the synonyms liia-tools-pipeline has collected from real returns (synonyms-data.ts).
 * Each reader returns null for a value it cannot place, so the caller can count it.
 */
import { DATE_US_ORDER, parseDateCell } from '../data/parse-cell.ts';
import { ethnicityCode, ethnicityMajorGroup } from '../fairness/groups.ts';
import { SOURCE_INDEX, sourceGroup, type Gender } from './codes.ts';
import { abuseCategory, disability, gender, referralSourceGroup } from './synonyms-data.ts';

export type Cell = string | number | null;

/** Lower case, single spaces, no non-breaking spaces: the key synonyms-data.ts uses. */
export function normalisedValue(s: string): string {
  return s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function isBlankCell(v: Cell | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v));
}

/** A cell as trimmed text (numbers as JavaScript prints them), null when blank. */
export function cellText(v: Cell | undefined): string | null {
  if (isBlankCell(v)) return null;
  return typeof v === 'number' ? String(v) : (v as string).replace(/\u00a0/g, ' ').trim();
}

/** Flat-table gender: Male, Female, Neither or Unknown; null for a non-blank value not recognised (the caller counts it as Unknown). */
export function genderOf(v: Cell): Gender | null {
  const t = cellText(v);
  if (t === null) return 'Unknown';
  const g = gender[normalisedValue(t)];
  return g === undefined ? null : (g as Gender);
}

/** DfE ethnicity code (WBRI ... NOBT, or an extended code) and its major group. `recognised` is false when the value names neither. */
export function ethnicityOf(v: Cell): { code: string | null; group: string; recognised: boolean } {
  const t = cellText(v);
  if (t === null) return { code: null, group: 'Unknown', recognised: true };
  const code = ethnicityCode(t);
  const group = ethnicityMajorGroup(t);
  return { code, group: group ?? 'Unknown', recognised: group !== null };
}

/** Referral/contact source code (1A ... 10) from `q) 6: Police`, `6 - Police`, `3b: Health`; null when there is none or it is not a known code. */
export function sourceCodeOf(v: Cell): string | null {
  const t = cellText(v);
  if (t === null) return null;
  const m = /^(?:\(?[a-z]\d?\s*[).]\s*)?['‘]?(\d{1,2}[a-fA-F]?)(?![0-9A-Za-z])/.exec(t);
  if (!m) return null;
  const code = m[1].toUpperCase();
  return SOURCE_INDEX.has(code) ? code : null;
}

/** Source group as national statistics group it (Police, Schools, ...): from the code when there is one, else from known spellings. */
export function sourceGroupOf(v: Cell): string | null {
  const code = sourceCodeOf(v);
  if (code !== null) return sourceGroup(code);
  const t = cellText(v);
  return t === null ? null : (referralSourceGroup[normalisedValue(t)] ?? null);
}

/** Category of abuse: Neglect, Physical, Sexual, Emotional or Multiple; null when not recognised. */
export function abuseCategoryOf(v: Cell): string | null {
  const t = cellText(v);
  if (t === null) return null;
  const k = normalisedValue(t);
  const hit = abuseCategory[k] ?? abuseCategory[k.replace(/^[a-z]\) /, '')];
  if (hit) return hit;
  const m = /^(?:[a-z]\) )?(neglect|physical|sexual|emotional|multiple)\b/.exec(k);
  return m ? m[1][0].toUpperCase() + m[1].slice(1) : null;
}

/** Yes, No or Unknown for a disability cell (template labels, Y/N, 1/0, condition names); null when not recognised. */
export function disabilityOf(v: Cell): string | null {
  const t = cellText(v);
  if (t === null) return null;
  const k = normalisedValue(t);
  return disability[k] ?? ({ y: 'Yes', yes: 'Yes', true: 'Yes', n: 'No', no: 'No', false: 'No', unknown: 'Unknown' } as Record<string, string>)[k] ?? null;
}

const MS_PER_DAY = 86_400_000;
const ENCODER = new TextEncoder();
/** Excel serials from 1 Jan 1900 to 31 Dec 9999: a number in a date column is read as one. */
const MAX_SERIAL = 2_958_465;

export type DateRead = { day: number; how: 'date' | 'text' | 'serial' } | { day: null; how: 'blank' | 'unreadable' | 'us-order' };

/**
 * A date cell as a day number (days since 1970-01-01, UTC). `isDate` says the reader already
 * holds day numbers (an Excel date cell, a generator list); other numbers are Excel serials
 * (a date cell whose style was lost); text is `yyyy-mm-dd` or UK `dd/mm/yyyy`, time of day dropped.
 */
export function dayOfCell(v: Cell, isDate: boolean): DateRead {
  if (isBlankCell(v)) return { day: null, how: 'blank' };
  if (typeof v === 'number') {
    if (isDate) return { day: Math.floor(v), how: 'date' };
    if (v >= 1 && v <= MAX_SERIAL) return { day: Math.floor(v < 60 ? v - 25568 : v - 25569), how: 'serial' };
    return { day: null, how: 'unreadable' };
  }
  const bytes = ENCODER.encode(v as string);
  const out = { flags: 0 };
  const ms = parseDateCell(bytes, 0, bytes.length, out);
  if (Number.isNaN(ms)) return { day: null, how: out.flags & DATE_US_ORDER ? 'us-order' : 'unreadable' };
  return { day: Math.floor(ms / MS_PER_DAY), how: 'text' };
}
