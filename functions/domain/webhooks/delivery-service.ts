/**
 * Delivers one queued attempt: claims it (so a duplicated queue message sends nothing twice while
 * the first is alive), signs the stored body with the subscription's secrets, posts it, logs the
 * attempt, and either settles the delivery or queues the next attempt with backoff. After the last
 * attempt the delivery is dead-lettered; repeated dead letters disable the subscription and its
 * owner is e-mailed (docs/webhooks.md "Retries").
 */
import type { Mailer } from '../mail/mailer';
import type { Clock } from '../ports';
import {
  type DeliveryMessage,
  type DeliveryQueue,
  MAX_QUEUE_DELAY_MS,
  type TransportResult,
  type WebhookTransport,
} from './delivery-ports';
import { nextDelayMs, parseRetryAfter, RETRY_POLICY } from './retry-schedule';
import { type DeliveryAttempt, RESPONSE_SNIPPET_BYTES, type WebhookDelivery, webhookIdOf } from './webhook-delivery';
import { disabledMail } from './webhook-disabled-mail';
import { bodyOf } from './webhook-events';
import { signedHeaders } from './webhook-signature';
import type { WebhookStore } from './webhook-store';
import { signingSecrets, WEBHOOK_LIMITS, type WebhookSubscription } from './webhook-subscription';

export interface DeliveryServiceDeps {
  store: WebhookStore;
  queue: DeliveryQueue;
  transport: WebhookTransport;
  mailer: Mailer;
  clock: Clock;
  random?: () => number;
  /**
   * Multiplies every wait (backoff, Retry-After, chained queue delays). 1 in AWS; the local runtime
   * compresses a day of retries into seconds with the same code path.
   */
  timeScale?: number;
  /** Where people manage webhooks (the console's Webhooks page), named in the e-mail. */
  consoleUrl?: string;
}

export type DeliveryOutcome = 'delivered' | 'retry-queued' | 'dead-lettered' | 'skipped' | 'duplicate' | 'waiting';

/** Told of every attempt, for metrics (kept out of the domain). */
export interface DeliveryObserver {
  attempted?(outcome: 'delivered' | 'failed' | 'refused', latencyMs: number): void;
  deadLettered?(): void;
  disabled?(): void;
  /** The e-mail about a disabled subscription could not be sent (the subscription stays disabled). */
  mailFailed?(error: unknown): void;
}

/** How long a claimed attempt is its sender's: longer than the send's timeout and the writes around it. */
const LEASE_MS = RETRY_POLICY.timeoutMs * 3;

export class DeliveryService {
  private readonly random: () => number;
  private readonly timeScale: number;

  constructor(
    private readonly deps: DeliveryServiceDeps,
    private readonly observer: DeliveryObserver = {},
  ) {
    this.random = deps.random ?? Math.random;
    this.timeScale = deps.timeScale ?? 1;
  }

  async process(message: DeliveryMessage): Promise<DeliveryOutcome> {
    const { store, clock } = this.deps;
    const delivery = await store.getDelivery(message.subscriptionId, message.deliveryId);
    if (!delivery || delivery.run !== message.run) return 'duplicate';
    if (delivery.state === 'delivered' || delivery.state === 'dead-lettered' || delivery.state === 'skipped')
      return 'duplicate';
    if (delivery.attemptCount > message.attempt) return 'duplicate';

    const now = clock.now();
    const notBefore = message.notBefore ? Date.parse(message.notBefore) : 0;
    if (notBefore > now.getTime()) {
      await this.enqueue(message, notBefore - now.getTime());
      return 'waiting';
    }

    const subscription = await store.getSubscription(message.subscriptionId);
    if (!subscription?.enabled) {
      await store.markSkipped(message.subscriptionId, message.deliveryId, message.run, now);
      return 'skipped';
    }
    if (
      !(await store.claimAttempt(
        message.subscriptionId,
        message.deliveryId,
        message.run,
        message.attempt,
        now,
        LEASE_MS,
      ))
    )
      return 'duplicate';
    return this.attempt(subscription, delivery, message);
  }

