import { describe, expect, it } from 'vitest';
import { onShard, ShardSummingAggregates, shardSurveyId } from '../../../../bench/scale/shard-layout';
import { aggregateKeys, arrivalKeys, keys } from '../../../../functions/adapters/dynamodb/keys';
import type { RecordEffects } from '../../../../functions/adapters/dynamodb/stream-applier';
import { type AggregateRow, aggregateAdditions, sumRows } from '../../../../functions/domain/surveys/aggregation';

const day = '2026-11-30';
const facts = (overall: number, nps: number, segment: string) => ({
  rated: { 'overall@1': overall, 'nps@1': nps },
  choices: { 'channel@1': overall > 3 ? 'web' : 'store' },
  overall: 'overall@1',
  comments: overall < 3 ? 1 : 0,
  textIds: [],
  detractor: nps <= 6,
  segment,
});

describe('the simulated per-shard counter layout', () => {
  it('moves only the survey counters of a record to its shard, never its marker', () => {
    const record: RecordEffects = {
      eventId: 'RESP#s1#r1',
      sequenceNumber: '1',
      counters: [
        { key: aggregateKeys.dayTotal('s1', day), add: { n: 1 } },
        { key: arrivalKeys.hour('s1', `${day}T10`), add: { n: 1 } },
        { key: keys.customerQuality(), add: { x: 1 } },
      ],
      memberships: [],
    };
    const moved = onShard(record, 's1', 3);
    expect(moved.counters.map((c) => c.key)).toEqual([
      aggregateKeys.dayTotal(shardSurveyId('s1', 3), day),
      arrivalKeys.hour(shardSurveyId('s1', 3), `${day}T10`),
      keys.customerQuality(),
    ]);
    expect(moved.eventId).toBe(record.eventId);
  });

  it('reads back the sum of the shards: the same cells as one shared copy of the same answers', async () => {
    const answers = Array.from({ length: 60 }, (_, i) => facts(1 + (i % 5), i % 11, ['a', 'b', 'c'][i % 3] ?? 'a'));
    const shared = new Map<string, AggregateRow>();
    const perShard = new Map<string, Map<string, AggregateRow>>();
    answers.forEach((f, i) => {
      const rows = aggregateAdditions(f, day);
      sumRows(shared, rows);
      const id = shardSurveyId('s1', i % 4);
      const cells = perShard.get(id) ?? new Map<string, AggregateRow>();
      sumRows(cells, rows);
      perShard.set(id, cells);
    });
    const store = new ShardSummingAggregates(
      {
        read: async (surveyId) => structuredClone([...(perShard.get(surveyId)?.values() ?? [])]),
        dayCount: async (surveyId) => perShard.get(surveyId)?.get(`${day}\u0000total\u0000`)?.counts.n ?? 0,
        uncounted: async () => [],
      },
      4,
    );
    const byCell = (rows: AggregateRow[]) =>
      Object.fromEntries(
        rows.map((r) => [`${r.kind}/${r.key}`, r.counts]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    expect(byCell(await store.read('s1', day, day))).toEqual(byCell([...shared.values()]));
    expect(await store.dayCount('s1', day)).toBe(60);
  });
});
