/**
 * Converts a record from the DynamoDB Streams API into the record Lambda's event source mapping
 * delivers. Both keep attribute values in AttributeValue form (`{ S: "…" }`); the differences are
 * the creation time (a Date here, epoch seconds in Lambda), binaries (bytes here, base64 in Lambda)
 * and the fields the mapping adds (eventSourceARN, region).
 */
import type { _Record, AttributeValue as StreamsAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

export function toLambdaRecord(record: _Record, eventSourceARN: string, awsRegion: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(d.Keys ? { Keys: convertImage(d.Keys) } : {}),
      ...(d.NewImage ? { NewImage: convertImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: convertImage(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    eventSourceARN,
    // Present for TTL deletions (principal dynamodb.amazonaws.com): the aggregator may tell them apart.
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
}

function convertImage(image: Record<string, StreamsAttributeValue>): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) result[name] = convertValue(value);
  return result;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function convertValue(value: StreamsAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(convertValue) };
  if (value.M !== undefined) return { M: convertImage(value.M) };
  // The Streams client deserializes an empty map `{ "M": {} }` to a bare `{}`.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`unknown attribute value type: ${Object.keys(value).join(',')}`);
}
