/**
 * The customer API as an admin uses it: real HTTP through the local gateway into DynamoDB Local,
 * with the stream poller feeding the aggregator exactly as Lambda would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
let admin: string;
let analyst: string;

type Body = Record<string, unknown>;
const post = (path: string, body: unknown, token = admin) => rt.request('POST', path, { token, body });
const get = (path: string, token = admin) => rt.request('GET', path, { token });
const patch = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  rt.request('PATCH', path, { token: admin, body, headers });
const del = (path: string, headers: Record<string, string> = {}) =>
  rt.request('DELETE', path, { token: admin, headers });
const bodyOf = (r: { body: unknown }) => r.body as Body;

async function allCustomers(): Promise<Body[]> {
  const out: Body[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(`/v1/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...(bodyOf(page).items as Body[]));
    cursor = bodyOf(page).nextCursor as string | undefined;
  } while (cursor);
  return out;
}

async function deleteEveryone() {
  for (const c of await allCustomers()) expect((await del(`/v1/customers/${c.id}`)).status).toBe(204);
}

beforeAll(async () => {
  rt = await startTestRuntime();
  admin = rt.tokens.admin;
  analyst = rt.tokens.analyst;
});

afterAll(async () => {
  await rt?.stop();
});

describe('create, read, update, delete', () => {
  it('normalises and stores a customer, with ETag and Location', async () => {
    const created = await post('/v1/customers', {
      name: '  王芳 ',
      email: '  Wang.Fang@Example.COM ',
      phone: '138 1234 5678',
      company: 'Acme 上海',
      segment: 'enterprise',
      tags: ['vip', 'vip'],
      attributes: { tier: 'gold', ltv: 1200 },
    });
    expect(created.status).toBe(201);
    const c = bodyOf(created);
    expect(c).toMatchObject({
      name: '王芳',
      email: 'wang.fang@example.com',
      phone: '+8613812345678',
      tags: ['vip'],
      version: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/v1/customers/${c.id}`);

    const fetched = await get(`/v1/customers/${c.id}`, analyst);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({ ...c, feedback: { count: 0, averageSatisfaction: null } });
  });

  it('optimistic locking: If-Match of the read version wins, a stale one is a 412 and changes nothing', async () => {
    const c = bodyOf(await post('/v1/customers', { name: 'Li Lei', email: 'li.lei@example.cn' }));
    const first = await patch(`/v1/customers/${c.id}`, { company: 'Beta' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(bodyOf(first)).toMatchObject({ company: 'Beta', version: 2 });
    const stale = await patch(`/v1/customers/${c.id}`, { company: 'Gamma' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(bodyOf(stale)).toMatchObject({ status: 412, currentVersion: 2 });
    expect(bodyOf(await get(`/v1/customers/${c.id}`))).toMatchObject({ company: 'Beta', version: 2 });
    const cleared = await patch(`/v1/customers/${c.id}`, { company: null, version: 2 });
    expect(cleared.status).toBe(200);
    expect(bodyOf(cleared).company).toBeUndefined();
  });

  it('delete erases the record and frees its e-mail and phone', async () => {
    const c = bodyOf(
      await post('/v1/customers', { name: 'Temp', email: 'temp@example.cn', phone: '+86 139 0000 0001' }),
    );
    expect((await del(`/v1/customers/${c.id}`, { 'if-match': '"9"' })).status).toBe(412);
    expect((await del(`/v1/customers/${c.id}`)).status).toBe(204);
    expect((await get(`/v1/customers/${c.id}`)).status).toBe(404);
    const again = await post('/v1/customers', { name: 'Temp 2', email: 'temp@example.cn', phone: '13900000001' });
    expect(again.status).toBe(201);
  });

  it('looks customers up by e-mail or phone in any spelling', async () => {
    const c = bodyOf(await post('/v1/customers', { name: 'Zhao Lei', email: 'zhao@example.cn', phone: '13700001111' }));
    expect(bodyOf(await get('/v1/customers/lookup?email=ZHAO@example.cn')).id).toBe(c.id);
    expect(bodyOf(await get(`/v1/customers/lookup?phone=${encodeURIComponent('+86 137 0000 1111')}`)).id).toBe(c.id);
    expect((await get('/v1/customers/lookup?email=nobody@example.cn')).status).toBe(404);
    expect((await get('/v1/customers/lookup')).status).toBe(400);
  });
});

describe('bad input is a 4xx and writes nothing', () => {
  it('refuses invalid phones, unknown fields, wrong types, oversize and non-JSON bodies', async () => {
    const before = await rt.itemCount();
    const bad = [
      await post('/v1/customers', { name: 'A', phone: '12345' }),
      await post('/v1/customers', { name: 'A', email: 'not-an-email' }),
      await post('/v1/customers', { name: 'A', nickname: 'x' }),
      await post('/v1/customers', { name: 42 }),
      await post('/v1/customers', { name: 'x'.repeat(20_000) }),
      await rt.request('POST', '/v1/customers', {
        token: admin,
        rawBody: 'name=A',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ];
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 413, 415]);
    for (const r of bad) expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(bodyOf(bad[0]!).errors).toEqual([
      { path: 'phone', message: expect.stringContaining('not a valid phone number') },
    ]);
    expect(await rt.itemCount()).toBe(before);
  });
});

describe('authorisation', () => {
  it('no token → 401; analyst may read but not write', async () => {
    expect((await rt.request('GET', '/v1/customers')).status).toBe(401);
    expect((await get('/v1/customers', analyst)).status).toBe(200);
    const before = await rt.itemCount();
    const write = await post('/v1/customers', { name: 'Nope' }, analyst);
    expect(write.status).toBe(403);
    expect(await rt.itemCount()).toBe(before);
  });
});

describe('uniqueness', () => {
  it('20 concurrent creates with one e-mail: one 201, nineteen 409s naming the winner', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post('/v1/customers', { name: `Racer ${i}`, email: 'race@example.cn' })),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const winner = bodyOf(created[0]!).id;
    for (const c of conflicts) expect(bodyOf(c).existingCustomerId).toBe(winner);
  });

  it('an update cannot take another customer’s phone', async () => {
    const a = bodyOf(await post('/v1/customers', { name: 'A', phone: '13811110000' }));
    const b = bodyOf(await post('/v1/customers', { name: 'B', phone: '13822220000' }));
    const taken = await patch(`/v1/customers/${b.id}`, { phone: '+8613811110000' });
    expect(taken.status).toBe(409);
    expect(bodyOf(taken).existingCustomerId).toBe(a.id);
    expect(bodyOf(await get(`/v1/customers/${b.id}`)).phone).toBe('+8613822220000');
  });
});

describe('merge', () => {
  it('fills empty fields from the duplicate, moves its guards and removes it', async () => {
    const a = bodyOf(await post('/v1/customers', { name: 'Chen Jie', email: 'chen@example.cn', tags: ['vip'] }));
    const b = bodyOf(
      await post('/v1/customers', { name: 'Chen J.', phone: '13633334444', company: 'Delta', tags: ['beta'] }),
    );
    const merged = await post(`/v1/customers/${a.id}/merge`, { duplicateId: b.id });
    expect(merged.status).toBe(200);
    expect(bodyOf(merged)).toMatchObject({
      name: 'Chen Jie',
      email: 'chen@example.cn',
      phone: '+8613633334444',
      company: 'Delta',
      tags: ['vip', 'beta'],
    });
    expect((await get(`/v1/customers/${b.id}`)).status).toBe(404);
    expect(bodyOf(await get('/v1/customers/lookup?phone=13633334444')).id).toBe(a.id);
    expect((await post(`/v1/customers/${a.id}/merge`, { duplicateId: a.id })).status).toBe(400);
    expect((await post(`/v1/customers/${a.id}/merge`, { duplicateId: b.id })).status).toBe(404);
  });
});

describe('import and export', () => {
  const rows = [
    { name: 'Import One', email: 'one@import.cn', segment: 'smb' },
    { name: 'Import Two', phone: '135 0000 2222', tags: ['trial'] },
    { name: 'Bad Phone', phone: '12345' },
    { name: 'Import One again', email: 'ONE@import.cn', company: 'One Co' },
  ];

  it('upserts by e-mail then phone with a per-row report, and a second import changes nothing', async () => {
    const first = await post('/v1/customers/import', rows.slice(0, 3));
    expect(first.status).toBe(200);
    const report = bodyOf(first) as { summary: Body; rows: Body[] };
    expect(report.rows.map((r) => r.status)).toEqual(['created', 'created', 'rejected']);
    expect(report.rows[2]!.reasons).toEqual([
      { path: 'phone', message: expect.stringContaining('not a valid phone number') },
    ]);
    // A later file naming a known e-mail (any spelling) updates that customer.
    const update = bodyOf(await post('/v1/customers/import', rows.slice(3))) as { rows: Body[] };
    expect(update.rows.map((r) => [r.status, r.id])).toEqual([['updated', report.rows[0]!.id]]);
    // One file naming the same customer twice would overwrite itself on every import: the later row
    // is refused, naming the earlier one, and the file changes nothing the second time.
    const twice = bodyOf(await post('/v1/customers/import', rows)) as { rows: Body[] };
    expect(twice.rows.map((r) => r.status)).toEqual(['updated', 'unchanged', 'rejected', 'rejected']);
    expect(twice.rows[3]!.reasons).toEqual([{ path: '', message: expect.stringContaining('as row 1') }]);
    const before = await rt.itemCount();
    const again = bodyOf(await post('/v1/customers/import', { customers: rows })) as { rows: Body[] };
    expect(again.rows.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'rejected', 'rejected']);
    expect(await rt.itemCount()).toBe(before);

    const csv = 'name,email,phone,tags\nCsv Person,csv@import.cn,,a;b\nImport Two,,+86 135 0000 2222,trial\n';
    const viaCsv = await rt.request('POST', '/v1/customers/import', {
      token: admin,
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(viaCsv.status).toBe(200);
    expect((bodyOf(viaCsv) as { rows: Body[] }).rows.map((r) => r.status)).toEqual(['created', 'unchanged']);
  });

  it('refuses a file over 1,000 rows and a CSV with unknown columns, writing nothing', async () => {
    const before = await rt.itemCount();
    const tooMany = await post(
      '/v1/customers/import',
      Array.from({ length: 1001 }, (_, i) => ({ name: `P${i}` })),
    );
    expect(tooMany.status).toBe(400);
    const badCsv = await rt.request('POST', '/v1/customers/import', {
      token: admin,
      rawBody: 'name,shoeSize\nA,42\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(badCsv.status).toBe(400);
    expect(bodyOf(badCsv).detail).toContain('shoeSize');
    expect(await rt.itemCount()).toBe(before);
  });

  it('export → delete all → import gives identical records (CSV and JSON lines)', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      const original = await allCustomers();
      expect(original.length).toBeGreaterThan(5);
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await rt.request(
          'GET',
          `/v1/customers/export?format=${format}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token: analyst },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
        pages.push(res.text);
        cursor = res.headers.get('rapport-next-cursor');
      } while (cursor);
      await deleteEveryone();
      expect(await allCustomers()).toHaveLength(0);
      for (const page of pages) {
        const imported =
          format === 'csv'
            ? await rt.request('POST', '/v1/customers/import', {
                token: admin,
                rawBody: page,
                headers: { 'content-type': 'text/csv' },
              })
            : await post(
                '/v1/customers/import',
                page
                  .trim()
                  .split('\n')
                  .filter(Boolean)
                  .map((l) => JSON.parse(l)),
              );
        expect(imported.status).toBe(200);
        expect((bodyOf(imported) as { summary: Body }).summary).toMatchObject({
          rejected: 0,
          updated: 0,
          unchanged: 0,
        });
      }
      const strip = ({ version: _v, updatedAt: _u, ...rest }: Body) => rest;
      expect((await allCustomers()).map(strip)).toEqual(original.map(strip));
    }
  });
});

describe('listing', () => {
  it('pages neither skip nor repeat records while records are being added, and filters work', async () => {
    await deleteEveryone();
    const initial: string[] = [];
    for (let i = 0; i < 23; i++) {
      const c = bodyOf(
        await post('/v1/customers', {
          name: `Pager ${i}`,
          segment: i % 2 ? 'odd' : 'even',
          tags: i % 3 ? [] : ['third'],
        }),
      );
      initial.push(c.id as string);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let added = 0;
    do {
      const page = await get(`/v1/customers?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...(bodyOf(page).items as Body[]).map((c) => c.id as string));
      cursor = bodyOf(page).nextCursor as string | undefined;
      // Records added mid-way sort after every cursor, so they must show up on a later page.
      if (cursor && added < 6) {
        await post('/v1/customers', { name: `Late ${added++}` });
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, initial.length)).toEqual(initial);
    expect(seen.length).toBe(initial.length + added);

    const oddPage = await get('/v1/customers?segment=odd&limit=100');
    expect(oddPage.status, oddPage.text).toBe(200);
    const odd = bodyOf(oddPage).items as Body[];
    expect(odd).toHaveLength(11);
    const third = bodyOf(await get('/v1/customers?tag=third&limit=3')) as { items: Body[]; nextCursor?: string };
    expect(third.items).toHaveLength(3);
    expect(third.nextCursor).toBeDefined();
    const future = bodyOf(
      await get(`/v1/customers?updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    );
    expect(future.items).toEqual([]);
    expect((await get('/v1/customers?cursor=garbage')).status).toBe(400);
  });
});

describe('data-quality report', () => {
  it('follows changes through the stream: completeness, duplicates, staleness', async () => {
    await deleteEveryone();
    const a = bodyOf(await post('/v1/customers', { name: 'Sun Li', company: 'Omega', email: 'sun@example.cn' }));
    const b = bodyOf(await post('/v1/customers', { name: 'sun  li', company: 'OMEGA', phone: '13912345678' }));
    await post('/v1/customers', { name: 'Solo', segment: 'smb', tags: ['x'] });
    await rt.drainStream();
    let q = bodyOf(await get('/v1/customers/quality', analyst)) as {
      total: number;
      completeness: Record<string, { missing: number; missingPercent: number }>;
      duplicateCandidates: { customerIds: string[] }[];
      stale: { count: number; days: number };
    };
    expect(q.total).toBe(3);
    expect(q.completeness.email).toEqual({ missing: 2, missingPercent: 66.7 });
    expect(q.completeness.segment!.missing).toBe(2);
    expect(q.duplicateCandidates.map((d) => d.customerIds)).toEqual([[a.id, b.id].sort()]);
    expect(q.stale).toMatchObject({ days: 180, count: 0 });

    await patch(`/v1/customers/${b.id}`, { company: 'Other', segment: 'enterprise' });
    await rt.drainStream();
    q = bodyOf(await get('/v1/customers/quality?staleDays=1', analyst)) as typeof q;
    expect(q.duplicateCandidates).toEqual([]);
    expect(q.completeness.segment!.missing).toBe(1);

    await post(`/v1/customers/${a.id}/merge`, { duplicateId: b.id });
    await rt.drainStream();
    q = bodyOf(await get('/v1/customers/quality', analyst)) as typeof q;
    expect(q.total).toBe(2);
    expect(q.completeness.phone!.missing).toBe(1);
  });
});

describe('inputs that once broke things (review findings)', () => {
  it('very long names and companies still aggregate into the quality report', async () => {
    const long = '漢'.repeat(200);
    const a = bodyOf(await post('/v1/customers', { name: long, company: long }));
    const b = bodyOf(await post('/v1/customers', { name: long, company: long }));
    await rt.drainStream();
    const q = bodyOf(await get('/v1/customers/quality')) as { duplicateCandidates: { customerIds: string[] }[] };
    expect(q.duplicateCandidates.map((d) => d.customerIds)).toContainEqual([a.id, b.id].sort());
    expect(rt.stats.deadLettered).toBe(0);
  });

  it('map entries named constructor (which the DynamoDB marshaller misreads) are a 400, not a 500', async () => {
    expect((await post('/v1/customers', { name: 'Keys', attributes: { constructor: 'x' } })).status).toBe(400);
  });

  it('numbers DynamoDB or JavaScript cannot keep exactly are a 400, not a 500', async () => {
    for (const value of [1e16, 1e-200, -(2 ** 60)]) {
      const res = await post('/v1/customers', { name: 'Numbers', attributes: { x: value } });
      expect(res.status, String(value)).toBe(400);
    }
  });

  it('ids that cannot exist are a 404 and foreign cursors a 400', async () => {
    expect((await get(`/v1/customers/${'A'.repeat(3000)}`)).status).toBe(404);
    expect((await get('/v1/customers/bad%20id')).status).toBe(404);
    const foreign = Buffer.from(JSON.stringify({ a: 'b' })).toString('base64url');
    expect((await get(`/v1/followups?cursor=${foreign}`)).status).toBe(400);
    expect((await get(`/v1/customers/01JABCDEFGHJKMNPQRSTVWXYZ0/responses?cursor=${foreign}`)).status).toBe(400);
  });
});

describe('Idempotency-Key on writes', () => {
  it('a retried create with the same key returns the first outcome and writes once; a reused key is a 422', async () => {
    const headers = { 'idempotency-key': 'retry-create-0001' };
    const first = await rt.request('POST', '/v1/customers', {
      token: admin,
      body: { name: 'No Contact Details' },
      headers,
    });
    expect(first.status).toBe(201);
    const before = await rt.itemCount();
    const again = await rt.request('POST', '/v1/customers', {
      token: admin,
      body: { name: 'No Contact Details' },
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(bodyOf(again).id).toBe(bodyOf(first).id);
    expect(await rt.itemCount()).toBe(before);
    const other = await rt.request('POST', '/v1/customers', { token: admin, body: { name: 'Someone Else' }, headers });
    expect(other.status).toBe(422);
    expect(
      (
        await rt.request('POST', '/v1/customers', {
          token: admin,
          body: { name: 'x' },
          headers: { 'idempotency-key': 'bad key!' },
        })
      ).status,
    ).toBe(400);
  });

  it('a refused request leaves nothing behind, so its retry runs again', async () => {
    const headers = { 'idempotency-key': 'retry-refused-0001' };
    const before = await rt.itemCount();
    expect(
      (await rt.request('POST', '/v1/customers', { token: admin, body: { name: 'Bad', phone: '12345' }, headers }))
        .status,
    ).toBe(400);
    expect(await rt.itemCount()).toBe(before);
    expect(
      (
        await rt.request('POST', '/v1/customers', {
          token: admin,
          body: { name: 'Good', phone: '13912340000' },
          headers,
        })
      ).status,
    ).toBe(201);
  });
});
