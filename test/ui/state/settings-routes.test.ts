import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../../src/ui/state/settings-data.ts';
import { hrefOf, routeOf } from '../../../src/ui/state/routes.ts';

describe('stored settings', () => {
  it('round trip', () => {
    const s = { operating: { mode: 'capacity' as const, topPct: 15, threshold: 0.3, capacity: 40 }, disparityAt: 'topK' as const, workshopPreset: 'drifting' };
    expect(parseSettings(JSON.stringify(s))).toEqual(s);
  });
  it('missing, corrupt or out-of-range entries fall back field by field', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('[1,2]')).toEqual(DEFAULT_SETTINGS);
    const s = parseSettings(JSON.stringify({ operating: { mode: 'everyone', topPct: 500, threshold: 'x', capacity: 12 }, disparityAt: 'elsewhere' }));
    expect(s.operating).toEqual({ mode: 'topPct', topPct: 10, threshold: 0.5, capacity: 12 });
    expect(s.disparityAt).toBe('threshold');
  });
});

describe('routes', () => {
  it('reads the hash', () => {
    expect(routeOf('#/results')).toBe('results');
    expect(routeOf('#/fairness?x=1')).toBe('fairness');
    expect(routeOf('#/workshop')).toBe('workshop');
    expect(routeOf('')).toBe('start');
    expect(routeOf('#/nowhere')).toBe('start');
    expect(hrefOf('start')).toBe('#/');
    expect(hrefOf('share')).toBe('#/share');
  });
});
