/**
 * Webhooks end to end on the local runtime (docs/webhooks.md): table changes become signed deliveries
 * over real HTTP to a receiver on 127.0.0.1, through the stream's fan-out and the delivery queue,
 * with retries compressed in time (the same code path as in AWS). Every delivery's signature is
 * checked with the `standardwebhooks` library, not with Rapport's own code.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DroppedEvent } from '../../functions/domain/alerts/alert-events';
import { createLocalDynamoClient } from '../../local/local-env';
import { publishSurvey, SHOP, surveyDefinition } from '../support/route-fixtures';
import { eventually, type ReceivedRequest, type Receiver, startReceiver } from '../support/webhook-receiver';
import { startTestRuntime, type TestRuntime } from './harness';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

/** A day of retries in about four seconds. */
const TIME_SCALE = 3e-5;

let rt: TestRuntime;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  rt = await startTestRuntime({ webhooks: { timeScale: TIME_SCALE, allowLoopback: true } });
});

afterAll(async () => {
  await rt?.stop();
  await receiver?.close();
});

// Each test's subscription goes when it ends, so later tests' events do not keep earlier receivers busy.
const subscribed: string[] = [];
afterEach(async () => {
  for (const id of subscribed.splice(0)) await rt.request('DELETE', `/v1/webhooks/${id}`, { token: admin() });
});

const admin = () => rt.tokens.admin;

async function subscribe(path: string, events: string[], extra: Record<string, unknown> = {}) {
  const created = await rt.request('POST', '/v1/webhooks', {
    token: admin(),
    body: { url: receiver.url(path), events, description: `test ${path}`, ...extra },
  });
  expect(created.status, created.text).toBe(201);
  subscribed.push((created.body as Body).id);
  return created.body as Body;
}

async function newCustomer(name = 'Wang Fang'): Promise<string> {
  const created = await rt.request('POST', '/v1/customers', {
    token: admin(),
    body: { name, email: `c.${ulid().toLowerCase()}@example.cn` },
  });
  expect(created.status, created.text).toBe(201);
  return (created.body as Body).id;
}

