/**
 * When the audit log cannot be written: a read of personal data is not given (503 — what is read must
 * be on record), while a write that has happened is still answered as it happened (and counted for
 * the alarm). Nothing is half-recorded: the chain stays whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, json, lambdaContext } from '../support/events';
import { type FaultHarness, startFaultHarness } from '../support/fault-harness';

let h: FaultHarness;

beforeAll(async () => {
  h = await startFaultHarness();
});

afterAll(async () => {
  await h?.stop();
});

const isAudit = (_command: string, input: unknown) => JSON.stringify(input ?? {}).includes('"AUDIT');

describe('the audit log cannot be written', () => {
  it('refuses a read of personal data with a 503, and answers a committed write as it happened', async () => {
    const admin = h.handlers['admin-api'];
    const created = await admin(
      apiEvent('POST', '/v1/customers', {
        body: { name: 'Audit Fault', email: 'audit.fault@example.cn' },
        groups: ['admin'],
      }),
      lambdaContext,
    );
    expect(created.statusCode).toBe(201);
    const id = json(created).id as string;

    h.proxy.plan({ fault: 'TransactionConflict', only: isAudit });
    const read = await admin(apiEvent('GET', `/v1/customers/${id}`, { groups: ['analyst'] }), lambdaContext);
    expect(read.statusCode).toBe(503);
    expect(read.body ?? '').not.toContain('audit.fault@example.cn');
    expect(read.headers?.['retry-after']).toMatch(/^\d+$/);

    const write = await admin(
      apiEvent('PATCH', `/v1/customers/${id}`, { body: { company: 'Acme' }, groups: ['admin'] }),
      lambdaContext,
    );
    h.proxy.plan(undefined);
    expect(write.statusCode).toBe(200);
    const stored = await admin(apiEvent('GET', `/v1/customers/${id}`, { groups: ['analyst'] }), lambdaContext);
    expect(json(stored).company).toBe('Acme');

    const verify = await admin(apiEvent('GET', '/v1/audit/verify', { groups: ['admin'] }), lambdaContext);
    expect(json(verify).broken).toBeUndefined();
  });
});
