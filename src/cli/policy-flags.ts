/**
 * The operating policy from `--threshold T`, `--top K` or `--capacity N` (at most one):
 * shared by `candour evaluate` and `candour audit`.
 */
import { numberFlag, UsageError, type ParsedArgs } from './args.ts';
import { DEFAULT_THRESHOLD, DEFAULT_TOP_PCT } from '../lib/run/defaults.ts';
import { policyProblem, type OperatingPolicy } from '../lib/run/policy.ts';

export function policyOfFlags(args: ParsedArgs): { policy?: OperatingPolicy; threshold?: number; topPct?: number } {
  const given = (['threshold', 'top', 'capacity'] as const).filter((f) => args[f] !== undefined);
  if (given.length > 1) throw new UsageError(`choose one operating policy: --${given.join(' or --')}`);
  let policy: OperatingPolicy | undefined;
  if (args.threshold !== undefined) policy = { kind: 'threshold', threshold: numberFlag(args, 'threshold', DEFAULT_THRESHOLD) };
  if (args.top !== undefined) policy = { kind: 'topPct', topPct: numberFlag(args, 'top', DEFAULT_TOP_PCT) };
  if (args.capacity !== undefined) policy = { kind: 'capacity', perMonth: numberFlag(args, 'capacity', 1) };
  if (!policy) return {};
  const problem = policyProblem(policy);
  if (problem) throw new UsageError(problem.message);
  // The fixed DESIGN points follow the flags as before, so `atThreshold` / `topK` keep their meaning.
  return { policy, threshold: policy.kind === 'threshold' ? policy.threshold : undefined, topPct: policy.kind === 'topPct' ? policy.topPct : undefined };
}
