/**
 * dynamo-customer-store.ts: every write is one transaction of the record and its e-mail/phone guards
 * — a taken value is a 409 naming its owner, a stale version a 412, and either writes nothing; merge
 * moves guards and feedback counters; lists page in creation order without skipping or repeating.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../functions/adapters/dynamodb/cursor';
import { DynamoCustomerStore } from '../../../functions/adapters/dynamodb/dynamo-customer-store';
import {
  DUPLICATE_CANDIDATES_PARTITION,
  feedbackKeys,
  groupHash,
  keys,
} from '../../../functions/adapters/dynamodb/keys';
import type { Customer } from '../../../functions/domain/customers/customer';
import type { ListOptions } from '../../../functions/domain/customers/customer-store';
import { ConflictError, PreconditionFailedError, ServiceUnavailableError } from '../../../functions/domain/errors';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { customer, edited, newId, uniqueEmail, uniquePhone } from './fixtures';

export function dynamoCustomerStoreSuite(t: AdapterTable): void {
  describe('dynamo-customer-store.ts', () => {
    const store = () => new DynamoCustomerStore(t.db, t.tableName);
    const created = async (fields: Parameters<typeof customer>[0] = {}, at?: Date) => {
      const c = customer(fields, at);
      await store().create(c);
      return c;
    };
    const profile = (c: Customer) => keyOf(keys.customer(c.id));
    const emailGuard = (email: string) => keyOf(keys.emailGuard(email));
    const phoneGuard = (phone: string) => keyOf(keys.phoneGuard(phone));
    /** Every page of a list, following its cursors. */
    const allPages = async (options: Omit<ListOptions, 'cursor'>) => {
      const pages: Customer[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store().list({ ...options, ...(cursor ? { cursor } : {}) });
        pages.push(page.items);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 100);
      return pages;
    };

    describe('create', () => {
      it('writes the record with its index keys and one guard per e-mail and phone, nothing else', async () => {
        const c = customer({ email: uniqueEmail(), phone: uniquePhone(), segment: 'vip', tags: ['a'] });
        const change = await observe(t, () => store().create(c));
        expect(change.error).toBeUndefined();
        expect(change.keys).toEqual({
          added: [profile(c), emailGuard(c.email!), phoneGuard(c.phone!)].sort(),
          removed: [],
          changed: [],
        });
        const byKey = new Map(change.added.map((i) => [keyOf(i), i]));
        expect(byKey.get(profile(c))).toEqual({
          ...keys.customer(c.id),
          GSI1PK: 'CUSTOMERS',
          GSI1SK: c.id,
          GSI2PK: 'CUSTOMERS',
          GSI2SK: `${c.updatedAt}#${c.id}`,
          entity: 'customer',
          ...c,
        });
        expect(byKey.get(emailGuard(c.email!))).toMatchObject({ customerId: c.id });
        expect(byKey.get(phoneGuard(c.phone!))).toMatchObject({ customerId: c.id });
        // Customer data never expires.
        expect(change.added.filter((i) => 'expiresAt' in i)).toEqual([]);
        expect(await store().get(c.id)).toEqual(c);
      });

      it('writes only the record when there is no e-mail or phone', async () => {
        const c = customer({ name: 'No contact' });
        const change = await observe(t, () => store().create(c));
        expect(change.keys).toEqual({ added: [profile(c)], removed: [], changed: [] });
      });

      it.each(['email', 'phone'] as const)(
        'refuses a %s another customer holds with a 409 naming the owner, writing nothing',
        async (field) => {
          const owner = await created({ email: uniqueEmail(), phone: uniquePhone() });
          const other = customer({ email: uniqueEmail(), phone: uniquePhone(), [field]: owner[field] });
          const change = await observe(t, () => store().create(other));
          expect(change.keys).toEqual(NO_CHANGES);
          expect(change.error).toBeInstanceOf(ConflictError);
          expect(change.error).toMatchObject({ status: 409, extensions: { field, existingCustomerId: owner.id } });
        },
      );

      it('refuses a second record with the same id, writing nothing', async () => {
        const c = await created({ email: uniqueEmail() });
        const change = await observe(t, () => store().create({ ...c, email: uniqueEmail() }));
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toMatchObject({ status: 409, extensions: { existingCustomerId: c.id } });
      });

      it('lets exactly one of ten concurrent creates claim an e-mail; the others are told who has it', async () => {
        const email = uniqueEmail('race');
        const contenders = Array.from({ length: 10 }, () => customer({ email }));
        const results = await Promise.allSettled(contenders.map((c) => store().create(c)));
        const winners = contenders.filter((_, i) => results[i]?.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const r of results.filter((r) => r.status === 'rejected')) {
          expect(r.reason).toMatchObject({
            status: 409,
            extensions: { field: 'email', existingCustomerId: winners[0]!.id },
          });
        }
        const items = await t.items();
        const mine = new Set(contenders.map((c) => profile(c)));
        expect(items.filter((i) => mine.has(keyOf(i))).map(keyOf)).toEqual([profile(winners[0]!)]);
        expect(await store().findIdByEmail(email)).toBe(winners[0]!.id);
      });
    });

    describe('reads', () => {
      it('finds owners by e-mail and phone, and nothing for unknown values or ids', async () => {
        const c = await created({ email: uniqueEmail(), phone: uniquePhone() });
        expect(await store().findIdByEmail(c.email!)).toBe(c.id);
        expect(await store().findIdByPhone(c.phone!)).toBe(c.id);
        expect(await store().findIdByEmail(uniqueEmail())).toBeUndefined();
        expect(await store().findIdByPhone(uniquePhone())).toBeUndefined();
        expect(await store().get(newId())).toBeUndefined();
      });

      it('maps a throttled or timed-out read to ServiceUnavailableError', async () => {
        const c = await created({ email: uniqueEmail() });
        await withFaultProxy(async (proxy) => {
          for (const fault of ['Throttling', 'Timeout'] as const) {
            proxy.plan({ fault });
            await expect(store().get(c.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
            await expect(store().findIdByEmail(c.email!)).rejects.toBeInstanceOf(ServiceUnavailableError);
            await expect(store().list({ limit: 5 })).rejects.toBeInstanceOf(ServiceUnavailableError);
          }
        });
      });
    });

    describe('update', () => {
      it('moves a changed e-mail guard and leaves the unchanged phone guard alone', async () => {
        const before = await created({ email: uniqueEmail(), phone: uniquePhone() });
        const after = edited(before, { email: uniqueEmail(), company: 'Acme' });
        const change = await observe(t, () => store().update(before, after));
        expect(change.error).toBeUndefined();
        expect(change.keys).toEqual({
          added: [emailGuard(after.email!)],
          removed: [emailGuard(before.email!)],
          changed: [profile(before)],
        });
        expect(change.changed[0]?.after).toMatchObject({
          version: 2,
          company: 'Acme',
          GSI2SK: `${after.updatedAt}#${after.id}`,
        });
        expect(await store().findIdByEmail(after.email!)).toBe(after.id);
      });

      it('releases the guard of a cleared phone', async () => {
        const before = await created({ phone: uniquePhone() });
        const after = edited(before, { phone: undefined });
        const change = await observe(t, () => store().update(before, after));
        expect(change.keys).toEqual({ added: [], removed: [phoneGuard(before.phone!)], changed: [profile(before)] });
      });

      it('refuses a write against a stale version with a 412, writing nothing', async () => {
        const v1 = await created({ email: uniqueEmail() });
        const v2 = edited(v1, { name: 'First writer' });
        await store().update(v1, v2);
        const change = await observe(t, () => store().update(v1, edited(v1, { email: uniqueEmail() })));
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toBeInstanceOf(PreconditionFailedError);
        expect(await store().get(v1.id)).toEqual(v2);
      });

      it('refuses an e-mail another customer holds with a 409 naming the owner, writing nothing', async () => {
        const owner = await created({ email: uniqueEmail() });
        const before = await created({ email: uniqueEmail() });
        const change = await observe(t, () => store().update(before, edited(before, { email: owner.email })));
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toMatchObject({
          status: 409,
          extensions: { field: 'email', existingCustomerId: owner.id },
        });
      });

      it('writes nothing when a transaction conflict never clears (503)', async () => {
        const before = await created({ email: uniqueEmail() });
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'TransactionConflict' });
          const change = await observe(t, () => store().update(before, edited(before, { email: uniqueEmail() })));
          expect(change.error).toBeInstanceOf(ServiceUnavailableError);
          expect(change.keys).toEqual(NO_CHANGES);
        });
      });
    });

    describe('delete', () => {
      it("removes the record, its guards and its feedback counters, and nobody else's items", async () => {
        const neighbour = await created({ email: uniqueEmail() });
        const c = await created({ email: uniqueEmail(), phone: uniquePhone() });
        for (const id of [c.id, neighbour.id]) {
          await t.db.send(
            new PutCommand({
              TableName: t.tableName,
              Item: { ...feedbackKeys.item(id), entity: 'counters', feedbackCount: 1 },
            }),
          );
        }
        const change = await observe(t, () => store().delete(c));
        expect(change.error).toBeUndefined();
        expect(change.keys).toEqual({
          added: [],
          removed: [profile(c), emailGuard(c.email!), phoneGuard(c.phone!), keyOf(feedbackKeys.item(c.id))].sort(),
          changed: [],
        });
      });

      it('refuses to delete a stale version (412), writing nothing', async () => {
        const v1 = await created({ email: uniqueEmail() });
        await store().update(v1, edited(v1, { name: 'Changed meanwhile' }));
        const change = await observe(t, () => store().delete(v1));
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toBeInstanceOf(PreconditionFailedError);
      });

      it('writes nothing when throttled (503)', async () => {
        const c = await created({ email: uniqueEmail() });
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'ProvisionedThroughputExceeded', writesOnly: true });
          const change = await observe(t, () => store().delete(c));
          expect(change.error).toBeInstanceOf(ServiceUnavailableError);
          expect(change.keys).toEqual(NO_CHANGES);
        });
      });
    });

    describe('merge', () => {
      const counters = (id: string, count: number, latestAt: string, value: number) =>
        t.db.send(
          new PutCommand({
            TableName: t.tableName,
            Item: {
              ...feedbackKeys.item(id),
              entity: 'counters',
              feedbackCount: count,
              scoredCount: count,
              scoreSum: count * 50,
              latestAt,
              lastScore: { value, min: 1, max: 5 },
              lastSurveyId: `S-${value}`,
              lastResponseId: `R-${value}`,
            },
          }),
        );

      it("moves the duplicate's guards and feedback to the primary and deletes the duplicate, in one write", async () => {
        const primary = await created({ phone: uniquePhone(), company: 'Acme' });
        const duplicate = await created({ email: uniqueEmail(), phone: uniquePhone() });
        await counters(primary.id, 2, '2024-05-01T00:00:00.000Z', 2);
        await counters(duplicate.id, 3, '2024-06-01T00:00:00.000Z', 5);
        const next = edited(primary, { email: duplicate.email });
        const change = await observe(t, () => store().merge(primary, next, duplicate));
        expect(change.error).toBeUndefined();
        expect(change.keys).toEqual({
          added: [keyOf(keys.mergedCustomer(duplicate.id))],
          removed: [profile(duplicate), phoneGuard(duplicate.phone!), keyOf(feedbackKeys.item(duplicate.id))].sort(),
          changed: [profile(primary), keyOf(feedbackKeys.item(primary.id)), emailGuard(duplicate.email!)].sort(),
        });
        // The tombstone: the duplicate's id now stands for the primary (the stream moves what is
        // linked to it), indexed under the primary with the duplicate's own e-mail and phone, which
        // erasing the primary searches by too.
        expect(change.added[0]).toMatchObject({
          entity: 'merged-customer',
          mergedInto: primary.id,
          email: duplicate.email,
          phone: duplicate.phone,
        });
        expect((await store().mergedInto(primary.id)).map((m) => m.id)).toEqual([duplicate.id]);
        expect(await store().findIdByEmail(duplicate.email!)).toBe(primary.id);
        expect(await store().findIdByPhone(primary.phone!)).toBe(primary.id);
        // Counts add up; the newer "last score" (the duplicate's) wins.
        expect(await t.item(feedbackKeys.item(primary.id))).toMatchObject({
          feedbackCount: 5,
          scoredCount: 5,
          scoreSum: 250,
          latestAt: '2024-06-01T00:00:00.000Z',
          lastScore: { value: 5 },
          lastSurveyId: 'S-5',
        });
      });

      it("keeps the primary's last score when it is the newer one", async () => {
        const primary = await created();
        const duplicate = await created();
        await counters(primary.id, 1, '2024-07-01T00:00:00.000Z', 4);
        await counters(duplicate.id, 1, '2024-06-01T00:00:00.000Z', 1);
        await store().merge(primary, edited(primary, {}), duplicate);
        expect(await t.item(feedbackKeys.item(primary.id))).toMatchObject({
          feedbackCount: 2,
          lastScore: { value: 4 },
        });
      });

      it('refuses (412) and writes nothing when the duplicate changed meanwhile', async () => {
        const primary = await created();
        const duplicate = await created({ email: uniqueEmail() });
        await store().update(duplicate, edited(duplicate, { name: 'Changed meanwhile' }));
        const change = await observe(t, () =>
          store().merge(primary, edited(primary, { email: duplicate.email }), duplicate),
        );
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toBeInstanceOf(PreconditionFailedError);
        expect((change.error as Error).message).toContain(duplicate.id);
      });

      it('refuses (412) and writes nothing when the primary changed meanwhile', async () => {
        const primary = await created();
        const duplicate = await created({ email: uniqueEmail() });
        await store().update(primary, edited(primary, { name: 'Changed meanwhile' }));
        const change = await observe(t, () => store().merge(primary, edited(primary, {}), duplicate));
        expect(change.keys).toEqual(NO_CHANGES);
        expect(change.error).toBeInstanceOf(PreconditionFailedError);
        expect((change.error as Error).message).toContain(`customer ${primary.id} has changed`);
      });
    });

    describe('list', () => {
      it('pages through every record in creation order, never skipping or repeating, while records are added', async () => {
        for (let i = 0; i < 7; i++) await created({ email: uniqueEmail() });
        const expected = (await t.items()).filter((i) => i.SK === 'PROFILE').map((i) => String(i.id));
        const seen: string[] = [];
        let cursor: string | undefined;
        const addedMeanwhile: string[] = [];
        do {
          const page = await store().list({ limit: 3, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor;
          // A record created between pages lands after every cursor: it shows up later, once.
          if (addedMeanwhile.length < 2) addedMeanwhile.push((await created()).id);
        } while (cursor);
        expect(seen).toEqual([...expected, ...addedMeanwhile]);
      });

      it('ends the list: the page after the last record is empty and has no cursor', async () => {
        const total = (await t.items()).filter((i) => i.SK === 'PROFILE').length;
        const page = await store().list({ limit: total });
        expect(page.items).toHaveLength(total);
        // DynamoDB cannot tell that a full page was the last one: at most one empty page follows.
        if (page.nextCursor)
          expect(await store().list({ limit: total, cursor: page.nextCursor })).toEqual({ items: [] });
      });

      it('filters by segment, tag and updatedSince across pages without skipping or repeating', async () => {
        const segment = `seg-${newId()}`;
        const tag = `tag-${newId()}`;
        const old = new Date('2020-01-01T00:00:00.000Z');
        const made: Customer[] = [];
        for (let i = 0; i < 12; i++) {
          made.push(
            await created(
              { ...(i % 2 === 0 ? { segment } : {}), tags: i % 3 === 0 ? [tag, 'x'] : ['x'] },
              i % 4 === 0 ? old : undefined,
            ),
          );
          // Records of other segments in between, so the filter has something to skip.
          await created({ segment: 'other' });
        }
        const ids = (pages: Customer[][]) => pages.flat().map((c) => c.id);
        const bySegment = await allPages({ limit: 2, segment });
        expect(ids(bySegment)).toEqual(made.filter((c) => c.segment === segment).map((c) => c.id));
        expect(bySegment.every((p) => p.length <= 2)).toBe(true);
        expect(ids(await allPages({ limit: 2, tag }))).toEqual(
          made.filter((c) => c.tags.includes(tag)).map((c) => c.id),
        );
        const since = '2023-01-01T00:00:00.000Z';
        expect(ids(await allPages({ limit: 3, segment, updatedSince: since }))).toEqual(
          made.filter((c) => c.segment === segment && c.updatedAt >= since).map((c) => c.id),
        );
      });

      it('starts after the record a cursor names', async () => {
        const first = await created();
        const second = await created();
        const page = await store().list({ limit: 1, cursor: encodeCursor({ after: first.id }) });
        expect(page.items.map((c) => c.id)).toEqual([second.id]);
      });
    });

    describe('data-quality reads', () => {
      it('reads the quality counters item, and zeros when there is none yet', async () => {
        expect(await store().qualityCounters()).toEqual({ total: 0, missing: {}, invalid: {} });
        await t.db.send(
          new PutCommand({
            TableName: t.tableName,
            Item: { ...keys.customerQuality(), entity: 'counters', total: 5, missing_email: 2, invalid_phone: 1 },
          }),
        );
        expect(await store().qualityCounters()).toEqual({ total: 5, missing: { email: 2 }, invalid: { phone: 1 } });
      });

      it('counts records last updated strictly before an instant', async () => {
        const instant = '2001-06-01T00:00:00.000Z';
        for (const at of [
          '2001-01-01T00:00:00.000Z',
          '2001-05-31T23:59:59.999Z',
          instant,
          '2001-06-01T00:00:00.001Z',
        ]) {
          await created({}, new Date(at));
        }
        expect(await store().countUpdatedBefore(instant)).toBe(2);
        expect(await store().countUpdatedBefore('2001-01-01T00:00:00.000Z')).toBe(0);
      });

      it('lists duplicate groups of two or more from the sparse index, members sorted', async () => {
        const group = (key: string, ids: string[], flagged: boolean) =>
          t.db.send(
            new PutCommand({
              TableName: t.tableName,
              Item: {
                ...keys.duplicateGroup(key),
                entity: 'duplicate-group',
                groupKey: key,
                ids: new Set(ids),
                ...(flagged ? { GSI2PK: DUPLICATE_CANDIDATES_PARTITION, GSI2SK: groupHash(key) } : {}),
              },
            }),
          );
        await group('wang fang|acme', ['B', 'A'], true);
        await group('li lei|', ['C'], false);
        // Flagged by a writer that lost a race with a leave: not a duplicate any more.
        await group('zhang wei|', ['D'], true);
        expect(await store().duplicateGroups(10)).toEqual([{ key: 'wang fang|acme', customerIds: ['A', 'B'] }]);
      });
    });
  });
}
