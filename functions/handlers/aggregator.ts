/**
 * Lambda entry of the stream aggregator. Each batch of table changes becomes counter additions
 * (customer data quality, survey aggregates, customer feedback) and follow-up tasks, applied exactly
 * once; links to customers are settled first (merges followed, links to records that are gone
 * dropped). On a failure it reports the first unapplied record so Lambda retries from there
 * (reportBatchItemFailures).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { CustomerLinks } from '../adapters/dynamodb/customer-links';
import { DynamoArrivalStore } from '../adapters/dynamodb/dynamo-arrival-store';
import { DynamoFollowUpStore } from '../adapters/dynamodb/dynamo-followup-store';
import { DynamoResponseStore } from '../adapters/dynamodb/dynamo-response-store';
import { type RecordEffects, StreamApplier } from '../adapters/dynamodb/stream-applier';
import { effectsFollowingLinks } from '../adapters/dynamodb/stream-links';
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
const links = new CustomerLinks(db, table, new DynamoResponseStore(db, table), new DynamoFollowUpStore(db, table));

export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const effects: RecordEffects[] = [];
  // Links are settled in record order; the first record that cannot be settled now (a throttle, a
  // merge racing it) stops the batch there, after what came before it has been applied.
  let unsettled: { sequenceNumber: string | undefined; error: unknown } | undefined;
  for (const record of event.Records) {
    try {
      effects.push(...(await effectsFollowingLinks(record, links)));
    } catch (error) {
      unsettled = { sequenceNumber: record.dynamodb?.SequenceNumber, error };
      break;
    }
  }
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
  const failedFrom = result.failedFrom ?? unsettled?.sequenceNumber;
  if (failedFrom) {
    const error = result.failedFrom ? result.error : unsettled?.error;
    logger.warn('aggregation failed; Lambda will retry from the first unapplied record', {
      ...line,
      failedFrom,
      error: error instanceof Error ? error.name : String(error),
    });
    return { batchItemFailures: [{ itemIdentifier: failedFrom }] };
  }
  await watchForSurges(effects);
  logger.debug('aggregated', line);
  return { batchItemFailures: [] };
};
