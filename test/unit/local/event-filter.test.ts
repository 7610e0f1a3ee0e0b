/**
 * The stream consumers' event-source filters (functions/contracts/stream-filters.ts) and the local
 * poller's matcher for them. The examples are items built by the adapters' own item builders: what
 * a filter lets through is what the handler acts on, and every record a filter drops is one the
 * handler's decoder turns into nothing (so filtering can never lose a count, a task or a webhook).
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toCustomerItem } from '../../../functions/adapters/dynamodb/dynamo-customer-store';
import { toDisplayItem } from '../../../functions/adapters/dynamodb/dynamo-display-store';
import { toFollowUpItem } from '../../../functions/adapters/dynamodb/dynamo-followup-store';
import { toResponseItem } from '../../../functions/adapters/dynamodb/dynamo-response-store';
import {
  aggregateKeys,
  arrivalKeys,
  feedbackKeys,
  keys,
  limitKeys,
  markerIds,
} from '../../../functions/adapters/dynamodb/keys';
import { effectsOf } from '../../../functions/adapters/dynamodb/stream-effects';
import { deliveryMessagesOf, webhookEventsOf } from '../../../functions/adapters/dynamodb/stream-webhook-events';
import {
  AGGREGATOR_STREAM_FILTERS,
  type StreamFilterPattern,
  WEBHOOK_FANOUT_STREAM_FILTERS,
} from '../../../functions/contracts/stream-filters';
import { matchesStreamFilters } from '../../../local/stream/event-filter';
import { customer, draftSurvey, followUp, published, surveyResponse } from '../../integration/adapters/fixtures';

type Item = Record<string, unknown>;
let seq = 0;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', before: Item | undefined, after: Item | undefined) {
  const image = (item: Item | undefined) =>
    item
      ? (marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as Record<
          string,
          LambdaAttributeValue
        >)
      : undefined;
  const any = (after ?? before) as Item;
  const keyImage = image({ PK: any.PK, SK: any.SK });
  const oldImage = image(before);
  const newImage = image(after);
  return {
    eventID: `event-${++seq}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(seq).padStart(21, '0'),
      ...(keyImage ? { Keys: keyImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      ...(newImage ? { NewImage: newImage } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
}

const survey = published(draftSurvey());
const detractor = surveyResponse(survey, { overall: 1 });
const person = customer({ name: 'Li Lei', email: 'li.lei@example.cn' });
const renamed = { ...person, name: 'Li  Lei', version: person.version + 1 };
const task = followUp(survey.id);
const display = toDisplayItem({
  id: 'display-1',
  surveyId: survey.id,
  event: 'shown',
  day: detractor.day,
  receivedAt: detractor.receivedAt,
});
const merged = { ...keys.mergedCustomer('dup-1'), entity: 'merged-customer', mergedInto: person.id };
const erasure = { ...keys.erasure(person.id), entity: 'erasure', startedAt: detractor.receivedAt };
const delivery = { PK: 'WEBHOOK#w1', SK: 'DELIVERY#d1', entity: 'webhook-delivery', run: 1 };

/** Records every consumer acts on, by consumer. */
const aggregatorActsOn: [string, DynamoDBRecord][] = [
  ['a new response', record('INSERT', undefined, toResponseItem(detractor))],
  [
    'a response linked to a customer',
    record('MODIFY', toResponseItem(detractor), toResponseItem({ ...detractor, customerId: person.id })),
  ],
  ['a funnel event', record('INSERT', undefined, display)],
  ['a merge tombstone', record('INSERT', undefined, merged)],
  ['a new customer', record('INSERT', undefined, toCustomerItem(person))],
  ['a changed customer', record('MODIFY', toCustomerItem(person), toCustomerItem(renamed))],
  ['a deleted customer', record('REMOVE', toCustomerItem(renamed), undefined)],
];
const webhooksActOn: [string, DynamoDBRecord][] = [
  ['a new response', record('INSERT', undefined, toResponseItem(detractor))],
  ['a new follow-up', record('INSERT', undefined, toFollowUpItem(task))],
  [
    'a follow-up update',
    record('MODIFY', toFollowUpItem(task), toFollowUpItem({ ...task, status: 'contacted', revision: 2 })),
  ],
  ['a merge tombstone', record('INSERT', undefined, merged)],
  ['a new customer', record('INSERT', undefined, toCustomerItem(person))],
  ['a changed customer', record('MODIFY', toCustomerItem(person), toCustomerItem(renamed))],
  ['the end of an erasure', record('REMOVE', erasure, undefined)],
  ['a new delivery', record('INSERT', undefined, delivery)],
  ['an alert event', record('INSERT', undefined, { PK: 'ALERT#s', SK: 'EVENT#1', entity: 'alert-event', event: {} })],
];

