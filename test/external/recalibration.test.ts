import { describe, expect, it } from 'vitest';
import golden from '../golden/recalibration.json' with { type: 'json' };
import { calibrationSummary, fitCalibration, fitRecalibration, linearPredictor, recalibrate } from '../../src/lib/external/recalibration.ts';

describe('calibration-in-the-large and slope (scikit-learn / SciPy reference)', () => {
  golden.cases.forEach((c, k) => {
    it(`case ${k}: n = ${c.y.length}`, () => {
      const y = Uint8Array.from(c.y);
      const s = Float64Array.from(c.score);
      const slope = fitCalibration(y, linearPredictor(s), false)!;
      expect(slope.slope).toBeCloseTo(c.slope, 7);
      expect(slope.intercept).toBeCloseTo(c.slopeIntercept, 7);
      expect(slope.slopeSe!).toBeCloseTo(c.slopeSe, 6);
      expect(slope.interceptSe).toBeCloseTo(c.slopeInterceptSe, 6);
      const citl = fitCalibration(y, linearPredictor(s), true)!;
      expect(citl.intercept).toBeCloseTo(c.citl, 7);
      expect(citl.interceptSe).toBeCloseTo(c.citlSe, 6);
      const sum = calibrationSummary(y, s);
      expect(sum.calibrationSlope.lo!).toBeCloseTo(c.slope - 1.959963984540054 * c.slopeSe, 5);
      expect(sum.calibrationInTheLarge.hi!).toBeCloseTo(c.citl + 1.959963984540054 * c.citlSe, 5);
    });
  });
});

describe('recalibration', () => {
  it('is the identity for a perfectly calibrated fit', () => {
    const s = Float64Array.from([0.1, 0.2, 0.7]);
    expect(Array.from(recalibrate(s, { intercept: 0, slope: 1 })).map((x, i) => x - s[i]).every((d) => Math.abs(d) < 1e-15)).toBe(true);
  });

  it('makes the mean score equal the observed share after an intercept fit (the score equation)', () => {
    const c = golden.cases[0];
    const y = Uint8Array.from(c.y);
    const s = Float64Array.from(c.score);
    const fit = fitRecalibration(y, s, 'intercept')!;
    const r = recalibrate(s, fit);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    expect(mean).toBeCloseTo(c.y.reduce((a, b) => a + b, 0) / c.y.length, 10);
  });

  it('gives no fit for one outcome only, or no case', () => {
    expect(fitRecalibration(new Uint8Array(3), Float64Array.from([0.1, 0.2, 0.3]), 'intercept')).toBeNull();
    expect(fitRecalibration(new Uint8Array(0), new Float64Array(0), 'intercept and slope')).toBeNull();
    expect(calibrationSummary(new Uint8Array(3), Float64Array.from([0.1, 0.2, 0.3])).calibrationSlope).toEqual({ value: null, lo: null, hi: null });
  });

  it('keeps scores of exactly 0 and 1 finite', () => {
    const y = Uint8Array.from([0, 1, 0, 1, 1, 0]);
    const s = Float64Array.from([0, 1, 0.3, 0.6, 0.4, 0.2]);
    const sum = calibrationSummary(y, s);
    expect(Number.isFinite(sum.calibrationInTheLarge.value!)).toBe(true);
  });
});
