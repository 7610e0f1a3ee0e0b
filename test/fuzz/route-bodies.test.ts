/**
 * Every route that takes a body, fuzzed through real HTTP into DynamoDB Local: bodies the route's
 * schema refuses, hostile raw text (deep nesting, huge numbers and strings, broken JSON), wrong
 * content types, invalid UTF-8 and oversize bodies. Each must be a 4xx problem+json — never a 5xx —
 * and leave the table exactly as it was. Routes are read from THE route table, so a new route is
 * fuzzed without anyone touching this file.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../functions/contracts/routes';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { runsPerRoute } from '../support/fuzz-budget';
import { naughtyStrings } from '../support/naughty-strings';
import { expectClientProblem, expectNoServerError } from '../support/problem-assertions';
import {
  ABSENT_ID,
  allRoutes,
  fillPath,
  label,
  publishSurvey,
  SHOP,
  samples,
  validSubmission,
} from '../support/route-fixtures';

let rt: TestRuntime;
let surveyId: string;
let itemsBefore: number;
let cases = 0;

const bodyRoutes = allRoutes.filter(
  (r): r is RouteDefinition & { body: NonNullable<RouteDefinition['body']> } => r.body !== undefined,
);
/** Cases per route for the two open-ended properties: a total divided over the body routes. */
const bodyRuns = runsPerRoute({ total: 1000, floor: 20, ceiling: 40 }, bodyRoutes.length);
const DEFAULT_CAP = 64 * 1024;
const capOf = (route: RouteDefinition) => route.maxBodyBytes ?? DEFAULT_CAP;

/** Path and headers that get a body route past everything but the body checks. */
function target(route: RouteDefinition) {
  const isPublic = route.access === 'public';
  const ids = { customerId: ABSENT_ID, duplicateId: ABSENT_ID, surveyId, followUpId: ABSENT_ID };
  // A route whose query is required (the unsubscribe link's) gets its sample's, so only the body decides.
  const query = samples[route.operationId as keyof typeof samples](ids).query;
  return {
    path: `${fillPath(route.path, isPublic ? surveyId : ABSENT_ID)}${query ? `?${new URLSearchParams(query)}` : ''}`,
    headers: (isPublic ? { origin: SHOP } : {}) as Record<string, string>,
    token: isPublic ? undefined : rt.tokens.admin,
  };
}

async function send(
  route: RouteDefinition,
  rawBody: string | Uint8Array<ArrayBuffer>,
  contentType = route.bodyTypes?.[0] ?? 'application/json',
) {
  const t = target(route);
  cases++;
  return rt.request(route.method, t.path, {
    ...(t.token ? { token: t.token } : {}),
    rawBody,
    headers: { ...t.headers, 'content-type': contentType },
  });
}

