/**
 * Each function's DynamoDB and KMS rights, built from THE data-access contract
 * (functions/contracts/data-access.ts): one IAM statement per grant, on the table ARN or on the one
 * index ARN it names, limited by `ForAllValues:StringLike` on `dynamodb:LeadingKeys` to the grant's
 * partition-key patterns. The table's key: `kms:Decrypt` and `kms:DescribeKey` for every function,
 * `kms:GenerateDataKey` only for functions that write; never `kms:Encrypt` (DynamoDB encrypts with
 * data keys, not with the key itself).
 */
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { dataAccess, type TableFunction, writeActions } from '../../functions/contracts/data-access';

export interface DataAccessPolicyProps {
  readonly name: TableFunction;
  readonly fn: IFunction;
  readonly table: Table;
  readonly key: IKey;
}

/** Partition-key condition IAM evaluates per key of a request (every key must match one pattern). */
export const LEADING_KEYS = 'dynamodb:LeadingKeys';

export function grantDataAccess({ name, fn, table, key }: DataAccessPolicyProps): void {
  const access = dataAccess[name];
  for (const grant of access.grants) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: grant.actions.map((action) => `dynamodb:${action}`),
        resources: [grant.index ? `${table.tableArn}/index/${grant.index}` : table.tableArn],
        conditions: { 'ForAllValues:StringLike': { [LEADING_KEYS]: [...new Set(grant.partitionKeys)] } },
      }),
    );
  }
  const writes = access.grants.some((g) => g.actions.some((a) => writeActions.has(a)));
  key.grant(fn, 'kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:GenerateDataKey'] : []));
  if (access.readsStream) table.grantStreamRead(fn);
}
