/**
 * Every route of THE route table, fuzzed on what is not the body: path parameters, query strings
 * and headers, with generated values and the Big List of Naughty Strings. Never a 5xx; every
 * refusal a problem+json; and since no generated id names a stored record and no write route gets
 * a valid request, the table never changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../functions/contracts/routes';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { runsPerRoute } from '../support/fuzz-budget';
import { naughtyStrings } from '../support/naughty-strings';
import { expectClientProblem, expectNoServerError } from '../support/problem-assertions';
import { ABSENT_ID, allRoutes, fillPath, label, publishSurvey, SHOP, samples } from '../support/route-fixtures';

let rt: TestRuntime;
let surveyId: string;
let itemsBefore: number;
let cases = 0;

const naughty = fc.constantFrom(...naughtyStrings);
const idLike = fc.oneof(
  naughty,
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.stringMatching(/^[0-9A-Z]{26}$/),
  fc.integer({ min: 1, max: 3000 }).map((n) => 'A'.repeat(n)),
  fc.constantFrom(
    'lookup',
    'export',
    '..',
    '.',
    '%',
    '%2F',
    '%00',
    ' ',
    '+',
    '{id}',
    'null',
    'undefined',
    '-1',
    '0',
    '1e308',
  ),
);
const queryValue = fc.oneof(
  naughty,
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '-1',
    '0',
    '1e308',
    'NaN',
    '9007199254740993',
    '',
    '2026-02-30',
    '9999-12-31',
    'csv',
    'jsonl',
    'open',
  ),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'cursor',
    'email',
    'phone',
    'format',
    'segment',
    'tag',
    'updatedSince',
    'from',
    'to',
    'granularity',
    'maxScore',
    'status',
    'surveyId',
    'staleDays',
    'constructor',
    'toString',
    'hasOwnProperty',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__'),
);

const paramRoutes = allRoutes.filter((r) => r.path.includes('{'));
/** Cases per route for each property: a total divided over the routes, so the suite does not grow with the API. */
const runs = {
  path: runsPerRoute({ total: 1200, floor: 20, ceiling: 60 }, paramRoutes.length),
  query: runsPerRoute({ total: 1800, floor: 20, ceiling: 60 }, allRoutes.length),
  headers: runsPerRoute({ total: 1200, floor: 15, ceiling: 40 }, allRoutes.length),
};

const writeRoutes = new Set(
  allRoutes.filter((r) => r.access === 'write' || r.method === 'POST').map((r) => r.operationId),
);

function auth(route: RouteDefinition) {
  return route.access === 'public' ? {} : { token: rt.tokens.admin };
}

/** A body that passes the route's checks, when the route takes one (so the fuzzed part decides). */
function sampleBody(route: RouteDefinition) {
  const sample = samples[route.operationId as keyof typeof samples]({
    customerId: 'x',
    duplicateId: 'y',
    surveyId,
    followUpId: 'z',
  });
  return sample.body;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  surveyId = await publishSurvey(rt);
  itemsBefore = await rt.itemCount();
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  if (cases)
    console.info(
      `[fuzz] route-inputs: ${cases} HTTP cases over ${allRoutes.length} routes (per route: ${JSON.stringify(runs)})`,
    );
  await rt?.stop();
});

