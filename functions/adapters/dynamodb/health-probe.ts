/**
 * Is DynamoDB answering? One tiny consistent read with a short deadline: a consistent read must reach
 * the partition's leader, the node every write needs, where an eventual read may not.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { healthKey } from './keys';

export function dynamoHealthCheck(db: DynamoDBDocumentClient, tableName: string, timeoutMs = 1500) {
  return async (): Promise<boolean> => {
    try {
      await db.send(new GetCommand({ TableName: tableName, Key: healthKey(), ConsistentRead: true }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return true;
    } catch {
      return false;
    }
  };
}
