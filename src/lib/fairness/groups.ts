/**
 * Building the group vectors a subgroup audit runs over: raw columns, age bands,
 * ethnicity (detailed DfE code or major group), intersections of two attributes,
 * and the small-cell flag. Every row lands in exactly one group: missing values
 * form their own group ("Missing") and unrecognised labels their own
 * ("Unrecognised"), so nothing is silently dropped from an audit.
 */
import { MINIMUMS } from '../evaluate/minimums.ts';

/** The group for rows whose value is missing (null, undefined or blank). */
export const MISSING_GROUP = 'Missing';
/** The major ethnic group for labels that could not be read as any known code or name. */
export const UNRECOGNISED_GROUP = 'Unrecognised';

/** One attribute as integer codes: `codes[i]` indexes `levels`; every row has a level. */
export interface GroupVector {
  attribute: string;
  /** Int32Array (n): index into `levels`. */
  codes: Int32Array;
  /** Group names in first-seen order (missing values as MISSING_GROUP). */
  levels: string[];
  /** Rows per level, parallel to `levels`. */
  counts: number[];
}

function isBlank(v: string | null | undefined): v is null | undefined | '' {
  return v === null || v === undefined || v.trim() === '';
}

/** Group codes for one attribute from its values (n); blanks become MISSING_GROUP. Labels are trimmed. */
export function groupVector(attribute: string, values: ArrayLike<string | null | undefined>): GroupVector {
  const index = new Map<string, number>();
  const levels: string[] = [];
  const counts: number[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const label = isBlank(raw) ? MISSING_GROUP : raw.trim();
    let k = index.get(label);
    if (k === undefined) {
      k = levels.length;
      levels.push(label);
      counts.push(0);
      index.set(label, k);
    }
    codes[i] = k;
    counts[k]++;
  }
  return { attribute, codes, levels, counts };
}

// ---------------------------------------------------------------- age bands

/** Lower edges (years) of the bands after the first: under 1, 1-4, 5-9, 10-15, 16+ (DfE statistics). */
export const DEFAULT_AGE_EDGES: readonly number[] = [1, 5, 10, 16];

function checkEdges(edges: readonly number[]): void {
  if (edges.length === 0) throw new Error('invalid age bands: at least one edge is needed');
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]) || edges[i] <= 0) throw new Error(`invalid age band edge: ${edges[i]}`);
    if (i > 0 && edges[i] <= edges[i - 1]) throw new Error(`invalid age bands: edges must increase (${edges.join(', ')})`);
  }
}

function formatAge(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

/**
 * Band names for `edges` in order. Bands are [edge_k, edge_{k+1}); with whole-year
 * edges the upper end is printed inclusively as national statistics print it ("1-4"
 * holds every age from 1 up to but not including 5).
 */
export function ageBandLabels(edges: readonly number[] = DEFAULT_AGE_EDGES): string[] {
  checkEdges(edges);
  const out = [`under ${formatAge(edges[0])}`];
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k];
    const hi = edges[k + 1];
    const upper = Number.isInteger(lo) && Number.isInteger(hi) ? formatAge(hi - 1) : `<${formatAge(hi)}`;
    out.push(Number.isInteger(lo) && Number.isInteger(hi) && hi - 1 === lo ? formatAge(lo) : `${formatAge(lo)}-${upper}`);
  }
  out.push(`${formatAge(edges[edges.length - 1])}+`);
  return out;
}

/** Parses "1,5,10,16" into edges, or throws a terse Error naming the bad part. */
export function parseAgeEdges(text: string): number[] {
  const edges = text.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  checkEdges(edges);
  return edges;
}

/**
 * Age bands (n) for ages in years; null where the age is missing (NaN) or impossible
 * (negative), each counted so the caller can say how many were affected.
 */
