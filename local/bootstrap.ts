/**
 * Creates the table in DynamoDB Local from THE table schema (the same module CDK reads), so the two
 * can never drift apart. Idempotent: an existing table is left as it is.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../functions/contracts/table-schema';
import { LocalRuntimeError } from './errors';

export interface BootstrapResult {
  readonly created: boolean;
  readonly table: TableDescription;
}

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<BootstrapResult> {
  const existing = await describeTable(client, tableName);
  let created = false;
  if (!existing) {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    created = true;
  }
  const table = await waitUntilActive(client, tableName);
  await ensureTimeToLive(client, tableName);
  return { created, table };
}

function createTableInput(tableName: string) {
  const s = tableSchema;
  const attributes = new Map<string, 'S' | 'N'>();
  for (const key of [
    s.partitionKey,
    s.sortKey,
    ...s.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    attributes.set(key.name, key.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: s.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: s.sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: s.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: s.streamViewType },
  };
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describeTable(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline)
      throw new LocalRuntimeError(
        'table-not-active',
        `table ${tableName} did not become ACTIVE within ${timeoutMs / 1000} s`,
      );
    await sleep(100);
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const ttl = current.TimeToLiveDescription;
  if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName === tableSchema.timeToLiveAttribute) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: tableSchema.timeToLiveAttribute },
    }),
  );
}
