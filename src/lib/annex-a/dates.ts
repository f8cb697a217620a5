/**
 * Calendar arithmetic on whole days since 1970-01-01 (UTC). The Annex A importer and the
 * synthetic generator keep every date as such a day number so that dates are exact integers
 * and compare with `<`.
 */
const MS_PER_DAY = 86_400_000;

/** Day number of a UTC calendar date. */
export function dayOf(year: number, month1: number, day: number): number {
  return Math.round(Date.UTC(year, month1 - 1, day) / MS_PER_DAY);
}

/** Day number of `yyyy-mm-dd`, or NaN when it is not a real calendar date. */
export function parseIsoDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return NaN;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const day = dayOf(y, mo, d);
  const back = new Date(day * MS_PER_DAY);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? day : NaN;
}

/** ms since epoch of a day number (Arrow DateMillisecond storage). */
export const msOfDay = (day: number): number => day * MS_PER_DAY;

/** Civil date of a day number without allocating a Date (H. Hinnant's civil_from_days). */
function ymd(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** `yyyy-mm-dd`. */
export function isoOfDay(day: number): string {
  const [y, m, d] = ymd(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** `dd/mm/yyyy`, the UK layout councils' CSV exports use. */
export function ukOfDay(day: number): string {
  const [y, m, d] = ymd(day);
  return `${pad2(d)}/${pad2(m)}/${y}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The same day-of-month `months` calendar months later, clamped to the month's last day
 * (31 Jan + 1 month = 28/29 Feb; 29 Feb + 12 months = 28 Feb), as pandas' DateOffset and
 * dateutil's relativedelta do.
 */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = ymd(day);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12; // 0-based
  const last = DAYS_IN_MONTH[tm] + (tm === 1 && (ty % 4 === 0 && (ty % 100 !== 0 || ty % 400 === 0)) ? 1 : 0);
  return dayOf(ty, tm + 1, Math.min(d, last));
}

/**
 * Whole years of age on `day` for someone born on `birth`: the difference of years, less one
 * when the birthday (month, day) has not yet come that year. A 29 February birthday therefore
 * counts from 1 March in common years.
 */
export function ageInYears(birth: number, day: number): number {
  const [by, bm, bd] = ymd(birth);
  const [y, m, d] = ymd(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Age in (fractional) years, as the "Age of Child (Years)" column shows it: days / 365.25. */
export function decimalAge(birth: number, day: number): number {
  return (day - birth) / 365.25;
}

/** Calendar year of a day number. */
export const yearOfDay = (day: number): number => ymd(day)[0];