export function ageBands(
  ages: ArrayLike<number>,
  edges: readonly number[] = DEFAULT_AGE_EDGES,
): { values: (string | null)[]; missing: number; invalid: number } {
  const labels = ageBandLabels(edges);
  const values = new Array<string | null>(ages.length);
  let missing = 0;
  let invalid = 0;
  for (let i = 0; i < ages.length; i++) {
    const a = ages[i];
    if (Number.isNaN(a)) {
      values[i] = null;
      missing++;
      continue;
    }
    if (a < 0 || !Number.isFinite(a)) {
      values[i] = null;
      invalid++;
      continue;
    }
    let k = 0;
    while (k < edges.length && a >= edges[k]) k++;
    values[i] = labels[k];
  }
  return { values, missing, invalid };
}

// ---------------------------------------------------------------- ethnicity

export type MajorEthnicGroup = 'White' | 'Mixed' | 'Asian' | 'Black' | 'Other' | 'Unknown';
export const MAJOR_ETHNIC_GROUPS: readonly MajorEthnicGroup[] = ['White', 'Mixed', 'Asian', 'Black', 'Other', 'Unknown'];

/**
 * DfE ethnicity codes (CIN census / SSDA903 main codes, then the extended codes some
 * councils record) with their major group. Extended codes keep the first letter of their
 * main code's group except Chinese (C...), which national statistics count under Other.
 */
const ETHNICITY_CODES: Record<string, MajorEthnicGroup> = (() => {
  const byGroup: Record<MajorEthnicGroup, string[]> = {
    White: ['WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM',
      'WENG', 'WSCO', 'WWEL', 'WCOR', 'WOWB', 'WALB', 'WBOS', 'WCRO', 'WGRE', 'WGRC', 'WKOS', 'WPOR', 'WSER',
      'WTUR', 'WTUC', 'WTUK', 'WGRK', 'WEUR', 'WEEU', 'WWEU', 'WOTW', 'WIRL', 'WNIR', 'WGYP', 'WITA', 'WPOL', 'WLIT', 'WLAT', 'WRUS', 'WUKR'],
    Mixed: ['MWBC', 'MWBA', 'MWAS', 'MOTH', 'MAOE', 'MABL', 'MACH', 'MBOE', 'MCOE', 'MWOE', 'MIWB', 'MWCH', 'MOTM', 'MBCH', 'MWAI', 'MWAO', 'MWAP'],
    Asian: ['AIND', 'APKN', 'ABAN', 'AOTH', 'AMPK', 'AKPA', 'AOPK', 'ANEP', 'ASNL', 'ASLT', 'ASRO', 'AOTA', 'AAFR', 'ACHN', 'AKAO'],
    Black: ['BCRB', 'BAFR', 'BOTH', 'BANN', 'BCON', 'BGHA', 'BNGN', 'BSLN', 'BSOM', 'BSUD', 'BAOF', 'BOTB', 'BEUR', 'BNAF', 'BNAM'],
    Other: ['CHNE', 'OOTH', 'CHKC', 'CMAL', 'CSNG', 'CTWN', 'COCH', 'OAFG', 'OARA', 'OEGY', 'OFIL', 'OIRN', 'OIRQ', 'OJPN',
      'OKOR', 'OKRD', 'OLAM', 'OLEB', 'OLIB', 'OMAL', 'OMRC', 'OPOL', 'OTHR', 'OVIE', 'OYEM', 'OOEG', 'OTHA'],
    Unknown: ['REFU', 'NOBT'],
  };
  const out: Record<string, MajorEthnicGroup> = {};
  for (const g of MAJOR_ETHNIC_GROUPS) for (const c of byGroup[g]) out[c] = g;
  return out;
})();

/** Strips a template letter ("a) ", "b. ") and surrounding space. */
function stripLetter(label: string): string {
  return label.trim().replace(/^\(?[a-z]\s*[).]\s*/i, '').trim();
}

/**
 * The DfE ethnicity code in a label ("WBRI", "a) WBRI", "WBRI - White British",
 * "White - British [WBRI]"), upper-cased; null when there is none.
 */
