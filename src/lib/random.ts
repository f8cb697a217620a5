/**
 * Seeded pseudo-random numbers for everything that must be reproducible
 * (synthetic data, bootstrap, splits, model initialisation). No code in
 * src/lib may call Math.random.
 *
 * Generator: sfc32 (small fast counter), seeded through splitmix32 so that
 * nearby seeds give unrelated streams.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller, one value per call). */
  normal(): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** A new independent generator derived from this one (for parallel streams). */
  fork(): Rng;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** A generator for `seed` (any finite number; fractional parts are ignored). */
export function rng(seed: number): Rng {
  const sm = splitmix32(Math.trunc(seed) | 0);
  let a = sm(), b = sm(), c = sm(), d = sm();
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 4294967296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      let u = next();
      while (u === 0) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    bernoulli: (p) => next() < p,
    fork: () => rng(nextU32()),
  };
}
