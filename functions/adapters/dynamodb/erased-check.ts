/**
 * Whether a response has been erased, asked without reading it: a no-op update of the response
 * conditional on `erasedAt` (which is never removed once set). The aggregator may not read what a
 * response holds (IAM grants it no GetItem there), and a write whose condition holds changes nothing,
 * so no stream record follows. Used after a follow-up task is put outside any transaction — by the
 * stream and by a rebuild's restore — since the erasure sets `erasedAt` before it strips the task:
 * whichever comes second strips it.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { rethrow } from './errors';
import type { ItemKey } from './keys';

export async function isErased(db: DynamoDBDocumentClient, tableName: string, response: ItemKey): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: response,
        // Writes the value it holds: no change, so no stream record either.
        UpdateExpression: 'SET erasedAt = erasedAt',
        ConditionExpression: 'attribute_exists(erasedAt)',
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    rethrow(err);
  }
}
