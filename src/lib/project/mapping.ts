/**
 * Remembered column mappings: for each set of column names (keyed by `mappingKey`, a hash of the
 * names only) the roles the analyst chose last time, so the next extract with the same columns
 * starts mapped. Holds names of columns and the outcome's "yes" value — never a cell of data.
 */
import type { RoleMapping } from '../data/roles.ts';
import { parseRoles } from './config.ts';

export const MAPPING_STORE_KEY = 'candour.mappings/1';
/** Oldest entries are forgotten beyond this many column sets. */
export const MAX_MAPPINGS = 20;

export interface MappingStore {
  /** Most recent last. */
  entries: { key: string; roles: RoleMapping; savedAt: string }[];
}

/** The store from localStorage text; anything malformed is dropped. */
export function parseMappingStore(text: string | null): MappingStore {
  try {
    const v: unknown = text ? JSON.parse(text) : null;
    if (!v || typeof v !== 'object' || !Array.isArray((v as MappingStore).entries)) return { entries: [] };
    const entries = (v as { entries: unknown[] }).entries.flatMap((e) => {
      if (!e || typeof e !== 'object') return [];
      const { key, roles, savedAt } = e as Record<string, unknown>;
      if (typeof key !== 'string' || !key.startsWith('cols-')) return [];
      return [{ key, roles: parseRoles(roles), savedAt: typeof savedAt === 'string' ? savedAt : '' }];
    });
    return { entries: entries.slice(-MAX_MAPPINGS) };
  } catch {
    return { entries: [] };
  }
}

export function rememberedRoles(store: MappingStore, key: string): { roles: RoleMapping; savedAt: string } | null {
  const e = store.entries.find((x) => x.key === key);
  return e ? { roles: e.roles, savedAt: e.savedAt } : null;
}

/** A new store with `roles` saved under `key` (replacing any older entry), capped at MAX_MAPPINGS. */
export function storeWithRoles(store: MappingStore, key: string, roles: RoleMapping, now: Date = new Date()): MappingStore {
  const kept = store.entries.filter((e) => e.key !== key);
  // The doubt about a guessed "yes" value quotes counts of the data: never stored with the names.
  const { positiveDoubt: _, ...names } = roles;
  return { entries: [...kept, { key, roles: structuredClone(names), savedAt: now.toISOString() }].slice(-MAX_MAPPINGS) };
}

/** Which role a column has in a mapping, for a one-control-per-column view. */
export type ColumnRoleChoice = 'feature' | 'outcome' | 'date' | 'id' | 'group' | 'text' | 'score' | 'exclude';

export function roleOfColumn(roles: RoleMapping, name: string): ColumnRoleChoice {
  if (roles.outcome === name) return 'outcome';
  if (roles.score === name) return 'score';
  if (roles.date === name) return 'date';
  if (roles.id === name) return 'id';
  if (roles.groups.includes(name)) return 'group';
  if (roles.text.includes(name)) return 'text';
  if (roles.exclude.includes(name)) return 'exclude';
  return 'feature';
}

/**
 * `roles` with column `name` given `role`. Single roles (outcome, date, ID, score) move: the column
 * that held them before becomes an ordinary feature. Changing the outcome forgets its "yes" value
 * (the caller proposes a new one).
 */
export function withColumnRole(roles: RoleMapping, name: string, role: ColumnRoleChoice): RoleMapping {
  const drop = (xs: string[]) => xs.filter((x) => x !== name);
  const next: RoleMapping = {
    ...roles,
    outcome: roles.outcome === name ? undefined : roles.outcome,
    positive: roles.outcome === name ? undefined : roles.positive,
    date: roles.date === name ? undefined : roles.date,
    id: roles.id === name ? undefined : roles.id,
    score: roles.score === name ? undefined : roles.score,
    groups: drop(roles.groups), text: drop(roles.text), exclude: drop(roles.exclude),
  };
  switch (role) {
    case 'outcome': if (roles.outcome !== name) next.positive = undefined; else next.positive = roles.positive; next.outcome = name; break;
    case 'date': next.date = name; break;
    case 'id': next.id = name; break;
    case 'score': next.score = name; break;
    case 'group': next.groups = [...next.groups, name]; break;
    case 'text': next.text = [...next.text, name]; break;
    case 'exclude': next.exclude = [...next.exclude, name]; break;
  }
  // A doubt about the "yes" value belongs to that outcome and value only.
  if (next.outcome !== roles.outcome || next.positive !== roles.positive) delete next.positiveDoubt;
  return next;
}

/** Distinct values shown as choices for "which value means yes": from the preview rows, most frequent first. */
export function outcomeChoices(preview: (string | null)[][], columnIndex: number, current?: string): string[] {
  const counts = new Map<string, number>();
  for (const row of preview) {
    const v = row[columnIndex];
    if (v !== null && v !== undefined && v.trim() !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const out = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
  if (current !== undefined && current !== '' && !out.includes(current)) out.unshift(current);
  return out;
}
