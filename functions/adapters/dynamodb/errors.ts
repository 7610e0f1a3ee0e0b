/**
 * Turns DynamoDB's transient failures into the domain's 503 errors, telling apart the two kinds a
 * client must handle differently:
 * - refused (throttling, limits, nothing could be sent): nothing changed — ServiceUnavailableError;
 * - unanswered (a timeout, the request deadline, a broken connection, a 5xx): the request may have
 *   been applied — OutcomeUnknownError, whose detail says how to retry safely.
 * Everything else passes through unchanged.
 */
import { OutcomeUnknownError, ServiceUnavailableError } from '../../domain/errors';

const REFUSED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);
const UNANSWERED = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'DeadlineExceeded',
]);
/** The request never left: nothing can have changed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const BROKEN = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

type Transient = 'refused' | 'unanswered';

function classify(err: unknown): Transient | undefined {
  if (err instanceof OutcomeUnknownError) return 'unanswered';
  if (err instanceof ServiceUnavailableError) return 'refused';
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  if (REFUSED.has(e.name)) return 'refused';
  if (UNANSWERED.has(e.name)) return 'unanswered';
  if (e.code && NOT_SENT.has(e.code)) return 'refused';
  if (e.code && BROKEN.has(e.code)) return 'unanswered';
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500 ? 'unanswered' : undefined;
}

export function isTransient(err: unknown): boolean {
  return classify(err) !== undefined;
}

export function toDomainError(err: unknown): unknown {
  switch (classify(err)) {
    case 'refused':
      return err instanceof ServiceUnavailableError
        ? err
        : new ServiceUnavailableError('the database is busy; nothing was changed, try again shortly', 2);
    case 'unanswered':
      return err instanceof OutcomeUnknownError
        ? err
        : new OutcomeUnknownError(
            'the database did not answer in time, so a change may or may not have been made. Retrying is safe with the same Idempotency-Key (admin writes) or the same response id (survey answers); reads can simply be repeated',
            2,
          );
    default:
      return err;
  }
}

/** Runs a DynamoDB call and maps transient failures. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toDomainError(err);
  }
}

/** In a catch block: rethrows the error, transient DynamoDB failures as 503 errors. */
export function rethrow(err: unknown): never {
  throw toDomainError(err);
}
