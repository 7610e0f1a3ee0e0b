/**
 * keys.ts: the key shapes hold up in a real table — a day range of aggregates is one key range,
 * hashed duplicate-group keys stay inside DynamoDB's key limits, the item types that share a
 * partition or an index partition stay apart by prefix, and the cursor patterns accept real keys.
 */
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type AggregateCellAddress,
  aggregateKeys,
  customerPartition,
  DUPLICATE_CANDIDATES_PARTITION,
  feedbackKeys,
  groupHash,
  idempotencyKeys,
  keys,
  responseKeys,
} from '../../../functions/adapters/dynamodb/keys';
import type { AdapterTable } from './context';
import { draftSurvey, newId, surveyResponse } from './fixtures';

export function keysSuite(t: AdapterTable): void {
  describe('keys.ts', () => {
    it('makes a day range of aggregate cells one key range: every cell of the first and last day, nothing outside', async () => {
      const surveyId = newId();
      const cells = (day: string): AggregateCellAddress[] => [
        { day, kind: 'total', key: '' },
        { day, kind: 'question', key: 'overall@1' },
        { day, kind: 'choice', key: 'channel@1' },
        { day, kind: 'segment', key: 'vip' },
        // Segments are free text: non-ASCII, '#' and '~' must neither escape the range nor break parsing.
        { day, kind: 'segment', key: '贵宾' },
        { day, kind: 'segment', key: 'a#b~' },
        // Every per-shard copy of the funnel cells is in the same key range.
        { day, kind: 'funnel', key: '', shard: 0 },
        { day, kind: 'funnel', key: '', shard: 15 },
        { day, kind: 'funnel-segment', key: 'a#b~', shard: 7 },
      ];
      const all = ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02'].flatMap(cells);
      // BatchWriteItem takes 25 items at a time.
      for (let i = 0; i < all.length; i += 25) {
        await t.db.send(
          new BatchWriteCommand({
            RequestItems: {
              [t.tableName]: all
                .slice(i, i + 25)
                .map((c) => ({ PutRequest: { Item: { ...aggregateKeys.item(surveyId, c), n: 1 } } })),
            },
          }),
        );
      }
      // Another survey whose id extends this one's must not leak into its partition.
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...aggregateKeys.dayTotal(`${surveyId}X`, '2024-02-29'), n: 1 },
        }),
      );
      const range = aggregateKeys.range('2024-02-29', '2024-03-01');
      const { Items } = await t.db.send(
        new QueryCommand({
          TableName: t.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': aggregateKeys.partition(surveyId), ':from': range.from, ':to': range.to },
        }),
      );
      const found = (Items ?? []).map((i) => aggregateKeys.parse(String(i.SK)));
      const wanted = all.filter((c) => c.day === '2024-02-29' || c.day === '2024-03-01');
      expect(found).toHaveLength(wanted.length);
      expect(found).toEqual(expect.arrayContaining(wanted));
    });

    it('parses only the sort keys it builds', () => {
      for (const cell of [
        { day: '2024-03-01', kind: 'total', key: '' },
        { day: '2024-03-01', kind: 'question', key: 'nps@3' },
        { day: '2024-03-01', kind: 'segment', key: 'a#b' },
        { day: '2024-03-01', kind: 'funnel-segment', key: 'a#b', shard: 12 },
      ] as const) {
        expect(aggregateKeys.parse(aggregateKeys.sortKey(cell))).toEqual(cell);
      }
      for (const foreign of ['DAY#2024-03-01', 'DAY#2024-3-1#T', 'DAY#2024-03-01#X#k', 'MARKER', 'FEEDBACK']) {
        expect(aggregateKeys.parse(foreign)).toBeUndefined();
      }
    });

    it('hashes duplicate-group keys, so a name and company far past the key limits is still a table and GSI2 key', async () => {
      const groupKey = `${'名'.repeat(700)}|${'公司'.repeat(400)}`;
      expect(Buffer.byteLength(groupKey)).toBeGreaterThan(2048);
      const key = keys.duplicateGroup(groupKey);
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...key, groupKey, GSI2PK: DUPLICATE_CANDIDATES_PARTITION, GSI2SK: groupHash(groupKey) },
        }),
      );
      const { Items } = await t.db.send(
        new QueryCommand({
          TableName: t.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK = :sk',
          ExpressionAttributeValues: { ':pk': DUPLICATE_CANDIDATES_PARTITION, ':sk': groupHash(groupKey) },
        }),
      );
      expect(Items?.map((i) => i.groupKey)).toEqual([groupKey]);
      // What hashing avoids: the readable key itself is refused by DynamoDB.
      await expect(
        t.db.send(new PutCommand({ TableName: t.tableName, Item: { PK: `DUPGROUP#${groupKey}`, SK: 'MEMBERS' } })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it("keeps a customer's profile, feedback, responses and kept idempotency outcomes apart though they share partitions", async () => {
      const customerId = newId();
      const survey = draftSurvey();
      const response = surveyResponse(survey, { overall: 5 }, { customerId });
      const items = [
        { ...keys.customer(customerId), entity: 'customer' },
        { ...feedbackKeys.item(customerId), entity: 'counters' },
        {
          ...responseKeys.response(survey.id, response.day, response.id),
          ...responseKeys.byCustomer(customerId, response.receivedAt, response.id),
          entity: 'response',
        },
        {
          ...idempotencyKeys.item('admin-1', 'key-0001'),
          ...idempotencyKeys.byCustomer(customerId, 'admin-1', 'key-0001'),
          entity: 'idempotency',
        },
      ];
      for (const item of items) await t.db.send(new PutCommand({ TableName: t.tableName, Item: item }));

      const partition = await t.db.send(
        new QueryCommand({
          TableName: t.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': customerPartition(customerId) },
        }),
      );
      expect(partition.Items?.map((i) => i.entity).sort()).toEqual(['counters', 'customer']);
      const byPrefix = async (prefix: string) =>
        (
          await t.db.send(
            new QueryCommand({
              TableName: t.tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
              ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': prefix },
            }),
          )
        ).Items?.map((i) => i.entity);
      expect(await byPrefix(responseKeys.customerPrefix)).toEqual(['response']);
      expect(await byPrefix(idempotencyKeys.customerPrefix)).toEqual(['idempotency']);
    });

    it('builds response keys that the cursor patterns accept, for ULID and UUIDv7 ids', () => {
      const survey = draftSurvey();
      for (const uuid of [false, true]) {
        const r = surveyResponse(survey, { overall: 3 }, { uuid, customerId: newId() });
        expect(responseKeys.partitionPattern.test(responseKeys.partition(survey.id, r.day))).toBe(true);
        expect(responseKeys.byCustomerSortPattern.test(responseKeys.byCustomer('c', r.receivedAt, r.id).GSI1SK)).toBe(
          true,
        );
      }
    });
  });
}
