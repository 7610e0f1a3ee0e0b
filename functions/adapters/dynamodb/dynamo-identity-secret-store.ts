/** The identity secrets in one item (`IDENTITY#SECRET` / `CURRENT`), written with a version condition. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdentitySecrets } from '../../domain/customers/identity-secret';
import type { IdentitySecretStore } from '../../domain/customers/identity-secret-store';
import { PreconditionFailedError } from '../../domain/errors';
import { guarded, rethrow } from './errors';
import { identityKeys } from './keys';

export class DynamoIdentitySecretStore implements IdentitySecretStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<IdentitySecrets | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: identityKeys.secrets(), ConsistentRead: true })),
    );
    if (!Item) return undefined;
    const { PK: _p, SK: _s, entity: _e, ...secrets } = Item;
    return secrets as IdentitySecrets;
  }

  async put(next: IdentitySecrets, expectedVersion: number | undefined): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...identityKeys.secrets(), entity: 'identity-secrets', ...next },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException')
        throw new PreconditionFailedError('the identity secret changed meanwhile');
      rethrow(err);
    }
  }
}
