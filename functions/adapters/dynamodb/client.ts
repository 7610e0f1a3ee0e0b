/**
 * The one DynamoDB client of a function, created once per container and reused across invocations.
 * `DYNAMODB_ENDPOINT` is set only by the local runtime; in AWS the SDK finds the regional endpoint.
 * Timeouts are short on purpose: a slow DynamoDB must become a fast 503, not a hung request.
 *
 * A handler passes its own name: with RAPPORT_ENFORCE_DATA_ACCESS=1 (the local runtime) the client
 * then refuses every request that function's data-access contract does not allow, as IAM does in AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { TableFunction } from '../../contracts/data-access';
import { enforceDataAccess, enforcementRequested } from './data-access-guard';

export function createDocumentClient(functionName?: TableFunction, env?: NodeJS.ProcessEnv): DynamoDBDocumentClient;
export function createDocumentClient(env?: NodeJS.ProcessEnv): DynamoDBDocumentClient;
export function createDocumentClient(
  first?: TableFunction | NodeJS.ProcessEnv,
  second?: NodeJS.ProcessEnv,
): DynamoDBDocumentClient {
  const functionName = typeof first === 'string' ? first : undefined;
  const env = (typeof first === 'string' ? second : first) ?? process.env;
  const client = new DynamoDBClient({
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
  });
  if (functionName && enforcementRequested(env)) enforceDataAccess(client, functionName, tableNameFrom(env));
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function tableNameFrom(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
