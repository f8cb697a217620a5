/**
 * Disparity arithmetic on plain numbers: differences and ratios that never divide
 * by zero, and the choice of reference group.
 */

/** a − b, or null when either is undefined. */
export function differenceOf(a: number | null, b: number | null): number | null {
  if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) return null;
  return a - b;
}

/**
 * a / b, or null when either is undefined or b is 0 (a ratio against a reference
 * rate of zero means nothing, even when a is also 0).
 */
export function ratioOf(a: number | null, b: number | null): number | null {
  if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b) || b === 0) return null;
  return a / b;
}

/** x / d, or null when d is 0. */
export function rateOf(x: number, d: number): number | null {
  return d === 0 ? null : x / d;
}

/**
 * The reference group: `chosen` when given (and present), else the largest group
 * (ties: the first in `levels`' order). Null when there are no groups, or the chosen
 * one is not among them.
 */
export function referenceGroup(levels: readonly string[], counts: readonly number[], chosen?: string): string | null {
  if (chosen !== undefined) return levels.includes(chosen) ? chosen : null;
  let best = -1;
  for (let k = 0; k < levels.length; k++) if (best < 0 || counts[k] > counts[best]) best = k;
  return best < 0 ? null : levels[best];
}
