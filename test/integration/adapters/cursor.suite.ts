/**
 * cursor.ts: cursors are opaque, round-trip exactly, and anything the API did not give out — in any
 * store's list — is a ValidationError on `query/cursor` before a single DynamoDB call is made.
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isAfterId } from '../../../functions/adapters/dynamodb/cursor';
import { DynamoCustomerStore } from '../../../functions/adapters/dynamodb/dynamo-customer-store';
import { DynamoFollowUpStore } from '../../../functions/adapters/dynamodb/dynamo-followup-store';
import { DynamoResponseStore } from '../../../functions/adapters/dynamodb/dynamo-response-store';
import { DynamoSurveyStore } from '../../../functions/adapters/dynamodb/dynamo-survey-store';
import { ValidationError } from '../../../functions/domain/errors';
import { type AdapterTable, withFaultProxy } from './context';
import { newId } from './fixtures';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors no list ever gave out: garbage, other shapes, and key material smuggled in. */
const TAMPERED = [
  'not a cursor',
  '%%%',
  b64('not json'),
  b64('null'),
  b64('[]'),
  b64('{}'),
  b64('{"after":42}'),
  b64('{"after":"../../etc"}'),
  b64('{"after":"CUSTOMER#01J0000000000000000000000"}'),
  b64(`{"after":"${'A'.repeat(65)}"}`),
  b64('{"day":"yesterday"}'),
  b64('{"day":"2024-05-01","after":"x y"}'),
  b64('{"pk":"SURVEY#1","sk":"DEFINITION","after":"RESPONSE#2024#x"}'),
  b64('{"after":"2024-05-01T00:00:00.000Z#a b"}'),
];

export function cursorSuite(t: AdapterTable): void {
  describe('cursor.ts', () => {
    it('round-trips a position as an opaque URL-safe string', () => {
      const position = { day: '2024-05-01', after: '01J0ABCDEFGHJKMNPQRSTVWXYZ' };
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, (v): v is typeof position => typeof v === 'object')).toEqual(position);
    });

    it('accepts only a ULID-like id as "after"', () => {
      expect(isAfterId({ after: '01J0ABCDEFGHJKMNPQRSTVWXYZ' })).toBe(true);
      for (const bad of [null, 'x', {}, { after: '' }, { after: 'a#b' }, { after: 'lower' }, { after: 1 }]) {
        expect(isAfterId(bad)).toBe(false);
      }
    });

    it('refuses every tampered cursor in every list as a 400 on query/cursor, without calling DynamoDB', async () => {
      const customers = new DynamoCustomerStore(t.db, t.tableName);
      const surveys = new DynamoSurveyStore(t.db, t.tableName);
      const responses = new DynamoResponseStore(t.db, t.tableName);
      const followUps = new DynamoFollowUpStore(t.db, t.tableName);
      const lists: [string, (cursor: string) => Promise<unknown>][] = [
        ['customers', (cursor) => customers.list({ limit: 5, cursor })],
        ['customers filtered', (cursor) => customers.list({ limit: 5, cursor, segment: 'vip' })],
        ['surveys', (cursor) => surveys.list({ limit: 5, cursor })],
        [
          'responses by day',
          (cursor) =>
            responses.listRange({
              surveyId: newId(),
              from: '2024-05-01',
              to: '2024-05-03',
              limit: 5,
              cursor,
              newestFirst: false,
            }),
        ],
        ['responses by customer', (cursor) => responses.listByCustomer(newId(), 5, cursor)],
        ['follow-ups by status', (cursor) => followUps.list({ status: 'open', limit: 5, cursor })],
        ['follow-ups by survey', (cursor) => followUps.listBySurvey({ surveyId: newId(), limit: 5, cursor })],
      ];
      await withFaultProxy(async (proxy) => {
        for (const [name, list] of lists) {
          for (const cursor of TAMPERED) {
            const error = await list(cursor).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error, `${name} with cursor ${JSON.stringify(cursor)}`).toBeInstanceOf(ValidationError);
            expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['query/cursor']);
          }
        }
        expect(proxy.calls).toEqual([]);
      });
    });

    it('refuses a well-formed response cursor that belongs to another date range', async () => {
      const responses = new DynamoResponseStore(t.db, t.tableName);
      const cursor = encodeCursor({ day: '2024-06-01' });
      await expect(
        responses.listRange({
          surveyId: newId(),
          from: '2024-05-01',
          to: '2024-05-03',
          limit: 5,
          cursor,
          newestFirst: false,
        }),
      ).rejects.toMatchObject({ errors: [{ path: 'query/cursor' }] });
    });
  });
}
