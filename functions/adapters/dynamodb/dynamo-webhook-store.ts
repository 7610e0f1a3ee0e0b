/**
 * Webhook subscriptions and deliveries in the table (keys: `webhookKeys`). Every state change of a
 * delivery is one conditional update, so two senders holding duplicated queue messages never both
 * move it, and a replay never races an attempt into a wrong state.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { PreconditionFailedError } from '../../domain/errors';
import { timePrefix, type WebhookDelivery } from '../../domain/webhooks/webhook-delivery';
import type { AttemptOutcome, DeliveryPage, WebhookStore } from '../../domain/webhooks/webhook-store';
import type { WebhookSubscription } from '../../domain/webhooks/webhook-subscription';
import { decodeCursor, encodeCursor } from './cursor';
import { guarded, rethrow } from './errors';
import { webhookKeys } from './keys';
import { queryAll } from './query-all';

/** The delivery log is kept 30 days after a delivery's last change. */
export const DELIVERY_RETENTION_SECONDS = 30 * 86_400;
/** Attempts kept on a delivery when a replay starts (older ones are dropped; an item stays small). */
const KEPT_ATTEMPTS_ON_REPLAY = 36;

const isConditionFailure = (err: unknown) => (err as Error).name === 'ConditionalCheckFailedException';
const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + DELIVERY_RETENTION_SECONDS;

const isDeliveryCursor = (v: unknown): v is { after: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { after?: unknown }).after === 'string' &&
  /^[0-9A-Z]{26}$/.test((v as { after: string }).after);

export function fromSubscriptionItem(item: Record<string, unknown>): WebhookSubscription {
  const { PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _h, entity: _e, ...rest } = item;
  return rest as unknown as WebhookSubscription;
}

export function fromDeliveryItem(item: Record<string, unknown>): WebhookDelivery {
  const { PK: _p, SK: _s, entity: _e, expiresAt: _x, leaseUntil: _l, ...rest } = item;
  return rest as unknown as WebhookDelivery;
}

