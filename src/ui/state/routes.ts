/**
 * The app's routes: hash routing (#/results) works from a file share or any static host with no
 * server rules, and every step can be bookmarked and revisited.
 */
export const STEPS = [
  { route: 'data', label: 'Data' },
  { route: 'question', label: 'Question' },
  { route: 'models', label: 'Models' },
  { route: 'results', label: 'Results' },
  { route: 'fairness', label: 'Fairness' },
  { route: 'share', label: 'Share' },
] as const;

export type StepRoute = (typeof STEPS)[number]['route'];
export type Route = 'start' | 'workshop' | 'compare' | 'external' | StepRoute;

const ROUTES: readonly string[] = ['start', 'workshop', 'compare', 'external', ...STEPS.map((s) => s.route)];

/** The route named by a location hash ("#/results" -> "results"); unknown or empty -> start. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES.includes(name) ? name : 'start') as Route;
}

export const hrefOf = (route: Route): string => (route === 'start' ? '#/' : `#/${route}`);