/** Verifies with the standardwebhooks library; throws when the signature does not hold. */
function verified(secret: string, request: ReceivedRequest): Body {
  const headers = {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(request.body, headers) as Body;
}

async function deliveries(webhookId: string): Promise<Body[]> {
  const page = await rt.request('GET', `/v1/webhooks/${webhookId}/deliveries?limit=50`, { token: admin() });
  expect(page.status, page.text).toBe(200);
  return (page.body as Body).items as Body[];
}

async function deliveryIn(webhookId: string, state: string): Promise<Body | undefined> {
  return (await deliveries(webhookId)).find((d) => d.state === state);
}

describe('delivery with retries', () => {
  it('a receiver that fails three times gets the event once per webhook-id after four attempts, every one signed', async () => {
    receiver.script('/flaky', (_r, seen) => (seen < 3 ? { status: 500, body: 'boom' } : { status: 200 }));
    const hook = await subscribe('/flaky', ['customer.created']);
    const customerId = await newCustomer();

    const delivered = await eventually('the delivery to be delivered', () => deliveryIn(hook.id, 'delivered'));
    const requests = receiver.on('/flaky');
    expect(requests).toHaveLength(4);
    const ids = new Set(requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(delivered.webhookId);
    for (const request of requests) {
      const payload = verified(hook.secret, request);
      expect(payload).toMatchObject({ type: 'customer.created', data: { customerId } });
      // No personal data beyond the event: the record's values are not in it.
      expect(request.body).not.toContain('Wang Fang');
    }
    expect(delivered.attempts.map((a: Body) => a.status)).toEqual([500, 500, 500, 200]);
    expect(delivered.attempts[0].response).toBe('boom');
    expect(delivered.attempts.every((a: Body) => typeof a.latencyMs === 'number')).toBe(true);
  });

  it('honours Retry-After: the next attempt comes no sooner than the receiver asked', async () => {
    const retryAfterSeconds = 3600;
    receiver.script('/busy', (_r, seen) =>
      seen === 0 ? { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } } : { status: 200 },
    );
    const hook = await subscribe('/busy', ['customer.created']);
    await newCustomer();
    const delivered = await eventually('the delivery to be delivered', () => deliveryIn(hook.id, 'delivered'));
    const [first, second] = delivered.attempts as Body[];
    const asked = retryAfterSeconds * 1000 * TIME_SCALE;
    // The scheduled wait is the receiver's, not the first backoff step (10 s nominal).
    expect(Date.parse(first?.nextAttemptAt) - Date.parse(first?.at)).toBeGreaterThanOrEqual(asked);
    const [one, two] = receiver.on('/busy');
    expect((two?.at ?? 0) - (one?.at ?? 0)).toBeGreaterThanOrEqual(asked);
    expect(second?.status).toBe(200);
  });

  it('a receiver down past the retry window ends dead-lettered; a replay delivers it, same webhook-id', async () => {
    let up = false;
    receiver.script('/down', () => (up ? { status: 200 } : { status: 502 }));
    const hook = await subscribe('/down', ['customer.created']);
    await newCustomer();
    const dead = await eventually('the delivery to be dead-lettered', () => deliveryIn(hook.id, 'dead-lettered'));
    expect(dead.attempts).toHaveLength(13);
    // More than a day of retries (compressed): first to last attempt spans ≥ 24 h × the time scale.
    const span = Date.parse(dead.attempts[12].at) - Date.parse(dead.attempts[0].at);
    expect(span).toBeGreaterThanOrEqual(24 * 3_600_000 * TIME_SCALE);

    up = true;
    const replay = await rt.request('POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, {
      token: admin(),
      body: {},
    });
    expect(replay.status, replay.text).toBe(202);
    const delivered = await eventually('the replay to arrive', () => deliveryIn(hook.id, 'delivered'));
    expect(delivered.run).toBe(2);
    const last = receiver.on('/down').at(-1);
    expect(last?.headers['webhook-id']).toBe(dead.webhookId);
    if (!last) throw new Error('no request');
    expect(verified(hook.secret, last)).toMatchObject({ type: 'customer.created' });
  });

  it('repeated dead letters disable the subscription and e-mail its owner', async () => {
    receiver.script('/gone', () => ({ status: 410 }));
    const hook = await subscribe('/gone', ['customer.created'], { notifyEmail: 'hooks-owner@example.com' });
    for (let i = 0; i < 3; i++) await newCustomer(`Gone ${i}`);
    const disabled = await eventually('the subscription to be disabled', async () => {
      const got = (await rt.request('GET', `/v1/webhooks/${hook.id}`, { token: admin() })).body as Body;
      return got.enabled === false ? got : undefined;
    });
    expect(disabled.disabledReason).toBe('dead-letters');
    const mails = await eventually('the e-mail', async () => {
      const all = await rt.outbox.list();
      return all.some((m) => m.message.to === 'hooks-owner@example.com') ? all : undefined;
    });
    const mail = mails.find((m) => m.message.to === 'hooks-owner@example.com');
    expect(mail?.message.text).toContain(hook.id);
    expect(mail?.message.text).toContain('Webhook');
  });
});