export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSubscription(id: string): Promise<WebhookSubscription | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: webhookKeys.subscription(id), ConsistentRead: true }),
      ),
    );
    return Item ? fromSubscriptionItem(Item) : undefined;
  }

  async listSubscriptions(): Promise<WebhookSubscription[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': webhookKeys.index('x').GSI1PK },
    });
    return items.map(fromSubscriptionItem);
  }

  async putSubscription(next: WebhookSubscription, expectedVersion: number | undefined): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...webhookKeys.subscription(next.id),
            ...webhookKeys.index(next.id),
            entity: 'webhook-subscription',
            ...next,
          },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new PreconditionFailedError('the webhook changed meanwhile');
      rethrow(err);
    }
  }

  async deleteSubscription(id: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: webhookKeys.subscription(id),
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      rethrow(err);
    }
  }

  async getDelivery(subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(subscriptionId, deliveryId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? fromDeliveryItem(Item) : undefined;
  }

  async listDeliveries(
    subscriptionId: string,
    options: { cursor?: string; limit: number; state?: WebhookDelivery['state'] },
  ): Promise<DeliveryPage> {
    const after = options.cursor ? decodeCursor(options.cursor, isDeliveryCursor).after : undefined;
    const page = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': webhookKeys.partition(subscriptionId),
            ':prefix': webhookKeys.deliveryPrefix,
            ...(options.state ? { ':state': options.state } : {}),
          },
          ...(options.state
            ? { FilterExpression: '#state = :state', ExpressionAttributeNames: { '#state': 'state' } }
            : {}),
          ScanIndexForward: false,
          Limit: options.limit,
          ...(after ? { ExclusiveStartKey: webhookKeys.delivery(subscriptionId, after) } : {}),
        }),
      ),
    );
    const items = (page.Items ?? []).map(fromDeliveryItem);
    const last = page.LastEvaluatedKey?.SK;
    const nextAfter = typeof last === 'string' ? last.slice(webhookKeys.deliveryPrefix.length) : undefined;
    return { items, ...(nextAfter ? { nextCursor: encodeCursor({ after: nextAfter }) } : {}) };
  }

  async deliveriesBetween(
    subscriptionId: string,
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<WebhookDelivery[]> {
    const out: WebhookDelivery[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': webhookKeys.partition(subscriptionId),
              ':from': webhookKeys.delivery(subscriptionId, timePrefix(fromMs)).SK,
              ':to': `${webhookKeys.delivery(subscriptionId, timePrefix(toMs)).SK}~`,
            },
            Limit: limit - out.length,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      out.push(...(page.Items ?? []).map(fromDeliveryItem));
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  async createDelivery(delivery: WebhookDelivery): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...webhookKeys.delivery(delivery.subscriptionId, delivery.id),
            entity: 'webhook-delivery',
            ...delivery,
            expiresAt: expiresAt(new Date(delivery.createdAt)),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      rethrow(err);
    }
  }

  async claimAttempt(
    subscriptionId: string,
    deliveryId: string,
    run: number,
    attempt: number,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(subscriptionId, deliveryId),
          UpdateExpression: 'SET attemptCount = :a, leaseUntil = :lease, updatedAt = :now',
          ConditionExpression:
            'run = :run AND #state IN (:pending, :retrying) AND (attemptCount < :a OR (attemptCount = :a AND leaseUntil < :nowMs))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':a': attempt,
            ':run': run,
            ':lease': now.getTime() + leaseMs,
            ':now': now.toISOString(),
            ':nowMs': now.getTime(),
            ':pending': 'pending',
            ':retrying': 'retrying',
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      rethrow(err);
    }
  }

  async recordAttempt(subscriptionId: string, deliveryId: string, run: number, outcome: AttemptOutcome): Promise<void> {
    const key = webhookKeys.delivery(subscriptionId, deliveryId);
    const at = new Date(outcome.attempt.at);
    const common = {
      ':one': [outcome.attempt],
      ':empty': [],
      ':now': new Date().toISOString(),
      ':expires': expiresAt(at),
    };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET attempts = list_append(if_not_exists(attempts, :empty), :one), #state = :state, updatedAt = :now, expiresAt = :expires${
            outcome.nextAttemptAt ? ', nextAttemptAt = :next REMOVE leaseUntil' : ' REMOVE leaseUntil, nextAttemptAt'
          }`,
          ConditionExpression: 'run = :run AND attemptCount = :a',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ...common,
            ':state': outcome.state,
            ':run': run,
            ':a': outcome.attempt.attempt,
            ...(outcome.nextAttemptAt ? { ':next': outcome.nextAttemptAt } : {}),
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) rethrow(err);
      // A later attempt or a replay has moved the delivery on: the log still gets this attempt.
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              'SET attempts = list_append(if_not_exists(attempts, :empty), :one), updatedAt = :now, expiresAt = :expires',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: common,
          }),
        ),
      ).catch((e: unknown) => {
        if (!isConditionFailure(e)) throw e;
      });
    }
  }

  async markSkipped(subscriptionId: string, deliveryId: string, run: number, now: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(subscriptionId, deliveryId),
          UpdateExpression: 'SET #state = :skipped, updatedAt = :now REMOVE nextAttemptAt, leaseUntil',
          ConditionExpression: 'run = :run AND #state IN (:pending, :retrying)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':skipped': 'skipped',
            ':now': now.toISOString(),
            ':run': run,
            ':pending': 'pending',
            ':retrying': 'retrying',
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) rethrow(err);
    }
  }

  async startRun(subscriptionId: string, deliveryId: string, now: Date): Promise<number | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const current = await this.getDelivery(subscriptionId, deliveryId);
      if (!current) return undefined;
      const attempts = current.attempts.slice(-KEPT_ATTEMPTS_ON_REPLAY);
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: webhookKeys.delivery(subscriptionId, deliveryId),
            UpdateExpression:
              'SET run = :next, attemptCount = :zero, #state = :pending, attempts = :attempts, updatedAt = :now, expiresAt = :expires REMOVE nextAttemptAt, leaseUntil',
            ConditionExpression: 'run = :run',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':next': current.run + 1,
              ':run': current.run,
              ':zero': 0,
              ':pending': 'pending',
              ':attempts': attempts,
              ':now': now.toISOString(),
              ':expires': expiresAt(now),
            },
          }),
        );
        return current.run + 1;
      } catch (err) {
        if (!isConditionFailure(err)) rethrow(err);
      }
    }
    throw new PreconditionFailedError('the delivery kept changing while it was being replayed: try again');
  }

  async addDeadLetter(subscriptionId: string): Promise<WebhookSubscription | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.subscription(subscriptionId),
          UpdateExpression: 'ADD consecutiveDeadLetters :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromSubscriptionItem(Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      rethrow(err);
    }
  }

  async resetDeadLetters(subscriptionId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.subscription(subscriptionId),
          UpdateExpression: 'SET consecutiveDeadLetters = :zero',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) rethrow(err);
    }
  }

  async disableForDeadLetters(subscriptionId: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.subscription(subscriptionId),
          UpdateExpression:
            'SET enabled = :false, disabledReason = :reason, version = version + :one, updatedAt = :now',
          ConditionExpression: 'enabled = :true',
          ExpressionAttributeValues: {
            ':false': false,
            ':true': true,
            ':reason': 'dead-letters',
            ':one': 1,
            ':now': now.toISOString(),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      rethrow(err);
    }
  }
}
