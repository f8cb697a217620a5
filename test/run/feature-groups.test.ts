import { describe, expect, it } from 'vitest';
import { featureSpecOf } from '../../src/lib/run/evaluate-run.ts';
import type { ColumnInfo } from '../../src/lib/data/schema.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';

const col = (name: string, type: ColumnInfo['type']): ColumnInfo => ({ name, type, inferredType: type });
const columns = [col('outcome', 'category'), col('age', 'number'), col('ethnicity', 'category'), col('sex', 'category'), col('source', 'code')];
const spec: EvaluateSpec = { outcome: 'outcome', models: ['logistic'], split: { kind: 'random' }, groups: ['ethnicity', 'sex'], text: [], drop: [], seed: 1 };

describe('group columns are never features by default', () => {
  it('leaves every group column out of the features', () => {
    const f = featureSpecOf(columns, spec);
    expect(f.categorical).toEqual(['source']);
    expect(f.numeric).toEqual(['age']);
  });

  it('uses a group column as a feature only when the analyst lists it in featureGroups', () => {
    const f = featureSpecOf(columns, { ...spec, featureGroups: ['sex'] });
    expect(f.categorical).toEqual(['sex', 'source']);
  });
});
