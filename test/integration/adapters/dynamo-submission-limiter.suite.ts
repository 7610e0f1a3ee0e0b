/**
 * dynamo-submission-limiter.ts: a survey never takes more answers a minute than its budget, whoever
 * sends them and however many function instances count them; an instance that keeps getting answers
 * leases units in growing blocks (a fraction of a write per answer), and still hands out the very
 * last units of a minute one at a time; a new minute starts from a fresh budget.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoSubmissionLimiter } from '../../../functions/adapters/dynamodb/dynamo-submission-limiter';
import { LIMIT_SHARDS } from '../../../functions/adapters/dynamodb/keys';
import type { AdapterTable } from './context';
import { newId } from './fixtures';

export function dynamoSubmissionLimiterSuite(t: AdapterTable): void {
  describe('dynamo-submission-limiter.ts', () => {
    let at = new Date('2026-11-30T04:00:10.000Z');
    /** An instance of the limiter and the writes it sent. */
    const instance = () => {
      const counted = { writes: 0 };
      const db = {
        send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
          counted.writes++;
          return t.db.send(command);
        },
      } as unknown as DynamoDBDocumentClient;
      return { limiter: new DynamoSubmissionLimiter(db, t.tableName, () => at), counted };
    };
    const counterTotal = async (surveyId: string) =>
      (await t.items())
        .filter((i) => String(i.PK).startsWith(`LIMIT#${surveyId}#`) && i.SK === at.toISOString().slice(0, 16))
        .reduce((sum, i) => sum + Number(i.n), 0);

    it('leases units in growing blocks for a busy instance: far fewer writes than answers', async () => {
      const surveyId = newId();
      const { limiter, counted } = instance();
      let accepted = 0;
      for (let i = 0; i < 300; i++) if ((await limiter.take(surveyId, 100_000, newId())).allowed) accepted++;
      expect(accepted).toBe(300);
      // Leases of 1, 2, 4, … units per shard: a few writes per shard, and the counters hold what was leased.
      expect(counted.writes).toBeLessThan(300 / 4);
      expect(await counterTotal(surveyId)).toBeGreaterThanOrEqual(300);
    });

    it('takes exactly its budget from one instance: the last units of each shard go one at a time', async () => {
      const surveyId = newId();
      const { limiter } = instance();
      const perMinute = 32 * LIMIT_SHARDS; // leases of up to 2 units a shard
      let accepted = 0;
      for (let i = 0; i < 600; i++) if ((await limiter.take(surveyId, perMinute, newId())).allowed) accepted++;
      // 600 random ids give each shard far more than its 32 (about 75, 32 is five deviations away).
      expect(accepted).toBe(perMinute);
      expect(await counterTotal(surveyId)).toBe(perMinute);
    });

    it('shares one lease among the answers one instance serves at once: none refused below the budget', async () => {
      const surveyId = newId();
      const { limiter } = instance();
      const takes: boolean[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = 0; i < 15; i++) takes.push((await limiter.take(surveyId, 600, newId())).allowed);
        }),
      );
      // 240 answers spread over 8 shards of 75 units each (about 30 a shard, 75 is eight deviations away).
      expect(takes.filter(Boolean)).toHaveLength(240);
      expect(await counterTotal(surveyId)).toBeLessThan(240 + 8 * 4);
    });

    it('never goes over the budget with several instances counting at once, and refuses with the time left', async () => {
      const surveyId = newId();
      const instances = [instance(), instance(), instance()];
      const perMinute = 16 * LIMIT_SHARDS * 4; // leases of up to 4 units a shard
      // Three instances, four answers in flight each (DynamoDB Local is one small JVM).
      const takes: Awaited<ReturnType<DynamoSubmissionLimiter['take']>>[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async (_, lane) => {
          for (let i = 0; i < 60; i++)
            takes.push(await instances[lane % 3]!.limiter.take(surveyId, perMinute, newId()));
        }),
      );
      const accepted = takes.filter((r) => r.allowed).length;
      expect(accepted).toBeLessThanOrEqual(perMinute);
      expect(accepted).toBeGreaterThan(perMinute / 2);
      expect(await counterTotal(surveyId)).toBeLessThanOrEqual(perMinute);
      expect(takes.find((r) => !r.allowed)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    });

    it('takes exactly a budget that is not a multiple of the shards (each shard its exact part), and no more', async () => {
      for (const perMinute of [1, 3, 9, 13]) {
        const surveyId = newId();
        const instances = [instance(), instance()];
        let accepted = 0;
        for (let i = 0; i < 300; i++)
          if ((await instances[i % 2]!.limiter.take(surveyId, perMinute, newId())).allowed) accepted++;
        // 300 random ids reach every shard many times over: each shard's part is taken, the sum is the budget.
        expect(accepted, `budget ${perMinute}`).toBe(perMinute);
        expect(await counterTotal(surveyId), `budget ${perMinute}`).toBe(perMinute);
      }
    });

    it('starts every minute from a fresh budget, and a budget of one still takes one', async () => {
      const surveyId = newId();
      const { limiter } = instance();
      const id = newId();
      expect(await limiter.take(surveyId, 1, id)).toEqual({ allowed: true });
      expect((await limiter.take(surveyId, 1, id)).allowed).toBe(false);
      at = new Date(at.getTime() + 60_000);
      expect(await limiter.take(surveyId, 1, id)).toEqual({ allowed: true });
    });
  });
}
