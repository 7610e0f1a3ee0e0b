/**
 * dynamo-followup-store.ts: an update is conditional on the revision (412 otherwise, nothing written)
 * and moves the task between status lists; lists by status and by survey page newest first without
 * skipping or repeating; createdBetween is [from, to); unlink and relink are conditional and safe to
 * repeat.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoFollowUpStore, toFollowUpItem } from '../../../functions/adapters/dynamodb/dynamo-followup-store';
import { followUpKeys } from '../../../functions/adapters/dynamodb/keys';
import { PreconditionFailedError, ServiceUnavailableError } from '../../../functions/domain/errors';
import { applyFollowUpPatch, type FollowUp, type FollowUpStatus } from '../../../functions/domain/followups/followup';
import type { FollowUpPage } from '../../../functions/domain/followups/followup-store';
import { PERSONAL_FOLLOW_UP_FIELDS } from '../../../functions/domain/surveys/response-erasure';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { followUp, newId } from './fixtures';

export function dynamoFollowUpStoreSuite(t: AdapterTable): void {
  describe('dynamo-followup-store.ts', () => {
    const store = () => new DynamoFollowUpStore(t.db, t.tableName);
    /** Follow-ups are created by the stream aggregator; here they are put as it puts them. */
    const stored = async (f: FollowUp) => {
      await t.db.send(new PutCommand({ TableName: t.tableName, Item: toFollowUpItem(f) }));
      return f;
    };
    const walk = async (list: (cursor?: string) => Promise<FollowUpPage>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(cursor);
        seen.push(...page.items.map((f) => f.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      return seen;
    };
    /** Index order (DynamoDB compares sort keys byte by byte), reversed. */
    const newestFirst = (items: FollowUp[]) =>
      items
        .map((f) => ({ id: f.id, sortKey: `${f.createdAt}#${f.id}` }))
        .sort((a, b) => (a.sortKey < b.sortKey ? 1 : -1))
        .map((f) => f.id);

    it('moves a task forward on its revision, re-indexing it under its new status', async () => {
      const surveyId = newId();
      const open = await stored(followUp(surveyId));
      const contacted = applyFollowUpPatch(open, { status: 'contacted', assignee: 'li.lei' }, new Date().toISOString());
      const change = await observe(t, () => store().update(open, contacted));
      expect(change.keys).toEqual({ added: [], removed: [], changed: [keyOf(followUpKeys.item(open.id))] });
      expect(change.changed[0]?.after).toMatchObject({
        GSI1PK: followUpKeys.byStatus('contacted'),
        GSI2PK: followUpKeys.bySurvey(surveyId),
        revision: 2,
        assignee: 'li.lei',
      });
      expect(await store().get(open.id)).toEqual(contacted);
      expect((await store().list({ status: 'open', surveyId, limit: 10 })).items).toEqual([]);
      expect((await store().list({ status: 'contacted', surveyId, limit: 10 })).items).toEqual([contacted]);
    });

    it('refuses an update against a stale revision (412), writing nothing', async () => {
      const open = await stored(followUp(newId()));
      const now = new Date().toISOString();
      await store().update(open, applyFollowUpPatch(open, { note: 'called' }, now));
      const change = await observe(t, () =>
        store().update(open, applyFollowUpPatch(open, { status: 'resolved' }, now)),
      );
      expect(change.error).toBeInstanceOf(PreconditionFailedError);
      expect(change.keys).toEqual(NO_CHANGES);
    });

    it('lists by status and by survey newest first, page by page, each task once', async () => {
      const surveyId = newId();
      const mine: FollowUp[] = [];
      for (let i = 0; i < 7; i++) {
        // Two tasks share a creation instant: the id breaks the tie, and paging must not lose either.
        const createdAt = new Date(Date.UTC(2024, 4, 1, 8, Math.min(i, 5)));
        const status: FollowUpStatus = i % 3 === 2 ? 'resolved' : 'open';
        mine.push(await stored(followUp(surveyId, { createdAt, status })));
        await stored(followUp(newId(), { createdAt, status })); // another survey's task in the same status list
      }
      const open = mine.filter((f) => f.status === 'open');
      expect(
        await walk((cursor) => store().list({ status: 'open', surveyId, limit: 2, ...(cursor ? { cursor } : {}) })),
      ).toEqual(newestFirst(open));
      expect(
        await walk((cursor) => store().listBySurvey({ surveyId, limit: 3, ...(cursor ? { cursor } : {}) })),
      ).toEqual(newestFirst(mine));
      const [first] = (await store().listBySurvey({ surveyId, limit: 1 })).items;
      expect(first).toEqual(mine.find((f) => f.id === newestFirst(mine)[0]));
    });

    it('reads the tasks of a survey created in [from, to)', async () => {
      const surveyId = newId();
      const at = (iso: string) => stored(followUp(surveyId, { createdAt: new Date(iso) }));
      await at('2024-06-01T00:00:00.000Z');
      const inside = [await at('2024-06-01T00:00:00.001Z'), await at('2024-06-01T23:59:59.999Z')];
      await at('2024-06-02T00:00:00.000Z');
      const found = await store().createdBetween(surveyId, '2024-06-01T00:00:00.001Z', '2024-06-02T00:00:00.000Z');
      expect(found.map((f) => f.id)).toEqual(inside.map((f) => f.id));
    });

    it('erasure redacts a task (customer, comment, note, assignee) and is safe to repeat; a missing task is no write', async () => {
      const customerId = newId();
      const task = await stored(followUp(newId(), { customerId }));
      const change = await observe(t, () => store().redact(task.id));
      expect(change.keys).toEqual({ added: [], removed: [], changed: [keyOf(followUpKeys.item(task.id))] });
      const after = change.changed[0]?.after;
      for (const field of PERSONAL_FOLLOW_UP_FIELDS) expect(after).not.toHaveProperty(field);
      // A new revision, so a PATCH read before the erasure cannot write the fields back.
      expect(after?.revision).toBe(task.revision + 1);
      // Repeating only bumps the revision again: nothing personal comes back.
      const again = await observe(t, () => store().redact(task.id));
      const { revision: r1, ...first } = after ?? {};
      const { revision: r2, ...second } = again.changed[0]?.after ?? {};
      expect(second).toEqual(first);
      expect(r2).toBe((r1 as number) + 1);
      expect((await observe(t, () => store().redact(`${newId()}-${newId()}`))).keys).toEqual(NO_CHANGES);
    });

    it('maps throttled or timed-out calls to ServiceUnavailableError, writing nothing', async () => {
      const customerId = newId();
      const task = await stored(followUp(newId(), { customerId }));
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        const change = await observe(t, () =>
          store().update(task, applyFollowUpPatch(task, { status: 'resolved' }, new Date().toISOString())),
        );
        expect(change.error).toBeInstanceOf(ServiceUnavailableError);
        expect(change.keys).toEqual(NO_CHANGES);
        await expect(store().redact(task.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
        proxy.plan({ fault: 'Timeout' });
        await expect(store().get(task.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
        await expect(store().list({ status: 'open', limit: 5 })).rejects.toBeInstanceOf(ServiceUnavailableError);
        await expect(store().createdBetween(task.surveyId, '2000', '3000')).rejects.toBeInstanceOf(
          ServiceUnavailableError,
        );
      });
    });
  });
}
