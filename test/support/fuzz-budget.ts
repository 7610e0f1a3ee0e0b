/**
 * The route fuzzers enumerate THE route table, so every new route used to add a fixed number of HTTP
 * cases and the suite's time grew with the API. Instead each property gets a total budget of cases
 * that is divided over the routes it runs on, with a floor so that no route is ever tested lightly.
 * Coverage still accumulates on developers' runs, where fast-check draws a fresh seed each time (CI
 * replays FC_SEED; a failure prints its seed either way).
 */
export interface FuzzBudget {
  /** HTTP cases for this property over all routes it runs on. */
  total: number;
  /** No route gets fewer than this many cases, however many routes there are. */
  floor: number;
  /** No route gets more than this many cases, however few routes there are. */
  ceiling: number;
}

export function runsPerRoute(budget: FuzzBudget, routes: number): number {
  if (routes <= 0) return budget.floor;
  return Math.max(budget.floor, Math.min(budget.ceiling, Math.floor(budget.total / routes)));
}
