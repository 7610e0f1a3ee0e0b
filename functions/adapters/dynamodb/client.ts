/**
 * The one DynamoDB client of a function, created once per container and reused across invocations.
 * `DYNAMODB_ENDPOINT` is set only by the local runtime; in AWS the SDK finds the regional endpoint.
 * Timeouts are short on purpose: a slow DynamoDB must become a fast 503, not a hung request.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export function createDocumentClient(env: NodeJS.ProcessEnv = process.env): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    maxAttempts: 3,
    // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes and
    // keeps waiting: a DynamoDB that stops answering would hang the request until the Lambda timeout.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function tableNameFrom(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
