/**
 * The settings kept in localStorage, as plain data, and the parser that checks what was stored
 * (a stale or hand-edited entry falls back field by field; it never breaks the app).
 * The operating policy is not a setting: it lives in PolicyState alone.
 */

/** The localStorage key (versioned: a new shape gets a new key). */
export const SETTINGS_KEY = 'candour.settings/2';

export interface SettingsData {
  workshopPreset: string;
}

export const DEFAULT_SETTINGS: SettingsData = {
  workshopPreset: 'realistic',
};

/** Settings from stored JSON, each field checked (anything odd falls back to its default). */
export function parseSettings(text: string | null): SettingsData {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    if (v && typeof v === 'object') raw = v as Record<string, unknown>;
  } catch {
    // A corrupt entry is replaced by defaults, never fatal.
  }
  return {
    workshopPreset: typeof raw.workshopPreset === 'string' ? raw.workshopPreset : DEFAULT_SETTINGS.workshopPreset,
  };
}