export function ethnicityCode(label: string | null | undefined): string | null {
  if (isBlank(label)) return null;
  const text = stripLetter(label);
  for (const m of text.matchAll(/[A-Za-z]{4}/g)) {
    const start = m.index ?? 0;
    const before = start > 0 ? text[start - 1] : ' ';
    const after = text[start + 4] ?? ' ';
    // Only a whole 4-letter word: "ABAN" in "ABANDONED" is not a code.
    if (/[A-Za-z]/.test(before) || /[A-Za-z]/.test(after)) continue;
    const code = m[0].toUpperCase();
    // A lower-case word is a code only when the whole label is that word ("wbri"); "roma" or "arab" in a sentence are words.
    if (m[0] !== code && text.length !== 4) continue;
    if (code in ETHNICITY_CODES) return code;
  }
  return null;
}

const UNKNOWN_WORDS = /\b(refused|not obtained|not yet obtained|not known|not yet known|unknown|not stated|not recorded|not given|declined|prefer(s|red)? not|not (wish|want)|did not wish|would not say|not disclosed|not declared|not divulged|not asked|not populated|no data|no information|unable to provide|information not yet|unborn)\b/;
const MIXED_WORDS = /\b(mixed|dual|dual heritage|multiple ethnic|multi[- ]?racial|multi[- ]?ethnic|bi[- ]?racial)\b/;
/** Two groups joined ("White & Black Caribbean", "Asian and Chinese", "Black and any other"): a mixed background. */
const JOINED = /\b(white|black|asian|chinese|indian|pakistani|bangladeshi)(\s+(african|caribbean))?\s*(&|\+|\band\b)\s*(any other|other|white|black|asian|chinese|indian|pakistani|bangladeshi)\b/;
/** Single-group keywords; the one appearing first in the label wins ("Asian - African Asian" is Asian). */
const GROUP_WORDS: [MajorEthnicGroup, RegExp][] = [
  ['Other', /\b(chinese)\b/],
  ['Black', /\b(black|caribbean|african|somali|somalian|nigerian|ghanaian|congolese|sudanese|eritrean|sierra leonean|jamaican)\b/],
  ['Asian', /\b(asian|indian|pakistani|bangladeshi|sri lankan|nepali|nepalese|kashmiri|tamil|sikh|punjabi|mauritian)\b/],
  ['Other', /\b(hispanic|native american|arab|arabic|other ethnic|any other ethnic|latin|south american|central american|filipino|vietnamese|japanese|korean|iranian|iraqi|kurdish|afghan|afghani|yemeni|egyptian|lebanese|moroccan|libyan|syrian|malay|malaysian|thai|taiwanese|polynesian)\b/],
  ['White', /\b(white|caucasian|english|scottish|welsh|irish|cornish|gypsy|roma|romany|traveller|european|polish|albanian|greek|portuguese|romanian|lithuanian|latvian|bulgarian|italian|spanish|french|german|kosovan|croatian|bosnian|serbian|turkish|cypriot|jewish)\b/],
];

function firstGroupWord(text: string): MajorEthnicGroup | null {
  let best: MajorEthnicGroup | null = null;
  let bestAt = Infinity;
  for (const [group, pattern] of GROUP_WORDS) {
    const m = pattern.exec(text);
    if (m && m.index < bestAt) {
      best = group;
      bestAt = m.index;
    }
  }
  return best;
}

/**
 * The major ethnic group (as national statistics group it) for a code or label;
 * 'Unknown' for a blank; null when the label is neither a known code nor a recognisable name.
 * Names are read by keyword: "not obtained"-like phrases are Unknown; "mixed"/"dual" or two
 * groups joined by "and"/"&" are Mixed ("Mixed Black" and "Mixed white" name a single group);
 * "any other White background" is White; otherwise the first group word in the label decides.
 */