// Path parameters: only the routes that have them (no skipped tests for the others).
describe.each(paramRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('any path parameter is never a 5xx and changes nothing', async () => {
    const body = sampleBody(route);
    await fc.assert(
      fc.asyncProperty(idLike, async (id) => {
        const path = fillPath(route.path, id);
        cases++;
        const response = await rt.request(route.method, path, {
          ...auth(route),
          ...(body !== undefined ? { body } : {}),
          headers: { origin: SHOP, 'access-control-request-method': 'POST' },
        });
        expectNoServerError(response, `${label(route)} id=${JSON.stringify(id.slice(0, 80))}`);
      }),
      { numRuns: runs.path, interruptAfterTimeLimit: 6000 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });
});

describe.each(allRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('any query string is never a 5xx and changes nothing; on write routes an unknown parameter is a 4xx', async () => {
    const body = sampleBody(route);
    // Writes aim at an id that does not exist, so whatever the parameters, nothing can change.
    const path = fillPath(route.path, route.access === 'write' ? ABSENT_ID : surveyId);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (pairs, mangle) => {
          let qs = new URLSearchParams(pairs).toString();
          // Percent-escapes that do not decode (or decode to invalid UTF-8).
          if (mangle) qs += '&bad=%zz%C3%28%ED%A0%80&%=%&&=';
          cases++;
          const response = await rt.request(route.method, `${path}?${qs}`, {
            ...auth(route),
            ...(body !== undefined ? { body } : {}),
            headers: { origin: SHOP },
          });
          const where = `${label(route)} ?${qs.slice(0, 200)}`;
          // A write must never go ahead with parameters it does not understand (or, here, on an absent record).
          if (writeRoutes.has(route.operationId) && route.access !== 'public') expectClientProblem(response, where);
          else expectNoServerError(response, where);
        },
      ),
      { numRuns: runs.query, interruptAfterTimeLimit: 6000 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('hostile headers are never a 5xx and change nothing', async () => {
    const path = fillPath(route.path, '01JABCDEFGHJKMNPQRSTVWXYZ0');
    const headerValue = fc.oneof(
      naughty,
      fc.constantFrom('"', '"-1"', 'W/"1"', '*', '"99999999999999999999"', '1e308', ' ', 'W/', '"1", "2"'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'if-match',
          'if-none-match',
          'origin',
          'idempotency-key',
          'x-forwarded-for',
          'accept',
          'accept-language',
          'content-language',
          'cookie',
          'x-amzn-trace-id',
          'user-agent',
        ),
        headerValue,
        async (name, value) => {
          // Header values must be Latin-1 without control characters on the wire.
          const wire = Buffer.from(value, 'utf8')
            .toString('latin1')
            // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a header may not carry.
            .replace(/[\u0000-\u001f\u007f]/g, '');
          cases++;
          const response = await rt.request(route.method, path, { ...auth(route), headers: { [name]: wire } });
          expectNoServerError(response, `${label(route)} ${name}: ${JSON.stringify(wire.slice(0, 80))}`);
        },
      ),
      { numRuns: runs.headers, interruptAfterTimeLimit: 6000 },
    );
    expect(await rt.itemCount()).toBe(itemsBefore);
  });
});

describe('ids longer than DynamoDB key values may be', () => {
  // Found by this suite: an id over ~1 KB reached DynamoDB as a key and its ValidationException
  // ("Hash primary key values must be under 2048 bytes") became a 500 (fixed in request.ts).
  it.each(paramRoutes.map((r) => [label(r), r] as const))(
    '%s: a 2,100-character id is a 4xx problem',
    async (_name, route) => {
      const body = sampleBody(route);
      for (const n of [1025, 2100, 4000]) {
        cases++;
        const response = await rt.request(route.method, fillPath(route.path, 'A'.repeat(n)), {
          ...auth(route),
          ...(body !== undefined ? { body } : {}),
          headers: { origin: SHOP, 'access-control-request-method': 'POST' },
        });
        expectClientProblem(response, `${label(route)} id of ${n} characters`);
      }
    },
  );
});

describe('a query parameter named __proto__', () => {
  // API Gateway delivers `__proto__` as an own key: the strict schema must refuse it like any other.
  it('is refused on a write like any unknown parameter, and nothing is created', async () => {
    const before = await rt.itemCount();
    const response = await rt.request('POST', '/v1/customers?__proto__=x', {
      token: rt.tokens.admin,
      body: { name: 'Proto Type' },
    });
    cases++;
    expectClientProblem(response, 'POST /v1/customers?__proto__=x');
    expect(await rt.itemCount()).toBe(before);
  });
});
