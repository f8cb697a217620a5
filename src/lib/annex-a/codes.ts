/**
 * Ofsted Annex A code sets: the template's lettered labels (../shared/data/annex-a/annexa-spec.json,
 * `code_sets`) that the importer reads, with England's published shares quoted in
 * ../shared/annex-a.md (DfE children in need statistics), which the synthetic generator draws from.
 */

/** Ethnicity major groups used in the flat table's `ethnicity_group`. */
export type EthnicGroup = 'White' | 'Mixed' | 'Asian' | 'Black' | 'Other';
export const ETHNIC_GROUPS: readonly EthnicGroup[] = ['White', 'Mixed', 'Asian', 'Black', 'Other'];
export const ETHNICITY_GROUP_LEVELS = ['White', 'Mixed', 'Asian', 'Black', 'Other', 'Unknown'] as const;

/** Children in need 2020 where ethnicity is known (annex-a.md): White 71.7%, Mixed 8.8%, Black 8.6%, Asian 7.4%, Other 3.4%. */
export const ETHNIC_GROUP_SHARES: Record<EthnicGroup, number> = { White: 0.717, Mixed: 0.088, Asian: 0.074, Black: 0.086, Other: 0.034 };

export interface EthnicityCode {
  code: string;
  label: string;
  group: EthnicGroup | 'Unknown';
  /** Share within its major group (an approximation of the CIN census mix). */
  within: number;
  description: string;
}

export const ETHNICITIES: readonly EthnicityCode[] = [
  { code: 'WBRI', label: 'a) WBRI', group: 'White', within: 0.82, description: 'White British' },
  { code: 'WIRI', label: 'b) WIRI', group: 'White', within: 0.01, description: 'White Irish' },
  { code: 'WIRT', label: 'c) WIRT', group: 'White', within: 0.01, description: 'Traveller of Irish heritage' },
  { code: 'WOTH', label: 'd) WOTH', group: 'White', within: 0.14, description: 'Any other White background' },
  { code: 'WROM', label: 'e) WROM', group: 'White', within: 0.02, description: 'Gypsy/Roma' },
  { code: 'MWBC', label: 'f) MWBC', group: 'Mixed', within: 0.35, description: 'White and Black Caribbean' },
  { code: 'MWBA', label: 'g) MWBA', group: 'Mixed', within: 0.12, description: 'White and Black African' },
  { code: 'MWAS', label: 'h) MWAS', group: 'Mixed', within: 0.15, description: 'White and Asian' },
  { code: 'MOTH', label: 'i) MOTH', group: 'Mixed', within: 0.38, description: 'Any other mixed background' },
  { code: 'AIND', label: 'j) AIND', group: 'Asian', within: 0.2, description: 'Indian' },
  { code: 'APKN', label: 'k) APKN', group: 'Asian', within: 0.4, description: 'Pakistani' },
  { code: 'ABAN', label: 'l) ABAN', group: 'Asian', within: 0.15, description: 'Bangladeshi' },
  { code: 'AOTH', label: 'm) AOTH', group: 'Asian', within: 0.25, description: 'Any other Asian background' },
  { code: 'BCRB', label: 'n) BCRB', group: 'Black', within: 0.25, description: 'Caribbean' },
  { code: 'BAFR', label: 'o) BAFR', group: 'Black', within: 0.55, description: 'African' },
  { code: 'BOTH', label: 'p) BOTH', group: 'Black', within: 0.2, description: 'Any other Black background' },
  { code: 'CHNE', label: 'q) CHNE', group: 'Other', within: 0.1, description: 'Chinese' },
  { code: 'OOTH', label: 'r) OOTH', group: 'Other', within: 0.9, description: 'Any other ethnic group' },
  { code: 'REFU', label: 's) REFU', group: 'Unknown', within: 0, description: 'Refused' },
  { code: 'NOBT', label: 't) NOBT', group: 'Unknown', within: 0, description: 'Information not yet obtained' },
];
export const ETHNICITY_INDEX: ReadonlyMap<string, number> = new Map(ETHNICITIES.map((e, i) => [e.code, i]));
export const NOBT = ETHNICITY_INDEX.get('NOBT')!;
export const REFU = ETHNICITY_INDEX.get('REFU')!;

export interface SourceCode {
  code: string;
  label: string;
  /** Share of all referrals (2020 national mix, split within a group by a plausible guess). */
  share: number;
}

