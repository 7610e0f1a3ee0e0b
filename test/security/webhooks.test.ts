/**
 * Webhooks facing hostile input and a hostile network, in AWS mode (loopback not allowed): URLs that
 * point, literally or by name, at loopback, private, link-local or metadata addresses are refused
 * (at create time when literal, at send time on the resolved address, before any connection); bad
 * input is a 4xx that writes nothing; analysts cannot write; racing rotations cannot both win; the
 * secret is shown once; every write is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { expectClientProblem } from '../support/problem-assertions';
import { eventually, type Receiver, startReceiver } from '../support/webhook-receiver';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

let rt: TestRuntime;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  rt = await startTestRuntime({
    webhooks: {
      allowLoopback: false,
      timeScale: 1e-5,
      // Names a hostile DNS would answer with internal addresses.
      hosts: {
        'metadata.attacker.test': ['169.254.169.254'],
        'loop.attacker.test': ['127.0.0.1'],
        'mixed.attacker.test': ['93.184.216.34', '10.0.0.7'],
        'mapped.attacker.test': ['::ffff:127.0.0.1'],
      },
    },
  });
});

afterAll(async () => {
  await rt?.stop();
  await receiver?.close();
});

const admin = () => rt.tokens.admin;
const create = (body: unknown, token = admin()) => rt.request('POST', '/v1/webhooks', { token, body });

describe('where deliveries may go', () => {
  it.each([
    ['plain http', 'http://hooks.example.com/x'],
    ['loopback', 'https://127.0.0.1/x'],
    ['loopback, IPv6', 'https://[::1]/x'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['a private address', 'https://10.1.2.3/x'],
    ['CGNAT', 'https://100.64.0.1/x'],
    ['multicast', 'https://224.0.0.1/x'],
    ['IPv6 unique local', 'https://[fd00:ec2::254]/x'],
    ['IPv6 link-local', 'https://[fe80::1]/x'],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/x'],
    ['not a URL', 'hooks.example.com'],
  ])('refuses %s at create time, writing nothing', async (_what, url) => {
    const before = await rt.itemCount();
    const refused = await create({ url, events: ['customer.created'] });
    expect(refused.status, refused.text).toBe(400);
    expectClientProblem(refused);
    expect((refused.body as Body).errors[0].path).toBe('body/url');
    expect(await rt.itemCount()).toBe(before);
  });

  it.each([
    ['localhost', `https://localhost:${0}/hook`, 'loopback address'],
    ['a name resolving to 127.0.0.1', 'https://loop.attacker.test/hook', 'loopback address'],
    ['a name resolving to 169.254.169.254', 'https://metadata.attacker.test/latest', 'link-local address'],
    ['a name with one private address among public ones', 'https://mixed.attacker.test/hook', 'private address'],
    ['a name resolving to IPv4-mapped loopback', 'https://mapped.attacker.test/hook', 'loopback address'],
  ])('refuses %s at send time, before connecting', async (_what, rawUrl, reason) => {
    const url = rawUrl.replace(':0/', `:${receiver.port}/`);
    const created = await create({ url, events: ['customer.created'] });
    expect(created.status, created.text).toBe(201);
    const hook = created.body as Body;
    const customer = await rt.request('POST', '/v1/customers', { token: admin(), body: { name: 'Li Lei' } });
    expect(customer.status, customer.text).toBe(201);
    const refused = await eventually('a refused attempt', async () => {
      const page = (await rt.request('GET', `/v1/webhooks/${hook.id}/deliveries`, { token: admin() })).body as Body;
      const attempt = page.items[0]?.attempts?.[0];
      return attempt ? attempt : undefined;
    });
    expect(refused.outcome).toBe('refused');
    expect(refused.status).toBeUndefined();
    expect(refused.response).toContain(reason);
    expect(receiver.received).toHaveLength(0);
    await rt.request('DELETE', `/v1/webhooks/${hook.id}`, { token: admin() });
  });
});

describe('the routes', () => {
  it('shows the secret once, never in a read, and audits every write', async () => {
    const created = await create({ url: 'https://hooks.example.com/a', events: ['response.created'] });
    expect(created.status, created.text).toBe(201);
    const hook = created.body as Body;
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await rt.request('GET', `/v1/webhooks/${hook.id}`, { token: rt.tokens.analyst });
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(hook.secret);
    const list = await rt.request('GET', '/v1/webhooks', { token: rt.tokens.analyst });
    expect(list.text).not.toContain(hook.secret);
    expect(list.text).toContain(hook.id);

    const audit = (await rt.request('GET', '/v1/audit?limit=20', { token: admin() })).body as Body;
    const entry = (audit.items as Body[]).find((e) => e.operation === 'createWebhook');
    expect(entry, JSON.stringify(audit.items.slice(0, 3))).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain(hook.secret);
  });

  it('refuses an analyst’s writes and bad input, writing nothing', async () => {
    const before = await rt.itemCount();
    const asAnalyst = await create(
      { url: 'https://hooks.example.com/b', events: ['response.created'] },
      rt.tokens.analyst,
    );
    expect(asAnalyst.status).toBe(403);
    for (const body of [
      {},
      { url: 'https://hooks.example.com/b' },
      { url: 'https://hooks.example.com/b', events: [] },
      { url: 'https://hooks.example.com/b', events: ['customer.exploded'] },
      { url: 'https://hooks.example.com/b', events: ['response.created'], secret: 'whsec_mine' },
      { url: `https://hooks.example.com/${'a'.repeat(3000)}`, events: ['response.created'] },
      { url: 'https://hooks.example.com/b', events: ['response.created'], notifyEmail: 'not-an-email' },
    ]) {
      const refused = await create(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expectClientProblem(refused);
    }
    const created = await create({ url: 'https://hooks.example.com/c', events: ['response.created'] });
    const id = (created.body as Body).id;
    const afterCreate = await rt.itemCount();
    for (const [method, path, body] of [
      ['PATCH', `/v1/webhooks/${id}`, { url: 'http://hooks.example.com/c' }],
      ['PATCH', `/v1/webhooks/${id}`, { events: ['nope'] }],
      ['PATCH', `/v1/webhooks/${id}`, { enabled: 'yes' }],
      ['POST', `/v1/webhooks/${id}/rotate`, { graceHours: -1 }],
      ['POST', `/v1/webhooks/${id}/rotate`, { graceHours: 100000 }],
      ['POST', `/v1/webhooks/${id}/replay`, { from: 'yesterday', to: 'today' }],
      ['POST', `/v1/webhooks/${id}/replay`, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    ] as const) {
      const refused = await rt.request(method, path, { token: admin(), body });
      expect(refused.status, `${method} ${path} ${JSON.stringify(body)}: ${refused.text}`).toBe(400);
    }
    expect(await rt.itemCount()).toBe(afterCreate);
    expect(afterCreate).toBe(before + 1);
  });

  it('lets exactly one of three racing rotations win; the loser gets 412 and no secret', async () => {
    const created = await create({ url: 'https://hooks.example.com/race', events: ['response.created'] });
    const hook = created.body as Body;
    const rotate = () =>
      rt.request('POST', `/v1/webhooks/${hook.id}/rotate`, {
        token: admin(),
        body: { graceHours: 24 },
        headers: { 'if-match': `"${hook.version}"` },
      });
    const results = await Promise.all([rotate(), rotate(), rotate()]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const winner = results.find((r) => r.status === 200)?.body as Body;
    const now = (await rt.request('GET', `/v1/webhooks/${hook.id}`, { token: admin() })).body as Body;
    expect(now.version).toBe(hook.version + 1);
    expect(now.secretFingerprint).toBe(winner.secretFingerprint);
    expect(now.previousSecret.fingerprint).toBe(hook.secretFingerprint);
    for (const loser of results.filter((r) => r.status === 412)) expect(loser.text).not.toContain('whsec_');
  });

  it('a retried create with the same Idempotency-Key makes one webhook and shows the same secret', async () => {
    const key = `wh-${Date.now()}-retry`;
    const send = () =>
      rt.request('POST', '/v1/webhooks', {
        token: admin(),
        body: { url: 'https://hooks.example.com/idem', events: ['customer.erased'] },
        headers: { 'idempotency-key': key },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect((second.body as Body).id).toBe((first.body as Body).id);
    const list = (await rt.request('GET', '/v1/webhooks', { token: admin() })).body as Body;
    expect((list.items as Body[]).filter((w) => w.url === 'https://hooks.example.com/idem')).toHaveLength(1);
  });

  it('answers 404 for unknown webhooks and deliveries, and 409 for a replay on a disabled webhook', async () => {
    const unknown = '01JABCDEFGHJKMNPQRSTVWXYZ0';
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${unknown}`],
      ['DELETE', `/v1/webhooks/${unknown}`],
      ['GET', `/v1/webhooks/${unknown}/deliveries`],
    ] as const) {
      expect((await rt.request(method, path, { token: admin() })).status).toBe(404);
    }
    const created = await create({
      url: 'https://hooks.example.com/off',
      events: ['response.created'],
      enabled: false,
    });
    const id = (created.body as Body).id;
    expect((await rt.request('GET', `/v1/webhooks/${id}/deliveries/${unknown}`, { token: admin() })).status).toBe(404);
    const replay = await rt.request('POST', `/v1/webhooks/${id}/replay`, {
      token: admin(),
      body: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
    });
    expect(replay.status).toBe(409);
  });
});
