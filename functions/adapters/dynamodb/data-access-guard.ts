/**
 * The local enforcer of the data-access contract (functions/contracts/data-access.ts). With
 * RAPPORT_ENFORCE_DATA_ACCESS=1 (the local runtime sets it) every command a function's DynamoDB client
 * sends is turned into the item-level requests IAM would authorise (action, table, index, partition
 * key of every key in it, transactions and batches item by item) and refused, before it leaves the
 * process, with an `AccessDeniedException` like the one IAM returns when the contract does not allow
 * one of them. In AWS the same contract is the function's IAM policy, so this changes nothing there.
 */
import { type AttributeValue, type DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { allows, type DataRequest, type TableFunction } from '../../contracts/data-access';
import { tableSchema } from '../../contracts/table-schema';

/** A request the contract (or the parser) does not allow, as IAM would say it. */
export class DataAccessDenied extends DynamoDBServiceException {
  constructor(fn: TableFunction, action: string, resource: string, detail: string) {
    super({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: `User: local/${fn} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action (${detail}; see functions/contracts/data-access.ts)`,
    });
    // The SDK's exception base class resets the prototype to its own.
    Object.setPrototypeOf(this, DataAccessDenied.prototype);
  }
}

type Input = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

/** A request for one table, before the table name is checked. */
interface TableRequest extends DataRequest {
  readonly tableName: unknown;
}

/** The attribute holding the partition key of the table, or of one of its indexes. */
function partitionAttribute(index: string | undefined): string | undefined {
  if (index === undefined) return tableSchema.partitionKey.name;
  return tableSchema.globalSecondaryIndexes.find((g) => g.indexName === index)?.partitionKey.name;
}

/** Never the whole key: it may be an e-mail address or a phone number. */
const shape = (key: string) => (key.includes('#') ? `${key.slice(0, key.indexOf('#') + 1)}…` : key);

/** The partition key named in an item or key map; '' when absent or not a string (denied). */
function partitionOf(item: unknown, index?: string): string {
  const attribute = partitionAttribute(index);
  const value = attribute && typeof item === 'object' && item !== null ? (item as Item)[attribute] : undefined;
  return typeof value?.S === 'string' ? value.S : '';
}

/** The partition-key value of a Query: `<pk> = :v` in the key condition (names and values resolved). */
function queryPartition(input: Input): string {
  const attribute = partitionAttribute(input.IndexName as string | undefined);
  const legacy = (input.KeyConditions as Record<string, { AttributeValueList?: AttributeValue[] }> | undefined)?.[
    attribute ?? ''
  ];
  if (legacy) return legacy.AttributeValueList?.[0]?.S ?? '';
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  for (const clause of String(input.KeyConditionExpression ?? '').split(/\s+AND\s+/i)) {
    const match = /^\(*\s*(#?[\w.]+)\s*=\s*(:\w+)\s*\)*$/.exec(clause.trim());
    if (!match) continue;
    const [, name = '', placeholder = ''] = match;
    if ((names[name] ?? name) === attribute) return values[placeholder]?.S ?? '';
  }
  return '';
}

/** The item-level requests of one command, as IAM authorises them. Unknown commands map to themselves. */
export function requestsOf(commandName: string, input: Input): TableRequest[] {
  const command = commandName.replace(/Command$/, '');
  switch (command) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [{ action: command, tableName: input.TableName, partitionKey: partitionOf(input.Key) }];
    case 'PutItem':
      return [{ action: command, tableName: input.TableName, partitionKey: partitionOf(input.Item) }];
    case 'Query': {
      const index = input.IndexName as string | undefined;
      return [{ action: command, tableName: input.TableName, index, partitionKey: queryPartition(input) }];
    }
    case 'BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).flatMap(
        ([tableName, { Keys = [] }]) =>
          Keys.map((key) => ({ action: command, tableName, partitionKey: partitionOf(key) })),
      );
    case 'BatchWriteItem':
      return Object.entries(
        (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>,
      ).flatMap(([tableName, writes]) =>
        writes.map((w) => ({
          action: command,
          tableName,
          partitionKey: partitionOf(w.PutRequest?.Item ?? w.DeleteRequest?.Key),
        })),
      );
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Record<string, Input | undefined>[]).map((t) => {
        const [kind, op] = Object.entries(t).find(([, v]) => v !== undefined) ?? ['', {}];
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        const body = (op ?? {}) as Input;
        return {
          action: action ?? kind,
          tableName: body.TableName,
          partitionKey: partitionOf(kind === 'Put' ? body.Item : body.Key),
        };
      });
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as { Get?: Input }[]).map((t) => ({
        action: 'GetItem',
        tableName: t.Get?.TableName,
        partitionKey: partitionOf(t.Get?.Key),
      }));
    default:
      // Scan, PartiQL, control-plane calls: no partition key; the contract grants none of them.
      return [{ action: command, tableName: input.TableName, partitionKey: '' }];
  }
}

/** Throws DataAccessDenied for the first request of the command the contract does not allow. */
export function checkCommand(fn: TableFunction, tableName: string, commandName: string, input: Input): void {
  for (const request of requestsOf(commandName, input)) {
    const resource = `table/${String(request.tableName)}${request.index ? `/index/${request.index}` : ''}`;
    if (request.tableName !== tableName) throw new DataAccessDenied(fn, request.action, resource, 'another table');
    if (!allows(fn, request)) {
      const key = request.partitionKey ? `partition key ${shape(request.partitionKey)}` : 'no partition key';
      const denied = new DataAccessDenied(fn, request.action, resource, key);
      // Only ever on a developer's machine (enforcement is local): say at once which grant is missing.
      console.error(`[data-access] ${denied.message}`);
      throw denied;
    }
  }
}

/** Whether the environment asks for local enforcement (the local runtime sets it; Lambda never does). */
export function enforcementRequested(env: NodeJS.ProcessEnv): boolean {
  return env.RAPPORT_ENFORCE_DATA_ACCESS === '1';
}

/**
 * Checks every command the client sends, after the document client has marshalled it (build step:
 * the low-level input, whichever client built it) and before any retry or network call.
 */
export function enforceDataAccess(client: DynamoDBClient, fn: TableFunction, tableName: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      checkCommand(fn, tableName, String(context.commandName ?? ''), args.input as Input);
      return next(args);
    },
    { step: 'build', name: 'rapportDataAccessGuard', override: true },
  );
}
