/**
 * Typed errors of the local runtime. Each carries a one-line message a developer can act on, so
 * `npm start` can print it as is instead of a stack trace.
 */
export type LocalRuntimeErrorCode =
  | 'java-missing'
  | 'java-too-old'
  | 'port-in-use'
  | 'dynamodb-local-exited'
  | 'dynamodb-local-timeout'
  | 'table-not-active'
  | 'handler-invalid'
  | 'body-too-large';

export class LocalRuntimeError extends Error {
  constructor(
    readonly code: LocalRuntimeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LocalRuntimeError';
  }
}

export function isLocalRuntimeError(error: unknown): error is LocalRuntimeError {
  return error instanceof LocalRuntimeError;
}

/** `String(error)` for logs, without the stack: handlers and the SDK throw many shapes. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
