import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../../src/ui/state/settings-data.ts';
import { hrefOf, routeOf } from '../../../src/ui/state/routes.ts';

describe('stored settings', () => {
  it('round trip', () => {
    const s = { workshopPreset: 'drifting' };
    expect(parseSettings(JSON.stringify(s))).toEqual(s);
  });
  it('missing, corrupt or out-of-range entries fall back field by field', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('[1,2]')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(JSON.stringify({ workshopPreset: 7 }))).toEqual(DEFAULT_SETTINGS);
  });
  it('holds no operating policy: that lives in PolicyState alone', () => {
    expect(Object.keys(parseSettings(JSON.stringify({ operating: { mode: 'capacity' }, disparityAt: 'topK' })))).toEqual(['workshopPreset']);
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
