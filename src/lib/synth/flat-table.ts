/**
 * Reading flat-table rows off simulated histories, and building them into Arrow columns
 * directly from typed arrays (row objects would be too slow at a million rows).
 */
import {
  Data, DateMillisecond, Dictionary, Field, Float64, Int32, RecordBatch, Schema, Struct, Table, Utf8, Vector, makeData,
} from 'apache-arrow';
import { rng as makeRng, type Rng } from '../random.ts';
import { ETHNICITIES, ETHNICITY_GROUP_LEVELS, GENDER_LEVELS, SOURCES } from '../annex-a/codes.ts';
import { addMonths, ageInYears, msOfDay } from '../annex-a/dates.ts';
import { FACTOR_COLUMNS, FLAT_COLUMNS, type FlatColumn } from './flat-columns.ts';
import { noteFor } from './notes.ts';
import type { Child } from './simulate.ts';

// Dictionaries are module constants with fixed ids, so that every batch of a streamed output
// shares them and an IPC writer sends each dictionary once.
const DICTIONARY_LEVELS: Partial<Record<FlatColumn, readonly string[]>> = {
  gender: GENDER_LEVELS,
  ethnicity: ETHNICITIES.map((e) => e.code),
  ethnicity_group: ETHNICITY_GROUP_LEVELS,
  disability: ['Yes', 'No'],
  referral_source: SOURCES.map((s) => s.code),
};

function utf8Data(values: readonly (string | null)[]): Data<Utf8> {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) nulls++;
    else {
      validity[i >> 3] |= 1 << (i & 7);
      chars += v.length;
    }
    offsets[i + 1] = chars;
  }
  // One encode of the joined text instead of one per string: when it is all ASCII (ids, codes,
  // notes) the byte offsets are the character offsets.
  let bytes = ENCODER.encode(values.join(''));
  if (bytes.length !== chars) {
    const parts = values.map((v) => (v === null ? EMPTY : ENCODER.encode(v)));
    let total = 0;
    for (let i = 0; i < n; i++) offsets[i + 1] = total += parts[i].length;
    bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) bytes.set(parts[i], offsets[i]);
  }
  return makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap: nulls ? validity : null, valueOffsets: offsets, data: bytes });
}
const ENCODER = new TextEncoder();
const EMPTY = new Uint8Array(0);

const DICT_TYPES = new Map<FlatColumn, Dictionary<Utf8, Int32>>();
const DICT_DATA = new Map<FlatColumn, Vector<Utf8>>();
FLAT_COLUMNS.forEach((name, id) => {
  const levels = DICTIONARY_LEVELS[name];
  if (!levels) return;
  DICT_TYPES.set(name, new Dictionary(new Utf8(), new Int32(), id, false));
  DICT_DATA.set(name, new Vector([utf8Data(levels)]));
});

function columnType(name: FlatColumn) {
  if (DICT_TYPES.has(name)) return DICT_TYPES.get(name)!;
  if (name === 'child_id' || name === 'referral_id' || name === 'note') return new Utf8();
  if (name === 'referral_date') return new DateMillisecond();
  return new Float64();
}

export const FLAT_SCHEMA = new Schema(FLAT_COLUMNS.map((name) => new Field(name, columnType(name), true)));

function validityOf(isValid: (i: number) => boolean, n: number): { bitmap: Uint8Array | null; nulls: number } {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) bitmap[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap: nulls ? bitmap : null, nulls };
}

/** Columnar rows of the flat table plus the truth for each row, grown row by row. */
export class FlatRows {
  length = 0;
  childId: string[] = [];
  referralId: string[] = [];
  note: (string | null)[] = [];
  /** Categorical codes, -1 = null. */
  cat: Record<'gender' | 'ethnicity' | 'ethnicity_group' | 'disability' | 'referral_source', Int32Array>;
  num: Record<string, Float64Array>;
  date: Float64Array;
  risk: Float64Array;
  need: Uint8Array;
  deprivation: Float64Array;
  trueGroup: string[] = [];

  constructor(readonly capacity: number) {
    const c = capacity;
    this.cat = { gender: new Int32Array(c), ethnicity: new Int32Array(c), ethnicity_group: new Int32Array(c), disability: new Int32Array(c), referral_source: new Int32Array(c) };
    this.num = {};
    for (const name of FLAT_COLUMNS) if (columnType(name) instanceof Float64) this.num[name] = new Float64Array(c);
    this.date = new Float64Array(c);
    this.risk = new Float64Array(c);
    this.need = new Uint8Array(c);
    this.deprivation = new Float64Array(c);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Rows 0..n-1 as an Arrow table (column storage per src/lib/data/schema.ts). */
  toTable(n = this.length): Table {
    const children: Data[] = FLAT_COLUMNS.map((name) => {
      if (name === 'child_id') return utf8Data(this.childId.slice(0, n));
      if (name === 'referral_id') return utf8Data(this.referralId.slice(0, n));
      if (name === 'note') return utf8Data(this.note.slice(0, n));
      if (name === 'referral_date') {
        const values = new BigInt64Array(n);
        for (let i = 0; i < n; i++) values[i] = BigInt(this.date[i]);
        return makeData({ type: new DateMillisecond(), length: n, nullCount: 0, data: values });
      }
      const dictType = DICT_TYPES.get(name);
      if (dictType) {
        const codes = this.cat[name as keyof FlatRows['cat']].slice(0, n);
        const { bitmap, nulls } = validityOf((i) => codes[i] >= 0, n);
        for (let i = 0; i < n; i++) if (codes[i] < 0) codes[i] = 0;
        return makeData({ type: dictType, length: n, nullCount: nulls, nullBitmap: bitmap, data: codes, dictionary: DICT_DATA.get(name)! });
      }
      const values = this.num[name].slice(0, n);
      const { bitmap, nulls } = validityOf((i) => !Number.isNaN(values[i]), n);
      return makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: bitmap, data: values });
    });
    const struct = makeData({ type: new Struct(FLAT_SCHEMA.fields), length: n, nullCount: 0, children });
    return new Table([new RecordBatch(FLAT_SCHEMA, struct)]);
  }
}

