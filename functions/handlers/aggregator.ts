/**
 * Lambda entry of the stream aggregator. Each batch of table changes becomes counter additions
 * (customer data quality, survey aggregates, customer feedback) and follow-up tasks, applied exactly
 * once; on a failure it reports the first unapplied record so Lambda retries from there
 * (reportBatchItemFailures).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoArrivalStore } from '../adapters/dynamodb/dynamo-arrival-store';
import { type RecordEffects, StreamApplier } from '../adapters/dynamodb/stream-applier';
import { effectsOf } from '../adapters/dynamodb/stream-effects';
import { SurgeWatch } from '../domain/surveys/surge';
import { logger } from '../observability/logger';
import { recordStreamRecordsPoisoned, recordSubmissionSurge } from '../observability/metrics';

const db = createDocumentClient('aggregator');
const table = tableNameFrom();
const applier = new StreamApplier(db, table);
const surges = new SurgeWatch({ arrivals: new DynamoArrivalStore(db, table), now: () => new Date() });

/** After a batch is counted: is any of its surveys flooded? Never fails the batch. */
async function watchForSurges(effects: readonly RecordEffects[]): Promise<void> {
  try {
    const surveyIds = effects.flatMap((e) => (e.surveyId ? [e.surveyId] : []));
    for (const { surveyId, ratio, surging } of await surges.check(surveyIds)) {
      if (surging) recordSubmissionSurge(surveyId, ratio);
    }
  } catch (error) {
    logger.warn('surge check failed', { error: error instanceof Error ? error.name : String(error) });
  }
}

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
  await watchForSurges(effects);
  logger.debug('aggregated', line);
  return { batchItemFailures: [] };
};
