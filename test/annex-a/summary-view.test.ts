import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { importAnnexA } from '../../src/lib/annex-a/index.ts';
import { annexASummaryView } from '../../src/lib/annex-a/summary-view.ts';

const file = path.resolve(__dirname, '../../../shared/data/annex-a/Annex_A_2024_Jan.xlsx');
const load = async (opts = {}) => {
  const r = await importAnnexA(sourceFromBytes('Annex_A_2024_Jan.xlsx', readFileSync(file)), opts);
  if (!r.ok) throw new Error(r.error.message);
  return annexASummaryView(r.value.log);
};

describe('annexASummaryView', () => {
  it('says why the sample gives no rows at its latest date', async () => {
    const v = await load();
    expect(v.headline).toBe('No referrals can be used yet: none has a complete 12-month outcome window at the extract date.');
    expect(v.extract).toBe("Extract date 2021-03-15: the latest date in the return (List 6, 'Date Child Was Last Seen').");
    expect(v.dropped).toEqual(['6 referrals after 2020-03-15: their 12-month outcome window is not complete at the extract date, so the outcome is unknown (not "no").']);
    expect(v.lists[2]).toEqual({ key: '3', name: 'List 3: Referrals', rows: '6', dates: '2020-09-16 to 2020-09-16', note: '' });
    expect(v.lists[8].note).toBe('not needed');
    expect(v.leftOut.find((o) => o.column === 'Latest Category of Abuse')).toEqual({ column: 'Latest Category of Abuse', reason: expect.stringMatching(/as at the extract date/), included: false });
  });

  it('gives the case table in one sentence at a later extract date', async () => {
    const v = await load({ extractDate: '2022-06-30', outcome: 'rereferral-12m' });
    expect(v.headline).toBe('6 referrals of 6 children; 0 (0.0%) had the outcome: another referral of the same child (List 3) within 12 months after the referral date.');
    expect(v.outcomes.map((o) => o.id)).toEqual(['cp-or-cla-12m', 's47-12m', 'rereferral-12m']);
  });
});
