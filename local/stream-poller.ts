/**
 * Feeds the table's stream to the aggregator the way Lambda's event source mapping does: per shard,
 * in order, batches of at most 100 records, parents before children; with ReportBatchItemFailures a
 * batch is re-delivered from the first failed record, a thrown error retries the whole batch with
 * backoff, and after the last attempt the batch goes to a dead-letter file (the on-failure
 * destination) and the shard moves on.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
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
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeError } from './errors';
import { createLambdaContext } from './lambda-context';
import { toLambdaRecord } from './stream-record';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

export interface StreamPollerOptions {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly handler: StreamHandler;
  readonly awsRegion: string;
  readonly functionName?: string;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Tries of one batch (first delivery included) before it is dead-lettered. */
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** JSON-lines file for batches that exhausted their attempts; `null` = log only. */
  readonly deadLetterFile: string | null;
  readonly handlerTimeoutMs?: number;
  readonly quiet?: boolean;
}

export interface StreamStats {
  /** Records read from the stream. */
  read: number;
  /** Records the aggregator acknowledged. */
  delivered: number;
  /** Handler invocations. */
  invocations: number;
  /** Invocations that threw or reported failures. */
  failedInvocations: number;
  /** Records given up on (written to the dead-letter file). */
  deadLettered: number;
  lastError: string | undefined;
}

export interface StreamPoller {
  readonly stats: Readonly<StreamStats>;
  /**
   * Resolves once every record in the stream at the time of the call has been delivered (tests use
   * it instead of sleeping). Rejects if a batch is dead-lettered meanwhile, or on timeout.
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

interface ShardState {
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

interface DrainWaiter {
  readonly afterRound: number;
  resolve(): void;
  reject(error: Error): void;
}

type PumpOutcome = 'idle' | 'busy';

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const functionName = options.functionName ?? 'rapport-aggregator';
  const log = (message: string) => options.quiet || console.log(`[stream] ${message}`);

  const stats: StreamStats = {
    read: 0,
    delivered: 0,
    invocations: 0,
    failedInvocations: 0,
    deadLettered: 0,
    lastError: undefined,
  };
  const shards = new Map<string, ShardState>();
  const waiters: DrainWaiter[] = [];
  let streamArn: string | undefined;
  let stopped = false;
  let round = 0;
  let refreshRequested = true;
  let lastRefresh = 0;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function refreshShards(): Promise<void> {
    if (!streamArn) {
      const table = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
      streamArn = table.Table?.LatestStreamArn;
      if (!streamArn) return;
    }
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) addShard(shard);
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  function addShard(shard: Shard): void {
    if (!shard.ShardId || shards.has(shard.ShardId)) return;
    shards.set(shard.ShardId, {
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

  /** A child shard waits until its parent is read to the end, as Lambda keeps per-key order. */
  function isReady(shard: ShardState): boolean {
    const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
    return !parent || parent.finished;
  }

