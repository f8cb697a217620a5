/**
 * Short loops over Float64Array slices shared by the models' passes over rows, unrolled by four
 * (independent accumulators). Small enough that the engine inlines them into the passes.
 */

/** dst[d0 .. d0+len) += x * src[s0 .. s0+len). */
export function addScaled(dst: Float64Array, d0: number, src: Float64Array, s0: number, x: number, len: number): void {
  let c = 0;
  for (; c + 3 < len; c += 4) {
    dst[d0 + c] += x * src[s0 + c];
    dst[d0 + c + 1] += x * src[s0 + c + 1];
    dst[d0 + c + 2] += x * src[s0 + c + 2];
    dst[d0 + c + 3] += x * src[s0 + c + 3];
  }
  for (; c < len; c++) dst[d0 + c] += x * src[s0 + c];
}

/** sum_c a[a0 + c] * b[c] over c < len. */
export function dotAt(a: Float64Array, a0: number, b: Float64Array, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let c = 0;
  for (; c + 3 < len; c += 4) {
    s0 += a[a0 + c] * b[c];
    s1 += a[a0 + c + 1] * b[c + 1];
    s2 += a[a0 + c + 2] * b[c + 2];
    s3 += a[a0 + c + 3] * b[c + 3];
  }
  for (; c < len; c++) s0 += a[a0 + c] * b[c];
  return s0 + s1 + (s2 + s3);
}
