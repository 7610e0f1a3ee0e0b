/** The delivery queue in AWS: SQS (encrypted, with a dead-letter queue for messages that keep failing). */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryMessage, DeliveryQueue } from '../../domain/webhooks/delivery-ports';
import { MAX_QUEUE_DELAY_MS } from '../../domain/webhooks/delivery-ports';

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: DeliveryMessage, delayMs: number): Promise<void> {
    // SQS counts whole seconds: round up, so a message never comes back before it is due.
    const seconds = Math.ceil(Math.min(MAX_QUEUE_DELAY_MS, Math.max(0, delayMs)) / 1000);
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: seconds }),
    );
  }
}

/** A queue message body back into a message; undefined when it is not one (it is then dropped, logged). */
export function parseDeliveryMessage(body: string): DeliveryMessage | undefined {
  try {
    const value = JSON.parse(body) as Partial<DeliveryMessage>;
    if (
      typeof value.subscriptionId === 'string' &&
      typeof value.deliveryId === 'string' &&
      typeof value.run === 'number' &&
      typeof value.attempt === 'number' &&
      (value.notBefore === undefined || typeof value.notBefore === 'string')
    ) {
      return {
        subscriptionId: value.subscriptionId,
        deliveryId: value.deliveryId,
        run: value.run,
        attempt: value.attempt,
        ...(value.notBefore ? { notBefore: value.notBefore } : {}),
      };
    }
  } catch {
    // fall through
  }
  return undefined;
}
