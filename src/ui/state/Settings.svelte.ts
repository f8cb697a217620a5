/**
 * Configuration that survives a reload, kept in this browser's localStorage: how the operating
 * point is chosen, fairness view choices, the workshop preset. Never case data, never results.
 */
import { DEFAULT_SETTINGS, SETTINGS_KEY, parseSettings, type SettingsData } from './settings-data.ts';
import type { OperatingControl, DisparityAt } from '../../lib/report/view.ts';

const KEY = SETTINGS_KEY;

export class Settings {
  operating = $state<OperatingControl>({ ...DEFAULT_SETTINGS.operating });
  disparityAt = $state<DisparityAt>(DEFAULT_SETTINGS.disparityAt);
  workshopPreset = $state(DEFAULT_SETTINGS.workshopPreset);

  load(): void {
    let text: string | null = null;
    try {
      text = localStorage.getItem(KEY);
    } catch {
      // Storage may be disabled (private mode, policy): settings then last for this visit only.
    }
    const s = parseSettings(text);
    this.operating = s.operating;
    this.disparityAt = s.disparityAt;
    this.workshopPreset = s.workshopPreset;
  }

  #save(): void {
    const data: SettingsData = { operating: this.operating, disparityAt: this.disparityAt, workshopPreset: this.workshopPreset };
    try {
      localStorage.setItem(KEY, JSON.stringify(data));
    } catch {
      // See load().
    }
  }

  setOperating(patch: Partial<OperatingControl>): void {
    this.operating = { ...this.operating, ...patch };
    this.#save();
  }

  setDisparityAt(at: DisparityAt): void {
    this.disparityAt = at;
    this.#save();
  }

  setWorkshopPreset(name: string): void {
    this.workshopPreset = name;
    this.#save();
  }
}
