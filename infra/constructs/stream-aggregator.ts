import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AGGREGATOR_STREAM_FILTERS } from '../../functions/contracts/stream-filters';
import type { RapportFunction } from './rapport-function';
import { tableStreamSource } from './table-stream-source';

export interface StreamAggregatorProps {
  readonly table: Table;
  readonly fn: RapportFunction;
}

/**
 * Feeds the table's stream to the aggregator (docs/design.md §4): batches of up to 100 records or 1 s,
 * partial-batch responses, bisection on error, 5 retries, then the failed batch's stream coordinates
 * go to an encrypted dead-letter queue for replay.
 */
export class StreamAggregator extends Construct {
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StreamAggregatorProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      // The messages hold only shard ids and sequence-number ranges of failed batches, never item data.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination (DLQ) of the aggregator stream mapping; a DLQ of a DLQ adds nothing.',
    });

    props.fn.fn.addEventSource(
      // Only the records the aggregator acts on: its own counter, marker and cell writes never invoke it.
      tableStreamSource(props.table, {
        retryAttempts: 5,
        deadLetterQueue: this.deadLetterQueue,
        filters: AGGREGATOR_STREAM_FILTERS,
      }),
    );
  }
}
