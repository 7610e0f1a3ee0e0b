/**
 * From changes to deliveries: each event becomes one delivery per enabled subscription that wants it
 * (created once, however often the stream redelivers the change); each new delivery, and each replay,
 * becomes one queue message. Both steps are idempotent, so the stream's at-least-once delivery and a
 * retried batch lose nothing and duplicate nothing the sender would not recognise.
 */
import type { Clock } from '../ports';
import type { DeliveryMessage, DeliveryQueue } from './delivery-ports';
import { deliveryIdOf, type WebhookDelivery } from './webhook-delivery';
import type { WebhookEvent } from './webhook-events';
import type { WebhookStore } from './webhook-store';
import type { WebhookSubscription } from './webhook-subscription';

export interface FanoutServiceDeps {
  store: WebhookStore;
  queue: DeliveryQueue;
  clock: Clock;
}

export class FanoutService {
  constructor(private readonly deps: FanoutServiceDeps) {}

  /** The enabled subscriptions: read once per batch, not once per change. */
  async enabledSubscriptions(): Promise<WebhookSubscription[]> {
    return (await this.deps.store.listSubscriptions()).filter((s) => s.enabled);
  }

  /** Creates the deliveries of these events; returns how many were new. */
  async fanOut(events: readonly WebhookEvent[], subscriptions: readonly WebhookSubscription[]): Promise<number> {
    let created = 0;
    for (const event of events) {
      for (const subscription of subscriptions.filter((s) => wants(s, event))) {
        if (await this.deps.store.createDelivery(this.newDelivery(subscription, event))) created++;
      }
    }
    return created;
  }

  /** A delivery appeared or a replay started a new run: queue its first attempt. */
  async enqueue(messages: readonly DeliveryMessage[]): Promise<void> {
    for (const message of messages) await this.deps.queue.send(message, 0);
  }

  private newDelivery(subscription: WebhookSubscription, event: WebhookEvent): WebhookDelivery {
    const now = this.deps.clock.now().toISOString();
    return {
      id: deliveryIdOf(event),
      subscriptionId: subscription.id,
      event,
      state: 'pending',
      run: 1,
      attemptCount: 0,
      attempts: [],
      createdAt: now,
      updatedAt: now,
    };
  }
}

const wants = (s: WebhookSubscription, event: WebhookEvent) => s.events.includes(event.type);
