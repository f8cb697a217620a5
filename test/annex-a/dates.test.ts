import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, ageInYears, isoOfDay, parseIsoDay, ukOfDay } from '../../src/lib/annex-a/dates.ts';

const d = (s: string) => parseIsoDay(s);

describe('calendar arithmetic', () => {
  it('round-trips every day from 1890 to 2079 through yyyy-mm-dd like Date does', () => {
    for (let day = -29220; day < 40000; day += 7) expect(isoOfDay(day)).toBe(new Date(day * 86400000).toISOString().slice(0, 10));
    fc.assert(fc.property(fc.integer({ min: -40000, max: 60000 }), (day) => parseIsoDay(isoOfDay(day)) === day));
  });
  it('rejects dates that do not exist', () => {
    expect(parseIsoDay('2023-02-29')).toBeNaN();
    expect(parseIsoDay('2024-13-01')).toBeNaN();
    expect(parseIsoDay('24-01-01')).toBeNaN();
  });
  it('adds calendar months, clamping to the month end', () => {
    expect(isoOfDay(addMonths(d('2023-12-15'), 12))).toBe('2024-12-15');
    expect(isoOfDay(addMonths(d('2024-02-29'), 12))).toBe('2025-02-28');
    expect(isoOfDay(addMonths(d('2024-01-31'), 1))).toBe('2024-02-29');
    expect(isoOfDay(addMonths(d('2023-01-31'), 1))).toBe('2023-02-28');
    expect(isoOfDay(addMonths(d('2025-03-31'), -12))).toBe('2024-03-31');
    expect(isoOfDay(addMonths(d('2024-11-30'), 3))).toBe('2025-02-28');
  });
  it('counts whole years of age, a 29 February birthday from 1 March', () => {
    expect(ageInYears(d('2010-06-15'), d('2020-06-14'))).toBe(9);
    expect(ageInYears(d('2010-06-15'), d('2020-06-15'))).toBe(10);
    expect(ageInYears(d('2012-02-29'), d('2013-02-28'))).toBe(0);
    expect(ageInYears(d('2012-02-29'), d('2013-03-01'))).toBe(1);
    expect(ageInYears(d('2020-01-01'), d('2020-01-01'))).toBe(0);
  });
  it('writes UK dates', () => {
    expect(ukOfDay(d('2024-03-07'))).toBe('07/03/2024');
  });
});
