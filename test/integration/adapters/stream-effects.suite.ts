/**
 * stream-effects.ts (and stream-records.ts) on the table's REAL stream, read from DynamoDB Local the
 * way Lambda's event source mapping delivers it: a customer change becomes its quality-counter delta
 * and duplicate-group move; a new response becomes its aggregate unit (with the detractor's follow-up)
 * and, when linked, its feedback unit; every other change — including the aggregator's own writes —
 * has no effect, so the aggregator never feeds itself.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoCustomerStore } from '../../../functions/adapters/dynamodb/dynamo-customer-store';
import { toFollowUpItem } from '../../../functions/adapters/dynamodb/dynamo-followup-store';
import { DynamoIdempotencyStore } from '../../../functions/adapters/dynamodb/dynamo-idempotency-store';
import { DynamoResponseStore } from '../../../functions/adapters/dynamodb/dynamo-response-store';
import { DynamoSurveyStore } from '../../../functions/adapters/dynamodb/dynamo-survey-store';
import {
  aggregateKeys,
  arrivalKeys,
  feedbackKeys,
  keys,
  markerIds,
  responseKeys,
} from '../../../functions/adapters/dynamodb/keys';
import { StreamApplier } from '../../../functions/adapters/dynamodb/stream-applier';
import { effectsOf } from '../../../functions/adapters/dynamodb/stream-effects';
import { duplicateMembership, qualityDelta } from '../../../functions/domain/customers/quality';
import { aggregateAdditions } from '../../../functions/domain/surveys/aggregation';
import { consequencesOf } from '../../../functions/domain/surveys/response-consequences';
import { localCredentials, localRegion } from '../../../local/local-env';
import { ShardReader } from '../../../local/stream/shard-reader';
import type { AdapterTable } from './context';
import { customer, draftSurvey, edited, published, surveyResponse, uniqueEmail } from './fixtures';

export function streamEffectsSuite(t: AdapterTable): void {
  describe('stream-effects.ts', () => {
    let streams: DynamoDBStreamsClient | undefined;
    let reader: ShardReader | undefined;
    afterAll(() => streams?.destroy());

    /** Every stream record written since the last call, in Lambda's shape and stream order. */
    const newRecords = async (): Promise<DynamoDBRecord[]> => {
      streams ??= new DynamoDBStreamsClient({
        endpoint: t.endpoint,
        region: localRegion(),
        credentials: localCredentials(),
      });
      reader ??= new ShardReader({
        dynamo: t.raw,
        streams,
        tableName: t.tableName,
        awsRegion: localRegion(),
        batchSize: 1000,
      });
      const records: DynamoDBRecord[] = [];
      await reader.refreshShards();
      for (const shard of reader.shards.values()) {
        if (!reader.isReady(shard)) continue;
        // Read to the current end; an expired iterator (`fresh` again) is renewed from the last record read.
        for (let reads = 0; reads < 20; reads++) {
          const arrived = await reader.fetch(shard);
          records.push(...shard.pending.splice(0));
          if (arrived === 0 && !shard.fresh) break;
        }
        if (shard.endOfShard) shard.finished = true;
      }
      return records;
    };
    const about = (records: DynamoDBRecord[], key: { PK: string; SK: string }) =>
      records.filter((r) => r.dynamodb?.Keys?.PK?.S === key.PK && r.dynamodb?.Keys?.SK?.S === key.SK);
    const applier = () => new StreamApplier(t.db, t.tableName);

    it("turns a customer's create, change and delete into quality deltas and group moves, and guards into nothing", async () => {
      await newRecords();
      const store = new DynamoCustomerStore(t.db, t.tableName);
      const created = customer({ name: 'Wang Fang', email: uniqueEmail() });
      await store.create(created);
      const renamed = edited(created, { name: 'Wang  Fang ', company: 'Acme', email: 'not-an-email' });
      await store.update(created, renamed);
      await store.delete(renamed);
      const records = await newRecords();

      const profile = about(records, keys.customer(created.id));
      expect(profile.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      const states = [undefined, created, renamed, undefined];
      profile.forEach((record, i) => {
        const [before, after] = [states[i], states[i + 1]];
        const membership = duplicateMembership(created.id, before, after);
        expect(effectsOf(record)).toEqual([
          {
            eventId: record.eventID,
            sequenceNumber: record.dynamodb?.SequenceNumber,
            counters: [{ key: keys.customerQuality(), add: qualityDelta(before, after) }],
            memberships: membership ? [membership] : [],
          },
        ]);
      });
      const others = records.filter((r) => !profile.includes(r));
      expect(others.length).toBeGreaterThan(0);
      expect(others.flatMap(effectsOf)).toEqual([]);
    });

    it('turns a new linked detractor response into its aggregate unit (with a follow-up) and its feedback unit', async () => {
      await newRecords();
      const survey = published(draftSurvey());
      const response = surveyResponse(
        survey,
        { overall: 1, delivery: 2, comment: 'broken on arrival' },
        {
          customerId: customer().id,
          segment: 'vip',
        },
      );
      await new DynamoResponseStore(t.db, t.tableName).putOnce(response);
      const [record, ...rest] = await newRecords();
      expect(rest).toEqual([]);
      const { followUp, feedback } = consequencesOf(response);
      expect(followUp).toBeDefined();
      const sequenceNumber = record?.dynamodb?.SequenceNumber;
      // The task as it is opened for a response erased meanwhile: no customer, no quoted comment.
      const { customerId: _customer, comment: _comment, ...withoutPersonalData } = followUp!;
      expect(effectsOf(record!)).toEqual([
        {
          eventId: markerIds.responseEffects(survey.id, response.id),
          sequenceNumber,
          surveyId: survey.id,
          counters: [
            ...aggregateAdditions(response.facts, response.day).map((cell) => ({
              key: aggregateKeys.item(survey.id, cell),
              add: cell.counts,
            })),
            // The hour it arrived: the survey's own baseline for surge detection, kept 8 days.
            {
              key: arrivalKeys.hour(survey.id, response.receivedAt.slice(0, 13)),
              add: { n: 1 },
              expiresAt: Math.floor(Date.parse(`${response.receivedAt.slice(0, 13)}:00:00Z`) / 1000) + 8 * 86_400,
            },
          ],
          memberships: [],
          // Created with the comment unless the response was erased before the stream got to it.
          creates: [
            {
              item: toFollowUpItem(followUp!),
              unlessErased: {
                key: responseKeys.response(survey.id, response.day, response.id),
                fallback: toFollowUpItem(withoutPersonalData),
              },
            },
          ],
        },
        {
          eventId: markerIds.feedbackEffects(survey.id, response.id),
          sequenceNumber,
          counters: [{ key: feedbackKeys.item(response.customerId!), add: feedback!.add }],
          memberships: [],
          latest: [
            { key: feedbackKeys.item(response.customerId!), at: response.receivedAt, set: feedback!.latest!.set },
          ],
          // Only beside a live record that is not being erased.
          requires: [
            { key: keys.customer(response.customerId!), exists: true },
            { key: keys.erasure(response.customerId!), exists: false },
          ],
        },
      ]);
    });

    it('gives an anonymous, satisfied response one unit: aggregates only', async () => {
      await newRecords();
      const response = surveyResponse(published(draftSurvey()), { overall: 5, channel: 'app' });
      await new DynamoResponseStore(t.db, t.tableName).putOnce(response);
      const effects = (await newRecords()).flatMap(effectsOf);
      expect(effects).toHaveLength(1);
      expect(effects[0]).toMatchObject({
        eventId: markerIds.responseEffects(response.surveyId, response.id),
        creates: [],
      });
    });

    it("ignores changes to stored responses, surveys, kept outcomes and the aggregator's own writes", async () => {
      // A live customer, so the feedback counters apply too.
      const linked = customer();
      await new DynamoCustomerStore(t.db, t.tableName).create(linked);
      await newRecords();
      const survey = published(draftSurvey());
      const customerId = linked.id;
      const response = surveyResponse(survey, { overall: 1, comment: 'call me' }, { customerId });
      const responses = new DynamoResponseStore(t.db, t.tableName);
      await responses.putOnce(response);
      const inserted = await newRecords();

      // The aggregator's writes: aggregate cells, markers, the follow-up, feedback counters.
      expect(await applier().apply(inserted.flatMap(effectsOf))).not.toHaveProperty('failedFrom');
      await responses.redact(response);
      const surveys = new DynamoSurveyStore(t.db, t.tableName);
      const draft = draftSurvey();
      await surveys.create(draft);
      await surveys.update(draft, published(draft));
      const idempotency = new DynamoIdempotencyStore(t.db, t.tableName);
      await idempotency.begin('admin', 'key-effects', 'fp');
      await idempotency.complete('admin', 'key-effects', { statusCode: 201, headers: {} }, customerId);

      const later = await newRecords();
      const kinds = new Set(
        later.map((r) => String(r.dynamodb?.NewImage?.entity?.S ?? r.dynamodb?.OldImage?.entity?.S)),
      );
      expect([...kinds].sort()).toEqual(
        ['counters', 'followup', 'idempotency', 'response', 'stream-marker', 'survey', 'survey-version'].sort(),
      );
      expect(later.flatMap(effectsOf)).toEqual([]);
    });

    it('counts a redelivered response once, end to end', async () => {
      await newRecords();
      const survey = published(draftSurvey());
      const response = surveyResponse(survey, { overall: 4 });
      await new DynamoResponseStore(t.db, t.tableName).putOnce(response);
      const records = await newRecords();
      await applier().apply(records.flatMap(effectsOf));
      await applier().apply(records.flatMap(effectsOf));
      expect(await t.item(aggregateKeys.dayTotal(survey.id, response.day))).toMatchObject({ n: 1 });
    });

    it('ignores a record without an event id or sequence number', () => {
      expect(effectsOf({ eventName: 'INSERT', dynamodb: { SequenceNumber: '1' } })).toEqual([]);
      expect(effectsOf({ eventID: 'e', eventName: 'INSERT', dynamodb: {} })).toEqual([]);
    });
  });
}
