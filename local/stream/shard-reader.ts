/**
 * Reads a table's stream shard by shard through the DynamoDB Streams API, the way Lambda's event
 * source mapping does: it discovers shards (parents before children), keeps one iterator per shard
 * and turns each record into the record Lambda delivers.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamFilterPattern } from '../../functions/contracts/stream-filters';
import { matchesStreamFilters } from './event-filter';
import { toLambdaRecord } from './stream-record';

export interface ShardState {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  iterator: string | undefined;
  /** Iterator not yet requested. */
  fresh: boolean;
  /** GetRecords returned no next iterator: the shard is closed and read to its end. */
  endOfShard: boolean;
  /** Closed, read and delivered: children may start. */
  finished: boolean;
  /** Records read but not yet acknowledged, in stream order. */
  pending: DynamoDBRecord[];
  lastSequenceNumber: string | undefined;
  attempts: number;
  retryAt: number;
}

export interface ShardReaderOptions {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly awsRegion: string;
  readonly batchSize: number;
  /** The consumer's event-source filters (functions/contracts/stream-filters.ts); none = every record. */
  readonly filters?: readonly StreamFilterPattern[] | undefined;
}

export class ShardReader {
  readonly shards = new Map<string, ShardState>();
  private streamArn: string | undefined;

  constructor(private readonly options: ShardReaderOptions) {}

  /** Whether the table's stream has been found (before that, nothing can be caught up). */
  get connected(): boolean {
    return this.streamArn !== undefined;
  }

  async refreshShards(): Promise<void> {
    if (!this.streamArn) {
      const table = await this.options.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      this.streamArn = table.Table?.LatestStreamArn;
      if (!this.streamArn) return;
    }
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) this.addShard(shard);
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  /** A child shard waits until its parent is read to the end, as Lambda keeps per-key order. */
  isReady(shard: ShardState): boolean {
    const parent = shard.parentShardId ? this.shards.get(shard.parentShardId) : undefined;
    return !parent || parent.finished;
  }

  /** Reads the shard's next page into `pending`; returns how many records arrived. */
  async fetch(shard: ShardState): Promise<number> {
    if (!this.streamArn || shard.endOfShard) return 0;
    if (shard.fresh || !shard.iterator) {
      // TRIM_HORIZON on start: the aggregator is idempotent, so re-reading retained records is safe.
      shard.iterator = await this.iteratorFor(
        shard,
        shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
      );
      shard.fresh = false;
      if (!shard.iterator) return 0;
    }
    try {
      const page = await this.options.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.options.batchSize }),
      );
      const arn = this.streamArn;
      const records = (page.Records ?? []).map((r) => toLambdaRecord(r, arn, this.options.awsRegion));
      shard.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) shard.endOfShard = true;
      if (records.length > 0) {
        // Like Lambda, filtered-out records are never delivered; the shard's position moves past them.
        shard.pending.push(...records.filter((r) => matchesStreamFilters(r, this.options.filters)));
        shard.lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequenceNumber;
      }
      return records.length;
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.fresh = true;
        return 0;
      }
      if (error instanceof ResourceNotFoundException) {
        shard.finished = true;
        return 0;
      }
      throw error;
    }
  }

  private addShard(shard: Shard): void {
    if (!shard.ShardId || this.shards.has(shard.ShardId)) return;
    this.shards.set(shard.ShardId, {
      shardId: shard.ShardId,
      parentShardId: shard.ParentShardId,
      iterator: undefined,
      fresh: true,
      endOfShard: false,
      finished: false,
      pending: [],
      lastSequenceNumber: undefined,
      attempts: 0,
      retryAt: 0,
    });
  }

  private async iteratorFor(
    shard: ShardState,
    type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER',
  ): Promise<string | undefined> {
    try {
      const result = await this.options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shard.shardId,
          ShardIteratorType: type,
          ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: shard.lastSequenceNumber } : {}),
        }),
      );
      if (!result.ShardIterator) shard.finished = true;
      return result.ShardIterator;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        shard.finished = true;
        return undefined;
      }
      if (error instanceof TrimmedDataAccessException && type === 'AFTER_SEQUENCE_NUMBER')
        return this.iteratorFor(shard, 'TRIM_HORIZON');
      throw error;
    }
  }
}