export function ethnicityMajorGroup(label: string | null | undefined): MajorEthnicGroup | null {
  if (isBlank(label)) return 'Unknown';
  const code = ethnicityCode(label);
  if (code !== null) return ETHNICITY_CODES[code];
  let text = stripLetter(label).toLowerCase();
  const major = MAJOR_ETHNIC_GROUPS.find((g) => g.toLowerCase() === text);
  if (major) return major;
  if (UNKNOWN_WORDS.test(text.replace(/part not stated/g, ''))) return 'Unknown';
  const single = /\bmixed (white|black|asian)\b(?!\s*(&|\+|and\b))/.exec(text);
  if (single) return (single[1][0].toUpperCase() + single[1].slice(1)) as MajorEthnicGroup;
  text = text.replace(/european mixed/g, 'european').replace(/\b(any )?other (white|black|asian)\b/g, '$2');
  if (MIXED_WORDS.test(text) || JOINED.test(text)) return 'Mixed';
  const group = firstGroupWord(text);
  if (group) return group;
  // "British" alone is how many White British children are recorded; after any other group word.
  if (/\bbritish\b/.test(text)) return 'White';
  if (/\bother\b/.test(text)) return 'Other';
  return null;
}

/**
 * Ethnicity values (n) at the chosen level: 'major' gives the six major groups
 * (UNRECOGNISED_GROUP where a label could not be read); 'detailed' gives the DfE code
 * where one can be read, otherwise the trimmed label itself. Blanks stay null (-> Missing).
 * `unrecognised` counts each label that could not be read (a Map: labels are data, never object keys).
 */
export function ethnicityGroups(
  labels: ArrayLike<string | null | undefined>,
  level: 'major' | 'detailed' = 'major',
): { values: (string | null)[]; unrecognised: Map<string, number> } {
  const values = new Array<string | null>(labels.length);
  const unrecognised = new Map<string, number>();
  const count = (label: string) => unrecognised.set(label, (unrecognised.get(label) ?? 0) + 1);
  for (let i = 0; i < labels.length; i++) {
    const raw = labels[i];
    if (isBlank(raw)) {
      values[i] = null;
      continue;
    }
    if (level === 'detailed') {
      const code = ethnicityCode(raw);
      values[i] = code ?? raw.trim();
      if (code === null) count(raw.trim());
    } else {
      const g = ethnicityMajorGroup(raw);
      values[i] = g ?? UNRECOGNISED_GROUP;
      if (g === null) count(raw.trim());
    }
  }
  return { values, unrecognised };
}

// ---------------------------------------------------------------- intersections

/** The separator in intersection group names, e.g. "Black × Female". */
export const INTERSECTION_SEPARATOR = ' × ';

/** Intersection values (n) of two attributes; a missing side reads as MISSING_GROUP, never dropped. */
export function intersectionValues(
  a: ArrayLike<string | null | undefined>,
  b: ArrayLike<string | null | undefined>,
): string[] {
  if (a.length !== b.length) throw new Error(`intersection of columns of different lengths: ${a.length} and ${b.length}`);
  const out = new Array<string>(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    out[i] = `${isBlank(x) ? MISSING_GROUP : x.trim()}${INTERSECTION_SEPARATOR}${isBlank(y) ? MISSING_GROUP : y.trim()}`;
  }
  return out;
}

// ---------------------------------------------------------------- small cells

export interface SmallCellRule {
  minPositives: number;
  minNegatives: number;
  minN: number;
}
export const DEFAULT_SMALL_CELL: SmallCellRule = { minPositives: MINIMUMS.rankingPositives, minNegatives: MINIMUMS.rankingNegatives, minN: MINIMUMS.smallGroupCases };

/** true when a group is too small for its rates to mean much: flagged in the report, never hidden. */
export function isSmallGroup(n: number, positives: number, rule: SmallCellRule = DEFAULT_SMALL_CELL): boolean {
  return positives < rule.minPositives || n - positives < rule.minNegatives || n < rule.minN;
}
