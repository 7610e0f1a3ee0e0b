/**
 * dynamo-idempotency-store.ts: one conditional put claims a key; a retry is told "in progress",
 * "replay" (with the kept outcome) or "mismatch"; a claim whose request died can be taken over by the
 * same request; outcomes expire after 24 hours (TTL attribute) and are erased with their customer.
 */
import { describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../functions/adapters/dynamodb/dynamo-idempotency-store';
import { DynamoResponseStore } from '../../../functions/adapters/dynamodb/dynamo-response-store';
import { customerPartition, idempotencyKeys } from '../../../functions/adapters/dynamodb/keys';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { StoredOutcome } from '../../../functions/ports/idempotency-store';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { draftSurvey, newId, published, surveyResponse } from './fixtures';

const DAY = 24 * 3600;
const T0 = 1_700_000_000;
const OUTCOME: StoredOutcome = {
  statusCode: 201,
  headers: { 'content-type': 'application/json', etag: '"1"' },
  body: '{"id":"01J0"}',
};

export function dynamoIdempotencyStoreSuite(t: AdapterTable): void {
  describe('dynamo-idempotency-store.ts', () => {
    /** A store whose clock reads `now` (epoch seconds), with a 60 s lock. */
    const storeAt = (now: number) => new DynamoIdempotencyStore(t.db, t.tableName, 60, () => now * 1000);
    const fresh = () => ({ scope: `user-${newId()}`, key: `key-${newId()}` });
    const itemKey = (scope: string, key: string) => keyOf(idempotencyKeys.item(scope, key));

    it('claims a new key with one in-progress item that holds a 60 s lock and expires in 24 h', async () => {
      const { scope, key } = fresh();
      const change = await observe(t, () => storeAt(T0).begin(scope, key, 'fp-1'));
      expect(change.value).toEqual({ state: 'new', claimedAt: T0 * 1000 });
      expect(change.keys).toEqual({ added: [itemKey(scope, key)], removed: [], changed: [] });
      expect(change.added[0]).toEqual({
        ...idempotencyKeys.item(scope, key),
        entity: 'idempotency',
        fingerprint: 'fp-1',
        state: 'in-progress',
        lockedUntil: T0 + 60,
        expiresAt: T0 + DAY,
        claimedAt: T0 * 1000,
      });
    });

    it('tells a retry during the request "in progress", and another request on the same key "mismatch"', async () => {
      const { scope, key } = fresh();
      await storeAt(T0).begin(scope, key, 'fp-1');
      const retry = await observe(t, () => storeAt(T0 + 30).begin(scope, key, 'fp-1'));
      expect(retry.value).toEqual({ state: 'in-progress', retryAfterSeconds: 31 });
      expect(retry.keys).toEqual(NO_CHANGES);
      expect(await storeAt(T0 + 30).begin(scope, key, 'fp-2')).toEqual({ state: 'mismatch' });
    });

    it('lets exactly one of several concurrent first tries claim the key', async () => {
      const { scope, key } = fresh();
      const results = await Promise.all(Array.from({ length: 8 }, () => storeAt(T0).begin(scope, key, 'fp-1')));
      expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'in-progress')).toHaveLength(7);
    });

    it('keeps the outcome, releases the lock and keeps the expiry; a retry replays it, another request is a mismatch', async () => {
      const { scope, key } = fresh();
      await storeAt(T0).begin(scope, key, 'fp-1');
      const change = await observe(t, () => storeAt(T0 + 2).complete(scope, key, OUTCOME));
      expect(change.keys).toEqual({ added: [], removed: [], changed: [itemKey(scope, key)] });
      const kept = change.changed[0]!.after;
      expect(kept).toMatchObject({ state: 'complete', outcome: OUTCOME, expiresAt: T0 + DAY, fingerprint: 'fp-1' });
      expect(kept).not.toHaveProperty('lockedUntil');
      expect(kept).not.toHaveProperty('GSI1PK');

      const replay = await observe(t, () => storeAt(T0 + 3600).begin(scope, key, 'fp-1'));
      expect(replay.value).toEqual({ state: 'replay', outcome: OUTCOME });
      expect(replay.keys).toEqual(NO_CHANGES);
      expect(await storeAt(T0 + 3600).begin(scope, key, 'fp-2')).toEqual({ state: 'mismatch' });
    });

    it('lets the same request take over a claim whose lock expired (its first try died), but not another request', async () => {
      const { scope, key } = fresh();
      await storeAt(T0).begin(scope, key, 'fp-1');
      expect(await storeAt(T0 + 61).begin(scope, key, 'fp-2')).toEqual({ state: 'mismatch' });
      const takeover = await observe(t, () => storeAt(T0 + 61).begin(scope, key, 'fp-1'));
      // The takeover keeps the first attempt's time (ids derive from it) and its expiry.
      expect(takeover.value).toEqual({ state: 'new', claimedAt: T0 * 1000 });
      expect(takeover.changed[0]?.after).toMatchObject({ lockedUntil: T0 + 61 + 60, expiresAt: T0 + DAY });
    });

    it('frees the key of an outcome older than 24 hours even before DynamoDB has deleted it', async () => {
      // TTL deletion is lazy (DynamoDB takes up to a few days): an expired item must count as gone.
      const { scope, key } = fresh();
      await storeAt(T0).begin(scope, key, 'fp-1');
      await storeAt(T0).complete(scope, key, OUTCOME);
      expect(await storeAt(T0 + DAY + 1).begin(scope, key, 'fp-2')).toEqual({
        state: 'new',
        claimedAt: (T0 + DAY + 1) * 1000,
      });
      expect(await t.item(idempotencyKeys.item(scope, key))).toMatchObject({
        fingerprint: 'fp-2',
        state: 'in-progress',
        expiresAt: T0 + 2 * DAY + 1,
      });
    });

    it('forgets a released key: the next try runs again', async () => {
      const { scope, key } = fresh();
      await storeAt(T0).begin(scope, key, 'fp-1');
      const change = await observe(t, () => storeAt(T0).abandon(scope, key));
      expect(change.keys).toEqual({ added: [], removed: [itemKey(scope, key)], changed: [] });
      expect(await storeAt(T0 + 1).begin(scope, key, 'fp-2')).toEqual({ state: 'new', claimedAt: (T0 + 1) * 1000 });
    });

    it("links outcomes that hold a customer's data under the customer, and erases exactly those", async () => {
      const customerId = newId();
      const other = newId();
      const mine = [fresh(), fresh()];
      const theirs = fresh();
      const unlinked = fresh();
      for (const [k, owner] of [
        [mine[0]!, customerId],
        [mine[1]!, customerId],
        [theirs, other],
        [unlinked, undefined],
      ] as const) {
        await storeAt(T0).begin(k.scope, k.key, 'fp');
        await storeAt(T0).complete(k.scope, k.key, OUTCOME, owner);
      }
      // The customer's survey responses share that index partition: erasure of outcomes leaves them.
      const survey = published(draftSurvey());
      await new DynamoResponseStore(t.db, t.tableName).putOnce(surveyResponse(survey, { overall: 4 }, { customerId }));
      expect(await t.item(idempotencyKeys.item(mine[0]!.scope, mine[0]!.key))).toMatchObject({
        GSI1PK: customerPartition(customerId),
        GSI1SK: idempotencyKeys.byCustomer(customerId, mine[0]!.scope, mine[0]!.key).GSI1SK,
      });
      const change = await observe(t, () => storeAt(T0).forget({ customerId, values: [] }));
      expect(change.value).toBe(2);
      expect(change.keys).toEqual({
        added: [],
        removed: mine.map((k) => itemKey(k.scope, k.key)).sort(),
        changed: [],
      });
      expect(await storeAt(T0).forget({ customerId, values: [] })).toBe(0);
    });

    it('maps a throttled claim or completion to ServiceUnavailableError, writing nothing', async () => {
      const { scope, key } = fresh();
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        const claim = await observe(t, () => storeAt(T0).begin(scope, key, 'fp-1'));
        expect(claim.error).toBeInstanceOf(ServiceUnavailableError);
        expect(claim.keys).toEqual(NO_CHANGES);
        proxy.plan(undefined);
        await storeAt(T0).begin(scope, key, 'fp-1');
        proxy.plan({ fault: 'Timeout' });
        const completion = await observe(t, () => storeAt(T0).complete(scope, key, OUTCOME));
        expect(completion.error).toBeInstanceOf(ServiceUnavailableError);
        expect(completion.keys).toEqual(NO_CHANGES);
      });
    });
  });
}
