/**
 * What a pool worker runs: the replicates [from, to) of a job (evaluate/replicate-job.ts), by
 * the same kernels the computations use in this thread, so a block computed in a worker equals
 * the same block computed here.
 */
import { statisticRange } from '../evaluate/bootstrap.ts';
import { pairedStatistic, scoresReplicates } from '../evaluate/evaluate-scores.ts';
import { criterionStatistic } from '../evaluate/prereg.ts';
import type { ReplicateJob, ReplicateRange } from '../evaluate/replicate-job.ts';
import { auditReplicates } from '../fairness/audit.ts';

export function replicatesOf(job: ReplicateJob): ReplicateRange {
  switch (job.kind) {
    case 'scores':
      return scoresReplicates(job);
    case 'audit':
      return auditReplicates(job);
    case 'statistic': {
      const s = job.statistic;
      const f = s.of === 'paired' ? pairedStatistic(job.labels, s.a, s.b, s.metric) : criterionStatistic(job.labels, s.scores, s.criterion);
      return statisticRange(job.labels, f, job.seed, job.clusters);
    }
  }
}
