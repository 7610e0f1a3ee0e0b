/**
 * errors.ts: a throttle, a timeout, a 5xx or a dropped connection becomes the domain's
 * ServiceUnavailableError (503 with Retry-After); what DynamoDB refuses on purpose (a failed
 * condition, a bad request, a missing table) passes through untouched.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../functions/adapters/dynamodb/client';
import { guarded, isTransient, rethrow, toDomainError } from '../../../functions/adapters/dynamodb/errors';
import { OutcomeUnknownError, ServiceUnavailableError } from '../../../functions/domain/errors';
import { FAULTS } from '../../support/fault-proxy';
import { type AdapterTable, withFaultProxy } from './context';

const get = (db: DynamoDBDocumentClient, tableName: string) =>
  db.send(new GetCommand({ TableName: tableName, Key: { PK: 'ERRORS', SK: 'PROBE' } }));

export function errorsSuite(t: AdapterTable): void {
  describe('errors.ts', () => {
    /** Accepts connections and never answers: a DynamoDB that hangs. */
    let silent: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('passes a successful call through', async () => {
      await expect(guarded(() => get(t.db, t.tableName))).resolves.toMatchObject({ $metadata: {} });
    });

    // Refused: DynamoDB answered "not now", so nothing changed. Unanswered: it may have applied the call.
    const REFUSED = new Set(['ProvisionedThroughputExceeded', 'Throttling']);
    it.each(FAULTS.filter((f) => f !== 'TransactionConflict'))(
      'turns %s into a 503 error with Retry-After that says whether anything may have changed',
      async (fault) => {
        await withFaultProxy(async (proxy) => {
          proxy.plan({ fault });
          const error = await guarded(() => get(t.db, t.tableName)).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ServiceUnavailableError);
          expect(error).toMatchObject({ status: 503, retryAfterSeconds: 2 });
          if (REFUSED.has(fault)) {
            expect(error).not.toBeInstanceOf(OutcomeUnknownError);
            expect((error as Error).message).toContain('nothing was changed');
          } else {
            expect(error).toBeInstanceOf(OutcomeUnknownError);
            expect((error as Error).message).toContain('same Idempotency-Key');
          }
        });
      },
    );

    it('turns a real refused connection into a ServiceUnavailableError', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise((resolve) => closed.close(resolve));
      const db = createDocumentClient({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
      try {
        await expect(guarded(() => get(db, t.tableName))).rejects.toBeInstanceOf(ServiceUnavailableError);
      } finally {
        db.destroy();
      }
    });

    it('turns a real request timeout into a ServiceUnavailableError', async () => {
      const { port } = silent.address() as { port: number };
      const db = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: `http://127.0.0.1:${port}`,
          maxAttempts: 1,
          requestHandler: new NodeHttpHandler({ requestTimeout: 200, throwOnRequestTimeout: true }),
        }),
      );
      try {
        await expect(guarded(() => get(db, t.tableName))).rejects.toBeInstanceOf(ServiceUnavailableError);
      } finally {
        db.destroy();
      }
    });

    it('passes what DynamoDB refuses on purpose through unchanged', async () => {
      const refusals = [
        // A failed condition is the domain's business (a conflict, a stale write), not an outage.
        () =>
          t.db.send(
            new PutCommand({
              TableName: t.tableName,
              Item: { PK: 'ERRORS', SK: 'EXISTS' },
              ConditionExpression: 'attribute_exists(PK)',
            }),
          ),
        () => t.db.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'only a partition key' } })),
        () => get(t.db, 'adapters-no-such-table'),
      ];
      const names: string[] = [];
      for (const refusal of refusals) {
        const original = await refusal().catch((e: unknown) => e);
        const mapped = await guarded(refusal).catch((e: unknown) => e);
        expect(mapped).not.toBeInstanceOf(ServiceUnavailableError);
        expect(isTransient(original)).toBe(false);
        expect(toDomainError(original)).toBe(original);
        expect(() => rethrow(original)).toThrow(original as Error);
        names.push((mapped as Error).name);
      }
      expect(names).toEqual(['ConditionalCheckFailedException', 'ValidationException', 'ResourceNotFoundException']);
    });

    it('maps an already-mapped error to itself, and ignores what is not an error', () => {
      const unavailable = new ServiceUnavailableError('busy', 5);
      expect(isTransient(unavailable)).toBe(true);
      expect(toDomainError(unavailable)).toBeInstanceOf(ServiceUnavailableError);
      expect(isTransient('ThrottlingException')).toBe(false);
      expect(toDomainError(undefined)).toBeUndefined();
    });
  });
}
