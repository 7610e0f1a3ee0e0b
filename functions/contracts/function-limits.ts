/**
 * How long each Lambda function may run, and the deadline each request gets inside that time: the
 * CDK sets the functions' timeouts and `REQUEST_DEADLINE_MS` from here, and the local gateway gives
 * the handlers the same remaining time. Pure data.
 *
 * The deadline is well inside the Lambda timeout, which stays inside API Gateway's 30 s, so a request
 * facing a DynamoDB that does not answer is answered by Rapport (503, Retry-After, "outcome unknown")
 * instead of being cut off by Lambda or the gateway with no answer a client can act on.
 */
export type LimitedFunction =
  | 'public-api'
  | 'admin-api'
  | 'aggregator'
  | 'webhook-fanout'
  | 'webhook-sender'
  | 'notifier';

export const functionTimeoutSeconds: Readonly<Record<LimitedFunction, number>> = {
  'public-api': 10,
  // API Gateway HTTP APIs stop waiting after 30 s; stay below.
  'admin-api': 29,
  aggregator: 60,
  'webhook-fanout': 60,
  // One attempt waits at most 10 s for the receiver; the rest is for the table and the queue.
  'webhook-sender': 30,
  // One run evaluates and e-mails every active survey; it resumes where it stopped, so a cut-off run loses nothing.
  notifier: 300,
};

/** A request's deadline for a function of this timeout: 70 % of it, the rest is for answering. */
export function requestDeadlineMs(timeoutSeconds: number): number {
  return Math.floor(timeoutSeconds * 700);
}

/** One DynamoDB attempt may take this long before it is abandoned (the SDK then retries or gives up). */
export const DYNAMODB_ATTEMPT_TIMEOUT_MS = 3000;
export const DYNAMODB_CONNECT_TIMEOUT_MS = 1000;

/** The deadline a function's requests get: `REQUEST_DEADLINE_MS` (set by the CDK), else from its timeout. */
export function configuredDeadlineMs(fn: LimitedFunction, env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.REQUEST_DEADLINE_MS);
  return Number.isInteger(configured) && configured > 0 ? configured : requestDeadlineMs(functionTimeoutSeconds[fn]);
}
