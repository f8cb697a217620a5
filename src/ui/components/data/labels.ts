/** Words for column types and roles in the Data page's selects. */
import type { ColumnType } from '../../../lib/data/schema.ts';
import type { ColumnRoleChoice } from '../../../lib/project/mapping.ts';

export const TYPE_LABELS: Record<ColumnType, string> = {
  number: 'Number',
  code: 'Code (label, not a quantity)',
  category: 'Category',
  date: 'Date',
  text: 'Free text',
  id: 'Identifier',
};

export const ROLE_LABELS: Record<ColumnRoleChoice, string> = {
  feature: 'Information for the model',
  outcome: 'Outcome: what to predict',
  date: 'Decision date (e.g. referral)',
  id: 'ID (of the child, family or person)',
  group: 'Group to audit (e.g. ethnicity)',
  text: 'Free text (case notes)',
  score: 'Existing risk score (audit)',
  exclude: 'Leave out',
};