// Group shares (annex-a.md): police 28.7, schools 18.2, health 15.0, LA services 14.1,
// individual 8.1, other 4.9, other legal agency 3.9, education services 2.1, anonymous 2.1,
// unknown 1.4, housing 1.3 (per cent of referrals, 2020).
export const SOURCES: readonly SourceCode[] = [
  { code: '1A', label: 'a) 1A: Individual', share: 8.1 * 0.6 },
  { code: '1B', label: 'b) 1B: Individual', share: 8.1 * 0.15 },
  { code: '1C', label: 'c) 1C: Individual', share: 8.1 * 0.1 },
  { code: '1D', label: 'd) 1D: Individual', share: 8.1 * 0.15 },
  { code: '2A', label: 'e) 2A: Schools', share: 18.2 },
  { code: '2B', label: 'f) 2B: Education services', share: 2.1 },
  { code: '3A', label: 'g) 3A: Health services', share: 15.0 * 0.2 },
  { code: '3B', label: 'h) 3B: Health services', share: 15.0 * 0.2 },
  { code: '3C', label: 'i) 3C: Health services', share: 15.0 * 0.05 },
  { code: '3D', label: 'j) 3D: Health services', share: 15.0 * 0.15 },
  { code: '3E', label: 'k) 3E: Health services', share: 15.0 * 0.25 },
  { code: '3F', label: 'l) 3F: Health services', share: 15.0 * 0.15 },
  { code: '4', label: 'm) 4: Housing', share: 1.3 },
  { code: '5A', label: 'n) 5A: LA services', share: 14.1 * 0.3 },
  { code: '5B', label: 'o) 5B: LA services', share: 14.1 * 0.25 },
  { code: '5C', label: 'p) 5C: LA services', share: 14.1 * 0.15 },
  { code: '5D', label: 'p1) 5D: LA services', share: 14.1 * 0.3 },
  { code: '6', label: 'q) 6: Police', share: 28.7 },
  { code: '7', label: 'r) 7: Other legal agency', share: 3.9 },
  { code: '8', label: 's) 8: Other', share: 4.9 },
  { code: '9', label: 't) 9: Anonymous', share: 2.1 },
  { code: '10', label: 'u) 10: Unknown', share: 1.4 },
];
export const SOURCE_INDEX: ReadonlyMap<string, number> = new Map(SOURCES.map((s, i) => [s.code, i]));
export const POLICE = SOURCE_INDEX.get('6')!;
export const SCHOOLS = SOURCE_INDEX.get('2A')!;

/** Major group of a referral source code, as the national statistics group them. */
export function sourceGroup(code: string): string {
  if (code.startsWith('1')) return code === '10' ? 'Unknown' : 'Individual';
  if (code === '2A') return 'Schools';
  if (code === '2B') return 'Education services';
  if (code.startsWith('3')) return 'Health services';
  if (code === '4') return 'Housing';
  if (code.startsWith('5')) return 'LA services';
  return { '6': 'Police', '7': 'Other legal agency', '8': 'Other', '9': 'Anonymous' }[code] ?? 'Unknown';
}

/** Flat-table gender levels; see flat-columns.ts for how Annex A labels map to them. */
export const GENDER_LEVELS = ['Male', 'Female', 'Neither', 'Unknown'] as const;
export type Gender = (typeof GENDER_LEVELS)[number];
export const GENDER_LABELS: Record<Gender, string> = {
  Male: 'a) Male',
  Female: 'b) Female',
  Unknown: 'c) Not stated/recorded',
  Neither: 'd) Neither',
};

export const YES = 'a) Yes';
export const NO = 'b) No';
export const UNKNOWN_YN = 'c) Unknown';

export const ABUSE_CATEGORIES = ['a) Neglect', 'b) Physical abuse', 'c) Sexual abuse', 'd) Emotional abuse', 'e) Multiple/not recommended'] as const;
export const PRIMARY_NEED = [
  'N1 - Abuse or neglect', 'N2 - Child\'s disability', 'N3 - Parental disability or illness', 'N4 - Family in acute stress',
  'N5 - Family dysfunction', 'N6 - Socially unacceptable behaviour', 'N7 - Low income', 'N8 - Absent parenting',
  'N9 - Cases other than children in need', 'N0 - Not stated',
] as const;
export const LEGAL_STATUS = ['C1: ICO', 'C2: FCO', 'E1: Placement order', 'V2: Single period under S20', 'L1: Police protection LA accommodation', 'L2: EPO'] as const;
export const PLACEMENT_TYPES = [
  'a) U1: Foster placement - relatives - long term', 'c) U3: Foster placement - relative - not FFA', 'd) U4: Foster placement - long term',
  'f) U6: Foster placement - not FFA', 'k) P1: Placed with parents', 'l) P2: Independent living', 'p) K2: Children\'s Homes',
] as const;
export const PLACEMENT_PROVIDERS = ['a) PR0: Parents/Parental responsibility', 'b) PR1: Own provision', 'c) PR2: Other LA provision', 'e) PR4: Private provision', 'f) PR5: Voluntary/third sector'] as const;
export const PERMANENCE_PLANS = ['a) Return to family', 'b) Adoption', 'c) SGO/CAO', 'd) Supported living in the community', 'e) Long-term residential placement', 'f) Long-term fostering', 'g) other'] as const;
export const REASON_CEASED = [
  'e) E4A: Returned home to live with parents or relatives - part of planning', 'f) E4B: Returned home to live with parents or relatives - not part of planning',
  'i) E45: Special Guardianship Orders - former carer relative/friend', 'a) E11: Adopted - application unopposed', 'm) E5: Moved into independent living - supported', 't) E8: Care ceased for any other reason',
] as const;
export const REASON_CLOSURE = [
  'RC7 - Services ceased for any other reason, including child no longer in need', 'RC8 - Case closed after assessment, no further action',
  'RC9 - Case closed after assessment, referred to early help',
] as const;
export const CASE_STATUS = ['a) Looked after child', 'b) Child Protection plan', 'c) Child in need plan', 'd) Open assessment', 'e) Closed episode'] as const;
