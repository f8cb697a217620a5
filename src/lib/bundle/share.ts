/** The one call that turns a local report into something safe to send. */
import type { Bundle } from './schema.ts';
import { applyDisclosureControl, type DisclosureOptions } from './disclosure.ts';
import { withIntegrity } from './integrity.ts';

/** Disclosure control, then an integrity hash over the result. */
export function shareableBundle(report: Bundle, opts?: DisclosureOptions): Bundle {
  return withIntegrity(applyDisclosureControl(report, opts));
}
