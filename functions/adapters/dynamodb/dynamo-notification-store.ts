/**
 * Notification state in the table: a survey's open alerts and alert events (`ALERTS#<survey>`), the
 * mail ledger (`MAIL#<message id>`), digest opt-outs (`NOTIFY#<survey>`) and the unsubscribe signing
 * secret. Every write is conditional, so retried and overlapping runs never duplicate anything.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AlertEvent, AlertStates } from '../../domain/alerts';
import type {
  AlertStateRecord,
  AlertStore,
  DigestOptOuts,
  MailKind,
  MailLedger,
  SigningSecrets,
  StoredAlertEvent,
} from '../../domain/notifications/notification-store';
import { guarded, rethrow } from './errors';
import { alertKeys, mailKeys, notifyKeys } from './keys';
import { queryAll } from './query-all';
import { TransactionCancelled, transactWrite } from './transactions';

/** Ledger entries outlive any retry by far; then TTL removes them. */
const LEDGER_DAYS = 90;

const conditionFailed = (err: unknown) => (err as Error).name === 'ConditionalCheckFailedException';

export class DynamoNotificationStore implements AlertStore, MailLedger, DigestOptOuts, SigningSecrets {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getState(surveyId: string): Promise<AlertStateRecord> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: alertKeys.state(surveyId), ConsistentRead: true })),
    );
    if (!Item) return { version: 0, states: {} };
    return {
      version: Item.version as number,
      states: (Item.states ?? {}) as AlertStates,
      ...(typeof Item.evaluatedThrough === 'string' ? { evaluatedThrough: Item.evaluatedThrough } : {}),
    };
  }

  async commit(
    surveyId: string,
    expectedVersion: number,
    next: { states: AlertStates; evaluatedThrough: string },
    events: readonly AlertEvent[],
    at: string,
  ): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...alertKeys.state(surveyId),
              entity: 'alert-state',
              surveyId,
              version: expectedVersion + 1,
              states: next.states,
              evaluatedThrough: next.evaluatedThrough,
              updatedAt: at,
            },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
          },
        },
        ...events.map((event) => ({
          Put: {
            TableName: this.tableName,
            // `entity` and `event` are the contract with the webhook stream consumer: keep these names.
            Item: { ...alertKeys.event(surveyId, event.on, event.id), entity: 'alert-event', event, recordedAt: at },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })),
      ]);
      return true;
    } catch (err) {
      if (err instanceof TransactionCancelled) return false;
      throw err;
    }
  }

  async recentEvents(surveyId: string, sinceDay: string): Promise<StoredAlertEvent[]> {
    const range = alertKeys.eventsFrom(sinceDay);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': alertKeys.partition(surveyId), ':from': range.from, ':to': range.to },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map((item) => ({
      event: item.event as AlertEvent,
      recordedAt: item.recordedAt as string,
      ...(typeof item.notifiedAt === 'string' ? { notifiedAt: item.notifiedAt } : {}),
    }));
  }

  async markNotified(surveyId: string, event: AlertEvent, at: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKeys.event(surveyId, event.on, event.id),
          UpdateExpression: 'SET notifiedAt = if_not_exists(notifiedAt, :at)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  async claim(messageId: string, meta: { kind: MailKind; surveyId: string }, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...mailKeys.item(messageId),
            entity: 'mail',
            kind: meta.kind,
            surveyId: meta.surveyId,
            status: 'sending',
            claimedAt: at,
            expiresAt: Math.floor(Date.parse(at) / 1000) + LEDGER_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      rethrow(err);
    }
  }

  async sent(messageId: string, at: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailKeys.item(messageId),
          UpdateExpression: 'SET #status = :sent, sentAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':at': at },
        }),
      ),
    );
  }

  async release(messageId: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: mailKeys.item(messageId),
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    ).catch((err: unknown) => {
      if (!conditionFailed(err)) throw err;
    });
  }

  async optedOut(surveyId: string): Promise<Set<string>> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': notifyKeys.partition(surveyId), ':prefix': notifyKeys.optOutPrefix },
      ConsistentRead: true,
    });
    return new Set(items.map((i) => String(i.SK).slice(notifyKeys.optOutPrefix.length)));
  }

  async optOut(surveyId: string, recipientRef: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...notifyKeys.optOut(surveyId, recipientRef), entity: 'digest-opt-out', surveyId, at },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      rethrow(err);
    }
  }

  /** Read; created on first use by whoever may write it (the notifier), else undefined. */
  async readSecret(): Promise<Uint8Array | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: notifyKeys.unsubscribeSecret(), ConsistentRead: true }),
      ),
    );
    return typeof Item?.secret === 'string' ? Buffer.from(Item.secret, 'base64') : undefined;
  }

  async unsubscribeSecret(): Promise<Uint8Array> {
    const existing = await this.readSecret();
    if (existing) return existing;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...notifyKeys.unsubscribeSecret(),
            entity: 'unsubscribe-secret',
            secret: randomBytes(32).toString('base64'),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (!conditionFailed(err)) rethrow(err);
    }
    const created = await this.readSecret();
    if (!created) throw new Error('the unsubscribe secret could not be read back');
    return created;
  }
}
