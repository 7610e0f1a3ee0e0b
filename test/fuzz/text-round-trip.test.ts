/**
 * Text is data, never markup or syntax: HTML, script, SQL, RTL overrides, zero-width and astral
 * characters in customer fields are stored and returned byte-exact (after the documented trim), in
 * JSON, in CSV and in JSON-lines exports, and through a customer update. A naughty string is never a
 * 5xx, and exactly the accepted ones are stored.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { naughtyStrings } from '../support/naughty-strings';
import { expectNoServerError } from '../support/problem-assertions';

let rt: TestRuntime;
let cases = 0;

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  if (cases) console.info(`[fuzz] text-round-trip: ${cases} HTTP cases`);
  await rt?.stop();
});

interface Customer {
  id: string;
  name?: string;
  company?: string;
  segment?: string;
  tags: string[];
  attributes: Record<string, unknown>;
  version: number;
}

describe('customer text round-trips', () => {
  it('an HTML payload as a name comes back byte-exact, in JSON and in both exports', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const created = await rt.request('POST', '/v1/customers', {
      token: rt.tokens.admin,
      body: { name, company: '<script>alert("x")</script>' },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as Customer).id;
    const got = await rt.request('GET', `/v1/customers/${id}`, { token: rt.tokens.analyst });
    expect((got.body as Customer).name).toBe(name);
    expect(got.text).toContain(JSON.stringify(name));
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const jsonl = await rt.request('GET', '/v1/customers/export?format=jsonl', { token: rt.tokens.analyst });
    const row = jsonl.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Customer)
      .find((c) => c.id === id);
    expect(row?.name).toBe(name);
    const csv = await rt.request('GET', '/v1/customers/export?format=csv', { token: rt.tokens.analyst });
    expect(csv.text).toContain(name);
  });

  it('every naughty string as name, company, segment, tag and attribute is stored verbatim or refused with a 4xx', async () => {
    const created: { id: string; sent: Record<string, unknown> }[] = [];
    let refused = 0;
    const profilesBefore = await rt.scanCount('CUSTOMER#');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...naughtyStrings),
        fc.constantFrom('name', 'company', 'segment', 'tag', 'attribute'),
        async (s, field) => {
          const sent: Record<string, unknown> =
            field === 'tag'
              ? { name: 'Tagged', tags: [s] }
              : field === 'attribute'
                ? { name: 'Attributed', attributes: { note: s } }
                : field === 'name'
                  ? { name: s }
                  : { name: 'Other', [field]: s };
          cases++;
          const response = await rt.request('POST', '/v1/customers', { token: rt.tokens.admin, body: sent });
          expectNoServerError(response, `${field}=${JSON.stringify(s.slice(0, 60))}`);
          if (response.status === 201) created.push({ id: (response.body as Customer).id, sent });
          else refused++;
        },
      ),
      // A fixed count, not a time limit: the minimum numbers checked below must not depend on machine load.
      { numRuns: 200 },
    );
    // Everything accepted reads back as sent (strings trimmed, as the schema documents).
    for (const { id, sent } of created) {
      cases++;
      const got = (await rt.request('GET', `/v1/customers/${id}`, { token: rt.tokens.analyst })).body as Customer;
      if (typeof sent.name === 'string') expect(got.name).toBe(sent.name.trim());
      if (typeof sent.company === 'string') expect(got.company).toBe((sent.company as string).trim());
      if (typeof sent.segment === 'string') expect(got.segment).toBe((sent.segment as string).trim());
      if (Array.isArray(sent.tags)) expect(got.tags).toEqual((sent.tags as string[]).map((t) => t.trim()));
      if (sent.attributes) expect(got.attributes).toEqual(sent.attributes);
    }
    // Exactly the accepted ones were stored (no write for a refusal, one profile per success).
    expect(await rt.scanCount('CUSTOMER#')).toBe(profilesBefore + created.length);
    expect(created.length + refused).toBeGreaterThan(60);
    expect(created.length).toBeGreaterThan(30);
  }, 180_000);

  it('a PATCH with a naughty string keeps it verbatim and bumps the version once', async () => {
    const base = await rt.request('POST', '/v1/customers', { token: rt.tokens.admin, body: { name: 'Patch Me' } });
    let customer = base.body as Customer;
    for (const s of naughtyStrings.filter((x) => x.trim() !== '' && x.length <= 200).slice(0, 60)) {
      cases++;
      const patched = await rt.request('PATCH', `/v1/customers/${customer.id}`, {
        token: rt.tokens.admin,
        body: { company: s },
        headers: { 'if-match': `"${customer.version}"` },
      });
      expectNoServerError(patched, JSON.stringify(s));
      if (patched.status !== 200) continue;
      const next = patched.body as Customer;
      expect(next.company).toBe(s.trim());
      expect(next.version === customer.version || next.version === customer.version + 1).toBe(true);
      customer = next;
    }
  }, 30_000);
});
