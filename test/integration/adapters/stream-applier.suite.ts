/**
 * stream-applier.ts: a batch's counter additions are applied exactly once — each record's marker
 * (with its TTL) goes in the same transaction as its counters — so a redelivered or overlapping batch
 * adds nothing twice; a transient failure reports the first unapplied record and leaves the rest
 * unwritten; a record that can never apply is set aside alone; big batches are split to fit
 * DynamoDB's transaction and expression limits; set memberships, create-once items and "latest"
 * attributes are idempotent.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DUPLICATE_CANDIDATES_PARTITION,
  groupHash,
  type ItemKey,
  keys,
} from '../../../functions/adapters/dynamodb/keys';
import {
  MARKER_TTL_SECONDS,
  type RecordEffects,
  StreamApplier,
} from '../../../functions/adapters/dynamodb/stream-applier';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { newId } from './fixtures';

const NOW = new Date('2024-05-01T12:00:00.000Z');

export function streamApplierSuite(t: AdapterTable): void {
  describe('stream-applier.ts', () => {
    const applier = () => new StreamApplier(t.db, t.tableName, () => NOW);
    const counterKey = (): ItemKey => ({ PK: `COUNTERS#${newId()}`, SK: 'C' });
    let seq = 0;
    const record = (effects: Partial<RecordEffects> = {}): RecordEffects => ({
      eventId: `event-${newId()}`,
      sequenceNumber: String(++seq).padStart(21, '0'),
      counters: [],
      memberships: [],
      ...effects,
    });
    const marker = (r: RecordEffects) => keyOf(keys.streamMarker(r.eventId));

    describe('counters', () => {
      it("adds a batch's counters once, with one marker per record that expires after the stream's retention", async () => {
        const [a, b] = [counterKey(), counterKey()];
        const batch = [
          record({ counters: [{ key: a, add: { total: 1, missing_email: 1 } }] }),
          record({
            counters: [
              { key: a, add: { total: 1 } },
              { key: b, add: { n: 2 } },
            ],
          }),
          record({ counters: [{ key: a, add: { total: -1, missing_email: -1 } }] }),
        ];
        const change = await observe(t, () => applier().apply(batch));
        expect(change.value).toEqual({ applied: 3, skippedAsDuplicate: 0, poisoned: [] });
        expect(change.keys).toEqual({
          added: [...batch.map(marker), keyOf(a), keyOf(b)].sort(),
          removed: [],
          changed: [],
        });
        // Additions that cancel out within the batch are not written at all.
        expect(await t.item(a)).toEqual({ ...a, entity: 'counters', total: 1 });
        expect(await t.item(b)).toEqual({ ...b, entity: 'counters', n: 2 });
        for (const r of batch) {
          expect(await t.item(keys.streamMarker(r.eventId))).toEqual({
            ...keys.streamMarker(r.eventId),
            entity: 'stream-marker',
            expiresAt: Math.floor(NOW.getTime() / 1000) + MARKER_TTL_SECONDS,
          });
        }
        expect(MARKER_TTL_SECONDS).toBeGreaterThan(24 * 3600);
      });

      it('adds nothing when the same batch is delivered again', async () => {
        const a = counterKey();
        const batch = [
          record({ counters: [{ key: a, add: { n: 1 } }] }),
          record({ counters: [{ key: a, add: { n: 1 } }] }),
        ];
        await applier().apply(batch);
        const again = await observe(t, () => applier().apply(batch));
        expect(again.value).toEqual({ applied: 0, skippedAsDuplicate: 2, poisoned: [] });
        expect(again.keys).toEqual(NO_CHANGES);
      });

      it('applies only the new records of an overlapping batch', async () => {
        const a = counterKey();
        const [r1, r2, r3] = [1, 10, 100].map((n) => record({ counters: [{ key: a, add: { n } }] }));
        await applier().apply([r1!, r2!]);
        const change = await observe(t, () => applier().apply([r2!, r3!]));
        expect(change.value).toEqual({ applied: 1, skippedAsDuplicate: 1, poisoned: [] });
        expect(change.keys).toEqual({ added: [marker(r3!)], removed: [], changed: [keyOf(a)] });
        expect(await t.item(a)).toMatchObject({ n: 111 });
      });

      it('writes a marker but no counter item for additions that sum to zero', async () => {
        const a = counterKey();
        const r = record({ counters: [{ key: a, add: { n: 0 } }] });
        const change = await observe(t, () => applier().apply([r]));
        expect(change.keys).toEqual({ added: [marker(r)], removed: [], changed: [] });
      });
    });

    describe('failures', () => {
      it('stops at the first unapplied record on a transient failure, and a redelivery completes the batch exactly once', async () => {
        // 120 records on 120 counter items: three transactions (markers + items stay within 100 per transaction).
        const batch = Array.from({ length: 120 }, () => record({ counters: [{ key: counterKey(), add: { n: 1 } }] }));
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'Throttling', fromWrite: 2 });
          const change = await observe(t, () => applier().apply(batch));
          expect(change.value).toMatchObject({ applied: 50, failedFrom: batch[50]!.sequenceNumber, poisoned: [] });
          expect((change.value as { error: unknown }).error).toBeInstanceOf(ServiceUnavailableError);
          expect(change.keys.added).toHaveLength(100);
          expect(change.keys.added).toEqual(expect.arrayContaining(batch.slice(0, 50).map(marker)));
        });
        const redelivery = await observe(t, () => applier().apply(batch));
        expect(redelivery.value).toEqual({ applied: 70, skippedAsDuplicate: 50, poisoned: [] });
        const items = new Map((await t.items()).map((i) => [keyOf(i), i]));
        expect(batch.map((r) => items.get(keyOf(r.counters[0]!.key))?.n)).toEqual(batch.map(() => 1));
      });

      it('reports a transient failure of the first transaction from the first record, writing nothing', async () => {
        const batch = [record({ counters: [{ key: counterKey(), add: { n: 1 } }] })];
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'Timeout' });
          const change = await observe(t, () => applier().apply(batch));
          expect(change.value).toMatchObject({ applied: 0, failedFrom: batch[0]!.sequenceNumber });
          expect(change.keys).toEqual(NO_CHANGES);
        });
      });

      it('sets aside a record that can never be applied and applies the rest of its batch', async () => {
        const broken = counterKey();
        await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...broken, n: 'not a number' } }));
        const good = counterKey();
        const batch = [
          record({ counters: [{ key: good, add: { n: 1 } }] }),
          record({ counters: [{ key: broken, add: { n: 1 } }] }),
          record({ counters: [{ key: good, add: { n: 1 } }] }),
        ];
        const change = await observe(t, () => applier().apply(batch));
        expect(change.value).toMatchObject({
          applied: 2,
          poisoned: [{ sequenceNumber: batch[1]!.sequenceNumber, eventId: batch[1]!.eventId }],
        });
        expect(change.value).not.toHaveProperty('failedFrom');
        expect(change.keys).toEqual({
          added: [marker(batch[0]!), marker(batch[2]!), keyOf(good)].sort(),
          removed: [],
          changed: [],
        });
        expect(await t.item(good)).toMatchObject({ n: 2 });
      });
    });

    it('splits a batch whose counter names would outgrow one update expression, and applies all of it', async () => {
      const a = counterKey();
      const names = (prefix: string) =>
        Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${prefix}_${i}`, 1]));
      const batch = ['x', 'y', 'z'].map((p) => record({ counters: [{ key: a, add: names(p) }] }));
      await withFaultProxy(async (proxy) => {
        const result = await applier().apply(batch);
        expect(result).toEqual({ applied: 3, skippedAsDuplicate: 0, poisoned: [] });
        // Split up front: no transaction was refused and retried record by record.
        expect(proxy.calls.map((c) => [c.command, c.succeeded])).toEqual(
          Array.from({ length: 3 }, () => ['TransactWriteCommand', true]),
        );
      });
      const item = await t.item(a);
      expect(Object.keys(item ?? {}).filter((k) => /^[xyz]_/.test(k))).toHaveLength(600);
    });

    describe('memberships, create-once and latest', () => {
      const group = (k: string) => t.item(keys.duplicateGroup(k));

      it('keeps duplicate groups as sets, flagging groups of two or more in the sparse index, idempotently', async () => {
        const k = `wang fang|${newId()}`;
        const [a, b] = [newId(), newId()];
        const join = (id: string) => record({ memberships: [{ customerId: id, join: k }] });
        const change = await observe(t, () => applier().apply([join(a)]));
        // A record without counters needs no marker: set changes are idempotent.
        expect(change.keys).toEqual({ added: [keyOf(keys.duplicateGroup(k))], removed: [], changed: [] });
        expect(await group(k)).not.toHaveProperty('GSI2PK');
        await applier().apply([join(b), join(b)]);
        expect(await group(k)).toMatchObject({
          groupKey: k,
          ids: new Set([a, b]),
          GSI2PK: DUPLICATE_CANDIDATES_PARTITION,
          GSI2SK: groupHash(k),
        });
        const leave = record({ memberships: [{ customerId: b, leave: k, join: `${k}-moved` }] });
        await applier().apply([leave, leave]);
        const left = await group(k);
        expect(left?.ids).toEqual(new Set([a]));
        expect(left).not.toHaveProperty('GSI2PK');
        expect((await group(`${k}-moved`))?.ids).toEqual(new Set([b]));
      });

      it('creates an item once and never overwrites it on redelivery', async () => {
        const item = { PK: `TASK#${newId()}`, SK: 'TASK', status: 'open' };
        await applier().apply([record({ creates: [{ item }] })]);
        await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...item, status: 'resolved' } }));
        const again = await observe(t, () => applier().apply([record({ creates: [{ item }] })]));
        expect(again.keys).toEqual(NO_CHANGES);
        expect(await t.item({ PK: item.PK, SK: item.SK })).toMatchObject({ status: 'resolved' });
      });

      it('creates an item without what its fallback leaves out when the item it depends on was erased, once', async () => {
        const source = { PK: `SOURCE#${newId()}`, SK: 'S' };
        const item = { PK: `TASK#${newId()}`, SK: 'TASK', status: 'open', comment: 'call me', revision: 1 };
        const create = {
          item,
          unlessErased: { key: source, fallback: { PK: item.PK, SK: item.SK, status: 'open', revision: 1 } },
        };
        // Not erased: created whole, and nothing is read into it.
        await t.db.send(new PutCommand({ TableName: t.tableName, Item: source }));
        await applier().apply([record({ creates: [create] })]);
        expect(await t.item({ PK: item.PK, SK: item.SK })).toEqual(item);

        // Erased after the item was created (a redelivery finds it): stripped, with a new revision, once.
        await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...source, erasedAt: NOW.toISOString() } }));
        await applier().apply([record({ creates: [create] })]);
        expect(await t.item({ PK: item.PK, SK: item.SK })).toEqual({
          PK: item.PK,
          SK: item.SK,
          status: 'open',
          revision: 2,
        });
        const again = await observe(t, () => applier().apply([record({ creates: [create] })]));
        expect(again.keys).toEqual(NO_CHANGES);
        expect(await t.item({ PK: item.PK, SK: item.SK })).toMatchObject({ revision: 2 });

        // Erased before the stream got to it: never left holding what erasure removed.
        const late = { ...item, PK: `TASK#${newId()}` };
        await applier().apply([
          record({
            creates: [{ item: late, unlessErased: { ...create.unlessErased, fallback: { PK: late.PK, SK: late.SK } } }],
          }),
        ]);
        expect(await t.item({ PK: late.PK, SK: late.SK })).not.toHaveProperty('comment');
      });

      it('sets "latest" attributes only from a newer record', async () => {
        const key = counterKey();
        const latest = (at: string, score: number) => record({ latest: [{ key, at, set: { lastScore: score } }] });
        await applier().apply([latest('2024-05-02T00:00:00.000Z', 2)]);
        await applier().apply([latest('2024-05-01T00:00:00.000Z', 1)]);
        expect(await t.item(key)).toMatchObject({ latestAt: '2024-05-02T00:00:00.000Z', lastScore: 2 });
        await applier().apply([latest('2024-05-03T00:00:00.000Z', 3)]);
        expect(await t.item(key)).toMatchObject({ latestAt: '2024-05-03T00:00:00.000Z', lastScore: 3 });
      });
    });
  });
}
