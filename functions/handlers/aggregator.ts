/**
 * Lambda entry of the stream aggregator. Each batch of table changes becomes counter additions
 * (customer data quality; later survey aggregates) applied exactly once; on a failure it reports the
 * first unapplied record so Lambda retries from there (reportBatchItemFailures).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { keys } from '../adapters/dynamodb/keys';
import { type RecordEffects, StreamApplier } from '../adapters/dynamodb/stream-applier';
import { customerChange } from '../adapters/dynamodb/stream-records';
import { duplicateMembership, qualityDelta } from '../domain/customers/quality';
import { logger } from '../http/logger';

const applier = new StreamApplier(createDocumentClient(), tableNameFrom());

export function effectsOf(record: DynamoDBRecord): RecordEffects | undefined {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!record.eventID || !sequenceNumber) return undefined;
  const change = customerChange(record);
  if (!change) return undefined;
  const delta = qualityDelta(change.before, change.after);
  const membership = duplicateMembership(change.id, change.before, change.after);
  return {
    eventId: record.eventID,
    sequenceNumber,
    counters: Object.keys(delta).length ? [{ key: keys.customerQuality(), add: delta }] : [],
    memberships: membership ? [membership] : [],
  };
}

export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const effects = event.Records.map(effectsOf).filter((e): e is RecordEffects => e !== undefined);
  const result = await applier.apply(effects);
  const line = { records: event.Records.length, relevant: effects.length, applied: result.applied, duplicates: result.skippedAsDuplicate };
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