  private async attempt(
    subscription: WebhookSubscription,
    delivery: WebhookDelivery,
    message: DeliveryMessage,
  ): Promise<DeliveryOutcome> {
    const { store, clock, transport } = this.deps;
    const at = clock.now();
    const body = bodyOf(delivery.event);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Rapport-Webhooks/1',
      ...signedHeaders(signingSecrets(subscription, at), webhookIdOf(delivery.id), at, body),
    };
    const result = await transport.post({ url: subscription.url, headers, body, timeoutMs: RETRY_POLICY.timeoutMs });
    const delivered = result.kind === 'answered' && result.status >= 200 && result.status < 300;
    const attempt: DeliveryAttempt = {
      run: message.run,
      attempt: message.attempt,
      at: at.toISOString(),
      outcome: delivered ? 'delivered' : result.kind === 'refused' ? 'refused' : 'failed',
      ...(result.kind === 'answered' ? { status: result.status } : {}),
      latencyMs: Math.round(result.latencyMs),
      ...snippetOf(result),
    };
    this.observer.attempted?.(attempt.outcome, attempt.latencyMs);

    if (delivered) {
      await store.recordAttempt(subscription.id, delivery.id, message.run, { attempt, state: 'delivered' });
      if (subscription.consecutiveDeadLetters > 0) await store.resetDeadLetters(subscription.id);
      return 'delivered';
    }

    const retryAfter = result.kind === 'answered' ? parseRetryAfter(result.retryAfter, at) : undefined;
    const delay = nextDelayMs(message.attempt, this.random(), retryAfter);
    if (delay === undefined) {
      await store.recordAttempt(subscription.id, delivery.id, message.run, { attempt, state: 'dead-lettered' });
      this.observer.deadLettered?.();
      await this.afterDeadLetter(subscription.id);
      return 'dead-lettered';
    }
    const waitMs = delay * this.timeScale;
    const nextAttemptAt = new Date(clock.now().getTime() + waitMs).toISOString();
    // Queue the next attempt before logging this one: if the log write fails, the queue redelivers this
    // message and the attempt is made again; the other order could lose the retry.
    await this.enqueue(
      {
        subscriptionId: subscription.id,
        deliveryId: delivery.id,
        run: message.run,
        attempt: message.attempt + 1,
        notBefore: nextAttemptAt,
      },
      waitMs,
    );
    await store.recordAttempt(subscription.id, delivery.id, message.run, {
      attempt: { ...attempt, nextAttemptAt },
      state: 'retrying',
      nextAttemptAt,
    });
    return 'retry-queued';
  }

  private async afterDeadLetter(subscriptionId: string): Promise<void> {
    const { store, clock, mailer } = this.deps;
    const after = await store.addDeadLetter(subscriptionId);
    if (!after?.enabled || after.consecutiveDeadLetters < WEBHOOK_LIMITS.deadLettersToDisable) return;
    if (!(await store.disableForDeadLetters(subscriptionId, clock.now()))) return;
    this.observer.disabled?.();
    if (after.notifyEmail) {
      // Sent once, by the call that disabled it (a retried message finds it disabled already); a failed
      // send is reported, not thrown: throwing would only bring back a message that can no longer send it.
      try {
        await mailer.send(disabledMail(after, this.deps.consoleUrl));
      } catch (error) {
        this.observer.mailFailed?.(error);
      }
    }
  }

  private async enqueue(message: DeliveryMessage, waitMs: number): Promise<void> {
    // A longer wait is taken in steps: the message comes back early and `notBefore` sends it on.
    await this.deps.queue.send(message, Math.min(MAX_QUEUE_DELAY_MS, Math.max(0, Math.ceil(waitMs))));
  }
}

function snippetOf(result: TransportResult): { response?: string } {
  const text = result.kind === 'answered' ? result.snippet : result.reason;
  if (!text) return {};
  const bytes = Buffer.from(text, 'utf8');
  return {
    response:
      bytes.length <= RESPONSE_SNIPPET_BYTES ? text : bytes.subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8'),
  };
}
