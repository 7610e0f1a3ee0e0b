import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_FANOUT_STREAM_FILTERS } from '../../functions/contracts/stream-filters';
import type { RapportFunction } from './rapport-function';
import { tableStreamSource } from './table-stream-source';

export interface WebhookDeliveryProps {
  readonly table: Table;
  readonly fanout: RapportFunction;
  readonly sender: RapportFunction;
  /** The sender's timeout: the queue's visibility timeout is six times it (AWS's guidance for SQS sources). */
  readonly senderTimeoutSeconds: number;
}

/** Receives of one queue message before it goes to the dead-letter queue (the sender failed it each time). */
export const WEBHOOK_MAX_RECEIVES = 5;

/**
 * Webhook delivery (docs/webhooks.md): the fan-out follows the table's stream (a second consumer
 * beside the aggregator, with its own dead-letter queue for batches it gives up on) and puts one
 * message per attempt on the delivery queue; the sender consumes it. Retries of a delivery are new
 * messages with a delay the sender chooses; the queue's own redrive (max receives → dead-letter queue)
 * catches messages the sender itself keeps failing on. Every queue is encrypted and TLS-only; the
 * messages hold ids only (subscription, delivery, attempt), never an event's data.
 */
export class WebhookDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly streamDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);

    const dlq = (name: string) =>
      new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    // cdk-nag sees this one is a redrive target.
    this.deadLetterQueue = dlq('DeadLetterQueue');
    this.streamDeadLetterQueue = dlq('StreamDeadLetterQueue');
    Validations.of(this.streamDeadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination (DLQ) of the webhook fan-out stream mapping; a DLQ of a DLQ adds nothing.',
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.senderTimeoutSeconds * 6),
      // Longer than any single wait the sender queues (15 min); a delivery's retries are new messages.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
    });

    for (const fn of [props.fanout, props.sender]) {
      fn.fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
      this.queue.grantSendMessages(fn.fn);
    }

    props.fanout.fn.addEventSource(
      // Only changes that are webhook events or deliveries to queue (most table writes are neither).
      tableStreamSource(props.table, {
        retryAttempts: 10,
        deadLetterQueue: this.streamDeadLetterQueue,
        filters: WEBHOOK_FANOUT_STREAM_FILTERS,
      }),
    );
    props.sender.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 20 }),
    );
  }
}
