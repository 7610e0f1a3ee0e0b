/**
 * The part of a stream record's processing that follows links to customers, before its counters are
 * worked out (`stream-effects.ts`): a merge's tombstone moves what the duplicate had to the survivor;
 * a response whose link is new or moved gets it confirmed, moved to a survivor, or dropped — and a new
 * response's effects (feedback, follow-up) then name the customer it really belongs to.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { CustomerLinks } from './customer-links';
import { fromResponseItem } from './dynamo-response-store';
import { keys } from './keys';
import type { RecordEffects } from './stream-applier';
import { effectsOf, responseEffects } from './stream-effects';
import { imagesOf } from './stream-records';

export async function effectsFollowingLinks(record: DynamoDBRecord, links: CustomerLinks): Promise<RecordEffects[]> {
  const { before, after } = imagesOf(record);
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (record.eventName === 'INSERT' && after?.entity === 'merged-customer' && typeof after.PK === 'string') {
    await links.followMerge(after.PK.slice(keys.customer('').PK.length));
    return [];
  }
  if (after?.entity !== 'response' || typeof after.customerId !== 'string' || after.customerId === before?.customerId)
    return effectsOf(record);
  const response = fromResponseItem(after);
  const inserted = record.eventName === 'INSERT' && !before;
  const customerId = await links.settle(response, inserted);
  if (!inserted || !record.eventID || !sequenceNumber) return [];
  const { customerId: _claimed, ...unlinked } = response;
  return responseEffects(customerId ? { ...response, customerId } : unlinked, sequenceNumber);
}
