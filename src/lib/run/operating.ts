/**
 * Adds the operating-point tables (top 1..100%) to a model result and its subgroups, so the
 * report's live control and the workshop pictures work from aggregates alone.
 */
import type { ModelResult } from '../bundle/schema.ts';
import { operatingRows, topKCuts } from '../report/operating-rows.ts';
import { groupVector } from '../fairness/groups.ts';

export interface GroupValues {
  attribute: string;
  values: ArrayLike<string | null | undefined>;
}

export function addOperatingTables(result: ModelResult, labels: Uint8Array, scores: Float64Array, groups: readonly GroupValues[]): void {
  const cuts = topKCuts(scores);
  result.curves = { ...(result.curves ?? {}), operating: operatingRows(labels, scores, cuts) };
  for (const g of groups) {
    const { codes, levels } = groupVector(g.attribute, g.values);
    for (const s of result.subgroups) {
      if (s.attribute !== g.attribute) continue;
      const k = levels.indexOf(s.group);
      if (k >= 0) s.operating = operatingRows(labels, scores, cuts, (i) => codes[i] === k);
    }
  }
}
