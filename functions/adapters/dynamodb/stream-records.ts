/** Reads DynamoDB stream records (Lambda's event shape) into domain objects. */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import type { Customer } from '../../domain/customers/customer';
import { fromCustomerItem } from './dynamo-customer-store';
import { isCustomerProfileKey } from './keys';

export type Image = Record<string, unknown>;

export function imagesOf(record: DynamoDBRecord): { before?: Image; after?: Image } {
  const read = (image: Record<string, LambdaAttributeValue> | undefined) =>
    image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
  const before = read(record.dynamodb?.OldImage);
  const after = read(record.dynamodb?.NewImage);
  return { ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

const isCustomer = (image: Image | undefined): image is Image =>
  image !== undefined && isCustomerProfileKey(image.PK, image.SK);

/** The customer before and after the change, when the record is about a customer profile. */
export function customerChange(
  record: DynamoDBRecord,
): { id: string; before?: Customer; after?: Customer } | undefined {
  const { before, after } = imagesOf(record);
  if (!isCustomer(before) && !isCustomer(after)) return undefined;
  const b = isCustomer(before) ? fromCustomerItem(before) : undefined;
  const a = isCustomer(after) ? fromCustomerItem(after) : undefined;
  const id = (a ?? b)?.id;
  if (id === undefined) return undefined;
  return { id, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
}
