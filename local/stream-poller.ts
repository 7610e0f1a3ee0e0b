/**
 * Feeds the table's stream to the aggregator the way Lambda's event source mapping does: per shard,
 * in order, batches of at most 100 records, parents before children (`stream/shard-reader.ts`), with
 * Lambda's retry, partial-batch and on-failure semantics (`stream/batch-delivery.ts`). This module is
 * the loop that drives both and lets tests wait until the stream is drained.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StreamFilterPattern } from '../functions/contracts/stream-filters';
import { describeError } from './errors';
import { BatchDelivery, type StreamHandler } from './stream/batch-delivery';
import { ShardReader, type ShardState } from './stream/shard-reader';

export type { StreamHandler };

export interface StreamPollerOptions {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly handler: StreamHandler;
  readonly awsRegion: string;
  readonly functionName?: string;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Lambda's event-source filters of this consumer (functions/contracts/stream-filters.ts). */
  readonly filters?: readonly StreamFilterPattern[];
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

interface DrainWaiter {
  readonly afterRound: number;
  resolve(): void;
  reject(error: Error): void;
}

type PumpOutcome = 'idle' | 'busy';

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 100;
  const log = (message: string) => options.quiet || console.log(`[stream] ${message}`);

  const stats: StreamStats = {
    read: 0,
    delivered: 0,
    invocations: 0,
    failedInvocations: 0,
    deadLettered: 0,
    lastError: undefined,
  };
  const waiters: DrainWaiter[] = [];
  const reader = new ShardReader({ ...options, batchSize });
  const delivery = new BatchDelivery(
    {
      handler: options.handler,
      functionName: options.functionName ?? 'rapport-aggregator',
      batchSize,
      maxAttempts: options.maxAttempts ?? 5,
      retryBaseMs: options.retryBaseMs ?? 200,
      retryMaxMs: options.retryMaxMs ?? 5000,
      deadLetterFile: options.deadLetterFile,
      handlerTimeoutMs: options.handlerTimeoutMs ?? 60_000,
      log,
    },
    stats,
    (letter) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(`stream drain failed: ${letter.batchSize} record(s) were dead-lettered: ${letter.reason}`),
        );
      }
    },
  );
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

  async function pump(shard: ShardState): Promise<PumpOutcome> {
    if (shard.retryAt > Date.now()) return 'busy';
    if (shard.pending.length === 0) {
      const read = await reader.fetch(shard);
      stats.read += read;
      if (read === 0) {
        shard.finished = shard.endOfShard;
        return 'idle';
      }
      // Like Lambda, a batch is filled with records that pass the filters: while whole pages arrive
      // and the batch is not full, read on.
      for (let more = read; more === batchSize && shard.pending.length < batchSize && !shard.endOfShard; ) {
        more = await reader.fetch(shard);
        stats.read += more;
      }
      // Every record read was filtered out: nothing to deliver (Lambda never invokes with none).
      if (shard.pending.length === 0) return 'busy';
    }
    await delivery.deliver(shard);
    return 'busy';
  }

  async function runRound(): Promise<boolean> {
    const now = Date.now();
    if (refreshRequested || now - lastRefresh > 1000) {
      refreshRequested = false;
      lastRefresh = now;
      await reader.refreshShards();
    }
    let caughtUp = reader.connected;
    for (const shard of reader.shards.values()) {
      if (shard.finished) continue;
      if (!reader.isReady(shard)) {
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
      const anyReady = [...reader.shards.values()].some(
        (s) => !s.finished && s.pending.length > 0 && s.retryAt <= Date.now(),
      );
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
