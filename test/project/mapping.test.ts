import { describe, expect, it } from 'vitest';
import { mappingKey } from '../../src/lib/data/roles.ts';
import { MAX_MAPPINGS, outcomeChoices, parseMappingStore, rememberedRoles, roleOfColumn, storeWithRoles, withColumnRole } from '../../src/lib/project/mapping.ts';

const roles = () => ({ outcome: 'y', positive: '1', date: 'd', id: 'id', groups: ['sex'], text: ['note'], exclude: ['junk'] });

describe('remembered mappings', () => {
  it('gives back the roles saved for the same column names, in any order or case', () => {
    const key = mappingKey(['y', 'd', 'id', 'sex', 'note', 'junk']);
    const store = storeWithRoles({ entries: [] }, key, roles(), new Date('2026-01-02T03:04:05Z'));
    const back = parseMappingStore(JSON.stringify(store));
    expect(rememberedRoles(back, mappingKey(['JUNK', 'note', 'sex', 'id', 'd', 'y']))).toEqual({ roles: { ...roles(), score: undefined }, savedAt: '2026-01-02T03:04:05.000Z' });
    expect(rememberedRoles(back, mappingKey(['y', 'd']))).toBeNull();
  });

  it('holds column names only: no value of any cell but the outcome\'s yes value', () => {
    const text = JSON.stringify(storeWithRoles({ entries: [] }, 'cols-1-x', { ...roles(), positiveDoubt: "'1' (90, 90%) reads as yes, but…" }));
    expect(text).not.toMatch(/90%/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T.*\d{4}-\d{2}-\d{2}T/);
    expect(Object.keys(JSON.parse(text).entries[0])).toEqual(['key', 'roles', 'savedAt']);
  });

  it('replaces an older entry for the same key and forgets the oldest beyond the cap', () => {
    let s = { entries: [] as ReturnType<typeof parseMappingStore>['entries'] };
    for (let i = 0; i < MAX_MAPPINGS + 5; i++) s = storeWithRoles(s, `cols-${i}`, roles());
    s = storeWithRoles(s, 'cols-10', { ...roles(), outcome: 'z' });
    expect(s.entries).toHaveLength(MAX_MAPPINGS);
    expect(s.entries.at(-1)!.key).toBe('cols-10');
    expect(s.entries.filter((e) => e.key === 'cols-10')).toHaveLength(1);
    expect(rememberedRoles(s, 'cols-0')).toBeNull();
  });

  it('reads junk as an empty store', () => {
    for (const t of [null, '', '{', '[]', '{"entries":5}', '{"entries":[1,{"key":"nope"},{"key":"cols-a","roles":null}]}']) {
      const s = parseMappingStore(t);
      expect(s.entries.every((e) => e.key.startsWith('cols-'))).toBe(true);
    }
    expect(parseMappingStore('{"entries":[{"key":"cols-a","roles":null}]}').entries[0].roles).toEqual({ groups: [], text: [], exclude: [] });
  });
});

describe('one role per column', () => {
  it('reads the role of each column', () => {
    const r = roles();
    expect(['y', 'd', 'id', 'sex', 'note', 'junk', 'other'].map((n) => roleOfColumn(r, n))).toEqual(['outcome', 'date', 'id', 'group', 'text', 'exclude', 'feature']);
  });

  it('moves a single role: the old outcome becomes a feature and the yes value is forgotten', () => {
    const r = withColumnRole(roles(), 'other', 'outcome');
    expect(r.outcome).toBe('other');
    expect(r.positive).toBeUndefined();
    expect(roleOfColumn(r, 'y')).toBe('feature');
  });

  it('keeps the yes value when the outcome is chosen again', () => {
    expect(withColumnRole(roles(), 'y', 'outcome').positive).toBe('1');
  });

  it('moves a column from a list role to another without duplicates', () => {
    const r = withColumnRole(withColumnRole(roles(), 'sex', 'exclude'), 'sex', 'exclude');
    expect(r.groups).toEqual([]);
    expect(r.exclude).toEqual(['junk', 'sex']);
    expect(withColumnRole(r, 'y', 'feature').outcome).toBeUndefined();
  });
});

describe('outcomeChoices', () => {
  it('lists distinct values most frequent first and keeps the current one', () => {
    const preview = [['1', 'a'], ['0', 'b'], ['0', null], ['', 'c']];
    expect(outcomeChoices(preview, 0)).toEqual(['0', '1']);
    expect(outcomeChoices(preview, 0, 'Yes')).toEqual(['Yes', '0', '1']);
  });
});

describe('a doubtful yes value', () => {
  const doubtful = () => ({ ...roles(), positiveDoubt: 'the values do not say which means yes' });
  it('stays while other columns change role, and goes when the outcome changes', () => {
    expect(withColumnRole(doubtful(), 'sex', 'exclude').positiveDoubt).toBe('the values do not say which means yes');
    expect(withColumnRole(doubtful(), 'y', 'outcome').positiveDoubt).toBe('the values do not say which means yes');
    expect(withColumnRole(doubtful(), 'note', 'outcome').positiveDoubt).toBeUndefined();
    expect(withColumnRole(doubtful(), 'y', 'feature').positiveDoubt).toBeUndefined();
  });
});
