/**
 * The worst timeout: the write reached DynamoDB and took effect, but its answer never came back. The
 * first attempt can only say "outcome unknown"; a retry with the same Idempotency-Key must then find
 * the record the first attempt created instead of creating a second one — even for a customer with
 * nothing but a name, where nothing else could tell the two apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../functions/contracts/table-schema';
import { apiEvent, json, lambdaContext } from '../support/events';
import { type FaultHarness, startFaultHarness } from '../support/fault-harness';
import { surveyDefinition } from '../support/route-fixtures';
import { scanItems } from '../support/table-scan';

let h: FaultHarness;

beforeAll(async () => {
  // A short deadline keeps the claim's lock (deadline + 2 s) short enough to wait for here.
  process.env.REQUEST_DEADLINE_MS = '1000';
  h = await startFaultHarness();
});

afterAll(async () => {
  await h?.stop();
});

const OUTCOME_UNKNOWN = 'https://rapport.dev/problems/outcome-unknown';

async function items(prefix: string): Promise<Record<string, unknown>[]> {
  return (await scanItems(h.raw, LOCAL_TABLE_NAME)).filter((i) => String(i.PK).startsWith(prefix));
}

/** Sends until the claim of the lost first attempt can be taken over; returns the first non-409 answer. */
async function retryPastTheLock(send: () => ReturnType<FaultHarness['handlers']['admin-api']>) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = await send();
    if (result.statusCode !== 409) return result;
    expect(json(result).type).toBe('https://rapport.dev/problems/request-in-progress');
    await sleep(Number(result.headers?.['retry-after'] ?? 1) * 1000);
  }
  throw new Error('the claim was never released');
}

describe('a create whose acknowledgement was lost', () => {
  it('a name-only customer: the retry with the same key returns the stored record, not a second one', async () => {
    const send = () =>
      h.handlers['admin-api'](
        apiEvent('POST', '/v1/customers', {
          body: { name: 'Lost Ack Customer' },
          groups: ['admin'],
          headers: { 'idempotency-key': 'lost-ack-customer-1' },
        }),
        lambdaContext,
      );
    // The key's claim is the first write; the create's transaction is the second: its answer is lost.
    h.proxy.plan({ fault: 'LostAnswer', fromWrite: 2 });
    const first = await send();
    expect(first.statusCode).toBe(503);
    expect(json(first).type).toBe(OUTCOME_UNKNOWN);
    expect(first.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(h.proxy.calls.some((c) => c.command === 'TransactWriteCommand' && c.succeeded)).toBe(true);
    h.proxy.plan(undefined);

    const retried = await retryPastTheLock(send);
    expect(retried.statusCode).toBe(201);
    const stored = (await items('CUSTOMER#')).filter((i) => i.SK === 'PROFILE' && i.name === 'Lost Ack Customer');
    expect(stored).toHaveLength(1);
    expect(json(retried).id).toBe(stored[0]?.id);
    // And from now on the outcome is replayed.
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(json(again).id).toBe(stored[0]?.id);
  });

  it('a survey: the retry with the same key returns the stored draft, not a second one', async () => {
    const definition = { ...surveyDefinition(), name: 'Lost Ack Survey' };
    const send = () =>
      h.handlers['admin-api'](
        apiEvent('POST', '/v1/surveys', {
          body: definition,
          groups: ['admin'],
          headers: { 'idempotency-key': 'lost-ack-survey-1' },
        }),
        lambdaContext,
      );
    h.proxy.plan({ fault: 'LostAnswer', fromWrite: 2 });
    const first = await send();
    expect(first.statusCode).toBe(503);
    expect(json(first).type).toBe(OUTCOME_UNKNOWN);
    h.proxy.plan(undefined);

    const retried = await retryPastTheLock(send);
    expect(retried.statusCode).toBe(201);
    const stored = (await items('SURVEY#')).filter((i) => i.SK === 'DEFINITION' && i.name === 'Lost Ack Survey');
    expect(stored).toHaveLength(1);
    expect(json(retried).id).toBe(stored[0]?.id);
  });

  it('an import reports the rows it could not confirm, and none of them is written twice', async () => {
    const csv = 'name,company\nLost Row One,Acme\nLost Row Two,Acme\nLost Row Three,Acme\n';
    h.proxy.plan({ fault: 'LostAnswer', fromWrite: 2 });
    const result = await h.handlers['admin-api'](
      apiEvent('POST', '/v1/customers/import', {
        rawBody: csv,
        contentType: 'text/csv',
        groups: ['admin'],
        headers: { 'idempotency-key': 'lost-ack-import-1' },
      }),
      lambdaContext,
    );
    h.proxy.plan(undefined);
    expect(result.statusCode).toBe(200);
    const report = json(result) as {
      complete: boolean;
      rows: { row: number; status: string; reasons?: { message: string }[] }[];
    };
    expect(report.complete).toBe(false);
    // A row whose write may have landed is never reported as simply "not imported, send it again".
    const unconfirmed = report.rows.filter((r) => r.reasons?.some((x) => /not confirmed/.test(x.message)));
    expect(unconfirmed.length).toBeGreaterThan(0);
    const profiles = (await items('CUSTOMER#')).filter(
      (i) => i.SK === 'PROFILE' && String(i.name).startsWith('Lost Row'),
    );
    for (const name of ['Lost Row One', 'Lost Row Two', 'Lost Row Three']) {
      expect(profiles.filter((p) => p.name === name).length, name).toBeLessThanOrEqual(1);
    }
    expect(profiles.length).toBeGreaterThanOrEqual(unconfirmed.length);
  });
});
