/**
 * THE event-source filters of the table stream's two consumers, in Lambda's FilterCriteria pattern
 * form (one pattern per entry; a record is delivered when it matches any of them). The CDK app hands
 * them to each event source mapping (`FilterCriteria.filter(pattern)`) and the local stream poller
 * applies the same patterns (`local/stream/event-filter.ts`), so a record that Lambda would never
 * deliver is never delivered locally either.
 *
 * Why: every write the aggregator makes (counter cells, exactly-once markers, arrival counts,
 * follow-ups) and every write the fan-out makes (deliveries it updates, submission budgets, salts…)
 * is itself a stream record. Without a filter each of them costs a Lambda invocation that finds
 * nothing to do. The patterns are allow-lists of what each handler reads (its `*Of(record)`
 * functions): a record that matches none of them yields no effect there, which the unit tests check
 * against the handlers' own decoders.
 *
 * Only the subset of the pattern syntax the local matcher implements is used: nested objects,
 * arrays of exact strings, `{ prefix }`. Key strings come from the key builders (keys.ts).
 * Pure data: no AWS imports.
 */
import { customerPartition, keys } from '../adapters/dynamodb/keys';

/** A leaf of a pattern: the value equals one of the strings, or starts with a `prefix`. */
export type StreamFilterValue = string | { readonly prefix: string };
export interface StreamFilterPattern {
  readonly [field: string]: StreamFilterPattern | readonly StreamFilterValue[];
}

const image = (entities: readonly string[]) => ({ entity: { S: entities } });

/** A customer profile changed (created, updated, deleted): data-quality counters, duplicate groups, webhooks. */
const customerProfile: StreamFilterPattern = {
  dynamodb: { Keys: { PK: { S: [{ prefix: customerPartition('') }] }, SK: { S: [keys.customer('').SK] } } },
};

/**
 * The aggregator (`stream-links.ts`, `stream-effects.ts`): new and re-linked responses, funnel
 * events, merges, customer profiles. Never its own writes (entities `counters`, `aggregate`,
 * `stream-marker`, `followup`, `duplicate-group`).
 */
export const AGGREGATOR_STREAM_FILTERS: readonly StreamFilterPattern[] = [
  { dynamodb: { NewImage: image(['response', 'display', 'merged-customer']) } },
  customerProfile,
];

/**
 * The webhook fan-out (`stream-webhook-events.ts`): responses, follow-ups, alert events, merges,
 * customer profiles, deliveries to queue, and the end of an erasure (its marker's removal).
 */
export const WEBHOOK_FANOUT_STREAM_FILTERS: readonly StreamFilterPattern[] = [
  {
    dynamodb: {
      NewImage: image(['response', 'followup', 'alert-event', 'merged-customer', 'webhook-delivery']),
    },
  },
  customerProfile,
  { eventName: ['REMOVE'], dynamodb: { OldImage: image(['erasure']) } },
];