/** The aggregator's own writes and the submission's guards: never worth an invocation. */
const aggregate = { ...aggregateKeys.dayTotal(survey.id, detractor.day), entity: 'counters', n: 1 };
const noise: [string, DynamoDBRecord][] = [
  ['a day-total cell', record('INSERT', undefined, aggregate)],
  ['a day-total cell counted on', record('MODIFY', aggregate, { ...aggregate, n: 2 })],
  [
    'an exactly-once marker',
    record('INSERT', undefined, {
      ...keys.streamMarker(markerIds.responseEffects(survey.id, detractor.id)),
      entity: 'stream-marker',
      expiresAt: 1,
    }),
  ],
  [
    'an arrival count',
    record('INSERT', undefined, { ...arrivalKeys.hour(survey.id, '2026-11-30T04'), entity: 'counters', n: 1 }),
  ],
  [
    'a feedback counter',
    record('INSERT', undefined, { ...feedbackKeys.item(person.id), entity: 'counters', feedbackCount: 1 }),
  ],
  ['a submission budget', record('INSERT', undefined, { ...limitKeys.item(survey.id, 3, '2026-11-30T04:05'), n: 1 })],
  ['a stream marker expiring', record('REMOVE', { ...keys.streamMarker('x'), entity: 'stream-marker' }, undefined)],
];

describe('matchesStreamFilters (the subset of Lambda filter patterns the contract uses)', () => {
  const pattern: StreamFilterPattern = { a: { b: ['x', { prefix: 'pre-' }] }, c: ['y'] };
  it('needs every field of a pattern to match, and any value of a list', () => {
    expect(matchesStreamFilters({ a: { b: 'x' }, c: 'y' } as DynamoDBRecord, [pattern])).toBe(true);
    expect(matchesStreamFilters({ a: { b: 'pre-fix' }, c: 'y' } as DynamoDBRecord, [pattern])).toBe(true);
    expect(matchesStreamFilters({ a: { b: 'pre' }, c: 'y' } as DynamoDBRecord, [pattern])).toBe(false);
    expect(matchesStreamFilters({ a: { b: 'x' }, c: 'z' } as DynamoDBRecord, [pattern])).toBe(false);
    expect(matchesStreamFilters({ c: 'y' } as DynamoDBRecord, [pattern])).toBe(false);
    expect(matchesStreamFilters({ a: 'x', c: 'y' } as unknown as DynamoDBRecord, [pattern])).toBe(false);
  });
  it('lets a record through when any pattern matches, and everything through without patterns', () => {
    expect(matchesStreamFilters({ c: 'y' } as DynamoDBRecord, [pattern, { c: ['y'] }])).toBe(true);
    expect(matchesStreamFilters({ c: 'q' } as DynamoDBRecord, [])).toBe(true);
    expect(matchesStreamFilters({ c: 'q' } as DynamoDBRecord, undefined)).toBe(true);
  });
  it('refuses rules it does not implement instead of guessing', () => {
    const numeric = { c: [{ numeric: ['>', 1] }] } as unknown as StreamFilterPattern;
    expect(() => matchesStreamFilters({ c: 'y' } as DynamoDBRecord, [numeric])).toThrow(/unsupported filter rule/);
  });
});

describe("the aggregator's event-source filter", () => {
  it.each(aggregatorActsOn)('delivers %s', (_, r) => {
    expect(matchesStreamFilters(r, AGGREGATOR_STREAM_FILTERS)).toBe(true);
  });
  it.each([...noise, ...webhooksActOn.filter(([name]) => !aggregatorActsOn.some(([n]) => n === name))])(
    'drops %s, which the aggregator turns into nothing',
    (_, r) => {
      expect(matchesStreamFilters(r, AGGREGATOR_STREAM_FILTERS)).toBe(false);
      expect(effectsOf(r)).toEqual([]);
    },
  );
  it('acts on what it delivers (the examples are not vacuous)', () => {
    expect(effectsOf(aggregatorActsOn[0]![1]).length).toBeGreaterThan(0);
  });
});

describe("the webhook fan-out's event-source filter", () => {
  it.each(webhooksActOn)('delivers %s', (_, r) => {
    expect(matchesStreamFilters(r, WEBHOOK_FANOUT_STREAM_FILTERS)).toBe(true);
    expect(webhookEventsOf(r).length + deliveryMessagesOf(r).length).toBeGreaterThan(0);
  });
  it.each([...noise, ['a funnel event', aggregatorActsOn[2]![1]] as [string, DynamoDBRecord]])(
    'drops %s, which the fan-out turns into nothing',
    (_, r) => {
      expect(matchesStreamFilters(r, WEBHOOK_FANOUT_STREAM_FILTERS)).toBe(false);
      expect(webhookEventsOf(r)).toEqual([]);
      expect(deliveryMessagesOf(r)).toEqual([]);
    },
  );
});
