/** The bundle core: everything the app, the viewer and the CLI need, from one place. */
export * from './schema.ts';
export { applyDisclosureControl, disclosureRules, DEFAULT_CURVE_GRID, OPERATING_GRID, type DisclosureOptions } from './disclosure.ts';
export { canonicalJson, sha256, sha256Hex, hex, base64, bundleHash, withIntegrity, verifyIntegrity, type IntegrityCheck } from './integrity.ts';
export { createKeyFile, keyFileText, parseKeyFile, recordKeySecretBytes, keyFingerprint, parsePublicKey, signBundle, checkAuthenticity, describeAuthenticity, KEY_FILE_SCHEMA, SIGNED_PREFIX, type KeyFile, type Authenticity, type AuthenticityStatus, type AuthenticityWords } from './signing.ts';
export { validateBundle, schemaIssues, BUNDLE_JSON_SCHEMA, SUPPORTED_KEYWORDS, type SchemaIssue, type JsonSchema } from './validate.ts';
export { readBundle, readBundleFromHtml, parseBundleText, findBundleBlock, BUNDLE_SCRIPT_ID, type ReadOptions, type ParsedBundle } from './read.ts';
export { bundleHtml, bundleCsp, bundleScriptJson, noscriptSummary, cspHash, type ViewerAssets } from './write-html.ts';
export { shareableBundle } from './share.ts';
export { draftTransparencyRecord, draftModelCard, editTransparencyRecord, withTransparency, type TransparencyRecord, type ModelCard, type TransparencyBlock } from './model-card.ts';
export { randomEffects, poolBundles, studyFromResult, type Study, type MetaAnalysis, type PooledMetric, type PoolMetric, type PoolOptions, type PoolBundlesOptions } from './pool.ts';
export { compareBundles, compareSubgroups, COMPARE_COLUMNS, type Comparison, type CompareRow, type CompareCell, type CompareColumn } from './compare.ts';
