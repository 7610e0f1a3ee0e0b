/**
 * health-probe.ts: true only when the table answers a consistent read; false — never a throw, never a
 * hang past its deadline — when DynamoDB refuses, is missing or does not answer. It writes nothing.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../functions/adapters/dynamodb/client';
import { dynamoHealthCheck } from '../../../functions/adapters/dynamodb/health-probe';
import { type AdapterTable, NO_CHANGES, observe, withFaultProxy } from './context';

export function healthProbeSuite(t: AdapterTable): void {
  describe('health-probe.ts', () => {
    /** Accepts connections and never answers: a DynamoDB that hangs. Counts connections. */
    let silent: Server;
    let connections = 0;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => {
        connections++;
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('is true when the table answers, with one consistent read and no write', async () => {
      const change = await observe(t, () => dynamoHealthCheck(t.db, t.tableName)());
      expect(change.value).toBe(true);
      expect(change.keys).toEqual(NO_CHANGES);
      await withFaultProxy(async (proxy) => {
        await dynamoHealthCheck(t.db, t.tableName)();
        expect(proxy.calls.map((c) => [c.command, c.input.ConsistentRead])).toEqual([['GetCommand', true]]);
      });
    });

    it('is false when the table does not exist', async () => {
      expect(await dynamoHealthCheck(t.db, 'adapters-no-such-table')()).toBe(false);
    });

    it('is false when DynamoDB is throttling', async () => {
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        expect(await dynamoHealthCheck(t.db, t.tableName)()).toBe(false);
      });
    });

    it('is false when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise((resolve) => closed.close(resolve));
      const db = createDocumentClient({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
      try {
        expect(await dynamoHealthCheck(db, t.tableName)()).toBe(false);
      } finally {
        db.destroy();
      }
    });

    it('gives up at its deadline when DynamoDB does not answer, without the client retrying', async () => {
      const { port } = silent.address() as { port: number };
      // The functions' client: three attempts of up to 3 s each, unless the deadline aborts the first.
      const db = createDocumentClient({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
      try {
        expect(await dynamoHealthCheck(db, t.tableName, 300)()).toBe(false);
        expect(connections).toBe(1);
      } finally {
        db.destroy();
      }
    });
  });
}
