/**
 * Turns DynamoDB's transient failures into the domain's ServiceUnavailableError (HTTP 503 with
 * Retry-After). Everything else passes through unchanged.
 */
import { ServiceUnavailableError } from '../../domain/errors';

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionInProgressException',
  'AbortError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function isTransient(err: unknown): boolean {
  if (err instanceof ServiceUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (TRANSIENT.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function toDomainError(err: unknown): unknown {
  if (isTransient(err)) {
    return new ServiceUnavailableError(
      'the database is busy or did not answer in time; nothing was changed, try again shortly',
      2,
    );
  }
  return err;
}

/** Runs a DynamoDB call and maps transient failures. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toDomainError(err);
  }
}

/** In a catch block: rethrows the error, transient DynamoDB failures as ServiceUnavailableError. */
export function rethrow(err: unknown): never {
  throw toDomainError(err);
}
