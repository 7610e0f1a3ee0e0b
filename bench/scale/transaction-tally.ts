/**
 * Counts the counter transactions a DynamoDB client sends and how DynamoDB answered them: the
 * simulation's measure of contention. Only transactions that update a counter item (the applier's
 * aggregation transactions) are counted; a follow-up's create-once transaction touches nothing shared.
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export interface TransactionTally {
  /** Counter transactions sent (each retry of one counts again). */
  attempted: number;
  /** Of those, cancelled because another transaction held one of the same items (`TransactionConflict`). */
  conflicts: number;
  /** Cancelled for any other reason (a marker that already exists: a redelivered answer). */
  otherCancellations: number;
  /** Retries the AWS SDK made by itself inside one `send` (throttling, 5xx). */
  sdkRetries: number;
  /** Every call sent, by command (`TransactWriteCommand`, `PutCommand`, …): the round trips of the run. */
  calls: Record<string, number>;
  /** The most calls in flight at once: above 1 on one shard when the applier overlaps its follow-ups. */
  peakInFlight: number;
}

interface Cancellation {
  name?: string;
  CancellationReasons?: { Code?: string }[];
}

/** Wraps `db.send` (in place) and returns the live tally. */
export function tallyTransactions(db: DynamoDBDocumentClient): TransactionTally {
  const tally: TransactionTally = {
    attempted: 0,
    conflicts: 0,
    otherCancellations: 0,
    sdkRetries: 0,
    calls: {},
    peakInFlight: 0,
  };
  let inFlight = 0;
  const send = db.send.bind(db) as (command: unknown, options?: object) => Promise<unknown>;
  const counting = async (command: unknown, options?: object) => {
    const counted =
      command instanceof TransactWriteCommand && (command.input.TransactItems ?? []).some((i) => i.Update);
    if (counted) tally.attempted++;
    const name = (command as object).constructor.name;
    tally.calls[name] = (tally.calls[name] ?? 0) + 1;
    tally.peakInFlight = Math.max(tally.peakInFlight, ++inFlight);
    try {
      const output = (await send(command, options)) as { $metadata?: { attempts?: number } };
      if (counted) tally.sdkRetries += (output.$metadata?.attempts ?? 1) - 1;
      return output;
    } catch (error) {
      if (counted) {
        const e = error as Cancellation;
        if (e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) tally.conflicts++;
        else if (e.name === 'TransactionConflictException') tally.conflicts++;
        else tally.otherCancellations++;
      }
      throw error;
    } finally {
      inFlight--;
    }
  };
  db.send = counting as DynamoDBDocumentClient['send'];
  return tally;
}
