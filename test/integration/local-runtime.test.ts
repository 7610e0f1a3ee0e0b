/**
 * The local runtime itself: the gateway behaves like API Gateway (routing, JWT authorizer, payload v2
 * events, size cap), the table matches the shared schema, and the stream reaches the aggregator the
 * way Lambda delivers it. Handlers are wrapped only to record what they receive; the real ones run.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/contracts/table-schema';
import type { HttpApiEvent } from '../../local/api-gateway-event';
import type { HttpHandler } from '../../local/gateway';
import { generateForeignPrivateKey } from '../../local/jwt';
import { createLocalDynamoClient } from '../../local/local-env';
import type { StreamHandler } from '../../local/stream-poller';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
const adminEvents: HttpApiEvent[] = [];
const streamBatches: DynamoDBRecord[][] = [];
/** `PK|SK` of records the recording aggregator reports as failed once (to exercise re-delivery). */
const failOnce = new Set<string>();

const recordingAdmin: HttpHandler = async (event, context) => {
  adminEvents.push(event);
  const real = await import('../../functions/handlers/admin-api');
  return real.handler(event, context);
};

const recordingAggregator: StreamHandler = async (event, context) => {
  streamBatches.push(event.Records);
  const failed = event.Records.find((r) => failOnce.delete(`${r.dynamodb?.Keys?.PK?.S}|${r.dynamodb?.Keys?.SK?.S}`));
  if (failed) return { batchItemFailures: [{ itemIdentifier: failed.dynamodb?.SequenceNumber ?? '' }] };
  const real = await import('../../functions/handlers/aggregator');
  // TEST# items only look like funnel events (to pass the event-source filter): the real handler never sees them.
  return real.handler({ Records: event.Records.filter((r) => !isTestRecord(r)) }, context);
};
const isTestRecord = (r: DynamoDBRecord) => r.dynamodb?.Keys?.PK?.S?.startsWith('TEST#') === true;
/** What makes a raw item pass the aggregator's event-source filter (functions/contracts/stream-filters.ts). */
const PASSES_FILTER = { entity: { S: 'display' } } as const;

beforeAll(async () => {
  rt = await startTestRuntime({ handlers: { 'admin-api': recordingAdmin, aggregator: recordingAggregator } });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
}, 30_000);

const isGatewayError = (r: { headers: Headers }) => r.headers.get('x-amzn-errortype') !== null;

describe('gateway routing', () => {
  it('GET /v1/health reaches the public handler without a token', async () => {
    const res = await rt.request('GET', '/v1/health');
    expect(isGatewayError(res)).toBe(false);
    expect(res.status).not.toBe(401);
    expect(res.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unknown path is a problem+json 404 from the gateway', async () => {
    const res = await rt.request('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ title: 'Not found', status: 404, detail: expect.stringContaining('/v1/nope') });
    expect(isGatewayError(res)).toBe(true);
  });

  it('a known path with another method is a 404 naming the supported methods', async () => {
    const res = await rt.request('PUT', '/v1/health');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, detail: expect.stringContaining('GET') });
  });

  it('static path segments win over {param} (lookup is not a customer id)', async () => {
    adminEvents.length = 0;
    await rt.request('GET', '/v1/customers/lookup?email=a%40b.cn', { token: rt.tokens.analyst });
    expect(adminEvents.map((e) => e.routeKey)).toEqual(['GET /v1/customers/lookup']);
  });
});

