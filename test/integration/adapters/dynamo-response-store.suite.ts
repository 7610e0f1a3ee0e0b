/**
 * dynamo-response-store.ts: one conditional put per response id (a retry gets the stored response
 * back and changes nothing); day-range and per-customer lists page without skipping or repeating;
 * unlink and relink change only what they must and are safe to repeat.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../functions/adapters/dynamodb/dynamo-idempotency-store';
import { DynamoResponseStore } from '../../../functions/adapters/dynamodb/dynamo-response-store';
import { responseKeys } from '../../../functions/adapters/dynamodb/keys';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { SurveyResponse } from '../../../functions/domain/surveys/response';
import { ERASED_TEXT } from '../../../functions/domain/surveys/response-erasure';
import type { DayRangeQuery } from '../../../functions/domain/surveys/response-store';
import type { Survey } from '../../../functions/domain/surveys/survey';
import { type AdapterTable, keyOf, NO_CHANGES, observe, withFaultProxy } from './context';
import { draftSurvey, newId, published, surveyResponse } from './fixtures';

export function dynamoResponseStoreSuite(t: AdapterTable): void {
  describe('dynamo-response-store.ts', () => {
    const store = () => new DynamoResponseStore(t.db, t.tableName);
    const itemKey = (r: SurveyResponse) => keyOf(responseKeys.response(r.surveyId, r.day, r.id));
    const at = (iso: string) => new Date(iso);

    describe('putOnce', () => {
      it('stores a linked response as one item in its day partition, indexed under its customer', async () => {
        const survey = published(draftSurvey());
        const customerId = newId();
        const r = surveyResponse(survey, { overall: 4, comment: 'ok' }, { customerId, at: at('2024-05-01T23:59:59Z') });
        const change = await observe(t, () => store().putOnce(r));
        expect(change.value).toEqual({ created: true });
        expect(change.keys).toEqual({ added: [itemKey(r)], removed: [], changed: [] });
        expect(change.added[0]).toEqual({
          PK: `RESPONSES#${survey.id}#2024-05-01`,
          SK: r.id,
          ...responseKeys.byCustomer(customerId, r.receivedAt, r.id),
          entity: 'response',
          ...r,
        });
        expect(change.added[0]).not.toHaveProperty('expiresAt');
      });

      it('gives an anonymous response no customer index key', async () => {
        const r = surveyResponse(published(draftSurvey()), { overall: 2 });
        const change = await observe(t, () => store().putOnce(r));
        expect(change.added[0]).not.toHaveProperty('GSI1PK');
      });

      it('returns the stored response to a retry with the same id, and changes nothing', async () => {
        const survey = published(draftSurvey());
        const first = surveyResponse(survey, { overall: 5 });
        await store().putOnce(first);
        const retry = { ...first, answers: { overall: 1 }, bodyHash: 'other', receivedAt: new Date().toISOString() };
        const change = await observe(t, () => store().putOnce(retry));
        expect(change.value).toEqual({ created: false, existing: first });
        expect(change.keys).toEqual(NO_CHANGES);
      });

      it('lets exactly one of concurrent submissions of one id store it', async () => {
        const r = surveyResponse(published(draftSurvey()), { overall: 3 });
        const results = await Promise.all(Array.from({ length: 6 }, () => store().putOnce(r)));
        expect(results.filter((x) => x.created)).toHaveLength(1);
        expect(results.filter((x) => !x.created).map((x) => (x.created ? undefined : x.existing))).toEqual(
          Array.from({ length: 5 }, () => r),
        );
      });

      it('maps a throttled put to ServiceUnavailableError, writing nothing', async () => {
        const r = surveyResponse(published(draftSurvey()), { overall: 3 });
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'ProvisionedThroughputExceeded' });
          const change = await observe(t, () => store().putOnce(r));
          expect(change.error).toBeInstanceOf(ServiceUnavailableError);
          expect(change.keys).toEqual(NO_CHANGES);
        });
      });
    });

    describe('listRange', () => {
      let survey: Survey;
      /** Stored responses, oldest first: 2024-03-01 ×4, none on 03-02, 03-03 ×3, 03-04 ×1 (out of range). */
      const stored: SurveyResponse[] = [];
      const inRange = () => stored.filter((r) => r.day <= '2024-03-03');
      const query = (q: Partial<DayRangeQuery>): DayRangeQuery => ({
        surveyId: survey.id,
        from: '2024-03-01',
        to: '2024-03-03',
        limit: 2,
        newestFirst: false,
        ...q,
      });
      const everyPage = async (q: Partial<DayRangeQuery>) => {
        const pages: SurveyResponse[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store().listRange(query({ ...q, ...(cursor ? { cursor } : {}) }));
          pages.push(page.items);
          cursor = page.nextCursor;
        } while (cursor && pages.length < 50);
        return pages;
      };

      beforeAll(async () => {
        survey = published(draftSurvey());
        const plan: [string, Record<string, number | string>][] = [
          ['2024-03-01T08:00:00Z', { overall: 5 }],
          ['2024-03-01T09:00:00Z', { overall: 1, comment: 'late delivery' }],
          ['2024-03-01T10:00:00Z', { overall: 2, nps: 3 }],
          ['2024-03-01T11:00:00Z', { nps: 10, comment: 'great' }],
          ['2024-03-03T08:00:00Z', { channel: 'web' }],
          ['2024-03-03T09:00:00Z', { overall: 4, comment: 'fine' }],
          ['2024-03-03T10:00:00Z', { overall: 1 }],
          ['2024-03-04T08:00:00Z', { overall: 1, comment: 'out of range' }],
        ];
        for (const [when, answers] of plan) {
          const r = surveyResponse(survey, answers, { at: at(when) });
          await store().putOnce(r);
          stored.push(r);
        }
      });

      it('walks the days oldest first, page by page, each response once', async () => {
        const pages = await everyPage({});
        expect(pages.flat().map((r) => r.id)).toEqual(inRange().map((r) => r.id));
        expect(pages.every((p) => p.length <= 2)).toBe(true);
      });

      it('walks them newest first too', async () => {
        const pages = await everyPage({ newestFirst: true, limit: 3 });
        expect(pages.flat().map((r) => r.id)).toEqual(
          inRange()
            .map((r) => r.id)
            .reverse(),
        );
      });

      it('filters to responses with comments, and to headline scores at most a value, across pages', async () => {
        const withComments = await everyPage({ withComments: true, limit: 1 });
        expect(withComments.flat().map((r) => r.id)).toEqual(
          inRange()
            .filter((r) => r.facts.comments > 0)
            .map((r) => r.id),
        );
        const low = await everyPage({ maxScore: { series: 'overall@1', max: 2 }, limit: 1, consistent: true });
        expect(low.flat().map((r) => r.id)).toEqual(
          inRange()
            .filter((r) => (r.facts.rated['overall@1'] ?? Number.POSITIVE_INFINITY) <= 2)
            .map((r) => r.id),
        );
      });

      it('returns responses exactly as stored, without key attributes', async () => {
        const [page] = await everyPage({ limit: 10 });
        expect(page).toEqual(inRange());
      });
    });

    describe('listByCustomer', () => {
      it("pages through a customer's responses newest first, and nothing of anyone else's", async () => {
        const survey = published(draftSurvey());
        const customerId = newId();
        const mine: SurveyResponse[] = [];
        for (let i = 0; i < 5; i++) {
          // Across days and id kinds: the index orders by receipt, whatever the partition.
          const r = surveyResponse(
            survey,
            { overall: 3 },
            { customerId, at: at(`2024-04-0${i + 1}T12:00:00Z`), uuid: i % 2 === 1 },
          );
          await store().putOnce(r);
          mine.push(r);
        }
        await store().putOnce(surveyResponse(survey, { overall: 3 }, { customerId: newId() }));
        // A kept Idempotency-Key outcome linked under the same customer is not a response.
        const idempotency = new DynamoIdempotencyStore(t.db, t.tableName);
        const key = `key-${newId()}`;
        await idempotency.begin('admin', key, 'fp');
        await idempotency.complete('admin', key, { statusCode: 200, headers: {} }, customerId);

        const seen: SurveyResponse[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store().listByCustomer(customerId, 2, cursor);
          seen.push(...page.items);
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(seen.map((r) => r.id)).toEqual(mine.map((r) => r.id).reverse());
        expect(seen[0]).toEqual(mine[4]);
      });
    });

    describe('redact (erasure)', () => {
      it('strips the link, contact data, metadata and page, blanks free text, keeps the scores, drops the contact pointer, and is safe to repeat', async () => {
        const survey = published(draftSurvey());
        const customerId = newId();
        const email = `wang.fang.${newId().toLowerCase()}@example.cn`;
        const r: SurveyResponse = {
          ...surveyResponse(
            survey,
            { overall: 2, comment: 'call me', contact: { email, consent: true } },
            { customerId, metadata: { plan: 'gold' }, segment: 'vip' },
          ),
          page: 'https://shop.example.com/orders',
        };
        await store().putOnce(r);
        const pointers = (await observe(t, () => store().redact(r))).keys;
        expect(pointers.added).toEqual([]);
        expect(pointers.changed).toEqual([itemKey(r)]);
        // The only other item: the pointer from the contact e-mail, which is how erasure finds it.
        expect(pointers.removed).toHaveLength(1);
        expect(pointers.removed[0]).toMatch(/^CONTACT#/);
        const stored = await t.item(responseKeys.response(r.surveyId, r.day, r.id));
        const { customerId: _c, metadata: _m, page: _p, answers: _a, ...kept } = r;
        expect(stored).toEqual({
          ...responseKeys.response(r.surveyId, r.day, r.id),
          entity: 'response',
          ...kept,
          answers: { overall: 2, comment: ERASED_TEXT },
          erasedAt: expect.any(String),
        });
        expect((await store().listByCustomer(customerId, 10)).items).toEqual([]);
        expect((await store().listByContact(email)).length).toBe(0);
        // Repeating changes nothing: not even the erasure time.
        expect((await observe(t, () => store().redact(r))).keys).toEqual(NO_CHANGES);
      });

      it('writes nothing for a response that is already gone', async () => {
        const r = surveyResponse(published(draftSurvey()), { overall: 4 }, { customerId: newId() });
        const change = await observe(t, () => store().redact(r));
        expect(change.error).toBeUndefined();
        expect(change.keys).toEqual(NO_CHANGES);
      });

      it('maps a timed-out unlink to ServiceUnavailableError', async () => {
        const customerId = newId();
        const r = surveyResponse(published(draftSurvey()), { overall: 4 }, { customerId });
        await store().putOnce(r);
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault: 'Timeout' });
          await expect(store().redact(r)).rejects.toBeInstanceOf(ServiceUnavailableError);
        });
      });
    });
  });
}
