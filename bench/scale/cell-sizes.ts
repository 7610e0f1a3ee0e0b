/**
 * The stored size of a survey-day's aggregate cells, read raw from the `AGG#` partition: what a
 * counter transaction that touches all of them costs (AWS charges a transactional write 2 WCU per
 * started KB of each item).
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { aggregateKeys } from '../../functions/adapters/dynamodb/keys';
import { createLocalDynamoClient } from '../../local/local-env';
import { itemBytes, writeUnits } from './item-size';

export interface CellSizes {
  cells: number;
  totalBytes: number;
  largestBytes: number;
  /** 2 × the started KB of every cell: one transaction that updates each cell once. */
  transactionUnits: number;
}

export async function measureCellSizes(endpoint: string, tableName: string, surveyId: string): Promise<CellSizes> {
  const client = createLocalDynamoClient(endpoint);
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: aggregateKeys.partition(surveyId) } },
      ConsistentRead: true,
    }),
  );
  client.destroy();
  const sizes = Items.map(itemBytes);
  return {
    cells: sizes.length,
    totalBytes: sizes.reduce((a, b) => a + b, 0),
    largestBytes: Math.max(0, ...sizes),
    transactionUnits: sizes.reduce((n, b) => n + 2 * writeUnits(b), 0),
  };
}
