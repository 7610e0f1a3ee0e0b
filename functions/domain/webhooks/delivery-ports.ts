/** What delivering needs from outside the domain: a queue with delays, and an HTTP client. */

/** One message on the delivery queue: "try attempt `attempt` of run `run` of this delivery". */
export interface DeliveryMessage {
  subscriptionId: string;
  deliveryId: string;
  run: number;
  attempt: number;
  /** Not before this time (ISO 8601): a wait longer than the queue's longest delay is taken in steps. */
  notBefore?: string;
}

export interface DeliveryQueue {
  /**
   * At most `MAX_QUEUE_DELAY_MS` (SQS's limit; longer waits are chained by the sender). SQS counts
   * whole seconds and rounds up; the local queue keeps milliseconds, for compressed schedules.
   */
  send(message: DeliveryMessage, delayMs: number): Promise<void>;
}

/** SQS's longest message delay (15 minutes); the local queue keeps the same limit. */
export const MAX_QUEUE_DELAY_MS = 900_000;

export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type TransportResult =
  | { kind: 'answered'; status: number; retryAfter?: string; snippet: string; latencyMs: number }
  /** Never sent: the address is not allowed (SSRF guard) or the URL is unusable. */
  | { kind: 'refused'; reason: string; latencyMs: number }
  /** Sent or tried, but no answer: timeout, connection refused or reset, TLS failure. */
  | { kind: 'failed'; reason: string; latencyMs: number };

export interface WebhookTransport {
  post(request: TransportRequest): Promise<TransportResult>;
}
