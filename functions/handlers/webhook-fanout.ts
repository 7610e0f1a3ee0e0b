/**
 * Lambda entry of the webhook fan-out, the table stream's second consumer: each change that is an
 * event becomes one delivery per subscription that wants it, and each new delivery (or replay) one
 * message on the delivery queue. Both are idempotent; on a failure the first unprocessed record is
 * reported (reportBatchItemFailures) and Lambda retries from there.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoWebhookStore } from '../adapters/dynamodb/dynamo-webhook-store';
import { deliveryMessagesOf, webhookEventsOf } from '../adapters/dynamodb/stream-webhook-events';
import { SqsDeliveryQueue } from '../adapters/sqs/sqs-delivery-queue';
import { webhookQueueUrlFrom } from '../config';
import type { DeliveryQueue } from '../domain/webhooks/delivery-ports';
import { FanoutService } from '../domain/webhooks/fanout-service';
import type { WebhookSubscription } from '../domain/webhooks/webhook-subscription';
import { logger } from '../observability/logger';

export type FanoutHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** The handler around a queue (SQS in AWS, the local runtime's queue on a laptop). */
export function fanoutHandlerWith(queue: DeliveryQueue): FanoutHandler {
  const db = createDocumentClient('webhook-fanout');
  const fanout = new FanoutService({ store: new DynamoWebhookStore(db, tableNameFrom()), queue, clock: systemClock });
  return async (event) => {
    let deliveries = 0;
    let queued = 0;
    const events = event.Records.map(webhookEventsOf);
    let subscriptions: WebhookSubscription[] | undefined;
    for (const [index, record] of event.Records.entries()) {
      try {
        const recordEvents = events[index] ?? [];
        if (recordEvents.length > 0) {
          subscriptions ??= await fanout.enabledSubscriptions();
          deliveries += await fanout.fanOut(recordEvents, subscriptions);
        }
        const messages = deliveryMessagesOf(record);
        await fanout.enqueue(messages);
        queued += messages.length;
      } catch (error) {
        logger.warn('webhook fan-out failed; Lambda will retry from this record', {
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: error instanceof Error ? error.name : String(error),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    if (deliveries || queued) logger.info('webhook fan-out', { records: event.Records.length, deliveries, queued });
    return { batchItemFailures: [] };
  };
}

let built: FanoutHandler | undefined;

export const handler: FanoutHandler = (event) => {
  built ??= fanoutHandlerWith(new SqsDeliveryQueue(new SQSClient({}), webhookQueueUrlFrom()));
  return built(event);
};
