/**
 * Admin use cases of webhooks: subscriptions (create with a secret shown once, change, rotate the
 * secret with overlap, delete), their delivery log, and replays. Create and rotate are safe to retry:
 * a retry of the same request (same Idempotency-Key, hence the same request id) finds its own work.
 */
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import type { AddressPolicy } from './address-policy';
import {
  type DeliveryState,
  deliveryViewOf,
  type ReplayRange,
  type ReplayResult,
  type WebhookDeliveryView,
} from './webhook-delivery';
import { newWebhookSecret } from './webhook-signature';
import type { WebhookStore } from './webhook-store';
import {
  viewOf,
  WEBHOOK_LIMITS,
  type WebhookCreate,
  type WebhookIssued,
  type WebhookPatch,
  type WebhookRotate,
  type WebhookSubscription,
  type WebhookView,
} from './webhook-subscription';
import { checkWebhookUrl } from './webhook-url';

export interface WebhookServiceDeps {
  store: WebhookStore;
  clock: Clock;
  ids: IdGenerator;
  addresses: AddressPolicy;
}

const HOUR_MS = 3_600_000;
/** A range replay touches at most this many deliveries per call. */
const MAX_REPLAY = 200;
const MAX_REPLAY_RANGE_MS = 31 * 24 * HOUR_MS;

