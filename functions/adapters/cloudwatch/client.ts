/**
 * CloudWatch adapter: one reused client, and PutMetricData with a small retry loop of its own.
 *
 * Why our own loop instead of the SDK's retry strategy: the probe must publish even when CloudWatch
 * throttles it (its silence would read as an outage), its budget is bounded (the Lambda timeout), and
 * a loop we own is what the unit tests can drive (aws-sdk-client-mock replaces `send`, below the SDK's
 * retry middleware). The SDK itself is told not to retry, so attempts don't multiply.
 */
import { CloudWatchClient, PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';

export function createCloudWatchClient(): CloudWatchClient {
  return new CloudWatchClient({ maxAttempts: 1 });
}

export interface RetryOptions {
  /** Total attempts, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** First back-off in ms; doubles each time, with full jitter. Default 200. */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** PutMetricData, retried on throttling and transient failures; resolves with the attempts used. */
export async function putMetricData(
  client: CloudWatchClient,
  input: PutMetricDataCommandInput,
  options: RetryOptions = {},
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(new PutMetricDataCommand(input));
      return attempt;
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);
const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'ServiceUnavailable',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, a 5xx, or a dropped connection: worth another try. Validation errors are not. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (typeof e.name === 'string' && (THROTTLING.has(e.name) || TRANSIENT.has(e.name))) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return typeof e.code === 'string' && NETWORK_CODES.has(e.code);
}
