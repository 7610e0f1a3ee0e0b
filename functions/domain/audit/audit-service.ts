/** Reading the audit log, and proving it has not been changed. */
import { ValidationError } from '../errors';
import type { Clock } from '../ports';
import { type AuditQuery, type AuditStore, type ChainCheck, verifyChain } from './audit-entry';

const DAY_MS = 86_400_000;

export class AuditService {
  constructor(private readonly deps: { store: AuditStore; clock: Clock }) {}

  list(query: AuditQuery) {
    return this.deps.store.list(query);
  }

  /** Checks the chain over a range (default: the last 30 days; at most 400 days per call). */
  async verify(query: {
    from?: string | undefined;
    to?: string | undefined;
  }): Promise<ChainCheck & { from: string; to: string }> {
    const to = query.to ? new Date(query.to) : this.deps.clock.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (!(to > from)) throw new ValidationError([{ path: 'query/to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > 400 * DAY_MS)
      throw new ValidationError([{ path: 'query/from', message: 'verify at most 400 days per call' }]);
    const range = { from: from.toISOString(), to: to.toISOString() };
    return { ...range, ...verifyChain(await this.deps.store.range(range.from, range.to)) };
  }
}
