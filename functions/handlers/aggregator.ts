/**
 * Lambda entry of the stream aggregator. Each batch of table changes becomes counter additions
 * (customer data quality, survey aggregates, customer feedback) and follow-up tasks, applied exactly
 * once; on a failure it reports the first unapplied record so Lambda retries from there
 * (reportBatchItemFailures).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { type RecordEffects, StreamApplier } from '../adapters/dynamodb/stream-applier';
import { effectsOf } from '../adapters/dynamodb/stream-effects';
import { logger } from '../http/logger';
import { recordStreamRecordsPoisoned } from '../observability/metrics';

const applier = new StreamApplier(createDocumentClient('aggregator'), tableNameFrom());

export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const effects: RecordEffects[] = event.Records.flatMap(effectsOf);
  const result = await applier.apply(effects);
  for (const poisoned of result.poisoned) {
    // Never applicable (not a transient fault): logged for repair (the rebuild route), not retried forever.
    logger.error('stream record set aside: it can never be applied', {
      sequenceNumber: poisoned.sequenceNumber,
      effects: poisoned.eventId.split('#')[0],
      error:
        poisoned.error instanceof Error
          ? { name: poisoned.error.name, message: poisoned.error.message }
          : String(poisoned.error),
    });
  }
  recordStreamRecordsPoisoned(result.poisoned.length);
  const line = {
    records: event.Records.length,
    relevant: effects.length,
    applied: result.applied,
    duplicates: result.skippedAsDuplicate,
  };
  if (result.failedFrom) {
    logger.warn('aggregation failed; Lambda will retry from the first unapplied record', {
      ...line,
      failedFrom: result.failedFrom,
      error: result.error instanceof Error ? result.error.name : String(result.error),
    });
    return { batchItemFailures: [{ itemIdentifier: result.failedFrom }] };
  }
  logger.debug('aggregated', line);
  return { batchItemFailures: [] };
};
