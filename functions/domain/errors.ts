/**
 * Typed errors of the domain. Each one knows the HTTP status it stands for, so the HTTP layer can
 * turn any of them into an RFC 9457 problem without the domain knowing about HTTP or AWS.
 */
export interface FieldIssue {
  /** JSON-pointer-like path of the offending field, e.g. `rows/3/email`. */
  readonly path: string;
  readonly message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Short kebab-case slug; the problem `type` is built from it. */
  abstract readonly code: string;
  abstract readonly title: string;
  /** Extra members of the problem document (e.g. `existingCustomerId`). */
  readonly extensions: Record<string, unknown>;

  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(detail);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation-failed';
  readonly title = 'Your request is not valid';
  constructor(
    readonly errors: readonly FieldIssue[],
    detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '),
  ) {
    super(detail);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = 'Not found';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict with the current state';
}

export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly code = 'precondition-failed';
  readonly title = 'The record has changed since you read it';
}

/** A dependency (DynamoDB) refused the work (throttling): nothing changed; retry after a pause. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code: string = 'service-unavailable';
  readonly title: string = 'Temporarily unavailable';
  constructor(
    detail: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(detail);
  }
}

/**
 * A dependency did not answer in time (or the connection broke) after the request was sent: a write
 * may or may not have happened. Safe to retry only as an idempotent request — with the same
 * `Idempotency-Key` (admin writes) or the same response id (survey answers) — which the detail says.
 */
export class OutcomeUnknownError extends ServiceUnavailableError {
  override readonly code = 'outcome-unknown';
  override readonly title = 'The outcome is unknown';
}

/** Too many requests for the budget they count against: 429 with Retry-After. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'rate-limited';
  readonly title = 'Too many requests';
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}
