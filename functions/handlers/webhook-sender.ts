/**
 * Lambda entry of the webhook sender, fed by the delivery queue: each message is one attempt of one
 * delivery (docs/webhooks.md "Retries"). A message that fails for a reason of ours (the table did not
 * answer) is reported back (reportBatchItemFailures) and comes back after the visibility timeout;
 * after the queue's max receives it goes to the dead-letter queue, which an alarm watches.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoWebhookStore } from '../adapters/dynamodb/dynamo-webhook-store';
import { parseDeliveryMessage, SqsDeliveryQueue } from '../adapters/sqs/sqs-delivery-queue';
import { HttpWebhookTransport, type Resolver, systemResolver } from '../adapters/webhooks/http-transport';
import { webhookConfigFrom, webhookQueueUrlFrom } from '../config';
import type { Mailer } from '../domain/mail/mailer';
import type { DeliveryQueue } from '../domain/webhooks/delivery-ports';
import { DeliveryService } from '../domain/webhooks/delivery-service';
import { logger } from '../observability/logger';
import {
  recordWebhookAttempt,
  recordWebhookDeadLettered,
  recordWebhookSubscriptionDisabled,
} from '../observability/metrics';
import { lambdaMailer } from './webhook-mailer';

export type SenderHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface SenderWiring {
  queue: DeliveryQueue;
  mailer: Mailer;
  /** How host names are resolved (the local runtime's tests map names to chosen addresses). */
  resolve?: Resolver;
}

export function senderHandlerWith(wiring: SenderWiring): SenderHandler {
  const config = webhookConfigFrom();
  const db = createDocumentClient('webhook-sender');
  const deliveries = new DeliveryService(
    {
      store: new DynamoWebhookStore(db, tableNameFrom()),
      queue: wiring.queue,
      transport: new HttpWebhookTransport({ allowLoopback: config.allowLoopback }, wiring.resolve ?? systemResolver),
      mailer: wiring.mailer,
      clock: systemClock,
      timeScale: config.timeScale,
      ...(config.consoleUrl ? { consoleUrl: config.consoleUrl } : {}),
    },
    {
      attempted: (outcome) => recordWebhookAttempt(outcome),
      deadLettered: () => recordWebhookDeadLettered(),
      disabled: () => recordWebhookSubscriptionDisabled(),
      mailFailed: (error) =>
        logger.error('the e-mail about a disabled webhook could not be sent', {
          error: error instanceof Error ? error.name : String(error),
        }),
    },
  );
  return async (event) => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const message = parseDeliveryMessage(record.body);
      if (!message) {
        logger.error('not a delivery message; dropped', { messageId: record.messageId });
        continue;
      }
      try {
        const outcome = await deliveries.process(message);
        logger.info('webhook delivery', {
          subscriptionId: message.subscriptionId,
          deliveryId: message.deliveryId,
          run: message.run,
          attempt: message.attempt,
          outcome,
        });
      } catch (error) {
        logger.warn('webhook delivery could not be processed; the queue will redeliver it', {
          deliveryId: message.deliveryId,
          error: error instanceof Error ? error.name : String(error),
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

let built: SenderHandler | undefined;

export const handler: SenderHandler = (event) => {
  built ??= senderHandlerWith({
    queue: new SqsDeliveryQueue(new SQSClient({}), webhookQueueUrlFrom()),
    mailer: lambdaMailer(),
  });
  return built(event);
};
