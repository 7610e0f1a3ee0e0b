/**
 * The admin handler with DynamoDB mocked: faults we cannot cause for real on demand. A throttle or a
 * timeout must be a 503 with Retry-After, and the write must have been a single transaction (so
 * nothing can be half-written).
 */

import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/handlers/admin-api';
import { apiEvent, json, lambdaContext } from '../../support/events';

const ddb = mockClient(DynamoDBDocumentClient);

const throttle = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });

beforeEach(() => ddb.reset());

const create = () =>
  handler(
    apiEvent('POST', '/v1/customers', { body: { name: 'Li Lei', email: 'li@example.cn' }, groups: ['admin'] }),
    lambdaContext,
  );

describe('admin API under DynamoDB faults', () => {
  it('a throttled create is a 503 with Retry-After and one all-or-nothing transaction', async () => {
    ddb.on(TransactWriteCommand).rejects(throttle());
    const result = await create();
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThanOrEqual(1);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('a timeout is a 503, not a 500', async () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    ddb.on(GetCommand).rejects(timeout);
    const result = await handler(
      apiEvent('GET', '/v1/customers/01JABCDEFGHJKMNPQRSTVWXYZ0', { groups: ['analyst'] }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toMatch(/^\d+$/);
    // Unanswered, not refused: the client is told the outcome is unknown and how to retry safely.
    expect(json(result).type).toBe('https://rapport.dev/problems/outcome-unknown');
    expect(json(result).detail).toMatch(/same Idempotency-Key/);
  });

  it('a throttle is refused, not unknown: nothing changed, retry', async () => {
    ddb.on(GetCommand).rejects(throttle());
    const result = await handler(
      apiEvent('GET', '/v1/customers/01JABCDEFGHJKMNPQRSTVWXYZ0', { groups: ['analyst'] }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(503);
    expect(json(result).type).toBe('https://rapport.dev/problems/service-unavailable');
    expect(json(result).detail).toMatch(/nothing was changed/);
  });

  it('transaction conflicts are retried and then answered 503 without a write', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );
    const result = await create();
    expect(result.statusCode).toBe(503);
    expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThan(1);
  });

  it('a taken e-mail is a 409 naming the owner, from the cancelled transaction', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { customerId: { S: '01OWNER' } } },
        ],
      }),
    );
    const result = await create();
    expect(result.statusCode).toBe(409);
    expect(json(result)).toMatchObject({ existingCustomerId: '01OWNER', field: 'email' });
  });

  it('an unexpected error is a logged 500 problem without internals', async () => {
    ddb.on(GetCommand).rejects(new TypeError('boom: secret detail'));
    const result = await handler(
      apiEvent('GET', '/v1/customers/01JABCDEFGHJKMNPQRSTVWXYZ0', { groups: ['admin'] }),
      lambdaContext,
    );
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
  });
});

describe('admin API request checks (no DynamoDB call is made)', () => {
  // The only DynamoDB calls a refused request may cause are its audit entry's (refused writes are on record).
  const noCalls = () => {
    const keys = ddb.calls().map((c) => JSON.stringify((c.args[0] as { input?: unknown }).input));
    expect(keys.filter((k) => !k.includes('"AUDIT'))).toEqual([]);
  };

  it('no claims → 401, analyst writing → 403, no groups → 403', async () => {
    expect((await handler(apiEvent('GET', '/v1/customers'), lambdaContext)).statusCode).toBe(401);
    const analyst = await handler(
      apiEvent('POST', '/v1/customers', { body: { name: 'A' }, groups: ['analyst'] }),
      lambdaContext,
    );
    expect(analyst.statusCode).toBe(403);
    expect(json(analyst).detail).toMatch(/read-only/);
    expect((await handler(apiEvent('GET', '/v1/customers', { groups: [] }), lambdaContext)).statusCode).toBe(403);
    noCalls();
  });

  it('413 over the cap, 415 for a wrong content type, 400 for bad JSON and unknown fields', async () => {
    const big = await handler(
      apiEvent('POST', '/v1/customers', { body: { name: 'x'.repeat(20_000) }, groups: ['admin'] }),
      lambdaContext,
    );
    expect(big.statusCode).toBe(413);
    const xml = await handler(
      apiEvent('POST', '/v1/customers', { rawBody: '<a/>', contentType: 'application/xml', groups: ['admin'] }),
      lambdaContext,
    );
    expect(xml.statusCode).toBe(415);
    const broken = await handler(
      apiEvent('POST', '/v1/customers', { rawBody: '{"name":', groups: ['admin'] }),
      lambdaContext,
    );
    expect(broken.statusCode).toBe(400);
    const unknown = await handler(
      apiEvent('POST', '/v1/customers', { body: { name: 'A', nickname: 'B' }, groups: ['admin'] }),
      lambdaContext,
    );
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).errors).toEqual([{ path: '', message: expect.stringContaining('nickname') }]);
    const phone = await handler(
      apiEvent('POST', '/v1/customers', { body: { phone: '12345' }, groups: ['admin'] }),
      lambdaContext,
    );
    expect(phone.statusCode).toBe(400);
    expect(json(phone).errors).toEqual([
      { path: 'phone', message: expect.stringContaining('not a valid phone number') },
    ]);
    const badQuery = await handler(
      apiEvent('GET', '/v1/customers', { query: { limit: '5000' }, groups: ['admin'] }),
      lambdaContext,
    );
    expect(badQuery.statusCode).toBe(400);
    expect(json(badQuery).errors).toEqual([{ path: 'query/limit', message: expect.any(String) }]);
    const badMatch = await handler(
      apiEvent('PATCH', '/v1/customers/01JABCDEFGHJKMNPQRSTVWXYZ0', {
        body: { name: 'B' },
        headers: { 'if-match': 'yesterday' },
        groups: ['admin'],
      }),
      lambdaContext,
    );
    expect(badMatch.statusCode).toBe(400);
    noCalls();
  });

  it('unknown routes are a problem+json 404', async () => {
    const result = await handler(apiEvent('GET', '/v1/nothing-here', { groups: ['admin'] }), lambdaContext);
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
  });

  it('every response carries security headers', async () => {
    const result = await handler(apiEvent('GET', '/v1/customers'), lambdaContext);
    expect(result.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': expect.any(String) });
  });
});
