/**
 * Integration-test harness: one in-memory runtime per test file (random ports, ephemeral key, quiet),
 * plus helpers to call it over real HTTP and to look at the table directly.
 */
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoClient } from '../../../local/local-env';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../../local/runtime';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON for JSON and problem+json responses, the text otherwise ('' when empty). */
  readonly body: unknown;
  readonly text: string;
}

export interface RequestOptions {
  readonly token?: string;
  /** Sent as JSON (content-type application/json unless given). */
  readonly body?: unknown;
  /** Sent exactly as given; set the content-type header yourself. */
  readonly rawBody?: string | Uint8Array<ArrayBuffer>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TestRuntime extends Runtime {
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Items in the table (optionally only those whose PK starts with a prefix), counted now. */
  scanCount(pkPrefix?: string): Promise<number>;
  /**
   * All items but the audit log's, after draining the stream so the aggregator's writes for earlier
   * requests have landed: before/after comparisons for "nothing was written" do not race the aggregator.
   */
  itemCount(): Promise<number>;
}

export async function startTestRuntime(options: RuntimeOptions = {}): Promise<TestRuntime> {
  const runtime = await startRuntime({
    port: 0,
    dataDir: null,
    seed: false,
    quiet: true,
    stream: { pollIntervalMs: 50, retryBaseMs: 20, maxAttempts: 3 },
    ...options,
  });
  const dynamo = createLocalDynamoClient(runtime.dynamoEndpoint);

  const request = async (method: string, path: string, requestOptions: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = requestOptions.rawBody;
    if (body === undefined && requestOptions.body !== undefined) {
      body = JSON.stringify(requestOptions.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${runtime.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const isJson = /[/+]json\b/.test(contentType) && text !== '';
    return {
      status: response.status,
      headers: response.headers,
      body: isJson ? (JSON.parse(text) as unknown) : text,
      text,
    };
  };

  const scanCount = async (pkPrefix?: string, exclude = false): Promise<number> => {
    let count = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: runtime.tableName,
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(pkPrefix
            ? {
                FilterExpression: exclude ? 'NOT begins_with(PK, :p)' : 'begins_with(PK, :p)',
                ExpressionAttributeValues: { ':p': { S: pkPrefix } },
              }
            : {}),
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  };

  return {
    ...runtime,
    request,
    scanCount,
    itemCount: async () => {
      await runtime.drainStream();
      // The audit log records refused writes too (on purpose): it is not what "nothing was written" means.
      // One scan that leaves it out: two scans subtracted would race an audit entry landing between them.
      return scanCount('AUDIT', true);
    },
    stop: async () => {
      dynamo.destroy();
      await runtime.stop();
    },
  };
}
