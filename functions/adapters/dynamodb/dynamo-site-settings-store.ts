/** The site settings in one item (`SITE#SETTINGS` / `CURRENT`), written with a revision condition. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PreconditionFailedError } from '../../domain/errors';
import type { SiteSettings } from '../../domain/surveys/site-settings-schema';
import type { SiteSettingsStore } from '../../domain/surveys/site-settings-store';
import { guarded, rethrow } from './errors';
import { siteKeys } from './keys';

export class DynamoSiteSettingsStore implements SiteSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<SiteSettings | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: siteKeys.settings(), ConsistentRead: true })),
    );
    if (!Item) return undefined;
    const { recontactDays, revision, updatedAt } = Item;
    return { recontactDays, revision, ...(updatedAt ? { updatedAt } : {}) } as SiteSettings;
  }

  async put(next: SiteSettings, expectedRevision: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...siteKeys.settings(), entity: 'site-settings', ...next },
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException')
        throw new PreconditionFailedError('the site settings changed meanwhile');
      rethrow(err);
    }
  }
}
