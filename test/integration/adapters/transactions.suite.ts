/**
 * transactions.ts: all or nothing; a failed condition says which item failed (with the item as it
 * was, when asked); a transaction conflict is retried, and one that never clears is a
 * ServiceUnavailableError that changed nothing.
 */
import { describe, expect, it } from 'vitest';
import { TransactionCancelled, transactWrite } from '../../../functions/adapters/dynamodb/transactions';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import { type AdapterTable, NO_CHANGES, observe, withFaultProxy } from './context';
import { newId } from './fixtures';

export function transactionsSuite(t: AdapterTable): void {
  describe('transactions.ts', () => {
    const put = (PK: string, extra: Record<string, unknown> = {}) => ({
      Put: { TableName: t.tableName, Item: { PK, SK: 'TX', ...extra } },
    });
    const putNew = (PK: string, extra: Record<string, unknown> = {}) => ({
      Put: {
        TableName: t.tableName,
        Item: { PK, SK: 'TX', ...extra },
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    });

    it('writes every item of the transaction', async () => {
      const [a, b] = [`TX#${newId()}`, `TX#${newId()}`];
      const change = await observe(t, () => transactWrite(t.db, [put(a), put(b)]));
      expect(change.error).toBeUndefined();
      expect(change.keys).toEqual({ added: [`${a}/TX`, `${b}/TX`].sort(), removed: [], changed: [] });
    });

    it('writes nothing when a condition fails, and names the failed item with its old value', async () => {
      const [taken, fresh] = [`TX#${newId()}`, `TX#${newId()}`];
      await transactWrite(t.db, [put(taken, { owner: 'first' })]);
      const change = await observe(t, () => transactWrite(t.db, [put(fresh), putNew(taken, { owner: 'second' })]));
      expect(change.keys).toEqual(NO_CHANGES);
      expect(change.error).toBeInstanceOf(TransactionCancelled);
      const cancelled = change.error as TransactionCancelled;
      expect(cancelled.items).toEqual([
        { index: 1, code: 'ConditionalCheckFailed', old: expect.objectContaining({ owner: { S: 'first' } }) },
      ]);
      expect(cancelled.failed(1)).toBeDefined();
      expect(cancelled.failed(0)).toBeUndefined();
    });

    it('retries a transaction conflict and then writes once', async () => {
      const pk = `TX#${newId()}`;
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'TransactionConflict' });
        const pending = transactWrite(t.db, [putNew(pk)]);
        // The first attempt is sent (and refused) synchronously; the retry waits for its back-off.
        expect(proxy.calls.map((c) => c.failed)).toEqual(['TransactionConflict']);
        proxy.plan(undefined);
        await pending;
        expect(proxy.calls.map((c) => [c.command, c.succeeded])).toEqual([['TransactWriteCommand', true]]);
        expect(await t.item({ PK: pk, SK: 'TX' })).toEqual({ PK: pk, SK: 'TX' });
      });
    });

    it('gives up on a conflict that never clears: ServiceUnavailableError after six attempts, nothing written', async () => {
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'TransactionConflict' });
        const change = await observe(t, () => transactWrite(t.db, [put(`TX#${newId()}`)]));
        expect(change.error).toBeInstanceOf(ServiceUnavailableError);
        expect(change.keys).toEqual(NO_CHANGES);
        expect(proxy.calls).toHaveLength(6);
      });
    });

    it('does not retry other faults itself (the SDK does): a throttle is a ServiceUnavailableError at once', async () => {
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        const change = await observe(t, () => transactWrite(t.db, [put(`TX#${newId()}`)]));
        expect(change.error).toBeInstanceOf(ServiceUnavailableError);
        expect(change.keys).toEqual(NO_CHANGES);
        expect(proxy.calls).toHaveLength(1);
      });
    });

    it('passes a request DynamoDB refuses as invalid through, unchanged and unretried', async () => {
      const pk = `TX#${newId()}`;
      // Two operations on one item in one transaction: refused outright.
      const change = await observe(t, () => transactWrite(t.db, [put(pk), put(pk, { again: true })]));
      expect(change.error).toMatchObject({ name: 'ValidationException' });
      expect(change.keys).toEqual(NO_CHANGES);
    });
  });
}
