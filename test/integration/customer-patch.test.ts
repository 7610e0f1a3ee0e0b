/**
 * PATCH /v1/customers/{id} through the local runtime: without If-Match a patch is retried on a
 * concurrent change until it lands (it never answers 412, which would blame a version the client did
 * not send), and a body `version` that contradicts If-Match is refused instead of one being ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const admin = () => rt.tokens.admin;
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  rt.request('PATCH', `/v1/customers/${id}`, { token: admin(), body, headers });

async function newCustomer(name: string): Promise<Body> {
  const created = await rt.request('POST', '/v1/customers', { token: admin(), body: { name } });
  expect(created.status, created.text).toBe(201);
  return created.body as Body;
}

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

describe('PATCH without If-Match', () => {
  it('10 concurrent patches of one customer all land, each exactly once', async () => {
    const customer = await newCustomer('Contended');
    const writers = 10;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) => patch(customer.id, { company: `Company ${i}` })),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const stored = (await rt.request('GET', `/v1/customers/${customer.id}`, { token: admin() })).body as Body;
    // Every patch changed the company once: one version each, none lost, none applied twice.
    expect(stored.version).toBe(1 + writers);
    expect(results.map((r) => (r.body as Body).version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: writers }, (_, i) => i + 2),
    );
  });
});

describe('body version and If-Match', () => {
  it('a body version that contradicts If-Match is a 400 and changes nothing', async () => {
    const customer = await newCustomer('Versioned');
    const res = await patch(customer.id, { name: 'Changed', version: 2 }, { 'if-match': '"1"' });
    expect(res.status, res.text).toBe(400);
    expect((res.body as Body).errors).toEqual([
      { path: 'version', message: expect.stringContaining('If-Match names version 1') },
    ]);
    const stored = (await rt.request('GET', `/v1/customers/${customer.id}`, { token: admin() })).body as Body;
    expect(stored).toMatchObject({ name: 'Versioned', version: 1 });
  });

  it('the same version in both is fine; a stale one, in either place, is a 412', async () => {
    const customer = await newCustomer('Agreed');
    const ok = await patch(customer.id, { name: 'Agreed 2', version: 1 }, { 'if-match': '"1"' });
    expect(ok.status, ok.text).toBe(200);
    expect((await patch(customer.id, { name: 'Agreed 3', version: 1 })).status).toBe(412);
    expect((await patch(customer.id, { name: 'Agreed 3' }, { 'if-match': '"1"' })).status).toBe(412);
  });
});
