/**
 * TransactWriteItems with the two things every caller needs: retry on `TransactionConflict` (another
 * transaction touched the same item at that instant; DynamoDB asks us to retry) and a readable view
 * of which item's condition failed.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';
import { toDomainError } from './errors';

export interface CancelledItem {
  index: number;
  code: string;
  /** The item as it was, when the write asked for `ReturnValuesOnConditionCheckFailure: ALL_OLD`. */
  old?: Record<string, { S?: string; N?: string }>;
}

export class TransactionCancelled extends Error {
  constructor(readonly items: CancelledItem[]) {
    super(`transaction cancelled: ${items.map((i) => `#${i.index} ${i.code}`).join(', ')}`);
  }
  failed(index: number): CancelledItem | undefined {
    return this.items.find((i) => i.index === index && i.code === 'ConditionalCheckFailed');
  }
}

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (err instanceof TransactionCanceledException || (err as Error).name === 'TransactionCanceledException') {
        const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
        const cancelled = reasons
          .map((r, index) => ({ index, code: r.Code ?? 'None', old: r.Item as CancelledItem['old'] }))
          .filter((r) => r.code !== 'None');
        if (cancelled.some((c) => c.code === 'ConditionalCheckFailed')) throw new TransactionCancelled(cancelled);
        const retryable = cancelled.every((c) =>
          ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'].includes(c.code),
        );
        if (retryable && attempt < MAX_ATTEMPTS) {
          await sleep(Math.random() * 20 * 2 ** attempt);
          continue;
        }
        if (retryable)
          throw new ServiceUnavailableError(
            'too many concurrent changes to the same records; nothing was changed, try again',
            1,
          );
        throw new TransactionCancelled(cancelled);
      }
      throw toDomainError(err);
    }
  }
}
