/**
 * Surveys end to end through the local runtime: an admin defines and publishes a two-locale survey,
 * customers submit (including a retried duplicate and bad input), the stream aggregates, and the
 * report, comments, export, follow-ups and customer behaviour reflect exactly what was stored.
 */

import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { createIdentitySecret, signedIdentity } from '../support/identity';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const SHOP = 'https://shop.example.com';
const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const definition = {
  name: 'Post-purchase',
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: text('How was your purchase?', '您对这次购买满意吗？'),
  thankYou: text('Thank you!', '谢谢！'),
  questions: [
    {
      id: 'overall',
      type: 'likert',
      points: 5,
      required: true,
      overall: true,
      text: text('Overall satisfaction', '总体满意度'),
    },
    { id: 'delivery', type: 'likert', points: 5, text: text('Delivery', '配送') },
    { id: 'nps', type: 'nps', text: text('Recommend us?', '您会推荐我们吗？') },
    { id: 'effort', type: 'ces', text: text('It was easy', '很容易') },
    {
      id: 'channel',
      type: 'single_choice',
      text: text('Channel', '渠道'),
      options: [
        { id: 'web', label: text('Web', '网站') },
        { id: 'app', label: text('App', '应用') },
      ],
    },
    { id: 'comment', type: 'text', maxLength: 500, text: text('Anything else?', '还有什么建议？') },
    {
      id: 'contact',
      type: 'contact',
      text: text('May we contact you?', '我们可以联系您吗？'),
      consentText: text('Yes, e-mail me', '可以，请发邮件'),
    },
  ],
  delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, segments: ['vip', 'smb'] },
};

const admin = () => rt.tokens.admin;
const get = (path: string, token = admin()) => rt.request('GET', path, { token });
const submit = (surveyId: string, body: unknown, origin = SHOP) =>
  rt.request('POST', `/v1/surveys/${surveyId}/responses`, { body, headers: { origin } });

let surveyId: string;
/** The identity secret a site signs its customers' ids with. */
let secret: string;
const answers = [
  // overall, delivery, nps, effort, channel, comment
  { overall: 5, delivery: 4, nps: 10, effort: 7, channel: 'web', comment: 'Great service' },
  { overall: 4, delivery: 5, nps: 9, effort: 6, channel: 'app' },
  { overall: 2, delivery: 1, nps: 3, effort: 2, channel: 'web', comment: 'Late and broken <script>alert(1)</script>' },
  { overall: 3, delivery: 3, nps: 7, effort: 4 },
  { overall: 5, delivery: 5, nps: 8, channel: 'app' },
];

beforeAll(async () => {
  rt = await startTestRuntime();
  secret = await createIdentitySecret(rt);
  const created = await rt.request('POST', '/v1/surveys', { token: admin(), body: definition });
  expect(created.status, created.text).toBe(201);
  surveyId = (created.body as Body).id;
});

afterAll(async () => {
  await rt?.stop();
});

describe('survey definitions', () => {
  it('a draft is not served to the widget; publishing makes it available with an ETag and no internal fields', async () => {
    expect((await rt.request('GET', `/v1/surveys/${surveyId}/widget`)).status).toBe(404);
    const survey = (await get(`/v1/surveys/${surveyId}`)).body as Body;
    const published = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: admin(),
      body: { ...definition, status: 'active' },
      headers: { 'if-match': `"${survey.revision}"` },
    });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({ status: 'active', version: 1 });

    const widget = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, { headers: { origin: SHOP } });
    expect(widget.status).toBe(200);
    expect(widget.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(widget.headers.get('cache-control')).toContain('max-age');
    const view = widget.body as Body;
    expect(view).toMatchObject({ id: surveyId, version: 1, locales: ['en', 'zh-CN'] });
    expect(view).not.toHaveProperty('name');
    expect(JSON.stringify(view)).not.toContain('allowedOrigins');
    expect(view.questions[0]).not.toHaveProperty('since');
    const again = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, {
      headers: { 'if-none-match': widget.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    const foreign = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses invalid definitions with field paths and an analyst’s write', async () => {
    const bad = await rt.request('POST', '/v1/surveys', {
      token: admin(),
      body: { ...definition, title: { en: 'only en' } },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as Body).errors).toEqual([{ path: 'title', message: 'needs text for locale zh-CN' }]);
    const analyst = await rt.request('POST', '/v1/surveys', { token: rt.tokens.analyst, body: definition });
    expect(analyst.status).toBe(403);
  });
});

