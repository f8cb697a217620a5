/** The subgroup audit: who the model fails, how sure we are, and how much data would settle it. */
export {
  MISSING_GROUP, UNRECOGNISED_GROUP, DEFAULT_AGE_EDGES, MAJOR_ETHNIC_GROUPS, INTERSECTION_SEPARATOR, DEFAULT_SMALL_CELL,
  groupVector, ageBandLabels, parseAgeEdges, ageBands, ethnicityCode, ethnicityMajorGroup, ethnicityGroups, intersectionValues, isSmallGroup,
  type GroupVector, type MajorEthnicGroup, type SmallCellRule,
} from './groups.ts';
export { DEFAULT_TOLERANCE, checkTolerance, verdictFor, casesNeeded, seOfLogRatio, type Tolerance } from './power.ts';
export { differenceOf, ratioOf, rateOf, referenceGroup } from './disparity.ts';
export { subgroupAudit, DISPARITY_METRICS, type AuditAttribute, type SubgroupAuditOptions, type DisparityDetail } from './audit.ts';
export { equalOpportunityThresholds, type EqualOpportunityWhatIf, type GroupThreshold } from './what-if.ts';
