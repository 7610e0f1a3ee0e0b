/**
 * client.ts: the functions' DynamoDB client gives up on a DynamoDB that does not answer (a
 * TimeoutError after its three attempts, which errors.ts makes a 503) instead of hanging the request,
 * and drops undefined attributes the stores leave in optional fields.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, tableNameFrom } from '../../../functions/adapters/dynamodb/client';
import { guarded } from '../../../functions/adapters/dynamodb/errors';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { AdapterTable } from './context';
import { newId } from './fixtures';

export function clientSuite(t: AdapterTable): void {
  describe('client.ts', () => {
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

    it('gives up on a DynamoDB that never answers after its three attempts, instead of hanging', async () => {
      const { port } = silent.address() as { port: number };
      const db = createDocumentClient({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
      // The client's own clock (timeouts, back-off) runs on fake timers, so its 3 × 3 s pass at once;
      // the sockets are real.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        let settled = false;
        const outcome = guarded(() => db.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'A', SK: 'B' } })))
          .then(
            () => 'answered',
            (error: unknown) => error,
          )
          .finally(() => {
            settled = true;
          });
        for (let step = 0; step < 200 && !settled; step++) {
          await new Promise((resolve) => setImmediate(resolve));
          await vi.advanceTimersByTimeAsync(250);
        }
        expect(settled, 'the request is still waiting for an answer').toBe(true);
        expect(await outcome).toBeInstanceOf(ServiceUnavailableError);
        expect(connections).toBe(3);
      } finally {
        vi.useRealTimers();
        db.destroy();
      }
    });

    it('leaves undefined attributes out of the item instead of refusing the write', async () => {
      const key = { PK: `CLIENT#${newId()}`, SK: 'ITEM' };
      await t.db.send(new PutCommand({ TableName: t.tableName, Item: { ...key, company: undefined, name: '王芳' } }));
      expect(await t.item(key)).toEqual({ ...key, name: '王芳' });
    });

    it('reads the table name from TABLE_NAME, and refuses to start without it', () => {
      expect(tableNameFrom({ TABLE_NAME: 'rapport-prod' })).toBe('rapport-prod');
      expect(() => tableNameFrom({})).toThrow('TABLE_NAME is not set');
    });
  });
}
