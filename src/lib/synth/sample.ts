/** Drawing an index from fixed weights, for the generator. */

/** Cumulative weights for drawing an index with probability proportional to `weights`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) out[i] = s += weights[i];
  for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}

/** Index drawn from cumulative weights with a uniform `u` in [0, 1). */
export function pick(cum: Float64Array, u: number): number {
  for (let i = 0; i < cum.length; i++) if (u < cum[i]) return i;
  return cum.length - 1;
}
