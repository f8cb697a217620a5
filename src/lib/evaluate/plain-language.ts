/**
 * Plain-language sentences from an operating point, as natural frequencies ("about 6 in 10"),
 * for families, practitioners and councillors. DESIGN.md: "false alarms" = 1 − precision,
 * "children missed" = FNR.
 *
 * Honest rounding:
 * - The denominator is coarse enough not to claim more precision than the data hold: 5 when
 *   the 95% interval is at least 0.2 wide (and the rate sits within 0.05 of a fifth), otherwise
 *   10; 100 (then 1,000) only when tenths would round a rate that is neither 0 nor 1 to 0 or
 *   to all, so a rare event is never reported as "none".
 * - The count is the nearest whole number; the interval bounds are rounded to the nearest on
 *   the same denominator and always said ("between 5 and 7 in 10").
 * - A rate that is exactly 0 or 1 is said as "none" / "all"; a rate too small to show even in
 *   1,000 is "fewer than 1 in 1,000".
 */
import type { Estimate, OperatingPointResult } from '../bundle/schema.ts';

export interface Wording {
  /** What the outcome is, after "did not": default "go on to need a plan". */
  outcome?: string;
  /** Who is counted: default "children". */
  noun?: string;
}

export interface NaturalFrequency {
  /** Rounded count per `denominator`. */
  count: number;
  denominator: number;
  /** Interval bounds on the same denominator (null when there is no interval). */
  lo: number | null;
  hi: number | null;
  /** The rate is too small to show in 1,000 without rounding to 0. */
  belowResolution: boolean;
}

const DENOMINATORS_FOR_RARE = [100, 1000];

/** The natural frequency of a rate in [0, 1] with its optional interval. */
export function naturalFrequency(p: number, lo: number | null = null, hi: number | null = null): NaturalFrequency {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`rate outside [0, 1]: ${p}`);
  const interval = lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi);
  let d = 10;
  if (interval && hi! - lo! >= 0.2 && Math.abs(5 * p - Math.round(5 * p)) <= 0.25) d = 5;
  let belowResolution = false;
  const extreme = (den: number) => p > 0 && p < 1 && (Math.round(p * den) === 0 || Math.round(p * den) === den);
  if (extreme(d)) {
    for (const den of DENOMINATORS_FOR_RARE) {
      d = den;
      if (!extreme(den)) break;
    }
    belowResolution = extreme(d);
  }
  const round = (x: number) => Math.round(x * d + 1e-9);
  let count = round(p);
  if (belowResolution) count = p < 0.5 ? 0 : d;
  return {
    count,
    denominator: d,
    lo: interval ? round(lo!) : null,
    hi: interval ? round(hi!) : null,
    belowResolution,
  };
}

const num = (x: number) => x.toLocaleString('en-GB');

/** "between 5 and 7 in 10" (or "rounding to 6 in 10 at both ends" when both bounds round alike). */
export function intervalInWords(f: NaturalFrequency): string | null {
  if (f.lo === null || f.hi === null) return null;
  if (f.lo === f.hi) return `rounding to ${num(f.lo)} in ${num(f.denominator)} at both ends`;
  return `between ${num(f.lo)} and ${num(f.hi)} in ${num(f.denominator)}`;
}

/** "about 6", "fewer than 1", "none", "all". */
function amount(p: number, f: NaturalFrequency): string {
  if (p === 0) return 'none';
  if (p === 1) return 'all';
  if (f.belowResolution) return f.count === 0 ? 'fewer than 1' : `more than ${num(f.denominator - 1)}`;
  return `about ${num(f.count)}`;
}

function clause(label: string, f: NaturalFrequency): string {
  const words = intervalInWords(f);
  return words ? `${label}; 95% interval ${words}` : label;
}

const complement = (e: Estimate | undefined): [number | null, number | null] =>
  e && e.lo !== null && e.hi !== null ? [1 - e.hi, 1 - e.lo] : [null, null];

/** "Of every 10 children the model flags, about 6 did not go on to need a plan (false alarms;
 *  95% interval between 5 and 7 in 10)." */
export function falseAlarmSentence(op: OperatingPointResult, wording: Wording = {}): string {
  const noun = wording.noun ?? 'children';
  const outcome = wording.outcome ?? 'go on to need a plan';
  if (op.precision === null || op.precision === undefined) {
    return `The model flags no ${noun} at this setting, so there are no false alarms to count.`;
  }
  const p = 1 - op.precision;
  const [lo, hi] = complement(op.intervals?.precision);
  const f = naturalFrequency(p, lo, hi);
  if (p === 0) return `Of every ${num(f.denominator)} ${noun} the model flags, all did ${outcome} (${clause('no false alarms', f)}).`;
  return `Of every ${num(f.denominator)} ${noun} the model flags, ${amount(p, f)} did not ${outcome} (${clause('false alarms', f)}).`;
}

/** "Of every 5 children who did go on to need a plan, about 4 were not flagged (missed; ...)."
 *  With `short`, "who did" (for use straight after the false-alarm sentence). */
export function missedSentence(op: OperatingPointResult, wording: Wording = {}, short = false): string {
  const noun = wording.noun ?? 'children';
  const outcome = wording.outcome ?? 'go on to need a plan';
  if (op.fnr === null || op.fnr === undefined) {
    return `No ${noun} in these data went on to ${outcome.replace(/^go on to /, '')}, so none could be missed.`;
  }
  const p = op.fnr;
  const e = op.intervals?.fnr;
  const f = naturalFrequency(p, e?.lo ?? null, e?.hi ?? null);
  const who = short ? 'who did' : `who did ${outcome}`;
  if (p === 0) return `Of every ${num(f.denominator)} ${noun} ${who}, all were flagged (${clause('none missed', f)}).`;
  return `Of every ${num(f.denominator)} ${noun} ${who}, ${amount(p, f)} ${f.count === 1 && !f.belowResolution ? 'was' : 'were'} not flagged (${clause('missed', f)}).`;
}

/** "The model flags about 1 in 10 children (95% interval ...)." */
export function flaggedSentence(op: OperatingPointResult, wording: Wording = {}): string | null {
  const noun = wording.noun ?? 'children';
  const p = op.flaggedRate;
  if (p === null || p === undefined) return null;
  const e = op.intervals?.flaggedRate;
  const f = naturalFrequency(p, e?.lo ?? null, e?.hi ?? null);
  const words = intervalInWords(f);
  return `The model flags ${amount(p, f)} in ${num(f.denominator)} ${noun}${words ? ` (95% interval ${words})` : ''}.`;
}

/** The two headline sentences: false alarms, then children missed. */
export function plainLanguage(op: OperatingPointResult, wording: Wording = {}): { falseAlarms: string; missed: string; text: string } {
  const falseAlarms = falseAlarmSentence(op, wording);
  const flagsSome = op.precision !== null && op.precision !== undefined;
  const missed = missedSentence(op, wording, flagsSome);
  return { falseAlarms, missed, text: `${falseAlarms} ${missed}` };
}