export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  async list(): Promise<WebhookView[]> {
    const now = this.deps.clock.now();
    return (await this.deps.store.listSubscriptions()).map((s) => viewOf(s, now));
  }

  async get(id: string): Promise<WebhookView> {
    return viewOf(await this.existing(id), this.deps.clock.now());
  }

  async create(input: WebhookCreate, actor: string): Promise<WebhookIssued> {
    const url = checkWebhookUrl(input.url, this.deps.addresses);
    const requestId = this.deps.ids.next('webhook-request');
    const id = this.deps.ids.next('webhook');
    const existing = await this.deps.store.getSubscription(id);
    if (existing) {
      if (existing.requestId === requestId) return this.issued(existing);
      throw new ConflictError('a webhook with this id exists already');
    }
    if ((await this.deps.store.listSubscriptions()).length >= WEBHOOK_LIMITS.maxSubscriptions)
      throw new ConflictError(`at most ${WEBHOOK_LIMITS.maxSubscriptions} webhooks: delete one first`);
    const now = this.deps.clock.now().toISOString();
    const subscription: WebhookSubscription = {
      id,
      url,
      events: [...new Set(input.events)],
      ...(input.description ? { description: input.description } : {}),
      enabled: input.enabled,
      ...(input.enabled ? {} : { disabledReason: 'manual' as const }),
      ...(input.notifyEmail ? { notifyEmail: input.notifyEmail } : {}),
      secret: { secret: newWebhookSecret(), createdAt: now },
      version: 1,
      consecutiveDeadLetters: 0,
      createdAt: now,
      updatedAt: now,
      createdBy: actor,
      requestId,
    };
    try {
      await this.deps.store.putSubscription(subscription, undefined);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      const stored = await this.deps.store.getSubscription(id);
      if (stored?.requestId === requestId) return this.issued(stored);
      throw new ConflictError('a webhook with this id exists already');
    }
    return this.issued(subscription);
  }

  async update(id: string, patch: WebhookPatch, expectedVersion?: number): Promise<WebhookView> {
    const current = await this.existing(id);
    this.checkVersion(current, expectedVersion);
    const next: WebhookSubscription = { ...current, version: current.version + 1 };
    if (patch.url !== undefined) next.url = checkWebhookUrl(patch.url, this.deps.addresses);
    if (patch.events !== undefined) next.events = [...new Set(patch.events)];
    if (patch.description === null) delete next.description;
    else if (patch.description !== undefined) next.description = patch.description;
    if (patch.notifyEmail === null) delete next.notifyEmail;
    else if (patch.notifyEmail !== undefined) next.notifyEmail = patch.notifyEmail;
    if (patch.enabled === true) {
      next.enabled = true;
      next.consecutiveDeadLetters = 0;
      delete next.disabledReason;
    } else if (patch.enabled === false && current.enabled) {
      next.enabled = false;
      next.disabledReason = 'manual';
    }
    next.updatedAt = this.deps.clock.now().toISOString();
    await this.put(next, current.version);
    return viewOf(next, this.deps.clock.now());
  }

  async rotate(id: string, options: WebhookRotate, expectedVersion?: number): Promise<WebhookIssued> {
    const requestId = this.deps.ids.next('webhook-rotation');
    const current = await this.existing(id);
    if (current.requestId === requestId) return this.issued(current);
    this.checkVersion(current, expectedVersion);
    const now = this.deps.clock.now();
    const next: WebhookSubscription = {
      ...current,
      version: current.version + 1,
      secret: { secret: newWebhookSecret(), createdAt: now.toISOString() },
      previousSecret: {
        ...current.secret,
        validUntil: new Date(now.getTime() + options.graceHours * HOUR_MS).toISOString(),
      },
      updatedAt: now.toISOString(),
      requestId,
    };
    try {
      await this.deps.store.putSubscription(next, current.version);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      const stored = await this.deps.store.getSubscription(id);
      if (stored?.requestId === requestId) return this.issued(stored);
      throw new PreconditionFailedError(
        'the webhook changed meanwhile (another rotation or edit): read it again, then rotate if you still need to',
        stored ? { currentVersion: stored.version } : {},
      );
    }
    return this.issued(next);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.store.deleteSubscription(id))) throw new NotFoundError(`no webhook ${id}`);
  }

  async deliveries(
    id: string,
    query: { cursor?: string | undefined; limit: number; state?: DeliveryState | undefined },
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor?: string }> {
    await this.existing(id);
    const page = await this.deps.store.listDeliveries(id, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.state ? { state: query.state } : {}),
    });
    return { items: page.items.map(deliveryViewOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async delivery(id: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const delivery = await this.deps.store.getDelivery(id, deliveryId);
    if (!delivery) throw new NotFoundError(`no delivery ${deliveryId} of webhook ${id}`);
    return deliveryViewOf(delivery);
  }

  /** Sends the delivery again, same body and `webhook-id`, with a fresh run of attempts. */
  async replay(id: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.enabled(id);
    const run = await this.deps.store.startRun(id, deliveryId, this.deps.clock.now());
    if (run === undefined) throw new NotFoundError(`no delivery ${deliveryId} of webhook ${id}`);
    return this.delivery(id, deliveryId);
  }

  async replayRange(id: string, range: ReplayRange): Promise<ReplayResult> {
    await this.enabled(id);
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    if (!(fromMs <= toMs)) throw new ValidationError([{ path: 'body/to', message: 'must not be before from' }]);
    if (toMs - fromMs > MAX_REPLAY_RANGE_MS)
      throw new ValidationError([{ path: 'body/to', message: 'a range is at most 31 days (deliveries are kept 30)' }]);
    // Read past the cap so the answer can say whether the range holds more than this call replays.
    const found = await this.deps.store.deliveriesBetween(id, fromMs, toMs, 1000);
    const wanted = found.filter((d) => (range.states as readonly string[]).includes(d.state));
    const chosen = wanted.slice(0, MAX_REPLAY);
    const now = this.deps.clock.now();
    for (const d of chosen) await this.deps.store.startRun(id, d.id, now);
    return { replayed: chosen.length, deliveryIds: chosen.map((d) => d.id), truncated: wanted.length > MAX_REPLAY };
  }

  private async enabled(id: string): Promise<WebhookSubscription> {
    const subscription = await this.existing(id);
    if (!subscription.enabled)
      throw new ConflictError('the webhook is disabled: enable it first (PATCH {"enabled": true}), then replay');
    return subscription;
  }

  private async existing(id: string): Promise<WebhookSubscription> {
    const subscription = await this.deps.store.getSubscription(id);
    if (!subscription) throw new NotFoundError(`no webhook ${id}`);
    return subscription;
  }

  private checkVersion(current: WebhookSubscription, expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new PreconditionFailedError(`the webhook is at version ${current.version}, not ${expectedVersion}`, {
        currentVersion: current.version,
      });
    }
  }

  private async put(next: WebhookSubscription, expectedVersion: number): Promise<void> {
    try {
      await this.deps.store.putSubscription(next, expectedVersion);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      throw new PreconditionFailedError('the webhook changed meanwhile: read it again and retry');
    }
  }

  private issued(s: WebhookSubscription): WebhookIssued {
    return { ...viewOf(s, this.deps.clock.now()), secret: s.secret.secret };
  }
}
