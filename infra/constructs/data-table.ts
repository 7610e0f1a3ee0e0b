import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type KeyAttribute, tableSchema } from '../../functions/adapters/dynamodb/table-schema';

/**
 * The single DynamoDB table, built from the shared table schema: on-demand, encrypted with
 * a customer-managed KMS key (rotated yearly), point-in-time recovery, deletion protection, retained
 * on stack deletion, a NEW_AND_OLD_IMAGES stream for the aggregator, TTL and the schema's GSIs.
 */
export class DataTable extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'Rapport: encrypts the customer and survey data table',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: attribute(tableSchema.partitionKey),
      sortKey: attribute(tableSchema.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: StreamViewType[tableSchema.streamViewType],
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
    });

    for (const index of tableSchema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType[index.projection],
      });
    }
  }
}

function attribute(key: KeyAttribute): { name: string; type: AttributeType } {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}
