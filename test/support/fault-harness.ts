/**
 * Shared setup of the fault suites: an in-memory DynamoDB Local with the table, the fault proxy in
 * front of the SDK, and the real handlers imported after the environment points at it.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import type { HttpFunctionName } from '../../functions/contracts/routes';
import { LOCAL_TABLE_NAME } from '../../functions/contracts/table-schema';
import { ensureTable } from '../../local/bootstrap';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { createLocalDynamoClient } from '../../local/local-env';
import { type FaultProxy, installFaultProxy } from './fault-proxy';

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export interface FaultHarness {
  raw: DynamoDBClient;
  proxy: FaultProxy;
  handlers: Record<HttpFunctionName, Handler>;
  aggregator: StreamHandler;
  stop(): Promise<void>;
}

export async function startFaultHarness(): Promise<FaultHarness> {
  const ddbLocal = await startDynamoDbLocal({ dbPath: null });
  const raw = createLocalDynamoClient(ddbLocal.endpoint);
  await ensureTable(raw, LOCAL_TABLE_NAME);
  // The handlers read these once, at import.
  process.env.DYNAMODB_ENDPOINT = ddbLocal.endpoint;
  process.env.TABLE_NAME = LOCAL_TABLE_NAME;
  const proxy = installFaultProxy();
  return {
    raw,
    proxy,
    handlers: {
      'admin-api': (await import('../../functions/handlers/admin-api')).handler as Handler,
      'public-api': (await import('../../functions/handlers/public-api')).handler as Handler,
    },
    aggregator: (await import('../../functions/handlers/aggregator')).handler as unknown as StreamHandler,
    async stop() {
      proxy.restore();
      raw.destroy();
      await ddbLocal.stop();
    },
  };
}
