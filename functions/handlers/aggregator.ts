/**
 * Lambda entry of the stream aggregator. Each batch of table changes becomes counter additions
 * (customer data quality, survey aggregates, customer feedback) and follow-up tasks, applied exactly
 * once; on a failure it reports the first unapplied record so Lambda retries from there
 * (reportBatchItemFailures).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoAggregateStore } from '../adapters/dynamodb/aggregate-store';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { type RecordEffects, StreamApplier } from '../adapters/dynamodb/stream-applier';
import { effectsOf, isResponseEffects, withRebuildCutoffs } from '../adapters/dynamodb/stream-effects';
import { logger } from '../http/logger';

const db = createDocumentClient();
const tableName = tableNameFrom();
const applier = new StreamApplier(db, tableName);
const aggregates = new DynamoAggregateStore(db, tableName);

export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  let effects = event.Records.map(effectsOf).filter((e): e is RecordEffects => e !== undefined);
  const dayKeys = effects.filter(isResponseEffects).map((e) => e.rebuildGuard.key);
  let result;
  try {
    if (dayKeys.length) effects = withRebuildCutoffs(effects, await aggregates.cutoffs(dayKeys));
    result = await applier.apply(effects);
  } catch (error) {
    result = { applied: 0, skippedAsDuplicate: 0, failedFrom: event.Records[0]?.dynamodb?.SequenceNumber, error };
  }
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