const GENDER_CODE: Record<string, number> = Object.fromEntries(GENDER_LEVELS.map((g, i) => [g, i]));
const GROUP_CODE: Record<string, number> = Object.fromEntries(ETHNICITY_GROUP_LEVELS.map((g, i) => [g, i]));

/** Counts for the truth: referrals simulated, and those left out because their window is incomplete. */
export interface RowCounts {
  children: number;
  referrals: number;
  incompleteWindow: number;
}

/**
 * Append the child's referrals with a complete outcome window to `rows` (stopping when full).
 * Returns how many referrals were left out for an incomplete window.
 */
export function appendFlatRows(rows: FlatRows, child: Child, lastComplete: number, noteRng: Rng, textMode: 'signal' | 'repeat' | 'none'): number {
  const refs = child.referrals;
  // event start dates the prior counts and the outcome are read from
  const assessments: number[] = [], s47s: number[] = [], plans: number[] = [], cares: number[] = [];
  const contacts = child.contacts.map((c) => c.date);
  for (const r of refs) {
    if (r.assessment) assessments.push(r.assessment.start);
    if (r.s47) s47s.push(r.s47.start);
    if (r.cp) plans.push(r.cp.start);
    if (r.cla) cares.push(r.cla.start);
  }
  const before = (xs: number[], d: number): number => {
    let k = 0;
    for (const x of xs) if (x < d) k++;
    return k;
  };
  const ethRec = child.ethnicityRecorded;
  const ethCode = ethRec;
  const groupCode = ethRec < 0 ? GROUP_CODE.Unknown : GROUP_CODE[ETHNICITIES[ethRec].group];
  let incomplete = 0;
  for (let k = 0; k < refs.length; k++) {
    const r = refs[k];
    if (r.date > lastComplete) {
      incomplete++;
      continue;
    }
    // callers size the buffer for a whole child beyond what they need, so this is a bug if ever reached
    if (rows.full) throw new Error('flat row buffer overflow');
    const i = rows.length++;
    const d = r.date;
    const windowEnd = addMonths(d, 12);
    let outcome = 0;
    for (const x of plans) if (x > d && x <= windowEnd) outcome = 1;
    for (const x of cares) if (x > d && x <= windowEnd) outcome = 1;
    const age = child.dobBlank ? null : ageInYears(child.dob, d);
    const assessed = r.assessment !== null;
    const factors = assessed ? r.factors : 0;
    rows.childId.push(child.id);
    rows.referralId.push(`${child.id}-${r.ordinal}`);
    rows.date[i] = msOfDay(d);
    rows.cat.gender[i] = GENDER_CODE[child.gender];
    rows.cat.ethnicity[i] = ethCode;
    rows.cat.ethnicity_group[i] = groupCode;
    rows.cat.disability[i] = child.disabilityFrom <= d ? 0 : 1;
    rows.cat.referral_source[i] = r.source;
    const num = rows.num;
    num.age_at_referral[i] = age === null ? NaN : age;
    num.prev_contacts[i] = before(contacts, d);
    num.prev_referrals[i] = k;
    num.prev_assessments[i] = before(assessments, d);
    num.prev_s47[i] = before(s47s, d);
    num.prev_cp_plans[i] = before(plans, d);
    num.prev_cla_episodes[i] = before(cares, d);
    num.days_since_prev_referral[i] = k > 0 ? d - refs[k - 1].date : NaN;
    num.deprivation_decile[i] = child.decile;
    for (let f = 0; f < FACTOR_COLUMNS.length; f++) num[FACTOR_COLUMNS[f]][i] = factors & (1 << f) ? 1 : 0;
    num.outcome[i] = outcome;
    rows.note.push(noteFor(noteRng, textMode, r.source, factors, age, k, child.hidden));
    rows.risk[i] = r.risk;
    rows.need[i] = r.need;
    rows.deprivation[i] = child.deprivation;
    rows.trueGroup.push(child.group);
  }
  return incomplete;
}

/** A separate stream for note wording, so the text mode never changes the structured columns. */
export function noteRngFor(seed: number): Rng {
  return makeRng((Math.trunc(seed) ^ 0x5bd1e995) | 0);
}
