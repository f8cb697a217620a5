/** The current route, following the location hash (see routes.ts). */
import { hrefOf, routeOf, type Route } from './routes.ts';

export { STEPS, hrefOf, routeOf, type Route, type StepRoute } from './routes.ts';

export class Router {
  route = $state<Route>('start');

  watch(): () => void {
    const read = () => {
      const next = routeOf(location.hash);
      if (next !== this.route) {
        this.route = next;
        window.scrollTo(0, 0);
      }
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }

  go(route: Route): void {
    location.hash = hrefOf(route);
  }
}
