/**
 * `npm start` serves the widget compressed as the CDN does: through the local gateway over real HTTP,
 * the coding follows the client's Accept-Encoding (weights, any letter case, `*`), and the bytes,
 * decoded, are exactly the file's. Each file is compressed once and the result reused; a file that is
 * not content-hashed is served anew once it changes on disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFunctionName } from '../../../functions/contracts/routes';
import { type Gateway, type HttpHandler, startGateway } from '../../../local/gateway';
import { createLocalIdentityProvider } from '../../../local/jwt';
import { createStaticSite } from '../../../local/static-site';
import { createWidgetFiles, negotiateEncoding } from '../../../local/widget-files';

const HASHED = 'rapport.0123456789ab.js';
const PLAIN = 'embed.js';
// Compressible like a script, with some noise so that each coding's output differs from the input.
const script = (label: string) =>
  Buffer.from(
    Array.from(
      { length: 400 },
      (_, i) => `function ${label}${i}(a){return a+${i}}/*${randomBytes(4).toString('hex')}*/`,
    ).join('\n'),
  );

let dir: string;
let gateway: Gateway;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rapport-widget-'));
  for (const name of [HASHED, PLAIN]) {
    files.set(name, script(name.replace(/\W/g, '')));
    await writeFile(path.join(dir, name), files.get(name)!);
  }
  let url = '';
  const identityProvider = await createLocalIdentityProvider({ keyFile: null, issuer: () => url });
  gateway = await startGateway({
    routes: [],
    handlers: {} as Record<HttpFunctionName, HttpHandler>,
    identityProvider,
    port: 0,
    quiet: true,
    staticRoutes: createStaticSite({
      apiUrl: () => url,
      demoSurveyId: () => undefined,
      identityProvider,
      widgetDir: dir,
    }),
  });
  url = gateway.url;
});

afterAll(async () => {
  await gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The raw bytes as sent (fetch would decode them), with the headers. */
function get(file: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(
        `${gateway.url}/widget/${file}`,
        { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

const decode = (body: Buffer, encoding: unknown) =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;

describe('the widget over HTTP', () => {
  const cases: [string | undefined, 'br' | 'gzip' | undefined][] = [
    ['gzip, deflate, br', 'br'],
    ['br', 'br'],
    ['BR', 'br'],
    ['Gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br; q=0.001, gzip;q=0.002', 'gzip'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0.5, gzip', 'gzip'],
    ['*;q=0', undefined],
    ['br;q=0, gzip;q=0, *', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['', undefined],
    ['br;q=2, gzip;q=abc', undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of cases) {
    it(`Accept-Encoding ${JSON.stringify(header)} → ${expected ?? 'identity'}, decoding to the file`, async () => {
      for (const file of [HASHED, PLAIN]) {
        const r = await get(file, header);
        expect(r.status).toBe(200);
        expect(r.headers['content-encoding']).toBe(expected);
        expect(r.headers.vary).toBe('accept-encoding');
        if (expected) expect(r.body.length).toBeLessThan(files.get(file)!.length);
        expect(decode(r.body, expected).equals(files.get(file)!)).toBe(true);
      }
    });
  }

  it('a hashed file is immutable, another is revalidated and served anew when it changes', async () => {
    expect((await get(HASHED, 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(PLAIN, 'br')).headers['cache-control']).toBe('no-cache');
    const changed = script('changed');
    await writeFile(path.join(dir, PLAIN), changed);
    // A later modification time, whatever the file system's resolution.
    await utimes(path.join(dir, PLAIN), new Date(), new Date(Date.now() + 60_000));
    for (const coding of ['br', 'gzip', undefined] as const) {
      const r = await get(PLAIN, coding);
      expect(decode(r.body, coding).equals(changed)).toBe(true);
    }
    files.set(PLAIN, changed);
  });

  it('a missing file is a 404 problem', async () => {
    const r = await get('rapport.ffffffffffff.js', 'br');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });
});

describe('each file is compressed once', () => {
  it('returns the same bytes (not a new compression) to every request for the same coding', async () => {
    const widget = createWidgetFiles(dir);
    const [first, concurrent] = await Promise.all([widget.get(HASHED, 'br'), widget.get(HASHED, 'br')]);
    const later = await widget.get(HASHED, 'gzip;q=0.1, br');
    expect(first?.encoding).toBe('br');
    expect(concurrent?.body).toBe(first?.body);
    expect(later?.body).toBe(first?.body);
    const gzipped = await widget.get(HASHED, 'gzip');
    expect(gzipped?.encoding).toBe('gzip');
    expect((await widget.get(HASHED, 'GZIP'))?.body).toBe(gzipped?.body);
  });

  it('negotiates without a file: weights, case, `*`, and identity when nothing is acceptable', () => {
    expect(negotiateEncoding('gzip;q=0.8, BR;Q=0.9')).toBe('br');
    expect(negotiateEncoding('br;q=0.5, gzip;q=0.5')).toBe('br');
    expect(negotiateEncoding('*;q=0.3, br;q=0.2')).toBe('gzip');
    expect(negotiateEncoding('identity;q=1, *;q=0')).toBeUndefined();
  });
});
