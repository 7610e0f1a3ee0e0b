/**
 * cached-survey-store.ts in front of the real DynamoDB store: an active survey is read once per TTL
 * (a burst shares one read); drafts, unknown ids and failed reads are never kept, so publishing takes
 * effect at once; another container's close is seen once the TTL has passed; version snapshots are
 * read once for the container's life. DynamoDB calls are counted through the fault proxy's log.
 */
import { describe, expect, it } from 'vitest';
import { CachedSurveyStore } from '../../../functions/adapters/dynamodb/cached-survey-store';
import { DynamoSurveyStore } from '../../../functions/adapters/dynamodb/dynamo-survey-store';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { Survey } from '../../../functions/domain/surveys/survey';
import type { FaultProxy } from '../../support/fault-proxy';
import { type AdapterTable, withFaultProxy } from './context';
import { draftSurvey, published } from './fixtures';

const TTL = 5000;

export function cachedSurveyStoreSuite(t: AdapterTable): void {
  describe('cached-survey-store.ts', () => {
    /** Another container's store, writing behind this one's cache. */
    const elsewhere = () => new DynamoSurveyStore(t.db, t.tableName);
    let clock = 0;
    const cached = () => new CachedSurveyStore(new DynamoSurveyStore(t.db, t.tableName), TTL, () => clock);
    const reads = (proxy: FaultProxy) => proxy.calls.filter((c) => c.command === 'GetCommand').length;
    const stored = async (status: 'draft' | 'active') => {
      const draft = draftSurvey();
      await elsewhere().create(draft);
      if (status === 'draft') return draft;
      const live = published(draft);
      await elsewhere().update(draft, live);
      return live;
    };
    const closed = (s: Survey): Survey => ({
      ...s,
      status: 'closed',
      revision: s.revision + 1,
      closedAt: new Date().toISOString(),
    });

    it('reads an active survey once per TTL, and a burst of requests shares one read', async () => {
      const live = await stored('active');
      const store = cached();
      await withFaultProxy(async (proxy) => {
        clock = 1000;
        const burst = await Promise.all(Array.from({ length: 5 }, () => store.get(live.id)));
        expect(burst).toEqual(Array.from({ length: 5 }, () => live));
        clock += TTL - 1;
        expect(await store.get(live.id)).toEqual(live);
        expect(reads(proxy)).toBe(1);
        clock += 1;
        expect(await store.get(live.id)).toEqual(live);
        expect(reads(proxy)).toBe(2);
      });
    });

    it('does not keep a draft: publishing elsewhere takes effect at once', async () => {
      const draft = await stored('draft');
      const store = cached();
      clock = 0;
      expect((await store.get(draft.id))?.status).toBe('draft');
      await elsewhere().update(draft, published(draft));
      expect((await store.get(draft.id))?.status).toBe('active');
    });

    it('does not keep an unknown id: a survey created elsewhere is found at once', async () => {
      const store = cached();
      const draft = draftSurvey();
      expect(await store.get(draft.id)).toBeUndefined();
      await elsewhere().create(draft);
      expect(await store.get(draft.id)).toEqual(draft);
    });

    it('sees a close made elsewhere once the TTL has passed', async () => {
      const live = await stored('active');
      const store = cached();
      clock = 0;
      await store.get(live.id);
      await elsewhere().update(live, closed(live));
      clock = TTL - 1;
      expect((await store.get(live.id))?.status).toBe('active');
      clock = TTL;
      expect((await store.get(live.id))?.status).toBe('closed');
    });

    it('forgets its copy when the survey is changed through it', async () => {
      const live = await stored('active');
      const store = cached();
      clock = 0;
      await store.get(live.id);
      await store.update(live, closed(live));
      expect((await store.get(live.id))?.status).toBe('closed');
    });

    it('does not keep a failed read', async () => {
      const live = await stored('active');
      const store = cached();
      clock = 0;
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        await expect(store.get(live.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
        await expect(store.getVersion(live.id, 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
        proxy.plan(undefined);
        expect(await store.get(live.id)).toEqual(live);
        expect(await store.getVersion(live.id, 1)).toEqual(live.questions);
      });
    });

    it('reads a version snapshot once for good, and does not keep a missing one', async () => {
      const live = await stored('active');
      const store = cached();
      await withFaultProxy(async (proxy) => {
        clock = 0;
        expect(await store.getVersion(live.id, 1)).toEqual(live.questions);
        clock = 10 * TTL;
        expect(await store.getVersion(live.id, 1)).toEqual(live.questions);
        expect(reads(proxy)).toBe(1);
        expect(await store.getVersion(live.id, 2)).toBeUndefined();
        expect(await store.getVersion(live.id, 2)).toBeUndefined();
        expect(reads(proxy)).toBe(3);
      });
    });

    it('passes create and list straight through', async () => {
      const store = cached();
      const draft = draftSurvey();
      await store.create(draft);
      expect(await elsewhere().get(draft.id)).toEqual(draft);
      expect((await store.list({ limit: 100 })).items.map((s) => s.id)).toContain(draft.id);
    });
  });
}
