/**
 * dynamo-survey-store.ts: the definition and its version snapshot are written together; an edit
 * against a stale revision is a 412 that writes nothing; snapshots of versions that have been live
 * are never rewritten; the list pages newest first without skipping or repeating.
 */
import { describe, expect, it } from 'vitest';
import { DynamoSurveyStore } from '../../../functions/adapters/dynamodb/dynamo-survey-store';
import { surveyKeys } from '../../../functions/adapters/dynamodb/keys';
import { PreconditionFailedError, ServiceUnavailableError } from '../../../functions/domain/errors';
import { type Survey, stripSince } from '../../../functions/domain/surveys/survey';
import type { SurveyStatus } from '../../../functions/domain/surveys/survey-schema';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { draftSurvey, published, withQuestions } from './fixtures';

export function dynamoSurveyStoreSuite(t: AdapterTable): void {
  describe('dynamo-survey-store.ts', () => {
    const store = () => new DynamoSurveyStore(t.db, t.tableName);
    const definition = (s: Survey) => keyOf(surveyKeys.definition(s.id));
    const version = (s: Survey, v: number) => keyOf(surveyKeys.version(s.id, v));
    const created = async () => {
      const s = draftSurvey();
      await store().create(s);
      return s;
    };
    /** A survey that has been published (live), as stored. */
    const liveSurvey = async () => {
      const draft = await created();
      const live = published(draft);
      await store().update(draft, live);
      return live;
    };
    /** The questions edited: the Likert overall question becomes 7-point (a new series). */
    const sevenPoint = (s: Survey) =>
      s.questions
        .map(stripSince)
        .map((q) => (q.id === 'overall' && q.type === 'likert' ? { ...q, points: 7 as const } : q));

    it('creates the definition (listed in GSI1) and the snapshot of version 1 together', async () => {
      const s = draftSurvey();
      const change = await observe(t, () => store().create(s));
      expect(change.keys).toEqual({ added: [definition(s), version(s, 1)], removed: [], changed: [] });
      const [def, v1] = change.added;
      expect(def).toEqual({ ...surveyKeys.definition(s.id), ...surveyKeys.index(s.id), entity: 'survey', ...s });
      expect(v1).toEqual({ ...surveyKeys.version(s.id, 1), entity: 'survey-version', questions: s.questions });
      expect(await store().get(s.id)).toEqual(s);
      expect(await store().getVersion(s.id, 1)).toEqual(s.questions);
    });

    it('never overwrites an existing survey on create', async () => {
      const s = await created();
      const change = await observe(t, () => store().create({ ...s, name: 'Impostor' }));
      expect(change.error).toBeDefined();
      expect(change.keys).toEqual(NO_CHANGES);
    });

    it('rewrites the version 1 snapshot in place while the survey is a draft, and on publishing', async () => {
      const draft = await created();
      const edited = withQuestions(draft, sevenPoint(draft));
      expect(edited.version).toBe(1);
      const change = await observe(t, () => store().update(draft, edited));
      expect(change.keys).toEqual({ added: [], removed: [], changed: [definition(draft), version(draft, 1)] });
      const live = published(edited);
      const publishing = await observe(t, () => store().update(edited, live));
      expect(publishing.error).toBeUndefined();
      expect(await store().get(draft.id)).toEqual(live);
    });

    it('snapshots a new version once live, leaving the old snapshot as it was', async () => {
      const live = await liveSurvey();
      const v2 = withQuestions(live, sevenPoint(live));
      expect(v2.version).toBe(2);
      const change = await observe(t, () => store().update(live, v2));
      expect(change.keys).toEqual({ added: [version(live, 2)], removed: [], changed: [definition(live)] });
      expect(await store().getVersion(live.id, 1)).toEqual(live.questions);
      expect(await store().getVersion(live.id, 2)).toEqual(v2.questions);
      expect(await store().getVersion(live.id, 3)).toBeUndefined();

      // Closing (no question change) writes the definition only.
      const closed: Survey = { ...v2, status: 'closed', revision: v2.revision + 1, closedAt: new Date().toISOString() };
      const closing = await observe(t, () => store().update(v2, closed));
      expect(closing.keys).toEqual({ added: [], removed: [], changed: [definition(live)] });
    });

    it('refuses an edit against a stale revision with a 412, writing nothing', async () => {
      const draft = await created();
      await store().update(draft, { ...draft, name: 'First editor', revision: 2 });
      const change = await observe(t, () => store().update(draft, withQuestions(draft, sevenPoint(draft))));
      expect(change.error).toBeInstanceOf(PreconditionFailedError);
      expect(change.keys).toEqual(NO_CHANGES);
    });

    it('never rewrites the snapshot of a version that has been live: such an edit is a 412 that writes nothing', async () => {
      const live = await liveSurvey();
      const v2 = withQuestions(live, sevenPoint(live));
      await store().update(live, v2);
      // An edit whose revision matches but that (wrongly) computes version 2 again, with other questions.
      const rival: Survey = {
        ...withQuestions(live, live.questions.slice(1).map(stripSince)),
        revision: v2.revision + 1,
      };
      expect(rival.version).toBe(2);
      const change = await observe(t, () => store().update({ ...v2, version: 1 }, rival));
      expect(change.error).toBeInstanceOf(PreconditionFailedError);
      expect(change.keys).toEqual(NO_CHANGES);
      expect(await store().getVersion(live.id, 2)).toEqual(v2.questions);
    });

    it('maps a throttled edit and a timed-out read to ServiceUnavailableError, writing nothing', async () => {
      const draft = await created();
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        const change = await observe(t, () => store().update(draft, { ...draft, name: 'x', revision: 2 }));
        expect(change.error).toBeInstanceOf(ServiceUnavailableError);
        expect(change.keys).toEqual(NO_CHANGES);
        proxy.plan({ fault: 'Timeout' });
        await expect(store().get(draft.id)).rejects.toBeInstanceOf(ServiceUnavailableError);
        await expect(store().getVersion(draft.id, 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
        await expect(store().list({ limit: 2 })).rejects.toBeInstanceOf(ServiceUnavailableError);
      });
    });

    it('lists newest first, page by page, each survey once, also filtered by status', async () => {
      for (let i = 0; i < 5; i++) {
        const s = await created();
        if (i % 2 === 0) await store().update(s, published(s));
      }
      const all = (await t.items()).filter((i) => i.SK === 'DEFINITION').map((i) => i as unknown as Survey);
      const walk = async (status?: SurveyStatus) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store().list({ limit: 2, ...(cursor ? { cursor } : {}), ...(status ? { status } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((s) => s.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 50);
        return seen;
      };
      const newestFirst = (surveys: Survey[]) =>
        surveys
          .map((s) => s.id)
          .sort()
          .reverse();
      expect(await walk()).toEqual(newestFirst(all));
      expect(await walk('active')).toEqual(newestFirst(all.filter((s) => s.status === 'active')));
    });
  });
}
