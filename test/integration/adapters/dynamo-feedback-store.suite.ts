/**
 * dynamo-feedback-store.ts: reads the counters the stream keeps for a customer — count, the latest
 * headline score (the newest response's, whatever order they arrive in) and the average satisfaction
 * on 0–100 — and zeros for a customer without feedback.
 */
import { describe, expect, it } from 'vitest';
import { DynamoCustomerStore } from '../../../functions/adapters/dynamodb/dynamo-customer-store';
import { DynamoFeedbackStore } from '../../../functions/adapters/dynamodb/dynamo-feedback-store';
import { StreamApplier } from '../../../functions/adapters/dynamodb/stream-applier';
import { responseEffects } from '../../../functions/adapters/dynamodb/stream-effects';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { SurveyResponse } from '../../../functions/domain/surveys/response';
import { type AdapterTable, NO_CHANGES, observe, withFaultProxy } from './context';
import { customer, draftSurvey, newId, published, surveyResponse } from './fixtures';

export function dynamoFeedbackStoreSuite(t: AdapterTable): void {
  describe('dynamo-feedback-store.ts', () => {
    const store = () => new DynamoFeedbackStore(t.db, t.tableName);
    const survey = published(draftSurvey());
    const stream = (responses: SurveyResponse[]) =>
      new StreamApplier(t.db, t.tableName).apply(responses.flatMap((r, i) => responseEffects(r, String(i + 1))));
    const answered = (customerId: string, iso: string, answers: SurveyResponse['answers']) =>
      surveyResponse(survey, answers, { customerId, at: new Date(iso) });
    /** Counters live only beside a live customer record. */
    const liveCustomer = async () => {
      const c = customer();
      await new DynamoCustomerStore(t.db, t.tableName).create(c);
      return c.id;
    };

    it('reads zeros, without writing, for a customer without feedback', async () => {
      const change = await observe(t, () => store().get(newId()));
      expect(change.value).toEqual({ count: 0, averageSatisfaction: null });
      expect(change.keys).toEqual(NO_CHANGES);
    });

    it('reads the count, the newest score and the average the stream kept, whatever the arrival order', async () => {
      const customerId = await liveCustomer();
      const newest = answered(customerId, '2024-05-03T10:00:00Z', { overall: 2 });
      await stream([answered(customerId, '2024-05-01T10:00:00Z', { overall: 4 }), newest]);
      // Older answers arriving late, one of them without a score.
      await stream([
        answered(customerId, '2024-05-02T10:00:00Z', { overall: 5 }),
        answered(customerId, '2024-05-02T11:00:00Z', { channel: 'web' }),
      ]);
      expect(await store().get(customerId)).toEqual({
        count: 4,
        // (75 + 25 + 100) / 3 on the 0–100 scale, to one decimal.
        averageSatisfaction: 66.7,
        lastScore: { value: 2, min: 1, max: 5, surveyId: survey.id, at: newest.receivedAt },
      });
    });

    it('reads only the count while no response had a score', async () => {
      const customerId = await liveCustomer();
      await stream([answered(customerId, '2024-05-01T10:00:00Z', { comment: 'no rating' })]);
      expect(await store().get(customerId)).toEqual({ count: 1, averageSatisfaction: null });
    });

    it('keeps no counters for an id without a live record (merged away, erased, or never created)', async () => {
      const customerId = newId();
      await stream([answered(customerId, '2024-05-01T10:00:00Z', { overall: 4 })]);
      expect(await store().get(customerId)).toEqual({ count: 0, averageSatisfaction: null });
    });

    it('maps a throttled read to ServiceUnavailableError', async () => {
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        await expect(store().get(newId())).rejects.toBeInstanceOf(ServiceUnavailableError);
      });
    });
  });
}
