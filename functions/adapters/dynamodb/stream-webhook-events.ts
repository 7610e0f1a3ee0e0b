/**
 * What the webhook fan-out reads from the table's stream: the events a change stands for
 * (docs/webhooks.md lists which change is which event), and the deliveries that need a queue
 * message (a new delivery, or a replay that started a new run). Event ids come from the stream
 * record (or the alert event's own deterministic id), so a redelivered record yields the same event.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AlertEvent } from '../../domain/alerts/alert-events';
import type { FollowUp } from '../../domain/followups/followup';
import type { DeliveryMessage } from '../../domain/webhooks/delivery-ports';
import type { WebhookEvent, WebhookEventType } from '../../domain/webhooks/webhook-events';
import { fromCustomerItem } from './dynamo-customer-store';
import { fromResponseItem } from './dynamo-response-store';
import { fromDeliveryItem } from './dynamo-webhook-store';
import { customerPartition, isCustomerProfileKey } from './keys';
import { type Image, imagesOf } from './stream-records';

const CUSTOMER_PREFIX = customerPartition('');
const questionOf = (series: string) => series.split('@')[0] ?? series;

function timestampOf(record: DynamoDBRecord, fallback: unknown): string {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  if (typeof seconds === 'number') return new Date(seconds * 1000).toISOString();
  return typeof fallback === 'string' ? fallback : new Date(0).toISOString();
}

function customerFieldsChanged(before: Image, after: Image): string[] {
  const ignored = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'entity', 'version', 'updatedAt']);
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => !ignored.has(n) && JSON.stringify(before[n]) !== JSON.stringify(after[n])).sort();
}

function followUpData(f: FollowUp): Record<string, unknown> {
  return {
    followUpId: f.id,
    surveyId: f.surveyId,
    responseId: f.responseId,
    ...(f.customerId ? { customerId: f.customerId } : {}),
    status: f.status,
    assigned: Boolean(f.assignee),
    revision: f.revision,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

export function webhookEventsOf(record: DynamoDBRecord): WebhookEvent[] {
  const eventId = record.eventID;
  if (!eventId) return [];
  const { before, after } = imagesOf(record);
  const event = (type: WebhookEventType, data: Record<string, unknown>, id = eventId): WebhookEvent[] => [
    { id, type, timestamp: timestampOf(record, after?.updatedAt), data },
  ];

  if (record.eventName === 'INSERT' && after?.entity === 'alert-event' && after.event) {
    const alert = after.event as AlertEvent;
    const { type, id, ...data } = alert;
    return [{ id, type, timestamp: timestampOf(record, undefined), data }];
  }
  if (record.eventName === 'INSERT' && after?.entity === 'response') {
    const r = fromResponseItem(after);
    const ratings = Object.fromEntries(Object.entries(r.facts.rated).map(([s, v]) => [questionOf(s), v]));
    const choices = Object.fromEntries(Object.entries(r.facts.choices).map(([s, v]) => [questionOf(s), v]));
    return event('response.created', {
      responseId: r.id,
      surveyId: r.surveyId,
      surveyVersion: r.surveyVersion,
      receivedAt: r.receivedAt,
      locale: r.locale,
      ...(r.customerId ? { customerId: r.customerId } : {}),
      ...(r.facts.segment !== undefined ? { segment: r.facts.segment } : {}),
      ...(r.facts.score ? { score: r.facts.score } : {}),
      detractor: r.facts.detractor,
      ratings,
      choices,
      comments: r.facts.comments,
    });
  }
  if (after?.entity === 'followup' && (record.eventName === 'INSERT' || record.eventName === 'MODIFY')) {
    const f = after as unknown as FollowUp;
    if (record.eventName === 'INSERT') return event('followup.created', followUpData(f));
    if (before && before.revision !== after.revision) return event('followup.updated', followUpData(f));
    return [];
  }
  if (after && isCustomerProfileKey(after.PK, after.SK)) {
    const c = fromCustomerItem(after);
    if (record.eventName === 'INSERT')
      return event('customer.created', {
        customerId: c.id,
        version: c.version,
        changedFields: customerFieldsChanged({}, after),
        updatedAt: c.updatedAt,
      });
    if (record.eventName === 'MODIFY' && before && before.version !== after.version)
      return event('customer.updated', {
        customerId: c.id,
        version: c.version,
        changedFields: customerFieldsChanged(before, after),
        updatedAt: c.updatedAt,
      });
    return [];
  }
  if (record.eventName === 'INSERT' && after?.entity === 'merged-customer' && typeof after.PK === 'string') {
    return event('customer.merged', {
      customerId: after.PK.slice(CUSTOMER_PREFIX.length),
      mergedInto: after.mergedInto,
    });
  }
  // The erasure marker goes last, once everything about the person is gone.
  if (record.eventName === 'REMOVE' && before?.entity === 'erasure' && typeof before.PK === 'string') {
    return event('customer.erased', { customerId: before.PK.slice(CUSTOMER_PREFIX.length) });
  }
  return [];
}

/** A delivery that needs its first attempt queued: it is new, or a replay started a new run. */
export function deliveryMessagesOf(record: DynamoDBRecord): DeliveryMessage[] {
  const { before, after } = imagesOf(record);
  if (after?.entity !== 'webhook-delivery') return [];
  if (record.eventName !== 'INSERT' && !(record.eventName === 'MODIFY' && before?.run !== after.run)) return [];
  const d = fromDeliveryItem(after);
  return [{ subscriptionId: d.subscriptionId, deliveryId: d.id, run: d.run, attempt: 1 }];
}
