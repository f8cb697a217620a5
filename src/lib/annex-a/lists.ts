/**
 * The Ofsted Annex A return's lists 1-8 as the importer reads them: column names exactly as
 * ../shared/data/annex-a/annexa-spec.json, with each column's cell type. The synthetic
 * generator writes its lists to this spec.
 */

export type AnnexACellType = 'string' | 'number' | 'date';
/** A cell: text, a number, a date as a day number (days since 1970-01-01, see `types`), or blank. */
export type AnnexACell = string | number | null;

export interface AnnexAList {
  /** 1..8 */
  list: number;
  /** Sheet (or CSV file) name as real returns name them: `List 1` ... */
  sheet: string;
  title: string;
  columns: string[];
  /** Per column: how to write its cells ('date' cells hold day numbers). */
  types: AnnexACellType[];
  rows: AnnexACell[][];
}

/** The columns every list starts with, and their types. */
export const COMMON = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'];
export const COMMON_TYPES: AnnexACellType[] = ['string', 'string', 'string', 'date', 'number'];
const DISABILITY = 'Does the Child have a Disability';
const TEAM = ['Allocated Team', 'Allocated Worker'];

/** Column names and types per list (names exactly as annexa-spec.json). */
export const ANNEX_A_COLUMNS: Record<number, { title: string; columns: [string, AnnexACellType][] }> = {
  1: { title: 'Contacts', columns: [['Date of Contact', 'date'], ['Contact Source', 'string']] },
  2: { title: 'Early help assessments', columns: [['Assessment start date', 'date'], ['Assessment completion date', 'date'], ['Organisation completing assessment', 'string']] },
  3: {
    title: 'Referrals',
    columns: [['Date of Referral', 'date'], ['Referral Source', 'string'], ['Referral NFA?', 'string'], ['Number of Referrals in Last 12 Months', 'number'], [TEAM[0], 'string'], [TEAM[1], 'string']],
  },
  4: {
    title: 'Assessments',
    columns: [
      [DISABILITY, 'string'], ['Continuous Assessment Start Date', 'date'], ['Child Seen During Continuous Assessment', 'string'],
      ['Continuous Assessment Date of Authorisation', 'date'], ['Was the child assessed as requiring LA children\'s social care support?', 'string'],
      [TEAM[0], 'string'], [TEAM[1], 'string'],
    ],
  },
  5: {
    title: 'Section 47 enquiries and ICPCs',
    columns: [
      [DISABILITY, 'string'], ['Strategy discussion initiating Section 47 Enquiry Start Date', 'date'],
      ['Was an Initial Child Protection Conference deemed unnecessary?', 'string'], ['Date of Initial Child Protection Conference', 'date'],
      ['Did the Initial Child Protection Conference Result in a Child Protection Plan', 'string'],
      ['Number of Section 47 Enquiries in the last 12 months', 'number'], ['Number of ICPCs in the last 12 months', 'number'], [TEAM[0], 'string'], [TEAM[1], 'string'],
    ],
  },
  6: {
    title: 'Children in need',
    columns: [
      [DISABILITY, 'string'], ['CIN Start Date', 'date'], ['Primary Need Code', 'string'], ['Date Child Was Last Seen', 'date'], ['CIN Closure Date', 'date'],
      ['Reason for Closure', 'string'], ['Case Status', 'string'], [TEAM[0], 'string'], [TEAM[1], 'string'],
    ],
  },
  7: {
    title: 'Child protection plans',
    columns: [
      [DISABILITY, 'string'], ['Child Protection Plan Start Date', 'date'], ['Initial Category of Abuse', 'string'], ['Latest Category of Abuse', 'string'],
      ['Date of the Last Statutory Visit', 'date'], ['Was the Child Seen Alone?', 'string'], ['Date of latest review conference', 'date'],
      ['Child Protection Plan End Date', 'date'], ['Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)', 'string'],
      ['Number of Previous Child Protection Plans', 'number'], [TEAM[0], 'string'], [TEAM[1], 'string'],
    ],
  },
  8: {
    title: 'Children in care',
    columns: [
      ['Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)', 'string'], [DISABILITY, 'string'],
      ['Date Started to be Looked After', 'date'], ['Child\'s Category of Need', 'string'],
      ['Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)', 'string'],
      ['Start date of current legal status', 'date'], ['Child\'s Legal Status', 'string'], ['Date of Latest Statutory Review', 'date'],
      ['Date of Last Social Work Visit', 'date'], ['What is the permanence plan for this child?', 'string'], ['Date of Last IRO Visit / Contact to the Child', 'date'],
      ['Date of Last Health Assessment', 'date'], ['Date of Last Dental Check', 'date'], ['Number of Placements in the Last 12 months', 'number'],
      ['Date Ceased to be Looked After', 'date'], ['Reason Ceased to be Looked After', 'string'], ['Start Date of Most Recent Placement', 'date'],
      ['Placement Type', 'string'], ['Placement Provider', 'string'], ['Placement postcode', 'string'], ['URN of Placement', 'string'],
      ['Placement Location', 'string'], ['LA of Placement', 'string'],
      ['Number of Episodes the Child has been \'Missing\' from their Placement in the last 12 months', 'number'],
      ['Number of Episodes the Child has been \'Absent\' from their Placement in the last 12 months', 'number'],
      ['Was the child offered a Return Interview after their last missing episode (Y/N)?', 'string'],
      ['Did the child accept a Return Interview after their last missing episode (Y/N)?', 'string'],
      [TEAM[0], 'string'], [TEAM[1], 'string'],
    ],
  },
};