describe('events', () => {
  it('an alert-event item becomes a satisfaction.dropped delivery', async () => {
    const hook = await subscribe('/alerts', ['satisfaction.dropped', 'satisfaction.recovered']);
    const event: DroppedEvent = {
      type: 'satisfaction.dropped',
      id: `alert-evt-${ulid()}`,
      alertId: `alert-${ulid()}`,
      surveyId: 'S1',
      segment: 'vip',
      metric: 'csat',
      questionId: 'overall',
      on: '2026-11-29',
      current: { n: 120, estimate: 0.61, ci95: { low: 0.52, high: 0.69 } },
      baseline: { n: 480, estimate: 0.78, ci95: { low: 0.74, high: 0.82 } },
      estimate: -0.17,
      ci95: { low: -0.26, high: -0.08 },
      pValue: 0.0002,
      adjustedP: 0.0004,
      minimumDrop: 0.05,
    } as unknown as DroppedEvent;
    const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: rt.tableName,
          Item: marshall(
            { PK: `ALERTTEST#${event.alertId}`, SK: `EVENT#${event.id}`, entity: 'alert-event', event },
            { removeUndefinedValues: true },
          ),
        }),
      );
    } finally {
      dynamo.destroy();
    }
    await eventually('the alert webhook', async () => receiver.on('/alerts').length > 0);
    const [request] = receiver.on('/alerts');
    if (!request) throw new Error('no request');
    const payload = verified(hook.secret, request);
    expect(payload).toMatchObject({
      type: 'satisfaction.dropped',
      data: { alertId: event.alertId, surveyId: 'S1', segment: 'vip', metric: 'csat' },
    });
  });

  it('a rotated secret overlaps: deliveries carry both signatures, either secret verifies', async () => {
    const hook = await subscribe('/rotated', ['customer.updated']);
    const rotated = await rt.request('POST', `/v1/webhooks/${hook.id}/rotate`, {
      token: admin(),
      body: { graceHours: 1 },
      headers: { 'if-match': `"${hook.version}"` },
    });
    expect(rotated.status, rotated.text).toBe(200);
    const next = rotated.body as Body;
    expect(next.secret).not.toBe(hook.secret);
    expect(next.previousSecret.fingerprint).toBe(hook.secretFingerprint);

    const customerId = await newCustomer();
    const patched = await rt.request('PATCH', `/v1/customers/${customerId}`, {
      token: admin(),
      body: { company: 'Acme' },
    });
    expect(patched.status, patched.text).toBe(200);
    await eventually('the update webhook', async () => receiver.on('/rotated').length > 0);
    const [request] = receiver.on('/rotated');
    if (!request) throw new Error('no request');
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(next.secret, request)).toMatchObject({
      type: 'customer.updated',
      data: { customerId, changedFields: ['company'] },
    });
    expect(verified(hook.secret, request)).toMatchObject({ type: 'customer.updated' });
    expect(request.body).not.toContain('Acme');
  });

  it('answers, follow-ups, merges and erasures become events that carry ids and facts, not what people wrote', async () => {
    const hook = await subscribe('/lifecycle', [
      'response.created',
      'followup.created',
      'followup.updated',
      'customer.merged',
      'customer.erased',
    ]);
    const surveyId = await publishSurvey(rt, surveyDefinition());
    const responseId = ulid();
    const answered = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
      headers: { origin: SHOP },
      body: {
        id: responseId,
        surveyVersion: 1,
        locale: 'en',
        answers: { overall: 1, nps: 2, comment: 'my neighbour Wang Wei was rude' },
        email: 'wang.wei@example.cn',
      },
    });
    expect(answered.status, answered.text).toBe(201);
    const keep = await newCustomer('Keep Me');
    const duplicate = await newCustomer('Duplicate');
    const merged = await rt.request('POST', `/v1/customers/${keep}/merge`, {
      token: admin(),
      body: { duplicateId: duplicate },
    });
    expect(merged.status, merged.text).toBe(200);
    const erased = await rt.request('POST', `/v1/customers/${keep}/erase`, { token: admin() });
    expect(erased.status, erased.text).toBe(200);

    const byType = await eventually('every lifecycle event', async () => {
      const events = receiver.on('/lifecycle').map((r) => verified(hook.secret, r));
      const types = new Set(events.map((e) => e.type));
      return ['response.created', 'followup.created', 'customer.merged', 'customer.erased'].every((t) => types.has(t))
        ? Object.fromEntries(events.map((e) => [e.type, e.data]))
        : undefined;
    });
    expect(byType['response.created']).toMatchObject({ responseId, surveyId, detractor: true, comments: 1 });
    expect(byType['response.created'].ratings).toMatchObject({ overall: 1, nps: 2 });
    expect(byType['followup.created']).toMatchObject({ surveyId, responseId, status: 'open', assigned: false });
    expect(byType['customer.merged']).toEqual({ customerId: duplicate, mergedInto: keep });
    expect(byType['customer.erased']).toEqual({ customerId: keep });
    const everything = receiver
      .on('/lifecycle')
      .map((r) => r.body)
      .join('\n');
    expect(everything).not.toContain('Wang Wei');
    expect(everything).not.toContain('wang.wei@example.cn');
    expect(everything).not.toContain('Keep Me');
  });
});
