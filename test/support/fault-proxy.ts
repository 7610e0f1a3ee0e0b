/**
 * DynamoDB with faults on demand: every DynamoDBDocumentClient command goes through aws-sdk-client-mock
 * to the REAL DynamoDB Local, except the ones a plan says must fail. So an operation runs its true
 * course until the chosen call, and the table can be compared before and after.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  QueryCommand as RawQueryCommand,
  ScanCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  ScanCommand as DocScanCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** The SDK's own send, captured before the mock replaces it (called with one argument: the command). */
const realSend = DynamoDBDocumentClient.prototype.send as unknown as (
  this: DynamoDBDocumentClient,
  command: unknown,
) => Promise<unknown>;

// biome-ignore lint/suspicious/noExplicitAny: each command class takes its own input type; they are rebuilt from recorded calls.
type CommandClass = new (input: any) => any;
const COMMANDS: [string, CommandClass][] = Object.entries({
  GetCommand,
  PutCommand,
  UpdateCommand,
  DeleteCommand,
  QueryCommand,
  ScanCommand: DocScanCommand,
  TransactWriteCommand,
  TransactGetCommand,
  BatchGetCommand,
  BatchWriteCommand,
});
// The table client's own Query, which the aggregate store sends through the document client (it reads
// attribute values itself): a Query like any other for the plans and the call log.
COMMANDS.push(['QueryCommand', RawQueryCommand]);
export const WRITE_COMMANDS = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'TransactWriteCommand',
  'BatchWriteCommand',
]);

export type FaultName =
  | 'ProvisionedThroughputExceeded'
  | 'Throttling'
  | 'Timeout'
  | 'ECONNRESET'
  | 'InternalServerError500'
  | 'TransactionConflict'
  /** The call reaches DynamoDB and takes effect, but its answer is lost: the client sees a timeout. */
  | 'LostAnswer';
/** Faults after which nothing has changed (`LostAnswer` is not one: the write did happen). */
export const FAULTS: readonly FaultName[] = [
  'ProvisionedThroughputExceeded',
  'Throttling',
  'Timeout',
  'ECONNRESET',
  'InternalServerError500',
  'TransactionConflict',
];

export function makeFault(name: FaultName): Error {
  switch (name) {
    case 'ProvisionedThroughputExceeded':
      return new ProvisionedThroughputExceededException({
        message: 'Rate of requests exceeds the allowed throughput',
        $metadata: { httpStatusCode: 400 },
      });
    case 'Throttling':
      return Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
    case 'Timeout':
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
    case 'ECONNRESET':
      return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    case 'InternalServerError500':
      return new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
    case 'LostAnswer':
      return makeFault('Timeout');
    case 'TransactionConflict':
      return new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
      });
  }
}

export interface FaultPlan {
  readonly fault: FaultName;
  /** 1-based index of the first call that fails; every later matching call fails too. */
  readonly fromCall?: number;
  /** Only writes fail (reads pass through). */
  readonly writesOnly?: boolean;
  /** 1-based index among write calls of the first write that fails (reads pass through). */
  readonly fromWrite?: number;
  /** Only calls this says yes to can fail (the others pass through and are not counted by fromCall/fromWrite). */
  readonly only?: (command: string, input: unknown) => boolean;
}

export interface RecordedCall {
  readonly command: string;
  // biome-ignore lint/suspicious/noExplicitAny: the recorded command's input, of whichever command it was.
  readonly input: any;
  readonly failed: FaultName | undefined;
  /** Set once the call has gone through to DynamoDB: did it succeed (a write that took effect)? */
  succeeded?: boolean;
}

/** Writes that reached DynamoDB and took effect (a failed condition changes nothing). */
export const effectiveWrites = (calls: readonly RecordedCall[]) =>
  calls.filter((c) => WRITE_COMMANDS.has(c.command) && c.succeeded === true);

export interface FaultProxy {
  readonly calls: RecordedCall[];
  /** Resolves once no call has started for `quietMs` (work an operation left running after it answered). */
  settle(quietMs?: number, maxMs?: number): Promise<void>;
  /** Installs a plan (undefined = everything passes) and clears the call log. */
  plan(plan: FaultPlan | undefined): void;
  /**
   * Runs `hook` before each call is sent (undefined = none): a race made to happen at one exact
   * point of an operation. Calls the hook itself makes pass through it as well.
   */
  before(hook: ((command: string, input: unknown) => Promise<void>) | undefined): void;
  restore(): void;
}

export function installFaultProxy(): FaultProxy {
  const mock = mockClient(DynamoDBDocumentClient);
  const calls: RecordedCall[] = [];
  let current: FaultPlan | undefined;
  let hook: ((command: string, input: unknown) => Promise<void>) | undefined;
  for (const [name, Command] of COMMANDS) {
    mock.on(Command).callsFake(async (input: unknown, getClient: () => unknown) => {
      // Only with a hook: an `await` of nothing would still defer the call, and tests rely on the first
      // attempt of an operation being recorded before it yields.
      if (hook) await hook(name, input);
      const eligible = (c: { command: string; input: unknown }) => !current?.only || current.only(c.command, c.input);
      const index = calls.filter(eligible).length + 1;
      const isWrite = WRITE_COMMANDS.has(name);
      const writeIndex = calls.filter((c) => WRITE_COMMANDS.has(c.command) && eligible(c)).length + (isWrite ? 1 : 0);
      const applies =
        current !== undefined &&
        eligible({ command: name, input }) &&
        index >= (current.fromCall ?? 1) &&
        (!current.writesOnly || isWrite) &&
        (current.fromWrite === undefined || (isWrite && writeIndex >= current.fromWrite)) &&
        // A transaction conflict only exists for transactions.
        (current.fault !== 'TransactionConflict' || name === 'TransactWriteCommand');
      const call: RecordedCall = { command: name, input, failed: applies ? current!.fault : undefined };
      calls.push(call);
      if (applies && current?.fault === 'LostAnswer') {
        await realSend.call(getClient() as DynamoDBDocumentClient, new Command(input));
        call.succeeded = true;
        throw makeFault('LostAnswer');
      }
      if (applies) throw makeFault(current!.fault);
      try {
        const output: unknown = await realSend.call(getClient() as DynamoDBDocumentClient, new Command(input));
        call.succeeded = true;
        return output;
      } catch (err) {
        call.succeeded = false;
        throw err;
      }
    });
  }
  return {
    calls,
    settle: async (quietMs = 40, maxMs = 2000) => {
      const deadline = Date.now() + maxMs;
      let seen = -1;
      while (seen !== calls.length && Date.now() < deadline) {
        seen = calls.length;
        await new Promise((r) => setTimeout(r, quietMs));
      }
    },
    plan: (plan) => {
      current = plan;
      calls.length = 0;
    },
    before: (next) => {
      hook = next;
    },
    restore: () => mock.restore(),
  };
}

/** Every item of the table, as a canonical, comparable string per item (sorted). */
export async function tableSnapshot(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of result.Items ?? []) items.push(canonical(item));
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return items.sort();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
