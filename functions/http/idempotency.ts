/**
 * `Idempotency-Key` on admin writes (docs/design.md §7): a client that retries a write with the same key gets
 * the first outcome again instead of a second write. Successful outcomes are kept for 24 hours; a
 * refused or failed request leaves nothing behind (bad input writes nothing), so its retry runs
 * again. The same key with a different request is a 422.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, OutcomeUnknownError, ValidationError } from '../domain/errors';
import { logger } from '../observability/logger';
import type { IdempotencyStore } from '../ports/idempotency-store';
import { currentScope } from '../ports/request-scope';

/**
 * Another attempt with the same key is still running, or its outcome is not known yet: 409 with
 * Retry-After, as the IETF Idempotency-Key draft prescribes for a concurrent request.
 */
export class RequestInProgressError extends AppError {
  readonly status = 409;
  readonly code = 'request-in-progress';
  readonly title = 'A request with this Idempotency-Key is in progress';
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}

export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly code = 'idempotency-key-reused';
  readonly title = 'Idempotency-Key already used for another request';
}

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function readIdempotencyKey(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY.test(key)) {
    throw new ValidationError([
      { path: 'header/idempotency-key', message: 'must be 8–128 characters of letters, digits and _ . : -' },
    ]);
  }
  return key;
}

export function fingerprintOf(method: string, path: string, body: string | undefined): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${body ?? ''}`)
    .digest('base64url');
}

/**
 * Runs `write` at most once per (scope, key); replays its outcome to retries.
 *
 * While it runs, ids the write creates derive from the key and the claim's time (request scope), so a
 * retry after an unknown outcome re-creates the very same records, which their conditional puts then
 * find already there. An attempt that ends with an unknown outcome keeps its claim: the key cannot be
 * released while its write may still land; a retry takes the claim over once its lock expires.
 */
export async function once(
  store: IdempotencyStore,
  scope: string,
  key: string,
  fingerprint: string,
  write: () => Promise<APIGatewayProxyStructuredResultV2>,
  toResult: (err: unknown) => APIGatewayProxyStructuredResultV2,
  customerOf: (result: APIGatewayProxyStructuredResultV2) => string | undefined = () => undefined,
): Promise<APIGatewayProxyStructuredResultV2> {
  const begun = await store.begin(scope, key, fingerprint);
  if (begun.state === 'replay')
    return { ...begun.outcome, headers: { ...begun.outcome.headers, 'idempotent-replayed': 'true' } };
  if (begun.state === 'mismatch')
    throw new IdempotencyKeyReusedError(
      'this Idempotency-Key was used with a different request: use a new key for a new request',
    );
  if (begun.state === 'in-progress') {
    throw new RequestInProgressError(
      `a request with this Idempotency-Key is still being processed; retry with the same key in ${begun.retryAfterSeconds} s`,
      begun.retryAfterSeconds,
    );
  }
  const requestScope = currentScope();
  if (requestScope) requestScope.idSeed = { time: begun.claimedAt, seed: `${scope}\n${key}` };
  let result: APIGatewayProxyStructuredResultV2;
  let unknown = false;
  try {
    result = await write();
  } catch (err) {
    unknown = err instanceof OutcomeUnknownError;
    result = toResult(err);
  } finally {
    if (requestScope) delete requestScope.idSeed;
  }
  const status = result.statusCode ?? 200;
  // The write's outcome is the answer, whatever happens to the bookkeeping: a committed write must
  // never be reported as a 503, and a refusal stays a refusal. A claim we fail to complete or release
  // only holds the key until its lock expires.
  try {
    if (unknown) return result;
    if (status >= 300) await store.abandon(scope, key);
    else {
      await store.complete(
        scope,
        key,
        {
          statusCode: status,
          headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
          ...(typeof result.body === 'string' ? { body: result.body } : {}),
        },
        customerOf(result),
      );
    }
  } catch (err) {
    logger.warn('could not record the Idempotency-Key outcome', {
      status,
      error: err instanceof Error ? err.name : String(err),
    });
  }
  return result;
}
