/**
 * The response funnel and branching through the local runtime (real HTTP, DynamoDB Local, the stream):
 * the public displays route under hostile input (bad bodies, oversize, wrong origin, replays), the
 * funnel figures of the report checked against the displays, drop-offs and answers sent, and the
 * API refusing a forged answer to a question the survey's logic hid. A hot survey's displays are spread
 * over write shards (keys.ts DISPLAY_SHARDS) and their funnel counts over per-shard cell copies: the
 * report's figures must still be exactly those of the events sent.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_SHARDS, displayKeys, displayShard } from '../../functions/adapters/dynamodb/keys';
import { responseRate } from '../../functions/domain/statistics/response-rate';
import { wilson } from '../../functions/domain/statistics/wilson';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const SHOP = 'https://shop.example.com';
const en = (text: string) => ({ en: text });
const definition = {
  name: 'Funnel',
  locales: ['en'],
  defaultLocale: 'en',
  title: en('How likely are you to recommend us?'),
  questions: [
    { id: 'nps', type: 'nps', required: true, text: en('Recommend us?') },
    {
      id: 'fix',
      type: 'text',
      required: true,
      maxLength: 500,
      text: en('What should we fix?'),
      showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] },
    },
    {
      id: 'like',
      type: 'text',
      maxLength: 500,
      text: en('What do you like most?'),
      showIf: { any: [{ question: 'nps', op: 'gte', value: 9 }] },
    },
  ],
  delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, segments: ['vip'] },
  targeting: {
    triggers: { urls: { include: [{ match: 'prefix', value: '/checkout' }], exclude: [] }, events: ['paid'] },
    audience: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] },
    displayLimit: 3,
  },
};

let surveyId: string;
const display = (body: unknown, origin = SHOP, id = surveyId) =>
  rt.request('POST', `/v1/surveys/${id}/displays`, { body, headers: { origin } });
const submit = (body: unknown) =>
  rt.request('POST', `/v1/surveys/${surveyId}/responses`, { body, headers: { origin: SHOP } });
const report = async (query = '') => {
  await rt.drainStream();
  const r = await rt.request('GET', `/v1/surveys/${surveyId}/report${query}`, { token: rt.tokens.analyst });
  expect(r.status, r.text).toBe(200);
  return r.body as Body;
};

beforeAll(async () => {
  rt = await startTestRuntime();
  const created = await rt.request('POST', '/v1/surveys', {
    token: rt.tokens.admin,
    body: { ...definition, status: undefined },
  });
  expect(created.status, created.text).toBe(201);
  surveyId = (created.body as Body).id;
  const published = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
    token: rt.tokens.admin,
    body: { ...definition, status: 'active' },
  });
  expect(published.status, published.text).toBe(200);
});

afterAll(async () => {
  await rt?.stop();
});

describe('the widget gets the targeting, the API keeps the logic', () => {
  it('serves triggers, audience and limits to the widget, and refuses logic that names a later question', async () => {
    const widget = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, { headers: { origin: SHOP } });
    expect((widget.body as Body).targeting).toEqual(definition.targeting);
    expect((widget.body as Body).questions[1].showIf).toEqual(definition.questions[1]!.showIf);
    const bad = await rt.request('POST', '/v1/surveys', {
      token: rt.tokens.admin,
      body: {
        ...definition,
        questions: [{ ...definition.questions[1], showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] } }],
      },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as Body).errors).toEqual([
      { path: 'questions/0/showIf/all/0/question', message: 'must name an earlier question' },
    ]);
  });

  it('an NPS 3 must say what to fix; a 10 may not answer it (400 naming the question and its condition)', async () => {
    const before = await rt.scanCount(`RESPONSES#${surveyId}`);
    const missing = await submit({ id: ulid(), surveyVersion: 1, locale: 'en', answers: { nps: 3 } });
    expect(missing.status).toBe(400);
    expect((missing.body as Body).errors).toEqual([{ path: 'answers/fix', message: 'is required' }]);
    const forged = await submit({ id: ulid(), surveyVersion: 1, locale: 'en', answers: { nps: 10, fix: 'forged' } });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect((forged.body as Body).errors).toEqual([
      { path: 'answers/fix', message: 'was not asked: it is shown only when nps ≤ 6' },
    ]);
    expect(await rt.scanCount(`RESPONSES#${surveyId}`)).toBe(before);
  });

  it('an answer after an endIf ended the survey is refused (400 naming the question and the end), writing nothing', async () => {
    const ending = {
      ...definition,
      name: 'Ends early',
      questions: [
        {
          id: 'more',
          type: 'single_choice',
          required: true,
          text: en('Tell us more?'),
          options: [
            { id: 'yes', label: en('Yes') },
            { id: 'no', label: en('No') },
          ],
          endIf: { all: [{ question: 'more', op: 'eq', value: 'no' }] },
        },
        { id: 'detail', type: 'text', required: true, maxLength: 500, text: en('Go on') },
      ],
      targeting: undefined,
    };
    const created = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: ending });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as Body).id as string;
    const published = await rt.request('PUT', `/v1/surveys/${id}`, {
      token: rt.tokens.admin,
      body: { ...ending, status: 'active' },
    });
    expect(published.status, published.text).toBe(200);
    const answer = (answers: unknown) =>
      rt.request('POST', `/v1/surveys/${id}/responses`, {
        body: { id: ulid(), surveyVersion: 1, locale: 'en', answers },
        headers: { origin: SHOP },
      });
    const afterEnd = await answer({ more: 'no', detail: 'after the end' });
    expect(afterEnd.status).toBe(400);
    expect(afterEnd.headers.get('content-type')).toContain('application/problem+json');
    expect((afterEnd.body as Body).errors).toEqual([
      { path: 'answers/detail', message: 'was not asked: the survey ends after more when more = "no"' },
    ]);
    expect(await rt.scanCount(`RESPONSES#${id}`)).toBe(0);
    // The end is the path: "no" alone is a complete response, and "yes" still requires what follows.
    const ended = await answer({ more: 'no' });
    expect(ended.status, ended.text).toBe(201);
    const unfinished = await answer({ more: 'yes' });
    expect((unfinished.body as Body).errors).toEqual([{ path: 'answers/detail', message: 'is required' }]);
    expect(await rt.scanCount(`RESPONSES#${id}`)).toBe(1);
  });

  it('refuses audience rules whose value does not fit their op, on create and update, naming each field', async () => {
    const audience = {
      attributes: [
        { attribute: 'seats', op: 'gt', value: '10' },
        { attribute: 'plan', op: 'in', value: 'pro' },
        { attribute: 'plan', op: 'eq' },
        { attribute: 'trial', op: 'unanswered', value: false },
      ],
    };
    const expected = [
      { path: 'targeting/audience/attributes/0/value', message: 'must be a number with op gt' },
      { path: 'targeting/audience/attributes/1/value', message: 'must be a list with op in' },
      { path: 'targeting/audience/attributes/2/value', message: 'must be one value with op eq' },
      { path: 'targeting/audience/attributes/3/value', message: 'takes no value with op unanswered' },
    ];
    const surveysBefore = await rt.scanCount('SURVEY#');
    const created = await rt.request('POST', '/v1/surveys', {
      token: rt.tokens.admin,
      body: { ...definition, targeting: { ...definition.targeting, audience } },
    });
    expect(created.status).toBe(400);
    expect(created.headers.get('content-type')).toContain('application/problem+json');
    expect((created.body as Body).errors).toEqual(expected);
    expect(await rt.scanCount('SURVEY#')).toBe(surveysBefore);
    const updated = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: rt.tokens.admin,
      body: { ...definition, status: 'active', targeting: { ...definition.targeting, audience } },
    });
    expect(updated.status).toBe(400);
    expect((updated.body as Body).errors).toEqual(expected);
    const widget = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, { headers: { origin: SHOP } });
    expect((widget.body as Body).targeting).toEqual(definition.targeting);
  });
});

describe('POST /v1/surveys/{id}/displays', () => {
  it('refuses bad input, oversize bodies, foreign origins and unknown surveys, writing nothing', async () => {
    const before = await rt.scanCount(`DISPLAYS#${surveyId}`);
    const cases: [unknown, number, string?][] = [
      [{ id: ulid(), event: 'opened' }, 400, 'event'],
      [{ id: 'not-an-id', event: 'shown' }, 400, 'id'],
      [{ id: ulid(), event: 'shown', extra: 1 }, 400],
      [{ id: ulid(), event: 'shown', questionId: 'nps' }, 400, 'questionId'],
      [{ id: ulid(), event: 'dismissed', questionId: 'nope' }, 400, 'questionId'],
      [{ id: ulid(Date.now() - 40 * 86_400_000), event: 'shown' }, 400, 'id'],
      [{ id: ulid(), event: 'shown', segment: 'x'.repeat(3000) }, 413],
    ];
    for (const [body, status, path] of cases) {
      const r = await display(body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      if (path) expect(((r.body as Body).errors as { path: string }[]).map((e) => e.path)).toContain(path);
    }
    const foreign = await display({ id: ulid(), event: 'shown' }, 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await display({ id: ulid(), event: 'shown' }, SHOP, 'NOSUCHSURVEY')).status).toBe(404);
    expect(await rt.scanCount(`DISPLAYS#${surveyId}`)).toBe(before);
  });

  it('records once per display and event: a replay answers 201 again and counts once, a changed replay is 409', async () => {
    const id = ulid();
    const first = await display({ id, event: 'shown', segment: 'vip' });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ id, event: 'shown' });
    expect(first.headers.get('access-control-allow-origin')).toBe(SHOP);
    const replay = await display({ id, event: 'shown', segment: 'vip' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await display({ id, event: 'dismissed', questionId: 'nps', segment: 'vip' })).status).toBe(201);
    const changed = await display({ id, event: 'dismissed', questionId: 'fix', segment: 'vip' });
    expect(changed.status).toBe(409);
    const preflight = await rt.request('OPTIONS', `/v1/surveys/${surveyId}/displays`, {
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    const r = await report();
    expect(r.funnel).toMatchObject({ displays: 1, dismissed: 1 });
  });

  it('the report’s funnel matches what was sent: response rate with its interval, drop-off per question, per segment and day', async () => {
    const base = (await report()).funnel as Body;
    // 9 more displays: 2 closed at the first question, 1 at "what should we fix", 4 answered.
    const ids = Array.from({ length: 9 }, () => ulid());
    for (const [i, id] of ids.entries()) {
      expect((await display({ id, event: 'shown', ...(i < 3 ? { segment: 'vip' } : {}) })).status).toBe(201);
    }
    for (const id of ids.slice(0, 2))
      expect((await display({ id, event: 'dismissed', questionId: 'nps' })).status).toBe(201);
    expect((await display({ id: ids[2], event: 'dismissed', questionId: 'fix', segment: 'vip' })).status).toBe(201);
    const sent = [{ nps: 3, fix: 'Shipping' }, { nps: 10, like: 'Speed' }, { nps: 8 }, { nps: 9 }];
    for (const answers of sent) {
      const r = await submit({ id: ulid(), surveyVersion: 1, locale: 'en', answers, segment: 'vip' });
      expect(r.status, r.text).toBe(201);
    }
    const r = await report('?granularity=week');
    const displays = base.displays + 9;
    expect(r.funnel).toMatchObject({ displays, responses: 4, dismissed: base.dismissed + 3 });
    expect(r.funnel.responseRate).toBeCloseTo(4 / displays, 10);
    expect(r.funnel.ci95.low).toBeLessThan(4 / displays);
    expect(r.funnel.ci95.high).toBeGreaterThan(4 / displays);
    expect(r.funnel.dropOff).toEqual([
      { questionId: 'nps', dismissed: 3, share: 3 / displays },
      { questionId: 'fix', dismissed: 1, share: 1 / displays },
      { questionId: 'like', dismissed: 0, share: 0 },
    ]);
    const week = (r.trend as Body[]).find((b) => b.displays > 0)!;
    expect(week).toMatchObject({ displays, responses: 4 });
    // vip: the display of the test before and three of these.
    expect(r.segments.find((s: Body) => s.segment === 'vip')).toMatchObject({
      displays: 4,
      responses: 4,
      responseRate: 1,
    });
    // A conditional question says that its n counts only those who were shown it.
    expect(r.questions.map((q: Body) => [q.questionId, q.conditional])).toEqual([
      ['nps', false],
      ['fix', true],
      ['like', true],
    ]);
    const vip = await report('?segment=vip');
    expect(vip.funnel).toMatchObject({ displays: 4, responses: 4, responseRate: 1 });
    expect(vip.funnel.dropOff[1]).toEqual({ questionId: 'fix', dismissed: 1, share: 1 / 4 });
  });

  // About 500 requests, each dismissal a read before its put: on a machine shared with other suites
  // this can pass the default minute without anything being wrong (a timeout, not a speed goal).
  it('a hot survey’s displays spread over every shard, and the report sums them exactly: rate, interval, drop-off per question and segment', async () => {
    const before = await report();
    const today = new Date().toISOString().slice(0, 10);
    const partitions = Array.from({ length: DISPLAY_SHARDS }, (_, k) => displayKeys.partition(surveyId, today, k));
    const storedBefore = await Promise.all(partitions.map((pk) => rt.scanCount(pk)));
    const bucketsBefore = new Map<string, Body>();
    for (const bucket of ['vip', 'none', 'other'])
      bucketsBefore.set(bucket, (await report(`?segment=${bucket}`)).funnel);
    // What the widget sends: 160 displays in every segment bucket; some closed at a question (or
    // before any), and retries of shown and dismissed records, which must count once.
    const segments = ['vip', undefined, 'guest'] as const;
    const bucketOf = (i: number) => ['vip', 'none', 'other'][i % 3] as string;
    const closedAt = (i: number) => (['nps', 'fix', '', undefined, undefined] as const)[i % 5];
    const ids = Array.from({ length: 160 }, () => ulid());
    const sends = ids.flatMap((id, i) => {
      const segment = segments[i % 3];
      const shown = { id, event: 'shown', ...(segment ? { segment } : {}) };
      const at = closedAt(i);
      const dismissed =
        at === undefined
          ? []
          : [{ id, event: 'dismissed', ...(at ? { questionId: at } : {}), ...(segment ? { segment } : {}) }];
      const retries = [...(i % 4 === 0 ? [shown] : []), ...(i % 10 === 1 ? dismissed : [])];
      return [shown, ...dismissed, ...retries];
    });
    // Ten at a time, as many pages would.
    for (let i = 0; i < sends.length; i += 10) {
      const answered = await Promise.all(sends.slice(i, i + 10).map((body) => display(body)));
      for (const r of answered) expect(r.status, r.text).toBe(201);
    }
    const answers = [{ nps: 3, fix: 'Shipping' }, { nps: 10, like: 'Speed' }, { nps: 8 }];
    const responseSegments = Array.from({ length: 30 }, (_, i) => segments[i % 3]);
    for (const [i, segment] of responseSegments.entries()) {
      const body = {
        id: ulid(),
        surveyVersion: 1,
        locale: 'en',
        answers: answers[i % 3],
        ...(segment ? { segment } : {}),
      };
      const r = await submit(body);
      expect(r.status, r.text).toBe(201);
    }

    // Each (display, event) is stored once, in the partition of its display's shard, and the shards are all used.
    const stored = new Array<number>(DISPLAY_SHARDS).fill(0);
    ids.forEach((id, i) => {
      stored[displayShard(id)]! += closedAt(i) === undefined ? 1 : 2;
    });
    const storedAfter = await Promise.all(partitions.map((pk) => rt.scanCount(pk)));
    expect(storedAfter.map((n, k) => n - storedBefore[k]!)).toEqual(stored);
    expect(stored.filter((n) => n > 0).length).toBeGreaterThanOrEqual(12);

    // The figures, computed from the events sent above and the report before them.
    const r = await report();
    const displays = before.funnel.displays + ids.length;
    const responses = before.funnel.responses + responseSegments.length;
    const closed = (q: string | undefined) =>
      ids.filter((_, i) => closedAt(i) !== undefined && (q === undefined || closedAt(i) === q)).length;
    expect(r.funnel).toEqual({
      displays,
      responses,
      ...(({ rate, ci95 }) => ({ responseRate: rate, ci95 }))(responseRate(responses, displays)),
      dismissed: before.funnel.dismissed + closed(undefined),
      dropOff: (before.funnel.dropOff as Body[]).map((d) => {
        const dismissed = d.dismissed + closed(d.questionId);
        return { questionId: d.questionId, dismissed, share: dismissed / displays };
      }),
    });
    expect(r.funnel.ci95).toMatchObject(wilson(Math.min(responses, displays), displays)!);
    for (const bucket of ['vip', 'none', 'other']) {
      const was = (before.segments as Body[]).find((x) => x.segment === bucket) ?? { displays: 0, responses: 0 };
      const inBucket = (i: number) => bucketOf(i) === bucket;
      const segmentDisplays = was.displays + ids.filter((_, i) => inBucket(i)).length;
      const segmentResponses = was.responses + responseSegments.filter((_, i) => inBucket(i)).length;
      expect(r.segments.find((x: Body) => x.segment === bucket)).toMatchObject({
        displays: segmentDisplays,
        responses: segmentResponses,
        responseRate: responseRate(segmentResponses, segmentDisplays).rate,
      });
      const wasOfBucket = bucketsBefore.get(bucket)!;
      const one = await report(`?segment=${bucket}`);
      expect(one.funnel.displays).toBe(segmentDisplays);
      expect(one.funnel.ci95).toEqual(responseRate(segmentResponses, segmentDisplays).ci95);
      for (const d of one.funnel.dropOff as Body[]) {
        const was = (wasOfBucket.dropOff as Body[]).find((x) => x.questionId === d.questionId)!.dismissed;
        const added = ids.filter((_, i) => inBucket(i) && closedAt(i) === d.questionId).length;
        expect(d).toEqual({ questionId: d.questionId, dismissed: was + added, share: (was + added) / segmentDisplays });
      }
    }
  }, 180_000);

  it('a dismissal implies its display: alone or before its shown it counts one display, in the display’s segment bucket', async () => {
    const before = await report();
    const vipBefore = (await report('?segment=vip')).funnel as Body;
    // Closed with no `shown` ever recorded (its record lost, or forged): counted as shown and closed.
    const alone = ulid();
    expect((await display({ id: alone, event: 'dismissed', questionId: 'nps' })).status).toBe(201);
    // The outbox sent the dismissal first: the `shown` that follows is a replay of the display it recorded.
    const early = ulid();
    expect((await display({ id: early, event: 'dismissed', questionId: 'fix', segment: 'vip' })).status).toBe(201);
    const late = await display({ id: early, event: 'shown', segment: 'vip' });
    expect(late.status).toBe(201);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    // Shown as a vip, closed after identify() changed: both count in the bucket it was shown in.
    const moved = ulid();
    expect((await display({ id: moved, event: 'shown', segment: 'vip' })).status).toBe(201);
    expect((await display({ id: moved, event: 'dismissed', questionId: 'fix' })).status).toBe(201);
    const replay = await display({ id: moved, event: 'dismissed', questionId: 'fix' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const r = await report();
    expect(r.funnel.displays).toBe(before.funnel.displays + 3);
    expect(r.funnel.dismissed).toBe(before.funnel.dismissed + 3);
    const dropped = (f: Body, q: string) => (f.dropOff as Body[]).find((d) => d.questionId === q)!.dismissed;
    expect(dropped(r.funnel, 'nps')).toBe(dropped(before.funnel, 'nps') + 1);
    expect(dropped(r.funnel, 'fix')).toBe(dropped(before.funnel, 'fix') + 2);
    const vip = (await report('?segment=vip')).funnel as Body;
    expect(vip.displays).toBe(vipBefore.displays + 2);
    expect(dropped(vip, 'fix')).toBe(dropped(vipBefore, 'fix') + 2);
    // Whatever the order and the retries: never more closed than shown, anywhere.
    for (const f of [r.funnel, vip, ...r.trend, ...r.segments] as Body[]) {
      expect(f.dismissed).toBeLessThanOrEqual(f.displays);
      expect((f.dropOff as Body[]).reduce((sum, d) => sum + d.dismissed, 0)).toBeLessThanOrEqual(f.dismissed);
    }
  });

  it('each trend bucket (day, week, month) and each segment entry has the funnel of its own events', async () => {
    const questions = ['nps', 'fix', 'like'];
    const granularities = ['day', 'week', 'month'] as const;
    const reports = async () => ({
      day: await report('?granularity=day'),
      week: await report('?granularity=week'),
      month: await report('?granularity=month'),
    });
    interface Counts {
      displays: number;
      responses: number;
      dismissed: number;
      dropped: Record<string, number>;
    }
    const countsOf = (e: Body): Counts => ({
      displays: e.displays,
      responses: e.responses,
      dismissed: e.dismissed,
      dropped: Object.fromEntries((e.dropOff as Body[]).map((d) => [d.questionId, d.dismissed])),
    });
    // The figures a set of displays and responses must show, computed here from the counts alone.
    const figures = (c: Counts) => {
      const { rate, ci95 } = responseRate(c.responses, c.displays);
      return {
        displays: c.displays,
        responses: c.responses,
        responseRate: rate,
        ci95,
        dismissed: c.dismissed,
        dropOff: questions.map((q) => ({
          questionId: q,
          dismissed: c.dropped[q] ?? 0,
          share: c.displays ? (c.dropped[q] ?? 0) / c.displays : null,
        })),
      };
    };
    const funnelOf = (e: Body) => {
      const { displays, responses, responseRate: rate, ci95, dismissed, dropOff } = e;
      return { displays, responses, responseRate: rate, ci95, dismissed, dropOff };
    };
    const DAY = 86_400_000;
    const mondayOf = (day: string) => {
      const t = Date.parse(`${day}T00:00:00Z`);
      return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
    };
    const bucketOf = (day: string, g: (typeof granularities)[number]) =>
      g === 'day' ? day : g === 'week' ? mondayOf(day) : day.slice(0, 7);
    const segmentBucket = (s: string | undefined) => (s === undefined ? 'none' : s === 'vip' ? 'vip' : 'other');

    const before = await reports();
    // What was sent, per (granularity, bucket) and per segment bucket.
    const added = new Map<string, Counts>();
    const add = (key: string, change: (c: Counts) => void) => {
      const c = added.get(key) ?? { displays: 0, responses: 0, dismissed: 0, dropped: {} };
      change(c);
      added.set(key, c);
    };
    const addEverywhere = (day: string, segment: string | undefined, change: (c: Counts) => void) => {
      for (const g of granularities) add(`${g} ${bucketOf(day, g)}`, change);
      add(`segment ${segmentBucket(segment)}`, change);
    };
    const segments = ['vip', undefined, 'guest'] as const;
    const now = Date.now();
    let n = 0;
    // Three days, a week apart or less, so that day, week and month buckets group them differently.
    for (const [k, ago] of [0, 2, 9].entries()) {
      for (let i = 0; i < 5 + k; i++, n++) {
        const t = now - ago * DAY - i * 1000;
        const day = new Date(t).toISOString().slice(0, 10);
        const segment = segments[n % 3];
        const id = ulid(t);
        const closedAt = (['nps', 'fix', '', undefined] as const)[n % 4];
        const shown = { id, event: 'shown', ...(segment ? { segment } : {}) };
        const dismissed = {
          id,
          event: 'dismissed',
          ...(closedAt ? { questionId: closedAt } : {}),
          ...(segment ? { segment } : {}),
        };
        // Some dismissals arrive before their shown, some without one.
        const sends =
          closedAt === undefined
            ? [shown]
            : n % 3 === 1
              ? [dismissed, shown]
              : n % 5 === 2
                ? [dismissed]
                : [shown, dismissed];
        for (const body of sends) {
          const r = await display(body);
          expect(r.status, r.text).toBe(201);
        }
        addEverywhere(day, segment, (c) => {
          c.displays += 1;
          if (closedAt !== undefined) {
            c.dismissed += 1;
            if (closedAt) c.dropped[closedAt] = (c.dropped[closedAt] ?? 0) + 1;
          }
        });
        if (i % 2 === 0) {
          const answers = i % 4 === 0 ? { nps: 8 } : { nps: 10, like: 'Speed' };
          const body = { id: ulid(t), surveyVersion: 1, locale: 'en', answers, ...(segment ? { segment } : {}) };
          const r = await submit(body);
          expect(r.status, r.text).toBe(201);
          addEverywhere(day, segment, (c) => {
            c.responses += 1;
          });
        }
      }
    }

    const after = await reports();
    const sum = (a: Counts, b: Counts | undefined): Counts => ({
      displays: a.displays + (b?.displays ?? 0),
      responses: a.responses + (b?.responses ?? 0),
      dismissed: a.dismissed + (b?.dismissed ?? 0),
      dropped: Object.fromEntries(questions.map((q) => [q, (a.dropped[q] ?? 0) + (b?.dropped[q] ?? 0)])),
    });
    for (const g of granularities) {
      const was = new Map((before[g].trend as Body[]).map((b) => [b.bucket as string, countsOf(b)]));
      const touched = (after[g].trend as Body[]).filter((b) => added.has(`${g} ${b.bucket}`));
      expect(touched.length, g).toBeGreaterThan(0);
      for (const b of after[g].trend as Body[]) {
        const expected = sum(was.get(b.bucket)!, added.get(`${g} ${b.bucket}`));
        expect(funnelOf(b), `${g} ${b.bucket}`).toEqual(figures(expected));
      }
      // The buckets add up to the whole.
      const total = (after[g].trend as Body[]).map(countsOf).reduce(sum);
      expect(funnelOf(after[g].funnel)).toEqual(figures(total));
    }
    expect(added.has(`day ${new Date(now - 9 * DAY).toISOString().slice(0, 10)}`)).toBe(true);
    for (const entry of after.day.segments as Body[]) {
      const was = countsOf((before.day.segments as Body[]).find((x) => x.segment === entry.segment)!);
      expect(funnelOf(entry), entry.segment).toEqual(figures(sum(was, added.get(`segment ${entry.segment}`))));
      expect(Object.keys(entry).sort()).toEqual(['segment', ...Object.keys(figures(was))].sort());
    }
    expect((after.day.segments as Body[]).map((x) => x.segment)).toEqual(['vip', 'other', 'none']);
  });

  it('a rebuild of the day from stored responses keeps the funnel', async () => {
    const before = (await report()).funnel as Body;
    const today = new Date().toISOString().slice(0, 10);
    const rebuilt = await rt.request('POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, {
      token: rt.tokens.admin,
      body: { from: today, to: today },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(rebuilt.status, rebuilt.text).toBe(200);
    expect((await report()).funnel).toEqual(before);
  });
});
