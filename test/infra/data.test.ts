import { beforeAll, describe, expect, it } from 'vitest';
import { tableFunctions } from '../../functions/contracts/data-access';
import { tableSchema } from '../../functions/contracts/table-schema';
import { appFunctionsOf, type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

describe('data table', () => {
  let s: Synthesised;
  let table: { Properties: Record<string, CfnJson>; [k: string]: CfnJson };

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    const tables = resourcesOf(s.template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    table = tables[0]![1];
  });

  it('is on-demand with the schema keys', () => {
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableSchema.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableSchema.sortKey.name, KeyType: 'RANGE' },
    ]);
  });

  it('is encrypted with a customer-managed KMS key that rotates', () => {
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0] as string;
    const key = s.template.toJSON().Resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('has point-in-time recovery, deletion protection and is retained', () => {
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('streams new and old images and expires items by the schema TTL attribute', () => {
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: tableSchema.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('has exactly the GSIs of the schema, with their keys and projections', () => {
    const expected = tableSchema.globalSecondaryIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: gsi.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: gsi.projection },
    }));
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(expected);
    for (const gsi of tableSchema.globalSecondaryIndexes) {
      for (const attr of [gsi.partitionKey, gsi.sortKey]) {
        expect(table.Properties.AttributeDefinitions).toContainEqual({
          AttributeName: attr.name,
          AttributeType: attr.type,
        });
      }
    }
  });

  it('passes the table name to every function that uses the table (the data-access contract lists them)', () => {
    const tableId = resourcesOf(s.template, 'AWS::DynamoDB::Table')[0]![0];
    const fns = appFunctionsOf(s.template);
    expect(fns).toHaveLength(tableFunctions.length);
    for (const [, fn] of fns) expect(fn.Properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId });
  });
});
