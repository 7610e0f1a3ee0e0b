/**
 * A stream record that can never be applied is set aside, logged, and counted as the
 * `StreamRecordsPoisoned` metric the poisoned-records alarm watches. DynamoDB is mocked: a
 * non-transient refusal of one record's write is a fault we cannot cause on demand.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSINESS_SERVICE, metricNames } from '../../../functions/contracts/metric-names';
import { lambdaContext } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

/** A customer created with an invalid e-mail: its data-quality counters change (one write each). */
function customerInsert(id: string, sequenceNumber: string): DynamoDBRecord {
  const item = {
    PK: `CUSTOMER#${id}`,
    SK: 'PROFILE',
    id,
    name: `Customer ${id}`,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  return {
    eventID: `event-${id}`,
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: sequenceNumber,
      NewImage: marshall(item) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    },
  };
}

const refused = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Invalid UpdateExpression',
  });

describe('aggregator: poisoned stream records', () => {
  let lines: string[];
  beforeEach(() => {
    ddb.reset();
    lines = [];
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n'));
      return true;
    });
    vi.resetModules();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });

  it('sets the record aside, goes on with the batch and publishes StreamRecordsPoisoned', async () => {
    // The second customer's counters can never be written; the first and third go through.
    ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: { Put?: { Item: { PK: string } } }[] }) => {
      if (input.TransactItems.some((t) => t.Put?.Item.PK === 'APPLIED#event-c2')) throw refused();
      return {};
    });
    ddb.on(UpdateCommand).resolves({ Attributes: {} });
    const { handler } = await import('../../../functions/handlers/aggregator');
    const event: DynamoDBStreamEvent = {
      Records: [customerInsert('c1', '100'), customerInsert('c2', '200'), customerInsert('c3', '300')],
    };

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    const emf = lines
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws?: { CloudWatchMetrics: unknown[] } })
      .filter((l) => l._aws);
    const poisoned = emf.filter((l) => metricNames.streamRecordsPoisoned in l);
    expect(poisoned).toHaveLength(1);
    expect(poisoned[0]).toMatchObject({ [metricNames.streamRecordsPoisoned]: 1, service: BUSINESS_SERVICE });
    expect(JSON.stringify(poisoned[0]?._aws)).toContain('"Unit":"Count"');
  });

  it('publishes nothing when every record applies', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({ Attributes: {} });
    const { handler } = await import('../../../functions/handlers/aggregator');
    await handler({ Records: [customerInsert('c4', '400')] }, lambdaContext);
    expect(lines.some((l) => l.includes(metricNames.streamRecordsPoisoned))).toBe(false);
  });
});