describe('submissions', () => {
  it('stores each answer once, replays a retry, refuses a changed retry, bad input, foreign origins and bots', async () => {
    const before = await rt.scanCount(`RESPONSES#${surveyId}`);
    const ids: string[] = [];
    for (const [i, a] of answers.entries()) {
      const id = ulid();
      ids.push(id);
      const res = await submit(surveyId, {
        id,
        surveyVersion: 1,
        locale: i % 2 ? 'zh-CN' : 'en',
        answers: a,
        segment: i < 2 ? 'vip' : 'walk-in',
      });
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    }
    const retry = await submit(surveyId, {
      id: ids[0],
      surveyVersion: 1,
      locale: 'en',
      answers: answers[0],
      segment: 'vip',
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const changed = await submit(surveyId, { id: ids[0], surveyVersion: 1, locale: 'en', answers: { overall: 1 } });
    expect(changed.status).toBe(409);

    const bad = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: 6, nps: 11, bogus: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(((bad.body as Body).errors as Body[]).map((e) => e.path).sort()).toEqual([
      'answers/bogus',
      'answers/nps',
      'answers/overall',
    ]);
    expect((await submit(surveyId, { id: ulid(), surveyVersion: 1, locale: 'en', answers: { nps: 5 } })).status).toBe(
      400,
    );
    const foreign = await submit(
      surveyId,
      { id: ulid(), surveyVersion: 1, locale: 'en', answers: { overall: 5 } },
      'https://evil.example',
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (
        await submit(surveyId, {
          id: ulid(),
          surveyVersion: 1,
          locale: 'en',
          answers: { overall: 5 },
          website: 'http://spam',
        })
      ).status,
    ).toBe(400);
    expect(
      (await submit(surveyId, { id: crypto.randomUUID(), surveyVersion: 1, locale: 'en', answers: { overall: 5 } }))
        .status,
    ).toBe(400);
    const huge = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: 5 },
      metadata: { x: 'y'.repeat(17_000) },
    });
    expect(huge.status).toBe(413);

    expect(await rt.scanCount(`RESPONSES#${surveyId}`)).toBe(before + answers.length);
  });

  it('public inputs that once broke things are 4xx: huge ids, unsafe numbers, unlisted segments bounded', async () => {
    expect((await rt.request('GET', `/v1/surveys/${'A'.repeat(3000)}/widget`)).status).toBe(404);
    expect(
      (await submit('X'.repeat(3000), { id: ulid(), surveyVersion: 1, locale: 'en', answers: { overall: 5 } })).status,
    ).toBe(404);
    expect(
      (
        await submit(surveyId, {
          id: ulid(),
          surveyVersion: 1,
          locale: 'en',
          answers: { overall: 5 },
          metadata: { constructor: 'x' },
        })
      ).status,
    ).toBe(400);
    for (const x of [1e16, 1e-200]) {
      expect(
        (
          await submit(surveyId, {
            id: ulid(),
            surveyVersion: 1,
            locale: 'en',
            answers: { overall: 5 },
            metadata: { x },
          })
        ).status,
      ).toBe(400);
    }
    const widget = await rt.request('GET', `/v1/surveys/${surveyId}/widget`);
    expect(widget.headers.get('vary')).toContain('Origin');
  });

  it('answers preflight only for allowed origins', async () => {
    const ok = await rt.request('OPTIONS', `/v1/surveys/${surveyId}/responses`, {
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    const no = await rt.request('OPTIONS', `/v1/surveys/${surveyId}/responses`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('report', () => {
  it('shows exactly the stored answers: CSAT, NPS, CES with intervals, questions, drivers, trend', async () => {
    await rt.drainStream();
    const res = await get(`/v1/surveys/${surveyId}/report`, rt.tokens.analyst);
    expect(res.status, res.text).toBe(200);
    const r = res.body as Body;
    expect(r.counts).toEqual({ responses: 5, comments: 2, detractors: 1, lowSample: true });
    // CSAT: overall ∈ {5,4,2,3,5} → 3 of 5 in the top two points.
    expect(r.csat).toMatchObject({ questionId: 'overall', n: 5, satisfied: 3, share: 0.6, lowSample: true });
    expect(r.csat.ci95.low).toBeCloseTo(0.2307, 3);
    expect(r.csat.ci95.high).toBeCloseTo(0.8824, 3);
    // NPS: {10, 9, 3, 7, 8} → 2 promoters, 1 detractor → 100·(2−1)/5 = 20.
    expect(r.nps).toMatchObject({ n: 5, promoters: 2, detractors: 1, nps: 20 });
    // CES: {7, 6, 2, 4} → mean 4.75, agree (5–7) 2 of 4.
    expect(r.ces).toMatchObject({ n: 4, mean: 4.75, agreeShare: 0.5 });
    const overall = (r.questions as Body[]).find((q) => q.questionId === 'overall')!;
    expect(overall).toMatchObject({ n: 5, mean: 3.8 });
    expect(overall.distribution.map((d: Body) => d.count)).toEqual([0, 1, 1, 1, 2]);
    const channel = (r.questions as Body[]).find((q) => q.questionId === 'channel')!;
    expect(channel.distribution).toEqual([
      { value: 'web', count: 2, share: 0.5 },
      { value: 'app', count: 2, share: 0.5 },
    ]);
    const delivery = (r.drivers as Body[]).find((d) => d.questionId === 'delivery')!;
    expect(delivery.n).toBe(5);
    // Mid-ranks: overall (4.5,3,1,2,4.5), delivery (3,4.5,1,2,4.5) → Σdxdy = 7.25, Σdx² = Σdy² = 9.5.
    expect(delivery.rho).toBeCloseTo(7.25 / 9.5, 9);
    expect(r.trend.at(-1)).toMatchObject({ responses: 5 });
    expect(r.trend.at(-1).csat.share).toBe(0.6);

    const vip = (await get(`/v1/surveys/${surveyId}/report?segment=vip`)).body as Body;
    expect(vip.counts.responses).toBe(2);
    expect(vip.csat).toMatchObject({ n: 2, satisfied: 2 });
    const other = (await get(`/v1/surveys/${surveyId}/report?segment=other`)).body as Body;
    expect(other.counts.responses).toBe(3);
    expect((await get(`/v1/surveys/${surveyId}/report?from=2026-13-01`)).status).toBe(400);
    expect((await get(`/v1/surveys/${surveyId}/report?from=2020-01-01&to=2026-01-01`)).status).toBe(400);
  });

  it('lists comments newest first with scores, verbatim, and exports CSV', async () => {
    const res = await get(`/v1/surveys/${surveyId}/comments`);
    const items = (res.body as Body).items as Body[];
    expect(items).toHaveLength(2);
    expect(items[0]!.comments.comment).toBe('Late and broken <script>alert(1)</script>');
    expect(items[0]!.scores).toMatchObject({ overall: 2, nps: 3 });
    const low = (await get(`/v1/surveys/${surveyId}/comments?maxScore=2`)).body as Body;
    expect(low.items).toHaveLength(1);
    const csv = await get(`/v1/surveys/${surveyId}/responses/export`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'responseId,receivedAt,surveyVersion,locale,customerId,segment,page,excludedBy,overall,delivery,nps,effort,channel,comment,contact',
    );
    expect(lines).toHaveLength(6);
  });

  it('counts a batch delivered twice, or retried after a partial failure, only once', async () => {
    const countNow = async () =>
      ((await get(`/v1/surveys/${surveyId}/report`)).body as Body).counts.responses as number;
    const before = await countNow();
    const day = new Date().toISOString().slice(0, 10);
    const record = (seq: string) => {
      const id = ulid();
      const item = {
        PK: `RESPONSES#${surveyId}#${day}`,
        SK: id,
        entity: 'response',
        id,
        surveyId,
        surveyVersion: 1,
        day,
        receivedAt: new Date().toISOString(),
        locale: 'en',
        answers: { overall: 5 },
        facts: {
          rated: { 'overall@1': 5 },
          choices: {},
          comments: 0,
          textIds: [],
          detractor: false,
          overall: 'overall@1',
          score: { value: 5, min: 1, max: 5 },
        },
        bodyHash: 'x',
      };
      return {
        eventID: `synthetic-${id}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          Keys: marshall({ PK: item.PK, SK: item.SK }),
          NewImage: marshall(item),
          SequenceNumber: seq,
          SizeBytes: 100,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      };
    };
    const [a, b, c] = [record('100'), record('101'), record('102')];
    const batch = (...records: unknown[]) => ({ Records: records }) as unknown as DynamoDBStreamEvent;
    const { handler } = await import('../../functions/handlers/aggregator');
    expect(await handler(batch(a), {} as never)).toEqual({ batchItemFailures: [] });
    expect(await handler(batch(a), {} as never)).toEqual({ batchItemFailures: [] });
    expect(await countNow()).toBe(before + 1);
    // A batch whose first part was applied before a failure is retried with more records after it.
    expect(await handler(batch(a, b, c), {} as never)).toEqual({ batchItemFailures: [] });
    expect(await handler(batch(b, c), {} as never)).toEqual({ batchItemFailures: [] });
    expect(await countNow()).toBe(before + 3);
  });

  it('rebuild repairs a corrupted day from the raw responses', async () => {
    await rt.drainStream();
    const day = new Date().toISOString().slice(0, 10);
    const good = (await get(`/v1/surveys/${surveyId}/report`)).body as Body;
    const db = DynamoDBDocumentClient.from(createLocalDynamoClient(rt.dynamoEndpoint));
    await db.send(
      new UpdateCommand({
        TableName: rt.tableName,
        Key: { PK: `AGG#${surveyId}`, SK: `DAY#${day}#Q#overall@1` },
        UpdateExpression: 'ADD #h :n',
        ExpressionAttributeNames: { '#h': 'h:1' },
        ExpressionAttributeValues: { ':n': 40 },
      }),
    );
    expect(((await get(`/v1/surveys/${surveyId}/report`)).body as Body).csat.n).toBe(good.csat.n + 40);
    const rebuilt = await rt.request('POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, {
      token: admin(),
      body: { from: day, to: day },
    });
    expect(rebuilt.status, rebuilt.text).toBe(200);
    const repaired = (await get(`/v1/surveys/${surveyId}/report`)).body as Body;
    // The synthetic records of the previous test were never stored as responses: the rebuild drops them.
    expect(repaired.csat.n).toBe(good.csat.n - 3);
    expect(repaired.counts.responses).toBe(good.counts.responses - 3);
    db.destroy();
  });
});

describe('close the loop and customer behaviour', () => {
  it('a detractor opens a follow-up that moves forward only; the report shows the resolution rate', async () => {
    await rt.drainStream();
    const open = await get(`/v1/followups?status=open`, rt.tokens.analyst);
    expect(open.status, open.text).toBe(200);
    const items = (open.body as Body).items as Body[];
    const task = items.find((f) => f.surveyId === surveyId)!;
    expect(task).toMatchObject({
      status: 'open',
      // Overall 2 and NPS 3 are both detractor answers; the NPS answer is the one named.
      score: { questionId: 'nps', value: 3, min: 0, max: 10 },
      comment: 'Late and broken <script>alert(1)</script>',
    });
    const bySurvey = (await get(`/v1/followups?surveyId=${surveyId}`)).body as Body;
    expect(bySurvey.items).toHaveLength(1);

    const contacted = await rt.request('PATCH', `/v1/followups/${task.id}`, {
      token: admin(),
      body: { status: 'contacted', assignee: 'li.na', note: '已电话联系' },
    });
    expect(contacted.status, contacted.text).toBe(200);
    expect(contacted.body).toMatchObject({ status: 'contacted', assignee: 'li.na' });
    const backwards = await rt.request('PATCH', `/v1/followups/${task.id}`, {
      token: admin(),
      body: { status: 'open' },
    });
    expect(backwards.status).toBe(409);
    expect(
      (
        await rt.request('PATCH', `/v1/followups/${task.id}`, {
          token: rt.tokens.analyst,
          body: { status: 'resolved' },
        })
      ).status,
    ).toBe(403);
    const resolved = await rt.request('PATCH', `/v1/followups/${task.id}`, {
      token: admin(),
      body: { status: 'resolved' },
      headers: { 'if-match': '"2"' },
    });
    expect(resolved.status, resolved.text).toBe(200);
    expect(
      (
        await rt.request('PATCH', `/v1/followups/${task.id}`, {
          token: admin(),
          body: { note: 'x' },
          headers: { 'if-match': '"2"' },
        })
      ).status,
    ).toBe(412);

    const report = (await get(`/v1/surveys/${surveyId}/report`)).body as Body;
    expect(report.followUps).toMatchObject({ total: 1, resolved: 1, resolutionRate: 1 });
    expect(report.followUps.medianHoursToResolution).toBeGreaterThanOrEqual(0);
  });

  it('links a response to a customer whose id the site signed: feedback count, last score, average satisfaction', async () => {
    const customer = (
      await rt.request('POST', '/v1/customers', {
        token: admin(),
        body: { name: 'Zhou Min', email: 'zhou.min@example.cn' },
      })
    ).body as Body;
    const first = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'zh-CN',
      answers: { overall: 5, nps: 10 },
      ...signedIdentity(secret, customer.id),
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ identity: 'verified' });
    const second = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'zh-CN',
      answers: { overall: 3 },
      ...signedIdentity(secret, customer.id),
    });
    expect(second.status).toBe(201);
    // An e-mail never links: it stays the answer's (unverified) contact.
    const byEmail = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'zh-CN',
      answers: { overall: 1 },
      email: 'Zhou.Min@example.cn',
    });
    expect(byEmail.status).toBe(201);
    await rt.drainStream();
    const record = (await get(`/v1/customers/${customer.id}`)).body as Body;
    // Satisfaction normalised to 0–100: overall 5 → 100, overall 3 → 50.
    expect(record.feedback).toMatchObject({
      count: 2,
      averageSatisfaction: 75,
      lastScore: { value: 3, min: 1, max: 5, surveyId },
    });
    const responses = (await get(`/v1/customers/${customer.id}/responses`)).body as Body;
    expect((responses.items as Body[]).map((r) => r.answers.overall)).toEqual([3, 5]);
  });

  it('merging customers moves the duplicate’s responses and feedback to the primary', async () => {
    const primary = (
      await rt.request('POST', '/v1/customers', {
        token: admin(),
        body: { name: 'Xu Lan', email: 'xu.lan@example.cn' },
      })
    ).body as Body;
    const duplicate = (
      await rt.request('POST', '/v1/customers', { token: admin(), body: { name: 'Xu L.', phone: '13611112222' } })
    ).body as Body;
    expect(
      (
        await submit(surveyId, {
          id: ulid(),
          surveyVersion: 1,
          locale: 'en',
          answers: { overall: 5 },
          ...signedIdentity(secret, primary.id),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await submit(surveyId, {
          id: ulid(),
          surveyVersion: 1,
          locale: 'en',
          answers: { overall: 1 },
          ...signedIdentity(secret, duplicate.id),
        })
      ).status,
    ).toBe(201);
    await rt.drainStream();
    const merged = await rt.request('POST', `/v1/customers/${primary.id}/merge`, {
      token: admin(),
      body: { duplicateId: duplicate.id },
    });
    expect(merged.status, merged.text).toBe(200);
    // The responses follow from the stream, once the merge has committed.
    await rt.drainStream();
    const record = (await get(`/v1/customers/${primary.id}`)).body as Body;
    expect(record).toMatchObject({ phone: '+8613611112222', feedback: { count: 2, averageSatisfaction: 50 } });
    const responses = (await get(`/v1/customers/${primary.id}/responses`)).body as Body;
    expect(responses.items).toHaveLength(2);
    const followUp = ((await get(`/v1/followups?surveyId=${surveyId}`)).body as Body).items.find(
      (f: Body) => f.score?.value === 1 && f.customerId === primary.id,
    );
    expect(followUp).toBeDefined();
  });

  it('GDPR: exports one customer’s data, then erases the customer but keeps unlinked, contact-free responses', async () => {
    const customer = (
      await rt.request('POST', '/v1/customers', {
        token: admin(),
        body: { name: 'Gu Yan', email: 'gu.yan@example.cn', phone: '13500001234' },
      })
    ).body as Body;
    const detractor = {
      id: ulid(),
      surveyVersion: 1,
      locale: 'zh-CN',
      answers: { overall: 1, comment: 'slow', contact: { email: 'gu.yan@example.cn', consent: true } },
      ...signedIdentity(secret, customer.id),
      metadata: { orderId: 'A-1' },
    };
    const sent = await submit(surveyId, detractor);
    expect(sent.status, sent.text).toBe(201);
    await rt.drainStream();
    const countBefore = ((await get(`/v1/surveys/${surveyId}/report`)).body as Body).counts.responses;

    expect((await get(`/v1/customers/${customer.id}/personal-data`, rt.tokens.analyst)).status).toBe(403);
    const exported = await get(`/v1/customers/${customer.id}/personal-data`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const data = exported.body as Body;
    expect(data.customer).toMatchObject({ id: customer.id, email: 'gu.yan@example.cn' });
    expect(data.responses).toHaveLength(1);
    expect(data.responses[0].answers.contact).toEqual({ email: 'gu.yan@example.cn', consent: true });
    expect(data.followUps).toHaveLength(1);

    const erased = await rt.request('POST', `/v1/customers/${customer.id}/erase`, { token: admin() });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ responsesUnlinked: 1, followUpsUnlinked: 1 });
    expect((await get(`/v1/customers/${customer.id}`)).status).toBe(404);
    expect(
      (
        await rt.request('POST', '/v1/customers', {
          token: admin(),
          body: { name: 'Someone else', email: 'gu.yan@example.cn' },
        })
      ).status,
    ).toBe(201);
    await rt.drainStream();
    expect(((await get(`/v1/surveys/${surveyId}/report`)).body as Body).counts.responses).toBe(countBefore);
    const exportCsv = (await get(`/v1/surveys/${surveyId}/responses/export`)).text;
    expect(exportCsv).toContain(detractor.id);
    expect(exportCsv).not.toContain(customer.id);
    expect(exportCsv).not.toContain('gu.yan@example.cn');
    const followUp = ((await get(`/v1/followups?surveyId=${surveyId}`)).body as Body).items.find(
      (f: Body) => f.responseId === detractor.id,
    );
    expect(followUp).toBeDefined();
    expect(followUp.customerId).toBeUndefined();
    expect((await rt.request('POST', `/v1/customers/${customer.id}/erase`, { token: admin() })).status).toBe(404);
  });

  it('editing a live survey’s questions creates a version; older answers still validate against theirs', async () => {
    const current = (await get(`/v1/surveys/${surveyId}`)).body as Body;
    const edited = {
      ...definition,
      status: 'active',
      questions: definition.questions.map((q) => (q.id === 'delivery' ? { ...q, points: 7 } : q)),
    };
    const res = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: admin(),
      body: edited,
      headers: { 'if-match': `"${current.revision}"` },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ version: 2 });
    const stale = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: admin(),
      body: edited,
      headers: { 'if-match': `"${current.revision}"` },
    });
    expect(stale.status).toBe(412);
    // A page still showing version 1 may answer delivery 5 on the old 5-point scale…
    const old = await submit(surveyId, {
      id: ulid(),
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: 4, delivery: 5 },
    });
    expect(old.status, old.text).toBe(201);
    // …and version 2 accepts 7; the two scales are reported apart, never mixed.
    expect(
      (await submit(surveyId, { id: ulid(), surveyVersion: 2, locale: 'en', answers: { overall: 4, delivery: 7 } }))
        .status,
    ).toBe(201);
    expect(
      (await submit(surveyId, { id: ulid(), surveyVersion: 3, locale: 'en', answers: { overall: 4 } })).status,
    ).toBe(400);
    await rt.drainStream();
    const report = (await get(`/v1/surveys/${surveyId}/report`)).body as Body;
    const delivery = (report.questions as Body[]).find((q) => q.questionId === 'delivery')!;
    expect(delivery).toMatchObject({ series: 'delivery@2', comparableSinceVersion: 2, n: 1, mean: 7 });
    expect(delivery.distribution).toHaveLength(7);

    const closed = await rt.request('POST', `/v1/surveys/${surveyId}/close`, { token: admin() });
    expect(closed.body).toMatchObject({ status: 'closed' });
  });
});
