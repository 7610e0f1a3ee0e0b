/** Is DynamoDB answering? One tiny consistent read with a short deadline. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { healthKey } from './keys';

export function dynamoHealthCheck(db: DynamoDBDocumentClient, tableName: string, timeoutMs = 1500) {
  return async (): Promise<boolean> => {
    try {
      await db.send(new GetCommand({ TableName: tableName, Key: healthKey() }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return true;
    } catch {
      return false;
    }
  };
}
