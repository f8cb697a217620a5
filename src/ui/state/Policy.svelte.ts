/**
 * THE operating policy: the one place in the app's state that holds how the service would use
 * the score (flag the top K%, every score from T, or N cases a month). The Question page sets it,
 * the run spec carries it, the Results control changes it, and every page reads the report at it.
 * Kept in this browser's localStorage when a store is given (the bundle viewer keeps none).
 */
import { controlWith, DEFAULT_CONTROL, parseControl, policyOf, type OperatingControl } from '../../lib/report/policy-view.ts';
import { policyWords, type OperatingPolicy } from '../../lib/run/policy.ts';

export const POLICY_KEY = 'candour.policy/1';

export class PolicyState {
  control = $state.raw<OperatingControl>(DEFAULT_CONTROL);
  readonly #store: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(store: Pick<Storage, 'getItem' | 'setItem'> | null = null) {
    this.#store = store;
  }

  get policy(): OperatingPolicy {
    return policyOf(this.control);
  }

  get words(): string {
    return policyWords(this.policy);
  }

  load(): void {
    let text: string | null = null;
    try {
      text = this.#store?.getItem(POLICY_KEY) ?? null;
    } catch {
      // Storage disabled by policy: the choice lasts for this visit.
    }
    let raw: unknown = null;
    try {
      raw = text ? JSON.parse(text) : null;
    } catch {
      // A corrupt entry falls back to the default.
    }
    this.control = parseControl(raw);
  }

  /** Changes the control (a kind, or a kind's value); values that make no policy are refused. */
  set(patch: Partial<OperatingControl>): void {
    const next = parseControl({ ...this.control, ...patch });
    const fell = (k: keyof OperatingControl) => patch[k] !== undefined && patch[k] !== next[k];
    if (fell('topPct') || fell('threshold') || fell('capacity') || fell('mode')) return;
    this.#put(next);
  }

  /** Takes a report's own policy (a report opened, or a run made elsewhere). */
  adopt(policy: OperatingPolicy): void {
    this.#put(controlWith(this.control, policy));
  }

  #put(next: OperatingControl): void {
    this.control = next;
    try {
      this.#store?.setItem(POLICY_KEY, JSON.stringify(next));
    } catch {
      // Full or disabled storage: keep working for this visit.
    }
  }
}
