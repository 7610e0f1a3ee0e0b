/** Is DynamoDB answering? One tiny consistent read with a short deadline. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

export function dynamoHealthCheck(db: DynamoDBDocumentClient, tableName: string, timeoutMs = 1500) {
  return async (): Promise<boolean> => {
    try {
      await db.send(new GetCommand({ TableName: tableName, Key: { PK: 'HEALTH', SK: 'CHECK' } }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return true;
    } catch {
      return false;
    }
  };
}