describe('JWT authorizer', () => {
  async function expectUnauthorized(token: string | undefined) {
    adminEvents.length = 0;
    const before = await rt.scanCount();
    const res = await rt.request('POST', '/v1/customers', { ...(token ? { token } : {}), body: { name: 'Nobody' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      type: expect.any(String),
      detail: expect.any(String),
    });
    expect(adminEvents).toHaveLength(0);
    expect(await rt.scanCount()).toBe(before);
    return res;
  }

  it('refuses a missing token without invoking the handler', async () => {
    await expectUnauthorized(undefined);
  });

  it('refuses an expired token', async () => {
    const expired = await rt.mintToken({ sub: 'u1', groups: ['admin'], expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const res = await expectUnauthorized(expired);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('refuses a token signed by another key', async () => {
    await expectUnauthorized(
      await rt.mintToken({ sub: 'u1', groups: ['admin'], privateKey: await generateForeignPrivateKey() }),
    );
  });

  it('refuses a wrong audience or issuer, and garbage', async () => {
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], clientId: 'someone-else' }));
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], issuer: 'https://evil.example' }));
    await expectUnauthorized('not.a.jwt');
  });

  it('refuses a token whose kid names no published key, or that has no kid', async () => {
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], kid: 'retired-key' }));
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], kid: null }));
  });

  it('refuses a token issued in the future or not valid yet, beyond a few seconds of skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], issuedAt: now + 120 }));
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], notBefore: now + 120 }));
    const slightlyAhead = await rt.mintToken({ sub: 'u1', groups: ['admin'], issuedAt: now + 2 });
    expect((await rt.request('GET', '/v1/customers', { token: slightlyAhead })).status).toBe(200);
  });

  it('checks aud when present and client_id otherwise, as API Gateway does', async () => {
    // An ID token names the client in aud: the authorizer passes it, whatever its client_id says.
    adminEvents.length = 0;
    const idToken = await rt.mintToken({
      sub: 'u1',
      groups: ['admin'],
      tokenUse: 'id',
      claims: { client_id: 'someone-else' },
    });
    const res = await rt.request('GET', '/v1/customers', { token: idToken });
    expect(adminEvents).toHaveLength(1);
    // …and the handler refuses it: the API takes access tokens only, here as in AWS.
    expect(res.status).toBe(401);
    expect(isGatewayError(res)).toBe(false);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ detail: expect.stringContaining('access token') });
    await expectUnauthorized(await rt.mintToken({ sub: 'u1', groups: ['admin'], tokenUse: 'id', clientId: 'other' }));
  });

  it('does not check groups: a token without groups reaches the handler, which decides', async () => {
    adminEvents.length = 0;
    const res = await rt.request('GET', '/v1/customers', { token: await rt.mintToken({ sub: 'nobody' }) });
    expect(isGatewayError(res)).toBe(false);
    expect(adminEvents).toHaveLength(1);
  });
});

describe('payload v2 event', () => {
  it('is built as API Gateway builds it', async () => {
    adminEvents.length = 0;
    await rt.request('PATCH', '/v1/customers/a%20b?tag=x&tag=y&q=%E7%8E%8B', {
      token: rt.tokens.admin,
      body: { name: '王芳' },
      headers: { 'X-Custom': 'One', cookie: 'a=1; b=2', 'if-match': '"3"' },
    });
    expect(adminEvents).toHaveLength(1);
    const event = adminEvents[0] as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PATCH /v1/customers/{id}',
      rawPath: '/v1/customers/a%20b',
      rawQueryString: 'tag=x&tag=y&q=%E7%8E%8B',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { tag: 'x,y', q: '王' },
      pathParameters: { id: 'a b' },
      body: JSON.stringify({ name: '王芳' }),
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'x-custom': 'One', 'content-type': 'application/json', 'if-match': '"3"' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      stage: '$default',
      routeKey: 'PATCH /v1/customers/{id}',
      http: { method: 'PATCH', path: '/v1/customers/a%20b', sourceIp: '127.0.0.1' },
    });
    expect(event.requestContext.timeEpoch).toBeTypeOf('number');
    const claims = event.requestContext.authorizer.jwt.claims;
    // API Gateway stringifies claims: arrays as "[a b]", numbers as digits.
    expect(claims['cognito:groups']).toBe('[admin]');
    expect(claims.sub).toBe('local-admin');
    expect(claims.exp).toMatch(/^\d+$/);
  });

  it('passes non-text bodies base64-encoded', async () => {
    adminEvents.length = 0;
    const bytes = new Uint8Array([0, 255, 1, 254]);
    await rt.request('POST', '/v1/customers/import', {
      token: rt.tokens.admin,
      rawBody: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(adminEvents[0]).toMatchObject({ isBase64Encoded: true, body: Buffer.from(bytes).toString('base64') });
  });

  it('refuses bodies over 10 MB with 413 before the handler runs', async () => {
    adminEvents.length = 0;
    const res = await rt.request('POST', '/v1/customers/import', {
      token: rt.tokens.admin,
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(adminEvents).toHaveLength(0);
  });
});

describe('table', () => {
  it('is created from the shared schema: GSIs, stream and TTL', async () => {
    const client = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: rt.tableName }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: tableSchema.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: tableSchema.sortKey.name, KeyType: 'RANGE' },
      ]);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        projection: i.Projection?.ProjectionType,
      }));
      expect(indexes).toEqual(
        expect.arrayContaining(
          tableSchema.globalSecondaryIndexes.map((i) => ({ name: i.indexName, projection: i.projection })),
        ),
      );
      expect(indexes).toHaveLength(tableSchema.globalSecondaryIndexes.length);
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: tableSchema.streamViewType });
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: rt.tableName }));
      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: tableSchema.timeToLiveAttribute,
      });
    } finally {
      client.destroy();
    }
  });
});

