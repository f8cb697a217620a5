/**
 * What the page can see of its own network use: every resource it fetched and every request
 * the Content-Security-Policy blocked. Shown to the user as evidence, not as a promise.
 */
import { offOriginUrls } from '../../lib/privacy.ts';

export class PrivacyState {
  requests = $state(0);
  offOrigin = $state.raw<string[]>([]);
  blocked = $state.raw<string[]>([]);

  watch(): () => void {
    const seen = (urls: string[]) => {
      this.requests += urls.length;
      const off = offOriginUrls(urls, location.origin);
      if (off.length) this.offOrigin = [...this.offOrigin, ...off];
    };
    seen(performance.getEntriesByType('resource').map((e) => e.name));
    const observer = new PerformanceObserver((list) => seen(list.getEntries().map((e) => e.name)));
    observer.observe({ type: 'resource', buffered: false });
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      this.blocked = [...this.blocked, `${e.effectiveDirective}: ${e.blockedURI}`];
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => {
      observer.disconnect();
      document.removeEventListener('securitypolicyviolation', onViolation);
    };
  }
}
