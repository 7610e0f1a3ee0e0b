/**
 * Matches a request against THE route table with API Gateway's precedence: among the routes of the
 * request's method, a static segment wins over a `{param}`, which wins over a greedy `{proxy+}` (so
 * `GET /v1/customers/lookup` is never taken for the customer with id "lookup").
 */
import type { RouteDefinition } from '../functions/contracts/routes';

export interface RouteMatch {
  readonly route: RouteDefinition;
  /** URL-decoded, as API Gateway delivers them; undefined when the route has none. */
  readonly pathParameters: Record<string, string> | undefined;
}

export type MatchResult =
  | { readonly kind: 'matched'; readonly match: RouteMatch }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

type Segment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly segments: readonly Segment[];
}

const RANK: Record<Segment['kind'], number> = { static: 0, param: 1, greedy: 2 };

export function createRouteMatcher(
  routes: readonly RouteDefinition[],
): (method: string, rawPath: string) => MatchResult {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: compile(route.path) }));
  return (method, rawPath) => {
    const parts = rawPath.split('/').slice(1);
    const candidates = compiled
      .map((c) => ({ c, params: matchSegments(c.segments, parts) }))
      .filter((m): m is { c: CompiledRoute; params: Record<string, string> } => m.params !== undefined)
      .sort((a, b) => compareSpecificity(a.c.segments, b.c.segments));
    if (candidates.length === 0) return { kind: 'not-found' };
    // Route keys are "METHOD path": like API Gateway, pick the most specific path among the routes of
    // this method (DELETE /v1/customers/lookup goes to DELETE /v1/customers/{id}).
    const hit = candidates.find((m) => m.c.route.method === method);
    if (!hit) return { kind: 'method-not-allowed', allowed: [...new Set(candidates.map((m) => m.c.route.method))] };
    const pathParameters = Object.keys(hit.params).length > 0 ? hit.params : undefined;
    return { kind: 'matched', match: { route: hit.c.route, pathParameters } };
  };
}

function compile(routePath: string): Segment[] {
  return routePath
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(part);
      if (!param?.[1]) return { kind: 'static', value: part };
      return param[2] ? { kind: 'greedy', name: param[1] } : { kind: 'param', name: param[1] };
    });
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = safeDecode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'static') {
      if (part !== segment.value) return undefined;
    } else {
      params[segment.name] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** Lexicographic by segment kind: static before param before greedy, position by position. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const sa = a[i];
    const sb = b[i];
    const ra = sa ? RANK[sa.kind] : -1;
    const rb = sb ? RANK[sb.kind] : -1;
    if (ra !== rb) return ra - rb;
  }
  return 0;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
