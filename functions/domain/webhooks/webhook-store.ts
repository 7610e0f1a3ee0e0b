/** Where subscriptions and deliveries are kept (DynamoDB in AWS and locally). */
import type { DeliveryAttempt, DeliveryState, WebhookDelivery } from './webhook-delivery';
import type { WebhookSubscription } from './webhook-subscription';

export interface DeliveryPage {
  items: WebhookDelivery[];
  nextCursor?: string;
}

/** What an attempt's outcome changes on its delivery. */
export interface AttemptOutcome {
  attempt: DeliveryAttempt;
  state: DeliveryState;
  nextAttemptAt?: string;
}

export interface WebhookStore {
  getSubscription(id: string): Promise<WebhookSubscription | undefined>;
  listSubscriptions(): Promise<WebhookSubscription[]>;
  /** Conditional on `expectedVersion` (undefined: must not exist); PreconditionFailedError otherwise. */
  putSubscription(next: WebhookSubscription, expectedVersion: number | undefined): Promise<void>;
  deleteSubscription(id: string): Promise<boolean>;

  getDelivery(subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** Newest first. */
  listDeliveries(
    subscriptionId: string,
    options: { cursor?: string; limit: number; state?: DeliveryState },
  ): Promise<DeliveryPage>;
  /** Deliveries whose id lies in the time range, oldest first, at most `limit`. */
  deliveriesBetween(subscriptionId: string, fromMs: number, toMs: number, limit: number): Promise<WebhookDelivery[]>;
  /** Creates the delivery unless it exists (a redelivered stream record): true when created. */
  createDelivery(delivery: WebhookDelivery): Promise<boolean>;
  /**
   * Claims attempt `attempt` of run `run`: allowed when fewer attempts were claimed, or when the same
   * attempt's claim has lapsed (its sender died). False when another sender has it or it is settled.
   */
  claimAttempt(
    subscriptionId: string,
    deliveryId: string,
    run: number,
    attempt: number,
    now: Date,
    leaseMs: number,
  ): Promise<boolean>;
  /** Logs the attempt; changes the state only if no later attempt has been claimed meanwhile. */
  recordAttempt(subscriptionId: string, deliveryId: string, run: number, outcome: AttemptOutcome): Promise<void>;
  /** Marks a delivery skipped (its subscription is disabled or gone), if its run is still `run`. */
  markSkipped(subscriptionId: string, deliveryId: string, run: number, now: Date): Promise<void>;
  /** Starts a new run (a replay): state pending, no attempts claimed. Returns the new run. */
  startRun(subscriptionId: string, deliveryId: string, now: Date): Promise<number | undefined>;
  /** +1 on the dead-letter streak; returns the subscription after the change. */
  addDeadLetter(subscriptionId: string): Promise<WebhookSubscription | undefined>;
  resetDeadLetters(subscriptionId: string): Promise<void>;
  /** Disables the subscription because of dead letters, if it is still enabled: true when this call did it. */
  disableForDeadLetters(subscriptionId: string, now: Date): Promise<boolean>;
}
