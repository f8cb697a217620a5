/**
 * Thresholds proposed from a score's own values: a score on 1 to 10 (a decile) or 0 to 100 is
 * not a probability, and the usual 0.5 would flag everyone. Each proposal flags about a tenth,
 * a fifth, three tenths or half of the cases, and says what share it flags here.
 */

export interface ThresholdProposal {
  /** Flag when score >= threshold. */
  threshold: number;
  /** Share of scored cases flagged at it. */
  flaggedShare: number;
}

export interface ScoreRange {
  min: number;
  max: number;
  /** Cases with a score. */
  n: number;
  /** All scores lie in [0, 1]: it may be read as a probability. */
  probability: boolean;
  /** Highest threshold first. */
  proposals: ThresholdProposal[];
}

const TARGETS = [0.1, 0.2, 0.3, 0.5];

/** The score's range and proposed thresholds; null when no case has a score. `scores`: NaN = missing. */
export function scoreRange(scores: Float64Array): ScoreRange | null {
  const xs = Array.from(scores).filter(Number.isFinite).sort((a, b) => b - a);
  const n = xs.length;
  if (n === 0) return null;
  // share flagged at each distinct value t (score >= t), highest t first
  const steps: ThresholdProposal[] = [];
  for (let i = 0; i < n; i++) if (i === n - 1 || xs[i + 1] !== xs[i]) steps.push({ threshold: xs[i], flaggedShare: (i + 1) / n });
  const chosen = new Map<number, ThresholdProposal>();
  for (const target of TARGETS) {
    const best = steps.reduce((a, b) => (Math.abs(b.flaggedShare - target) < Math.abs(a.flaggedShare - target) ? b : a));
    chosen.set(best.threshold, best);
  }
  const probability = xs[n - 1] >= 0 && xs[0] <= 1;
  if (probability && !chosen.has(0.5)) {
    const flagged = xs.filter((x) => x >= 0.5).length;
    chosen.set(0.5, { threshold: 0.5, flaggedShare: flagged / n });
  }
  return { min: xs[n - 1], max: xs[0], n, probability, proposals: [...chosen.values()].sort((a, b) => b.threshold - a.threshold) };
}

/** Why a threshold does not suit the score, or null: outside its range, it flags everyone or no one. */
export function thresholdProblem(threshold: number, range: ScoreRange): string | null {
  if (threshold <= range.min) return `a threshold of ${threshold} is at or below every score (${range.min} to ${range.max}), so every case would be flagged`;
  if (threshold > range.max) return `a threshold of ${threshold} is above every score (${range.min} to ${range.max}), so no case would be flagged`;
  return null;
}
