/**
 * Configuration that survives a reload, kept in this browser's localStorage: the workshop
 * preset. Never case data, never results, and not the operating policy (see PolicyState).
 */
import { DEFAULT_SETTINGS, SETTINGS_KEY, parseSettings, type SettingsData } from './settings-data.ts';

const KEY = SETTINGS_KEY;

export class Settings {
  workshopPreset = $state(DEFAULT_SETTINGS.workshopPreset);

  load(): void {
    let text: string | null = null;
    try {
      text = localStorage.getItem(KEY);
    } catch {
      // Storage may be disabled (private mode, policy): settings then last for this visit only.
    }
    this.workshopPreset = parseSettings(text).workshopPreset;
  }

  #save(): void {
    const data: SettingsData = { workshopPreset: this.workshopPreset };
    try {
      localStorage.setItem(KEY, JSON.stringify(data));
    } catch {
      // See load().
    }
  }

  setWorkshopPreset(name: string): void {
    this.workshopPreset = name;
    this.#save();
  }
}
