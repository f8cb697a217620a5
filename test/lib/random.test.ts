import { describe, expect, it } from 'vitest';
import { rng } from '../../src/lib/random.ts';

describe('rng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = rng(42), b = rng(42), c = rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('gives uniform values in [0,1) with mean 1/2 and normals with mean 0 and sd 1', () => {
    const r = rng(3);
    let s = 0, min = 1, max = 0;
    for (let i = 0; i < 100_000; i++) { const x = r.next(); s += x; min = Math.min(min, x); max = Math.max(max, x); }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(s / 100_000).toBeCloseTo(0.5, 2);
    let m = 0, m2 = 0;
    for (let i = 0; i < 100_000; i++) { const z = r.normal(); m += z; m2 += z * z; }
    expect(m / 100_000).toBeCloseTo(0, 1);
    expect(m2 / 100_000).toBeCloseTo(1, 1);
  });
  it('int(n) covers 0..n-1 only', () => {
    const r = rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
