/**
 * THE table schema. The CDK data construct and the local bootstrap both read this module, so the
 * table in AWS and the table in DynamoDB Local can never drift apart. Pure data: no AWS imports.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** ALL: the index serves full items; KEYS_ONLY: it is only counted or used to find keys. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export const tableSchema = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  /** Items with this epoch-seconds attribute are removed by DynamoDB TTL (stream markers, idempotency records). */
  timeToLiveAttribute: 'expiresAt',
  /** NEW_AND_OLD_IMAGES: the aggregator needs the old image to subtract what an update or delete took away. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    {
      // Customers in creation (ULID) order: stable cursor paging that neither skips nor repeats while
      // records are added. Also: a customer's survey responses (GSI1PK = CUSTOMER#<id>).
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', type: 'S' },
      sortKey: { name: 'GSI1SK', type: 'S' },
      projection: 'ALL',
    },
    {
      // Customers by last update: `updatedSince` listing and the stale-record count of the quality report;
      // duplicate-candidate groups (sparse: only groups with two or more members carry the key).
      indexName: 'GSI2',
      partitionKey: { name: 'GSI2PK', type: 'S' },
      sortKey: { name: 'GSI2SK', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  streamViewType: 'NEW_AND_OLD_IMAGES';
  globalSecondaryIndexes: readonly IndexDefinition[];
};

/** Default table name for the local runtime; in AWS the name comes from the TABLE_NAME environment variable. */
export const LOCAL_TABLE_NAME = 'rapport';
