/**
 * National reference distributions for the representativeness check: who is
 * in children's social care in England. Built in as constants (no network);
 * the UI lets the analyst edit them. Shares are of children whose value is
 * known, so they sum to 1.
 */
import { ethnicityMajorGroup } from '../fairness/groups.ts';

export interface ReferenceDistribution {
  /** What the figures describe, for a person. */
  label: string;
  /** Where the figures come from. */
  source: string;
  /** Group -> share (0-1). Groups are those of normaliseGroup(). */
  shares: Record<string, number>;
}

export type ReferenceAttribute = 'gender' | 'ageBand' | 'ethnicity' | 'disability';
export type ReferenceDistributions = Partial<Record<ReferenceAttribute, ReferenceDistribution>>;

const share = (counts: Record<string, number>): Record<string, number> => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
};

export const NATIONAL_REFERENCE: ReferenceDistributions = {
  gender: {
    label: 'Children in need at 31 March 2020, England, by gender (unborn and unknown left out)',
    // Figures as given in the shared Annex A notes (national_stats_england.cin_characteristics).
    source: 'DfE Characteristics of children in need 2020 (male 209,430; female 172,030)',
    shares: share({ Male: 209430, Female: 172030 }),
  },
  ethnicity: {
    label: 'Children in need at 31 March 2020, England, by major ethnic group (where known)',
    // Figures as given in the shared Annex A notes, where the Asian/Black split follows DfE column order and is marked unverified.
    source: 'DfE Characteristics of children in need 2020, table A4 (White 268,070; Mixed 32,940; Asian 27,650; Black 32,260; Other 12,870 of 373,790 known); the split between Asian and Black is not verified',
    shares: share({ White: 268070, Mixed: 32940, Asian: 27650, Black: 32260, Other: 12870 }),
  },
  disability: {
    label: 'Children in need at 31 March 2020, England, with a disability recorded',
    source: 'DfE Characteristics of children in need 2020: 12.6% with a disability recorded',
    shares: { Yes: 0.126, No: 0.874 },
  },
  ageBand: {
    label: 'Children in need at 31 March, England, by age (approximate)',
    source: 'Approximate shares from DfE Characteristics of children in need (age at 31 March); check them against the current release before relying on them',
    shares: { 'Under 1': 0.05, '1-4': 0.16, '5-9': 0.24, '10-15': 0.38, '16+': 0.17 },
  },
};

/** Strip an Annex A letter prefix such as `a) ` and surrounding spaces. */
export function stripLetterPrefix(s: string): string {
  return s.trim().replace(/^[a-z]{1,2}\)\s*/i, '').trim();
}

/**
 * The reference group of a value, or null when unknown / not stated. Gender
 * accepts Male/Female/M/F/1/2 (CIN census codes); ethnicity accepts DfE codes
 * (WBRI...) and words; disability accepts yes/no forms.
 */
export function normaliseGroup(attribute: ReferenceAttribute, value: string | null): string | null {
  if (value === null) return null;
  const v = stripLetterPrefix(value);
  const low = v.toLowerCase();
  if (attribute === 'gender') {
    if (low === 'male' || low === 'm' || low === '1' || low === 'boy') return 'Male';
    if (low === 'female' || low === 'f' || low === '2' || low === 'girl') return 'Female';
    return null;
  }
  if (attribute === 'ethnicity') {
    // One rule for ethnicity everywhere: the audit's (DfE codes, words, COMPAS's "Caucasian").
    const major = ethnicityMajorGroup(value);
    return major === null || major === 'Unknown' ? null : major;
  }
  if (attribute === 'disability') {
    if (/^(y|yes|true|1|disabled)$/.test(low)) return 'Yes';
    if (/^(n|no|false|0|none|not disabled)$/.test(low)) return 'No';
    return null;
  }
  // ageBand: a number of years.
  const x = Number(v);
  if (v === '' || !Number.isFinite(x) || x < 0) return null;
  return ageBand(x);
}

export function ageBand(years: number): string {
  return years < 1 ? 'Under 1' : years < 5 ? '1-4' : years < 10 ? '5-9' : years < 16 ? '10-15' : '16+';
}

/** Which reference attribute a column name suggests. */
export function attributeOfColumn(name: string): ReferenceAttribute | null {
  if (/gender|\bsex\b/i.test(name)) return 'gender';
  if (/ethnic|\brace\b/i.test(name)) return 'ethnicity';
  if (/disab/i.test(name)) return 'disability';
  if (/\bage\b/i.test(name)) return 'ageBand';
  return null;
}
