/**
 * The per-shard counter layout, kept inside the simulation (production has one copy of each cell).
 *
 * Each stream shard k writes its own copy of every counter cell it touches — the survey's aggregate
 * cells under `AGG#<survey>#<k>` and its hourly arrival count under `ARRIVALS#<survey>#<k>` — so two
 * shards never update the same item and their transactions cannot conflict. The reader queries every
 * shard's partition and adds the copies cell by cell; report figures stay exact because every cell
 * holds additive counts.
 *
 * The simulation builds a shard's partition with the adapter's own key functions, giving them the
 * survey id with `#<k>` appended. Production would instead give `aggregateKeys.partition` and
 * `arrivalKeys.partition` a shard argument, have `DynamoAggregateStore.read` query the N partitions in
 * parallel, and keep N in the survey's settings (docs/scaling.md, "What holds at 10,000 a second").
 */
import { aggregateKeys, arrivalKeys, type ItemKey } from '../../functions/adapters/dynamodb/keys';
import type { RecordEffects } from '../../functions/adapters/dynamodb/stream-applier';
import type { AggregateRow, AggregateStore } from '../../functions/domain/surveys/aggregate-store';
import { sumRows } from '../../functions/domain/surveys/aggregation';

/** The id whose partitions hold shard `shard`'s copies of the survey's counter cells. */
export const shardSurveyId = (surveyId: string, shard: number) => `${surveyId}#${shard}`;

/** The same record with its survey counters moved to shard `shard`'s copies (markers and creates unchanged). */
export function onShard(effects: RecordEffects, surveyId: string, shard: number): RecordEffects {
  const moved = (key: ItemKey): ItemKey => {
    if (key.PK === aggregateKeys.partition(surveyId)) {
      return { PK: aggregateKeys.partition(shardSurveyId(surveyId, shard)), SK: key.SK };
    }
    if (key.PK === arrivalKeys.partition(surveyId)) {
      return { PK: arrivalKeys.partition(shardSurveyId(surveyId, shard)), SK: key.SK };
    }
    return key;
  };
  return { ...effects, counters: effects.counters.map((c) => ({ ...c, key: moved(c.key) })) };
}

/** Reads a survey's cells from all its shards and sums the copies: what the report service sees. */
export class ShardSummingAggregates implements AggregateStore {
  constructor(
    private readonly inner: Pick<AggregateStore, 'read' | 'dayCount' | 'uncounted'>,
    private readonly shards: number,
  ) {}

  async read(surveyId: string, fromDay: string, toDay: string): Promise<AggregateRow[]> {
    const copies = await Promise.all(
      Array.from({ length: this.shards }, (_, k) => this.inner.read(shardSurveyId(surveyId, k), fromDay, toDay)),
    );
    const summed = new Map<string, AggregateRow>();
    for (const rows of copies) sumRows(summed, rows);
    return [...summed.values()];
  }

  async dayCount(surveyId: string, day: string): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: this.shards }, (_, k) => this.inner.dayCount(shardSurveyId(surveyId, k), day)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  uncounted(surveyId: string, responseIds: string[]): Promise<string[]> {
    return this.inner.uncounted(surveyId, responseIds);
  }

  replaceDay(): Promise<boolean> {
    // A rebuild would replace every shard's copies; the simulation never rebuilds.
    return Promise.reject(new Error('the simulation does not rebuild a sharded day'));
  }
}
