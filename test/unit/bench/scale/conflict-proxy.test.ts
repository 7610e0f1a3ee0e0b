import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startConflictProxy } from '../../../../bench/scale/conflict-proxy';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client';

/** Stands in for DynamoDB Local: answers every request with `{}` once `release` is called. */
async function slowUpstream() {
  const waiting: (() => void)[] = [];
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      waiting.push(() => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    release: () => {
      for (const answer of waiting.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const update = (pk: string) => ({
  Update: {
    TableName: 'tbl',
    Key: { PK: pk, SK: 'DAY#T' },
    UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': 1 },
  },
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("the scale bench's conflict proxy (DynamoDB's transaction-conflict rule for DynamoDB Local)", () => {
  async function setUp() {
    const upstream = await slowUpstream();
    const proxy = await startConflictProxy(upstream.url);
    const db = createDocumentClient({ DYNAMODB_ENDPOINT: proxy.endpoint, AWS_REGION: 'us-east-1' });
    cleanups.push(async () => {
      db.destroy();
      await proxy.close();
      await upstream.close();
    });
    return { upstream, proxy, db };
  }
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setTimeout(r, 5));
  };

  it('cancels a transaction naming an item of one in progress, as DynamoDB does, and lets others through', async () => {
    const { upstream, proxy, db } = await setUp();
    const first = db.send(new TransactWriteCommand({ TransactItems: [update('AGG#s1')] }));
    await until(() => upstream.received() === 1);
    const clash = db.send(new TransactWriteCommand({ TransactItems: [update('AGG#s2'), update('AGG#s1')] }));
    const error = await clash.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      'None',
      'TransactionConflict',
    ]);
    const other = db.send(new TransactWriteCommand({ TransactItems: [update('AGG#s1#0')] }));
    await until(() => upstream.received() === 2);
    upstream.release();
    await expect(Promise.all([first, other])).resolves.toHaveLength(2);
    expect(proxy.conflicts()).toBe(1);
    // Once the first has been answered its items are free again.
    const after = db.send(new TransactWriteCommand({ TransactItems: [update('AGG#s1')] }));
    await until(() => upstream.received() === 3);
    upstream.release();
    await expect(after).resolves.toBeDefined();
  });

  it('answers a resent transaction (same ClientRequestToken) with the original answer, not a conflict', async () => {
    const { upstream, proxy, db } = await setUp();
    const input = { TransactItems: [update('AGG#s1')], ClientRequestToken: 'token-1' };
    const first = db.send(new TransactWriteCommand(input));
    await until(() => upstream.received() === 1);
    const resent = db.send(new TransactWriteCommand(input));
    upstream.release();
    await expect(Promise.all([first, resent])).resolves.toHaveLength(2);
    expect(upstream.received()).toBe(1);
    expect(proxy.conflicts()).toBe(0);
  });
});