  async function fetch(shard: ShardState): Promise<number> {
    if (!streamArn || shard.endOfShard) return 0;
    if (shard.fresh || !shard.iterator) {
      // TRIM_HORIZON on start: the aggregator is idempotent, so re-reading retained records is safe.
      shard.iterator = await iteratorFor(shard, shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON');
      shard.fresh = false;
      if (!shard.iterator) return 0;
    }
    try {
      const page = await options.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }),
      );
      const records = (page.Records ?? []).map((r) => toLambdaRecord(r, streamArn ?? '', options.awsRegion));
      shard.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) shard.endOfShard = true;
      if (records.length > 0) {
        shard.pending.push(...records);
        shard.lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequenceNumber;
        stats.read += records.length;
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

  async function iteratorFor(
    shard: ShardState,
    type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER',
  ): Promise<string | undefined> {
    try {
      const result = await options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
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
        return iteratorFor(shard, 'TRIM_HORIZON');
      throw error;
    }
  }

  async function deliver(shard: ShardState): Promise<void> {
    const batch = shard.pending.slice(0, batchSize);
    stats.invocations++;
    let failedIndex: number;
    let reason: string;
    try {
      const context = createLambdaContext({ functionName, timeoutMs: options.handlerTimeoutMs ?? 60_000 });
      const result = await options.handler({ Records: batch }, context);
      failedIndex = firstFailedIndex(result, batch);
      reason =
        failedIndex === 0 ? 'the whole batch was reported as failed' : `record ${failedIndex} was reported as failed`;
    } catch (error) {
      failedIndex = 0;
      reason = describeError(error);
    }
    const succeeded = failedIndex === -1 ? batch.length : failedIndex;
    stats.delivered += succeeded;
    shard.pending.splice(0, succeeded);
    if (failedIndex === -1) {
      shard.attempts = 0;
      return;
    }
    stats.failedInvocations++;
    stats.lastError = reason;
    // A partial success moves the head: its retries start counting afresh, as with Lambda.
    shard.attempts = succeeded > 0 ? 1 : shard.attempts + 1;
    if (shard.attempts >= maxAttempts) {
      deadLetter(shard, batch.slice(succeeded), reason);
      return;
    }
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (shard.attempts - 1));
    shard.retryAt = Date.now() + delay;
    log(
      `${functionName} failed on shard ${shard.shardId} (attempt ${shard.attempts}/${maxAttempts}, retry in ${delay} ms): ${reason}`,
    );
  }

  function deadLetter(shard: ShardState, records: DynamoDBRecord[], reason: string): void {
    shard.pending.splice(0, records.length);
    shard.attempts = 0;
    stats.deadLettered += records.length;
    const first = records[0]?.dynamodb?.SequenceNumber;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    console.error(
      `[stream] gave up on ${records.length} record(s) of shard ${shard.shardId} (sequence ${first}..${last}) after ${maxAttempts} attempts: ${reason}`,
    );
    if (options.deadLetterFile) {
      mkdirSync(path.dirname(options.deadLetterFile), { recursive: true });
      appendFileSync(
        options.deadLetterFile,
        `${JSON.stringify({ time: new Date().toISOString(), shardId: shard.shardId, reason, records })}\n`,
      );
    }
    for (const waiter of waiters.splice(0)) {
      waiter.reject(new Error(`stream drain failed: ${records.length} record(s) were dead-lettered: ${reason}`));
    }
  }

  async function pump(shard: ShardState): Promise<PumpOutcome> {
    if (shard.retryAt > Date.now()) return 'busy';
    if (shard.pending.length === 0 && (await fetch(shard)) === 0) {
      shard.finished = shard.endOfShard;
      return 'idle';
    }
    if (shard.pending.length > 0) await deliver(shard);
    return 'busy';
  }

  async function runRound(): Promise<boolean> {
    const now = Date.now();
    if (refreshRequested || now - lastRefresh > 1000) {
      refreshRequested = false;
      lastRefresh = now;
      await refreshShards();
    }
    let caughtUp = streamArn !== undefined;
    for (const shard of shards.values()) {
      if (shard.finished) continue;
      if (!isReady(shard)) {
        caughtUp = false;
        continue;
      }
      if ((await pump(shard)) === 'busy') caughtUp = false;
    }
    return caughtUp;
  }

  const loop = (async () => {
    while (!stopped) {
      const thisRound = ++round;
      let caughtUp = false;
      try {
        caughtUp = await runRound();
      } catch (error) {
        stats.lastError = describeError(error);
        if (!stopped) log(`polling failed: ${stats.lastError}`);
      }
      if (caughtUp) {
        for (const waiter of [...waiters]) {
          if (waiter.afterRound < thisRound) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      }
      if (stopped) break;
      const anyReady = [...shards.values()].some((s) => !s.finished && s.pending.length > 0 && s.retryAt <= Date.now());
      if (!anyReady) await sleep(caughtUp || waiters.length === 0 ? pollIntervalMs : 20);
    }
  })();

  return {
    stats,
    drain: ({ timeoutMs = 30_000 } = {}) =>
      new Promise<void>((resolve, reject) => {
        if (stopped) {
          reject(new Error('stream poller is stopped'));
          return;
        }
        const timer = setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          reject(new Error(`stream drain timed out after ${timeoutMs} ms (${stats.lastError ?? 'no error reported'})`));
        }, timeoutMs);
        // Only a round that starts after this call (with a fresh shard list) proves the stream as
        // of now has been delivered.
        const waiter: DrainWaiter = {
          afterRound: round,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.push(waiter);
        refreshRequested = true;
        wake?.();
      }),
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error('stream poller stopped before the stream was drained'));
    },
  };
}

/**
 * Index of the first record to re-deliver, or -1 when the batch succeeded. Like Lambda: an empty or
 * absent list is success; an identifier that is missing or not in the batch fails the whole batch.
 */
export function firstFailedIndex(result: unknown, batch: readonly DynamoDBRecord[]): number {
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return -1;
  const failures = result.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return -1;
  let first = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null && 'itemIdentifier' in failure
        ? failure.itemIdentifier
        : undefined;
    const index = typeof id === 'string' && id ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === id) : -1;
    if (index === -1) return 0;
    first = Math.min(first, index);
  }
  return first;
}