/** Would the route's schema accept this text as JSON? (Then a 2xx is allowed; otherwise a 4xx is required.) */
function schemaAccepts(route: RouteDefinition & { body: NonNullable<RouteDefinition['body']> }, text: string): boolean {
  try {
    return route.body.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

const deep = (depth: number, open: string, close: string, core = '1') =>
  open.repeat(depth) + core + close.repeat(depth);

/** Raw JSON-ish text no route should choke on. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 500, max: 1500 }).map((n) => deep(n, '[', ']')),
  fc.integer({ min: 500, max: 1500 }).map((n) => deep(n, '{"a":', '}')),
  fc.integer({ min: 100, max: 1000 }).map((n) => `{"answers":${deep(n, '{"q":', '}')}}`),
  fc.integer({ min: 1000, max: 3000 }).map((n) => '['.repeat(n)),
  fc.constantFrom(
    '1e308',
    '1e309',
    '-1e309',
    '-0',
    '"NaN"',
    'NaN',
    'Infinity',
    String(2 ** 53 + 1),
    '0x10',
    '01',
    '.5',
    '1.',
    '+1',
    '{"id":1e308}',
    '{"surveyVersion":1e309}',
    '{"surveyVersion":-0}',
    `{"surveyVersion":${2 ** 53 + 1}}`,
    '',
    ' ',
    'null',
    'true',
    '"just a string"',
    '{',
    '}',
    '{"a":1,}',
    "{'a':1}",
    '{"a":undefined}',
    '[1,2',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\uFEFF{}',
    '{"a":"\\uD800"}',
    '{"a":"\\u0000"}',
    '{"a" "b"}',
    '{"a":1}{"b":2}',
    '\u0000',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(...naughtyStrings),
);

beforeAll(async () => {
  rt = await startTestRuntime();
  surveyId = await publishSurvey(rt);
  itemsBefore = await rt.itemCount();
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  if (cases) console.info(`[fuzz] route-bodies: ${cases} HTTP cases over ${bodyRoutes.length} body routes`);
  await rt?.stop();
});

describe.each(bodyRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('a body the schema refuses is a 4xx problem, and nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 4 }).filter((v) => !route.body.safeParse(v).success),
        async (value) => {
          expectClientProblem(
            await send(route, JSON.stringify(value)),
            `${label(route)} ${JSON.stringify(value).slice(0, 200)}`,
          );
        },
      ),
      { numRuns: bodyRuns, interruptAfterTimeLimit: 8000 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('hostile raw text is never a 5xx; unless the schema accepts it, it is a 4xx; nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        const response = await send(route, text);
        const where = `${label(route)} ${JSON.stringify(text.slice(0, 120))}`;
        if (schemaAccepts(route, text)) expectNoServerError(response, where);
        else expectClientProblem(response, where);
      }),
      { numRuns: bodyRuns, interruptAfterTimeLimit: 8000 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('a content type the route does not take is a 415 problem', async () => {
    const accepted = route.bodyTypes ?? ['application/json'];
    const types = [
      'text/plain',
      'application/xml',
      'text/html',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'application/json-patch+json',
      'application/problem+json',
      'text/csv',
      'application/jsonx',
      'json',
      ';',
      'application/json;;;',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types.filter((t) => !accepted.includes(t.split(';')[0]!.trim().toLowerCase()))),
        async (contentType) => {
          const response = await send(route, JSON.stringify({ anything: 1 }), contentType);
          expectClientProblem(response, `${label(route)} as ${contentType}`);
          expect(response.status).toBe(415);
        },
      ),
      { numRuns: 12 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('invalid UTF-8 is a 4xx problem, and nothing is written', async () => {
    // Inside a body the schema refuses anyway (the public route's valid body is checked below).
    const bad = fc.constantFrom(
      [0xc3, 0x28],
      [0xa0, 0xa1],
      [0xe2, 0x28, 0xa1],
      [0xe2, 0x82, 0x28],
      [0xf0, 0x28, 0x8c, 0xbc],
      [0xf8, 0xa1, 0xa1, 0xa1, 0xa1],
      [0xed, 0xa0, 0x80],
      [0xff],
      [0xc0, 0xaf],
    );
    await fc.assert(
      fc.asyncProperty(bad, fc.constantFrom('key', 'value'), async (bytes, where) => {
        const [before, after] = where === 'key' ? ['{"', '":1}'] : ['{"zzz":"', '"}'];
        const raw = new Uint8Array([...Buffer.from(before), ...bytes, ...Buffer.from(after)]);
        expectClientProblem(
          await send(route, raw),
          `${label(route)} bytes ${bytes.map((b) => b.toString(16)).join(' ')} in ${where}`,
        );
      }),
      { numRuns: 18 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('bodies over the cap are a 413 problem; near the cap they are parsed, never a 5xx', async () => {
    const cap = capOf(route);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -64, max: cap }), async (delta) => {
        const size = cap + delta;
        // A JSON string literal of exactly `size` bytes: valid JSON, invalid for every schema.
        const text = `"${'x'.repeat(Math.max(0, size - 2))}"`;
        const response = await send(route, text);
        expectClientProblem(response, `${label(route)} ${size} bytes`);
        if (size > cap) expect(response.status).toBe(413);
        else expect(response.status).not.toBe(413);
      }),
      { numRuns: 10, examples: [[1], [0], [-1]] },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });
});

async function allComments(id: string): Promise<Map<string, Record<string, unknown>>> {
  const seen = new Map<string, Record<string, unknown>>();
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const response = await rt.request(
      'GET',
      `/v1/surveys/${id}/comments?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: rt.tokens.analyst },
    );
    expect(response.status, response.text).toBe(200);
    const body = response.body as {
      items: { responseId: string; comments: Record<string, unknown> }[];
      nextCursor?: string;
    };
    for (const item of body.items) seen.set(item.responseId, item.comments);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

describe('every field of a submission filled with naughty strings (public route)', () => {
  it('is never a 5xx, and a 201 stores the text verbatim', async () => {
    const fields = [
      'comment',
      'locale',
      'segment',
      'page',
      'metaValue',
      'metaKey',
      'answerKey',
      'email',
      'customerId',
      'website',
      'channel',
      'id',
    ] as const;
    const stored: { id: string; comment: string }[] = [];
    await fc.assert(
      // The comment is drawn a third of the time: it is the field whose stored text is checked below.
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: fc.constant('comment' as const), weight: 6 },
          { arbitrary: fc.constantFrom(...fields), weight: 12 },
        ),
        fc.constantFrom(...naughtyStrings),
        async (field, s) => {
          const base = validSubmission();
          const answers: Record<string, unknown> = { ...base.answers };
          const body: Record<string, unknown> = { ...base, answers };
          if (field === 'comment') answers.comment = s;
          else if (field === 'channel') answers.channel = s;
          else if (field === 'answerKey') answers[s] = 3;
          else if (field === 'metaValue') body.metadata = { source: s };
          else if (field === 'metaKey') body.metadata = { [s]: 'v' };
          else body[field] = s;
          cases++;
          const response = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
            body,
            headers: { origin: SHOP },
          });
          expectNoServerError(response, `${field}=${JSON.stringify(s.slice(0, 80))}`);
          if (response.status === 201 && field === 'comment' && s.trim() !== '')
            stored.push({ id: base.id, comment: s });
        },
      ),
      // A fixed number of runs, not a time limit: the count of stored comments checked below must not
      // depend on how busy the machine is.
      { numRuns: 240 },
    );
    // Whatever was accepted comes back byte-exact through the comments API.
    const seen = await allComments(surveyId);
    for (const { id, comment } of stored) {
      expect(seen.has(id), `accepted response ${id} is listed`).toBe(true);
      const back = seen.get(id)?.comment;
      expect([comment, comment.trim()], `comment of ${id}`).toContain(back);
    }
    expect(stored.length).toBeGreaterThan(20);
  }, 120_000);
});

describe('invalid UTF-8 inside an otherwise valid submission', () => {
  // Bytes that are not UTF-8 reach the handler base64-encoded and are refused, never stored as U+FFFD.
  it('is refused with a 4xx, not silently turned into U+FFFD and stored', async () => {
    const before = await rt.scanCount('RESPONSES#');
    for (const bytes of [[0xc3, 0x28], [0xed, 0xa0, 0x80], [0xff]]) {
      const body = JSON.stringify(validSubmission({ answers: { overall: 4, comment: 'BYTES' } }));
      const [head, tail] = body.split('BYTES') as [string, string];
      const raw = new Uint8Array([...Buffer.from(head), ...bytes, ...Buffer.from(tail)]);
      cases++;
      const response = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
        rawBody: raw,
        headers: { origin: SHOP, 'content-type': 'application/json' },
      });
      expectClientProblem(response, `bytes ${bytes.join(',')}`);
    }
    expect(await rt.scanCount('RESPONSES#')).toBe(before);
  });
});
