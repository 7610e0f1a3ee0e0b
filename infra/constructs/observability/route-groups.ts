/**
 * A route group is what a latency SLO is about: the public routes (widget) and the admin routes.
 */
import { type HttpFunctionName, routes } from '../../../functions/contracts/routes';

export type RouteGroup = 'public' | 'admin';
export const routeGroups: readonly RouteGroup[] = ['public', 'admin'];

/**
 * The one function that serves a route group (every route of the group names it in functions/contracts/routes.ts).
 * Latency per group is that function's Lambda Duration p99: exact, and within CloudWatch's limit of 10
 * metrics per alarm however many routes there are. Throws if the route table ever mixes them.
 */
export function functionOfRouteGroup(group: RouteGroup): HttpFunctionName {
  const functions = new Set(
    routes.filter((r) => (r.access === 'public') === (group === 'public')).map((r) => r.function),
  );
  const [only, ...others] = [...functions];
  if (!only || others.length > 0) {
    throw new Error(
      `route group ${group} is served by ${functions.size} functions (${[...functions].join(', ')}); its latency alarm needs exactly one`,
    );
  }
  return only;
}
