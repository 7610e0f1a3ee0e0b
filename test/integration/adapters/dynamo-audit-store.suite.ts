/**
 * dynamo-audit-store.ts: appends take consecutive places in one chain whoever makes them — several
 * at once in one process (they queue instead of racing for the head) and several function instances
 * at once (the head's condition decides, the losers back off and try again) — and the chain verifies.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAuditStore } from '../../../functions/adapters/dynamodb/dynamo-audit-store';
import { type AuditRecord, verifyChain } from '../../../functions/domain/audit/audit-entry';
import type { AdapterTable } from './context';
import { newId } from './fixtures';

export function dynamoAuditStoreSuite(t: AdapterTable): void {
  describe('dynamo-audit-store.ts', () => {
    const record = (n: number): AuditRecord => ({
      at: new Date().toISOString(),
      actor: `actor-${n}`,
      roles: ['analyst'],
      operation: 'getCustomer',
      method: 'GET',
      path: '/v1/customers/{id}',
      ids: { id: newId() },
      queryNames: [],
      status: 200,
      replayed: false,
      requestId: `req-${n}`,
      kind: 'personal-data',
    });
    /** A store as one function instance has it, counting the transactions it sent. */
    const instance = () => {
      const counted = { transactions: 0 };
      const db = {
        send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
          if (command.constructor.name === 'TransactWriteCommand') counted.transactions++;
          return t.db.send(command);
        },
      } as unknown as DynamoDBDocumentClient;
      return { store: new DynamoAuditStore(db, t.tableName, 30), counted };
    };
    const wholeChain = async (store: DynamoAuditStore) =>
      store.range(new Date(Date.now() - 86_400_000).toISOString(), new Date(Date.now() + 60_000).toISOString());

    it('queues the appends of one process: consecutive places, one transaction each, no lost race', async () => {
      const { store, counted } = instance();
      const before = (await wholeChain(store)).length;
      const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(record(i))));
      const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
      expect(counted.transactions).toBe(20);
      expect(verifyChain(await wholeChain(store)).broken).toBeUndefined();
    });

    it('settles appends racing from several instances by the head: all recorded, one unbroken chain', async () => {
      const instances = Array.from({ length: 4 }, instance);
      const before = (await wholeChain(instances[0]!.store)).length;
      const entries = await Promise.all(
        instances.flatMap(({ store }, k) =>
          Array.from({ length: 6 }, (_, i) => store.append(record(100 + k * 10 + i))),
        ),
      );
      expect(new Set(entries.map((e) => e.seq)).size).toBe(24);
      const chain = await wholeChain(instances[0]!.store);
      expect(chain).toHaveLength(before + 24);
      expect(verifyChain(chain)).toMatchObject({ checked: before + 24 });
      expect(verifyChain(chain).broken).toBeUndefined();
      // The instances did race (some transaction lost to another instance's and was sent again).
      expect(instances.reduce((n, i) => n + i.counted.transactions, 0)).toBeGreaterThan(24);
    });

    it('verifies a range whose edge falls between a later place stamped earlier and the one before it', async () => {
      const { store } = instance();
      // Ten minutes ago: inside every whole-chain range of the other cases, and more than the append
      // skew the store reads around a range (5 minutes) away from their entries; seconds apart so the
      // range's edges fall between them.
      const base = Date.now() - 600_000;
      const at = (ms: number) => ({ ...record(0), at: new Date(base + ms).toISOString() });
      // A slow request stamped first wins its place last: entry 2 carries an earlier time than entry 1.
      const one = await store.append(at(2_000));
      const two = await store.append(at(1_000));
      const three = await store.append(at(3_000));
      const range = await store.range(new Date(base + 1_500).toISOString(), new Date(base + 3_500).toISOString());
      expect(range.map((e) => e.seq)).toEqual([one.seq, two.seq, three.seq]);
      expect(verifyChain(range).broken).toBeUndefined();
    });
  });
}
