/**
 * How a function reads the table's stream — the same for every consumer, so the local poller's Lambda
 * semantics (docs/design.md §11) hold for each: from the oldest record, batches of up to 100 gathered for
 * at most 1 s, a failing batch bisected, per-record failures reported, exhausted records sent to the
 * consumer's dead-letter queue, and only the records its filter lets through.
 */
import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StreamFilterPattern } from '../../functions/contracts/stream-filters';

export function tableStreamSource(
  table: Table,
  consumer: { retryAttempts: number; deadLetterQueue: IQueue; filters: readonly StreamFilterPattern[] },
): DynamoEventSource {
  return new DynamoEventSource(table, {
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: 100,
    maxBatchingWindow: Duration.seconds(1),
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: consumer.retryAttempts,
    onFailure: new SqsDlq(consumer.deadLetterQueue),
    filters: consumer.filters.map((pattern) => FilterCriteria.filter(pattern)),
  });
}
