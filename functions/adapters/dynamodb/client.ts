/**
 * The one DynamoDB client of a function, created once per container and reused across invocations.
 * `DYNAMODB_ENDPOINT` is set only by the local runtime; in AWS the SDK finds the regional endpoint.
 *
 * Timeouts that fire: each attempt is abandoned after `DYNAMODB_ATTEMPT_TIMEOUT_MS` (with
 * `throwOnRequestTimeout`, without which @smithy only logs a warning and the request hangs on), and
 * every call made while serving a request obeys that request's deadline (an AbortSignal from the
 * request scope), however many retries the SDK would still try.
 *
 * A handler passes its own name: with RAPPORT_ENFORCE_DATA_ACCESS=1 (the local runtime) the client
 * then refuses every request that function's data-access contract does not allow, as IAM does in AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { TableFunction } from '../../contracts/data-access';
import { DYNAMODB_ATTEMPT_TIMEOUT_MS, DYNAMODB_CONNECT_TIMEOUT_MS } from '../../contracts/function-limits';
import { currentScope } from '../../ports/request-scope';
import { enforceDataAccess, enforcementRequested } from './data-access-guard';

export function createDocumentClient(functionName?: TableFunction, env?: NodeJS.ProcessEnv): DynamoDBDocumentClient;
export function createDocumentClient(env?: NodeJS.ProcessEnv): DynamoDBDocumentClient;
export function createDocumentClient(
  first?: TableFunction | NodeJS.ProcessEnv,
  second?: NodeJS.ProcessEnv,
): DynamoDBDocumentClient {
  const functionName = typeof first === 'string' ? first : undefined;
  const env = (typeof first === 'string' ? second : first) ?? process.env;
  const attemptTimeout = Number(env.DYNAMODB_ATTEMPT_TIMEOUT_MS) || DYNAMODB_ATTEMPT_TIMEOUT_MS;
  const client = new DynamoDBClient({
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeout: attemptTimeout,
      throwOnRequestTimeout: true,
    }),
  });
  // The SDK's logger middleware builds a redacted copy of every command's input and output for its
  // logger even when that logger discards it (the default NoOpLogger still has `info`): a walk of
  // every item read or written, on every call. Nothing here gives the SDK a logger, so it goes.
  client.middlewareStack.remove('loggerMiddleware');
  if (functionName && enforcementRequested(env)) enforceDataAccess(client, functionName, tableNameFrom(env));
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // The class's own send, looked up at each call (so test doubles installed on the class still apply).
  type Send = (this: DynamoDBDocumentClient, command: unknown, options?: object) => Promise<unknown>;
  const withDeadline = (command: unknown, options?: object) => {
    const send = (Object.getPrototypeOf(documentClient) as { send: Send }).send;
    const signal = currentScope()?.signal;
    return send.call(documentClient, command, signal ? { abortSignal: signal, ...options } : options);
  };
  documentClient.send = withDeadline as DynamoDBDocumentClient['send'];
  return documentClient;
}

export function tableNameFrom(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
