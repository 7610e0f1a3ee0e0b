/**
 * The display partition's write shards (keys.ts) and the per-shard funnel cells the readers sum
 * (dynamo-aggregate-store.ts `cellsOf`): a display's id fixes its partition and its cell copy, ids
 * spread evenly over the shards, the copies' sort keys stay apart from every other cell, and the sum
 * of the copies is the cell.
 */

import { marshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { cellsOf } from '../../../../functions/adapters/dynamodb/dynamo-aggregate-store';
import { aggregateKeys, DISPLAY_SHARDS, displayKeys, displayShard } from '../../../../functions/adapters/dynamodb/keys';
import { displayEffects } from '../../../../functions/adapters/dynamodb/stream-effects';
import type { SurveyDisplay } from '../../../../functions/domain/surveys/display';

/** A seeded PRNG (mulberry32), so the ids, and the spread checked below, are the same every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const perShard = (ids: readonly string[]) => {
  const counts = new Array<number>(DISPLAY_SHARDS).fill(0);
  for (const id of ids) counts[displayShard(id)] = (counts[displayShard(id)] ?? 0) + 1;
  return counts;
};

describe('display shards', () => {
  it('carries 5,000 displays/s with headroom: 16 partitions of 1,000 WCU/s each', () => {
    expect(DISPLAY_SHARDS).toBe(16);
    expect(DISPLAY_SHARDS * 1_000).toBeGreaterThanOrEqual(3 * 5_000);
  });

  it('files a display under the partition of its shard, the same for both events and every retry', () => {
    const id = '01J9ZQ4N5M3W7Y8X2V1T0S9R8Q';
    const shown = displayKeys.item('S1', '2026-11-30', id, 'shown');
    expect(shown).toEqual({ PK: 'DISPLAYS#S1#2026-11-30#03', SK: `${id}#shown` });
    expect(displayKeys.item('S1', '2026-11-30', id, 'shown')).toEqual(shown);
    expect(displayKeys.item('S1', '2026-11-30', id, 'dismissed').PK).toBe(shown.PK);
    expect(displayKeys.partition('S1', '2026-11-30', 15)).toBe('DISPLAYS#S1#2026-11-30#15');
  });

  it('hashes an id the same way in every release: a retry up to 35 days later must find its first put', () => {
    // Changing the hash would file a retried display under another item, and count it twice.
    expect(displayShard('01J9ZQ4N5M3W7Y8X2V1T0S9R8Q')).toBe(3);
    expect(displayShard('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(3);
    expect(displayShard('0190b5a4-3c2e-7d8f-9a1b-2c3d4e5f6a7b')).toBe(7);
  });

  it('spreads ids evenly: random ULIDs, and a burst of monotonic ULIDs of one millisecond', () => {
    const prng = seeded(20_261_130);
    const random = Array.from({ length: 16_000 }, () => ulid(Date.UTC(2026, 10, 30), prng));
    // 1,000 expected per shard, standard deviation ≈ 31: ±15 % is five of them.
    for (const n of perShard(random)) {
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1_150);
    }
    // A burst from one widget host differs only in the last characters of the id.
    const next = monotonicFactory(seeded(7));
    const burst = Array.from({ length: 1_600 }, () => next(Date.UTC(2026, 10, 30)));
    for (const n of perShard(burst)) {
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
  });
});

describe('per-shard funnel cells', () => {
  const display = (over: Partial<SurveyDisplay> = {}): SurveyDisplay => ({
    id: ulid(),
    surveyId: 'S1',
    event: 'shown',
    day: '2026-11-30',
    receivedAt: '2026-11-30T10:00:00.000Z',
    ...over,
  });

  it('a display adds to the funnel and funnel-segment copies of its own shard, nothing else', () => {
    const d = display({ event: 'dismissed', questionId: 'nps', segment: 'a#b' });
    const k = String(displayShard(d.id)).padStart(2, '0');
    expect(displayEffects(d, '1').counters).toEqual([
      { key: { PK: 'AGG#S1', SK: `DAY#2026-11-30#F${k}#` }, add: { dismissed: 1, 'd:nps': 1 } },
      { key: { PK: 'AGG#S1', SK: `DAY#2026-11-30#G${k}#a#b` }, add: { dismissed: 1, 'd:nps': 1 } },
    ]);
  });

  it('parses the copies (and cells written before sharding), and refuses a shard on any other cell', () => {
    const cells = [
      { day: '2026-11-30', kind: 'funnel', key: '', shard: 0 },
      { day: '2026-11-30', kind: 'funnel', key: '', shard: 15 },
      // A segment that ends like a shard stays a segment: the shard sits beside the kind code.
      { day: '2026-11-30', kind: 'funnel-segment', key: 'vip#07', shard: 7 },
      { day: '2026-11-30', kind: 'funnel-segment', key: '贵宾', shard: 9 },
      { day: '2026-11-30', kind: 'segment', key: 'vip#07' },
      { day: '2026-11-30', kind: 'total', key: '' },
    ] as const;
    for (const cell of cells) expect(aggregateKeys.parse(aggregateKeys.sortKey(cell))).toEqual(cell);
    expect(aggregateKeys.parse('DAY#2026-11-30#F#')).toEqual({ day: '2026-11-30', kind: 'funnel', key: '' });
    expect(aggregateKeys.parse('DAY#2026-11-30#G#vip')).toEqual({
      day: '2026-11-30',
      kind: 'funnel-segment',
      key: 'vip',
    });
    for (const foreign of [
      'DAY#2026-11-30#T03',
      'DAY#2026-11-30#S03#vip',
      'DAY#2026-11-30#F3#',
      'DAY#2026-11-30#F003#',
    ]) {
      expect(aggregateKeys.parse(foreign)).toBeUndefined();
    }
    expect(() => aggregateKeys.sortKey({ day: '2026-11-30', kind: 'funnel', key: '' })).toThrow(/needs display shard/);
    expect(() => aggregateKeys.sortKey({ day: '2026-11-30', kind: 'question', key: 'nps@1', shard: 1 })).toThrow(
      /has no display shard/,
    );
  });

  it('sums the copies of a cell into one row, per day and segment, and leaves every other cell as it is', () => {
    const item = (cell: Parameters<typeof aggregateKeys.item>[1], counts: Record<string, number>) => ({
      ...aggregateKeys.item('S1', cell),
      entity: 'aggregate',
      ...counts,
    });
    const day = '2026-11-30';
    // The store reads items in DynamoDB's attribute-value form.
    const rows = cellsOf(
      [
        item({ day, kind: 'total', key: '' }, { n: 4, comments: 1, detractors: 0 }),
        item({ day, kind: 'funnel', key: '', shard: 0 }, { shown: 3, dismissed: 1, 'd:nps': 1 }),
        item({ day, kind: 'funnel', key: '', shard: 9 }, { shown: 5, dismissed: 2, 'd:fix': 2 }),
        { PK: 'AGG#S1', SK: `DAY#${day}#F#`, shown: 1 },
        item({ day, kind: 'funnel-segment', key: 'vip', shard: 3 }, { shown: 2 }),
        item({ day, kind: 'funnel-segment', key: 'vip', shard: 4 }, { shown: 1, dismissed: 1, 'd:nps': 1 }),
        item({ day, kind: 'funnel-segment', key: 'none', shard: 4 }, { shown: 6 }),
        item({ day: '2026-12-01', kind: 'funnel', key: '', shard: 0 }, { shown: 7 }),
        { PK: 'AGG#S1', SK: 'NOT-A-CELL', n: 1 },
      ].map((item) => marshall(item)),
    );
    expect(rows).toEqual([
      { day, kind: 'total', key: '', counts: { n: 4, comments: 1, detractors: 0 } },
      { day, kind: 'funnel', key: '', counts: { shown: 9, dismissed: 3, 'd:nps': 1, 'd:fix': 2 } },
      { day, kind: 'funnel-segment', key: 'vip', counts: { shown: 3, dismissed: 1, 'd:nps': 1 } },
      { day, kind: 'funnel-segment', key: 'none', counts: { shown: 6 } },
      { day: '2026-12-01', kind: 'funnel', key: '', counts: { shown: 7 } },
    ]);
  });
});
