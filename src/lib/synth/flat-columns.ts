/**
 * The flat case table: one row per referral whose 12-month outcome window is complete at the
 * extract date. The Annex A importer rebuilds these columns from Lists 1-8 and must match the
 * generator row for row, so every definition is exact:
 *
 * Rows and order
 * - A referral is a row of List 3 (Referrals). It is included when
 *   `referral_date + 12 calendar months <= extract date` (window complete); later referrals are
 *   left out (and counted in the truth), never labelled 0.
 * - Rows are ordered by `child_id` (fixed-width digits, so string order = numeric order), then
 *   `referral_date`. A child never has two referrals on the same day.
 * - "+ N calendar months" keeps the day of month, clamped to the month's end
 *   (29 Feb + 12 months = 28 Feb), as pandas' DateOffset(months=N).
 *
 * Columns (Arrow storage per src/lib/data/schema.ts: numbers Float64 with null for missing,
 * categories Dictionary<Int32, Utf8>, ids/text Utf8, dates DateMillisecond at UTC midnight)
 * - `child_id` (id): List "Child Unique ID".
 * - `referral_id` (id): `<child_id>-<n>`, n = 1-based position of the referral among the child's
 *   List 3 referrals ordered by date (counting all of them, including ones too recent to be rows).
 * - `referral_date` (date): "Date of Referral". In CSV written `yyyy-mm-dd`.
 * - `age_at_referral` (number): whole years from "Date of Birth" to the referral date: year
 *   difference, minus 1 if the birthday (month, day) has not been reached. Null when the date of
 *   birth is blank.
 * - `gender` (category): `Male` (`a) Male`, or raw `Male`/`M`), `Female` (`b) Female`, `Female`,
 *   `F`), `Neither` (`d) Neither`), `Unknown` (`c) Not stated/recorded`, blank, anything else).
 * - `ethnicity` (category): the DfE code (WBRI ... OOTH, REFU, NOBT) recorded for the child,
 *   from a lettered label (`a) WBRI`) or a raw CMS value (`WBRI - White British`). Null when the
 *   recorded value is not a DfE code (e.g. `u) UNKNOWN`).
 * - `ethnicity_group` (category): White, Mixed, Asian, Black, Other (CHNE, OOTH), Unknown
 *   (REFU, NOBT, or null ethnicity).
 * - `disability` (category): `Yes`/`No`, whether a disability was known on the referral date.
 *   Annex A only holds disability *as at the extract date* (Lists 4-8), so an importer cannot
 *   rebuild this exactly: that gap is the leakage the importer must warn about.
 * - `referral_source` (category): the source code (1A ... 10) from "Referral Source"
 *   (`q) 6: Police` -> `6`). Null when the recorded value is not a known code.
 * - `prev_contacts`, `prev_referrals`, `prev_assessments`, `prev_s47`, `prev_cp_plans`,
 *   `prev_cla_episodes` (number): counts of the child's List 1 contacts ("Date of Contact"),
 *   List 3 referrals, List 4 assessments ("Continuous Assessment Start Date"), List 5 enquiries
 *   ("Strategy discussion initiating Section 47 Enquiry Start Date"), List 7 plans ("Child
 *   Protection Plan Start Date") and List 8 care episodes ("Date Started to be Looked After")
 *   dated strictly before the referral date. (Each referral has a contact on the same day, which
 *   is therefore not counted.) The lists cover the whole period simulated (`years` before the
 *   extract date), so events before that period are unknown, as in a real extract.
 * - `days_since_prev_referral` (number): days from the child's previous referral to this one;
 *   null when there is none.
 * - `deprivation_decile` (number): 1 = most deprived tenth ... 10 = least; null when the address
 *   was not recorded. Not in Annex A (a council joins it from the postcode).
 * - `factor_domestic_abuse`, `factor_parental_mental_health`, `factor_alcohol`, `factor_drugs`,
 *   `factor_neglect`, `factor_child_mental_health` (number 0/1): CIN census factors identified at
 *   the assessment of this referral (3A/3B, 4B, 1B, 2B, 16A, 4A); 0 when not assessed. Not in
 *   Annex A.
 * - `note` (text): a short case note written at referral; null when the scenario has no text.
 * - `outcome` (number 0/1): 1 when a List 7 "Child Protection Plan Start Date" or a List 8 "Date
 *   Started to be Looked After" of the same child falls in the window
 *   `referral_date < date <= referral_date + 12 calendar months`, else 0.
 */
export const FLAT_COLUMNS = [
  'child_id',
  'referral_id',
  'referral_date',
  'age_at_referral',
  'gender',
  'ethnicity',
  'ethnicity_group',
  'disability',
  'referral_source',
  'prev_contacts',
  'prev_referrals',
  'prev_assessments',
  'prev_s47',
  'prev_cp_plans',
  'prev_cla_episodes',
  'days_since_prev_referral',
  'deprivation_decile',
  'factor_domestic_abuse',
  'factor_parental_mental_health',
  'factor_alcohol',
  'factor_drugs',
  'factor_neglect',
  'factor_child_mental_health',
  'note',
  'outcome',
] as const;

export type FlatColumn = (typeof FLAT_COLUMNS)[number];

/** Column types in the terms of src/lib/data/schema.ts. */
export const FLAT_COLUMN_TYPES: Record<FlatColumn, 'id' | 'date' | 'number' | 'category' | 'text'> = {
  child_id: 'id',
  referral_id: 'id',
  referral_date: 'date',
  age_at_referral: 'number',
  gender: 'category',
  ethnicity: 'category',
  ethnicity_group: 'category',
  disability: 'category',
  referral_source: 'category',
  prev_contacts: 'number',
  prev_referrals: 'number',
  prev_assessments: 'number',
  prev_s47: 'number',
  prev_cp_plans: 'number',
  prev_cla_episodes: 'number',
  days_since_prev_referral: 'number',
  deprivation_decile: 'number',
  factor_domestic_abuse: 'number',
  factor_parental_mental_health: 'number',
  factor_alcohol: 'number',
  factor_drugs: 'number',
  factor_neglect: 'number',
  factor_child_mental_health: 'number',
  note: 'text',
  outcome: 'number',
};

/** Assessment factor columns in the order of the `factors` bit mask used by the generator. */
export const FACTOR_COLUMNS = [
  'factor_domestic_abuse',
  'factor_parental_mental_health',
  'factor_alcohol',
  'factor_drugs',
  'factor_neglect',
  'factor_child_mental_health',
] as const;
