/**
 * The grouping flags shared by `candour audit` and `candour evaluate`: how the group columns are
 * grouped (--age, --ethnicity, --ethnicity-code), crossed (--intersect) and compared (--reference,
 * --what-if), turned into the run spec's grouping — the same choices the app's Question page offers.
 */
import { parseAgeEdges, DEFAULT_AGE_EDGES } from '../lib/fairness/groups.ts';
import type { CommonSpec, Grouping, GroupingKind } from '../lib/run/spec.ts';
import { UsageError, type FlagSpec, type ParsedArgs } from './args.ts';

export const GROUPING_FLAGS: Record<string, FlagSpec> = {
  age: { kind: 'list', help: 'age column (years) to audit by age band' },
  'age-bands': { kind: 'string', help: 'lower edges of the age bands after the first (default 1,5,10,16)' },
  ethnicity: { kind: 'list', help: 'ethnicity column to audit by major group (White, Mixed, Asian, Black, Other, Unknown)' },
  'ethnicity-code': { kind: 'list', help: 'ethnicity column to audit by detailed DfE code (WBRI, MWBC, ...)' },
  intersect: { kind: 'list', help: 'two audited attributes to cross, as A,B' },
  reference: { kind: 'list', help: 'reference group for an attribute, as ATTRIBUTE=GROUP (default: largest)' },
  'what-if': { kind: 'boolean', help: 'add group thresholds that equalise recall, and their overall cost (JSON only)' },
};

const list = (args: ParsedArgs, name: string): string[] => (args[name] as string[] | undefined) ?? [];

/**
 * The groups of the spec from the grouping flags: every column named is a group column; a column
 * named only by --group is grouped by default, one named by --age/--ethnicity/--ethnicity-code is
 * grouped that way (and also as recorded when --group names it too).
 */
export function groupingOf(args: ParsedArgs): Pick<CommonSpec, 'groups' | 'grouping' | 'intersections' | 'reference' | 'whatIf'> {
  let edges: number[] | undefined;
  if (typeof args['age-bands'] === 'string') {
    try {
      edges = parseAgeEdges(args['age-bands']);
    } catch (e) {
      throw new UsageError(`--age-bands: ${(e as Error).message}`);
    }
  }
  const ways: [string, GroupingKind][] = [['age', 'age-bands'], ['ethnicity', 'ethnicity-major'], ['ethnicity-code', 'ethnicity-code']];
  const grouping: Grouping[] = [];
  for (const [flag, kind] of ways) {
    for (const column of list(args, flag)) grouping.push(kind === 'age-bands' ? { column, kind, edges: edges ?? [...DEFAULT_AGE_EDGES] } : { column, kind });
  }
  const recorded = list(args, 'group');
  for (const column of recorded) if (grouping.some((g) => g.column === column)) grouping.unshift({ column, kind: 'recorded' });
  const groups = [...new Set([...recorded, ...grouping.map((g) => g.column)])];
  const intersections = list(args, 'intersect').map((text): [string, string] => {
    const parts = text.split(',').map((s) => s.trim());
    if (parts.length !== 2) throw new UsageError(`--intersect needs two audited attributes as A,B, got '${text}'`);
    return [parts[0], parts[1]];
  });
  const reference = list(args, 'reference').map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--reference must be ATTRIBUTE=GROUP, got '${text}'`);
    return { attribute: text.slice(0, eq), group: text.slice(eq + 1) };
  });
  return { groups, grouping, intersections, reference, whatIf: args['what-if'] === true };
}
