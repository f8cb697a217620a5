/** Synthetic children's social care data with a known truth. */
export { PRESETS, PRESET_NAMES, DEFAULT_SCENARIO, scenarioFrom, isPresetName, type PresetName, type Scenario, type TextMode } from './scenarios.ts';
export { generateCases, generateCaseChunks, generateAnnexA, annexAWorkbook, annexACsvFiles, truthHeaderFor, calibratedIntercept } from './generate.ts';
export { FLAT_COLUMNS, FLAT_COLUMN_TYPES, FACTOR_COLUMNS, type FlatColumn } from './flat-columns.ts';
export { ANNEX_A_COLUMNS, type AnnexAList, type AnnexACell, type AnnexACellType } from '../annex-a/lists.ts';
export { truthJsonPieces, TruthJsonWriter, type Truth, type TruthChunk, type TruthHeader, type TruthCounts, type PlantedEffect } from './truth.ts';
export { ETHNIC_GROUPS, type EthnicGroup } from '../annex-a/codes.ts';
