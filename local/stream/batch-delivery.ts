/**
 * Delivers one shard's pending records to the aggregator as Lambda's event source mapping does: a
 * batch at a time; with ReportBatchItemFailures the batch is re-delivered from the first failed
 * record, a thrown error retries the whole batch with exponential backoff, and after the last
 * attempt the batch goes to the on-failure destination and the shard moves on.
 *
 * The on-failure destination is a JSON-lines file holding what Lambda puts on its SQS destination:
 * the shard and the sequence-number range of the failed batch — never the items' images, which may
 * hold personal data (the records stay readable in the stream for replay while it retains them).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeError } from '../errors';
import { createLambdaContext } from '../lambda-context';
import type { ShardState } from './shard-reader';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;

export interface BatchDeliveryOptions {
  readonly handler: StreamHandler;
  readonly functionName: string;
  readonly batchSize: number;
  /** Tries of one batch (first delivery included) before it goes to the dead-letter file. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** JSON-lines file for batches that exhausted their attempts; `null` = log only. */
  readonly deadLetterFile: string | null;
  readonly handlerTimeoutMs: number;
  readonly log: (message: string) => void;
}

export interface DeliveryStats {
  delivered: number;
  invocations: number;
  failedInvocations: number;
  deadLettered: number;
  lastError: string | undefined;
}

/** What Lambda writes to an on-failure destination for a DynamoDB stream batch (no item data). */
export interface DeadLetter {
  readonly time: string;
  readonly reason: string;
  readonly shardId: string;
  readonly startSequenceNumber: string | undefined;
  readonly endSequenceNumber: string | undefined;
  readonly batchSize: number;
}

export class BatchDelivery {
  constructor(
    private readonly options: BatchDeliveryOptions,
    private readonly stats: DeliveryStats,
    /** Told of every batch given up on (drain waiters fail then). */
    private readonly onDeadLetter: (letter: DeadLetter) => void,
  ) {}

  async deliver(shard: ShardState): Promise<void> {
    const { options, stats } = this;
    const batch = shard.pending.slice(0, options.batchSize);
    stats.invocations++;
    let failedIndex: number;
    let reason: string;
    try {
      const context = createLambdaContext({ functionName: options.functionName, timeoutMs: options.handlerTimeoutMs });
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
    if (shard.attempts >= options.maxAttempts) {
      this.deadLetter(shard, batch.slice(succeeded), reason);
      return;
    }
    const delay = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (shard.attempts - 1));
    shard.retryAt = Date.now() + delay;
    options.log(
      `${options.functionName} failed on shard ${shard.shardId} (attempt ${shard.attempts}/${options.maxAttempts}, retry in ${delay} ms): ${reason}`,
    );
  }

  private deadLetter(shard: ShardState, records: DynamoDBRecord[], reason: string): void {
    shard.pending.splice(0, records.length);
    shard.attempts = 0;
    this.stats.deadLettered += records.length;
    const letter: DeadLetter = {
      time: new Date().toISOString(),
      reason,
      shardId: shard.shardId,
      startSequenceNumber: records[0]?.dynamodb?.SequenceNumber,
      endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber,
      batchSize: records.length,
    };
    console.error(
      `[stream] gave up on ${records.length} record(s) of shard ${shard.shardId} (sequence ${letter.startSequenceNumber}..${letter.endSequenceNumber}) after ${this.options.maxAttempts} attempts: ${reason}`,
    );
    if (this.options.deadLetterFile) {
      mkdirSync(path.dirname(this.options.deadLetterFile), { recursive: true });
      appendFileSync(this.options.deadLetterFile, `${JSON.stringify(letter)}\n`);
    }
    this.onDeadLetter(letter);
  }
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