describe('stream poller', () => {
  it('delivers a raw PutItem to the aggregator in Lambda record shape; drain() waits for it', async () => {
    const client = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      await rt.drainStream();
      const deliveredBefore = rt.stats.delivered;
      streamBatches.length = 0;
      await client.send(
        new PutItemCommand({
          TableName: rt.tableName,
          Item: {
            PK: { S: 'TEST#raw' },
            SK: { S: 'one' },
            ...PASSES_FILTER,
            n: { N: '7' },
            b: { B: new Uint8Array([1, 2]) },
            empty: { M: {} },
            list: { L: [] },
          },
        }),
      );
      await rt.drainStream();
      expect(rt.stats.delivered).toBe(deliveredBefore + 1);
      const record = streamBatches.flat().find((r) => r.dynamodb?.Keys?.PK?.S === 'TEST#raw');
      expect(record).toMatchObject({
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: expect.any(String),
        eventSourceARN: expect.stringContaining(':table/rapport/stream/'),
        dynamodb: {
          Keys: { PK: { S: 'TEST#raw' }, SK: { S: 'one' } },
          NewImage: {
            PK: { S: 'TEST#raw' },
            SK: { S: 'one' },
            ...PASSES_FILTER,
            n: { N: '7' },
            b: { B: 'AQI=' },
            empty: { M: {} },
            list: { L: [] },
          },
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          SequenceNumber: expect.any(String),
          SizeBytes: expect.any(Number),
        },
      });
      // Epoch seconds; DynamoDB Local rounds it down to the minute, so allow a little over 60 s.
      const created = record?.dynamodb?.ApproximateCreationDateTime ?? 0;
      expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(90);
    } finally {
      client.destroy();
    }
  });

  it('re-delivers from the first reported failure, in order, without repeating earlier records', async () => {
    const client = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      await rt.drainStream();
      streamBatches.length = 0;
      failOnce.add('TEST#order|b');
      for (const sk of ['a', 'b', 'c']) {
        await client.send(
          new PutItemCommand({
            TableName: rt.tableName,
            Item: { PK: { S: 'TEST#order' }, SK: { S: sk }, ...PASSES_FILTER },
          }),
        );
      }
      await rt.drainStream();
      const batches = streamBatches
        .map((batch) =>
          batch.filter((r) => r.dynamodb?.Keys?.PK?.S === 'TEST#order').map((r) => r.dynamodb?.Keys?.SK?.S),
        )
        .filter((b) => b.length > 0);
      const seen = batches.flat();
      // However the poller cut the batches: "a" once, "b" failed once and came again at the head of
      // the next batch, nothing out of order.
      expect(seen.filter((sk) => sk === 'a')).toHaveLength(1);
      expect(seen.filter((sk) => sk === 'b')).toHaveLength(2);
      const failedBatch = batches.findIndex((b) => b.includes('b'));
      expect(batches[failedBatch + 1]?.[0]).toBe('b');
      expect([...new Set(seen)]).toEqual(['a', 'b', 'c']);
      expect(failOnce.size).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it('hands the aggregator only records its event-source filter lets through, as Lambda does', async () => {
    const client = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      await rt.drainStream();
      const deliveredBefore = rt.stats.delivered;
      streamBatches.length = 0;
      // A counter-like item (what the aggregator itself writes), then one that passes the filter.
      for (const [sk, extra] of [
        ['counter', { entity: { S: 'counters' } }],
        ['kept', PASSES_FILTER],
      ] as const) {
        await client.send(
          new PutItemCommand({ TableName: rt.tableName, Item: { PK: { S: 'TEST#filter' }, SK: { S: sk }, ...extra } }),
        );
      }
      await rt.drainStream();
      const seen = streamBatches.flat().filter((r) => r.dynamodb?.Keys?.PK?.S === 'TEST#filter');
      expect(seen.map((r) => r.dynamodb?.Keys?.SK?.S)).toEqual(['kept']);
      expect(rt.stats.delivered).toBe(deliveredBefore + 1);
      expect(rt.stats.read).toBeGreaterThan(rt.stats.delivered);
    } finally {
      client.destroy();
    }
  });
});
