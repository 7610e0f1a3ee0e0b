/**
 * query-all.ts: follows a Query through every page — no item skipped or repeated, in key order — and
 * a transient failure on any page is the domain's ServiceUnavailableError.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryAll, queryPages } from '../../../functions/adapters/dynamodb/query-all';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import { type AdapterTable, withFaultProxy } from './context';
import { newId } from './fixtures';

export function queryAllSuite(t: AdapterTable): void {
  describe('query-all.ts', () => {
    const pk = `QUERYALL#${newId()}`;
    const sortKeys = Array.from({ length: 23 }, (_, i) => `ITEM#${String(i).padStart(3, '0')}`);
    const input = () => ({
      TableName: t.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 5,
    });

    beforeAll(async () => {
      for (let i = 0; i < sortKeys.length; i += 25) {
        await t.db.send(
          new BatchWriteCommand({
            RequestItems: {
              [t.tableName]: sortKeys.slice(i, i + 25).map((SK) => ({ PutRequest: { Item: { PK: pk, SK } } })),
            },
          }),
        );
      }
    });

    it('reads every page: each item once, in key order', async () => {
      const items = await queryAll(t.db, input());
      expect(items.map((i) => i.SK)).toEqual(sortKeys);
    });

    it('yields one page per Query and stops when DynamoDB has no more', async () => {
      const sizes: number[] = [];
      for await (const page of queryPages(t.db, input())) sizes.push(page.Items?.length ?? 0);
      expect(sizes).toEqual([5, 5, 5, 5, 3]);
    });

    it('returns nothing for an empty partition, after one Query', async () => {
      await withFaultProxy(async (proxy) => {
        expect(await queryAll(t.db, { ...input(), ExpressionAttributeValues: { ':pk': 'QUERYALL#none' } })).toEqual([]);
        expect(proxy.calls.map((c) => c.command)).toEqual(['QueryCommand']);
      });
    });

    it('fails with ServiceUnavailableError when a later page is throttled', async () => {
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'ProvisionedThroughputExceeded', fromCall: 3 });
        await expect(queryAll(t.db, input())).rejects.toBeInstanceOf(ServiceUnavailableError);
        expect(proxy.calls).toHaveLength(3);
      });
    });
  });
}
