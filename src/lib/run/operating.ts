/**
 * Adds the operating-point tables (top 1..100%) to a model result and its subgroups, so the
 * report's live control and the workshop pictures work from aggregates alone.
 */
import type { ModelResult } from '../bundle/schema.ts';
import { operatingRows, operatingRowsWithin } from '../evaluate/operating-table.ts';
import { groupVector } from '../fairness/groups.ts';

export interface GroupValues {
  attribute: string;
  values: ArrayLike<string | null | undefined>;
}

export function addOperatingTables(result: ModelResult, labels: Uint8Array, scores: Float64Array, groups: readonly GroupValues[]): void {
  const global = operatingRows(labels, scores);
  result.curves = { ...(result.curves ?? {}), operating: global };
  for (const g of groups) {
    const { codes, levels } = groupVector(g.attribute, g.values);
    const members = levels.map(() => [] as number[]);
    for (let i = 0; i < codes.length; i++) members[codes[i]].push(i);
    for (const s of result.subgroups) {
      if (s.attribute !== g.attribute) continue;
      const k = levels.indexOf(s.group);
      if (k >= 0) s.operating = operatingRowsWithin(labels, scores, members[k], global);
    }
  }
}
