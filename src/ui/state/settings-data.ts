/**
 * The settings kept in localStorage, as plain data, and the parser that checks what was stored
 * (a stale or hand-edited entry falls back field by field; it never breaks the app).
 */
import type { DisparityAt, OperatingControl, OperatingMode } from '../../lib/report/view.ts';


/** The localStorage key (versioned: a new shape gets a new key). */
export const SETTINGS_KEY = 'candour.settings/1';

export interface SettingsData {
  operating: OperatingControl;
  disparityAt: DisparityAt;
  workshopPreset: string;
}

export const DEFAULT_SETTINGS: SettingsData = {
  operating: { mode: 'topPct', topPct: 10, threshold: 0.5, capacity: 20 },
  disparityAt: 'threshold',
  workshopPreset: 'realistic',
};

const MODES: readonly OperatingMode[] = ['topPct', 'threshold', 'capacity'];
const num = (x: unknown, lo: number, hi: number, d: number) => (typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi ? x : d);

/** Settings from stored JSON, each field checked (anything odd falls back to its default). */
export function parseSettings(text: string | null): SettingsData {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    if (v && typeof v === 'object') raw = v as Record<string, unknown>;
  } catch {
    // A corrupt entry is replaced by defaults, never fatal.
  }
  const op = (raw.operating && typeof raw.operating === 'object' ? raw.operating : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  return {
    operating: {
      mode: MODES.includes(op.mode as OperatingMode) ? (op.mode as OperatingMode) : d.operating.mode,
      topPct: num(op.topPct, 1, 100, d.operating.topPct),
      threshold: num(op.threshold, -1e9, 1e9, d.operating.threshold),
      capacity: num(op.capacity, 0, 1e9, d.operating.capacity),
    },
    disparityAt: raw.disparityAt === 'topK' ? 'topK' : 'threshold',
    workshopPreset: typeof raw.workshopPreset === 'string' ? raw.workshopPreset : d.workshopPreset,
  };
}
