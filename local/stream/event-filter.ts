/**
 * Lambda's event filtering for the local stream poller: a record goes to the handler only when it
 * matches one of the consumer's patterns (functions/contracts/stream-filters.ts, the same patterns the
 * CDK app gives the event source mappings). Implements the subset of the pattern syntax those
 * patterns use: nested objects (every field must match), arrays of exact strings or `{ prefix }`
 * (any may match). Anything else in a pattern is refused loudly rather than guessed at.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamFilterPattern, StreamFilterValue } from '../../functions/contracts/stream-filters';

function leafMatches(value: unknown, allowed: readonly StreamFilterValue[]): boolean {
  if (typeof value !== 'string') return false;
  return allowed.some((rule) => {
    if (typeof rule === 'string') return value === rule;
    if (typeof rule === 'object' && rule !== null && typeof rule.prefix === 'string' && Object.keys(rule).length === 1)
      return value.startsWith(rule.prefix);
    throw new Error(
      `unsupported filter rule ${JSON.stringify(rule)}: the local matcher knows exact strings and prefix`,
    );
  });
}

function objectMatches(value: unknown, pattern: StreamFilterPattern): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return Object.entries(pattern).every(([name, rule]) =>
    Array.isArray(rule) ? leafMatches(fields[name], rule) : objectMatches(fields[name], rule as StreamFilterPattern),
  );
}

/** Whether Lambda would deliver this record to a consumer with these filters (none = everything). */
export function matchesStreamFilters(record: DynamoDBRecord, filters: readonly StreamFilterPattern[] | undefined) {
  if (!filters || filters.length === 0) return true;
  return filters.some((pattern) => objectMatches(record, pattern));
}
