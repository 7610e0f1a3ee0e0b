/**
 * Figures that say what they mean, end to end through the local runtime (real HTTP, DynamoDB Local,
 * the stream): a response id in another letter case is the same response; segment reports carry
 * every figure and refuse segments the survey does not have; follow-ups count by the response's day
 * and segment and score the answer that made the detractor; `maxScore` is on the headline question's
 * scale; the honeypot does not give itself away; a rebuild repairs days whose stream records were
 * dead-lettered.
 */

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamHandler } from '../../local/stream-poller';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

/** While true, the aggregator fails every batch, so the poller dead-letters them (as Lambda would). */
let aggregatorDown = false;
const aggregator: StreamHandler = async (event, context) => {
  if (aggregatorDown) throw new Error('aggregator unavailable (test)');
  const real = await import('../../functions/handlers/aggregator');
  return real.handler(event, context);
};

const SHOP = 'https://shop.example.com';
const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const definition = (name: string) => ({
  name,
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: text('How was it?', '怎么样？'),
  questions: [
    { id: 'overall', type: 'likert', points: 5, overall: true, text: text('Overall', '总体') },
    { id: 'delivery', type: 'likert', points: 5, text: text('Delivery', '配送') },
    { id: 'nps', type: 'nps', text: text('Recommend us?', '推荐吗？') },
    { id: 'comment', type: 'text', maxLength: 500, text: text('Anything else?', '还有吗？') },
  ],
  delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, segments: ['vip', 'smb'] },
});

const admin = () => rt.tokens.admin;
const get = (path: string) => rt.request('GET', path, { token: admin() });
const submit = (surveyId: string, body: Record<string, unknown>) =>
  rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
    body: { surveyVersion: 1, locale: 'en', ...body },
    headers: { origin: SHOP },
  });

async function publishedSurvey(name: string): Promise<string> {
  const created = await rt.request('POST', '/v1/surveys', { token: admin(), body: definition(name) });
  expect(created.status, created.text).toBe(201);
  const survey = created.body as Body;
  const published = await rt.request('PUT', `/v1/surveys/${survey.id}`, {
    token: admin(),
    body: { ...definition(name), status: 'active' },
    headers: { 'if-match': `"${survey.revision}"` },
  });
  expect(published.status, published.text).toBe(200);
  return survey.id as string;
}

/** A UUIDv7 (what `crypto.randomUUID` does not make): 48-bit time, version 7, variant 10. */
function uuidV7(ms = Date.now()): string {
  const hex =
    ms.toString(16).padStart(12, '0') +
    [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${'89ab'[Number.parseInt(hex[16] ?? '0', 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const today = new Date().toISOString().slice(0, 10);
const yesterdayMs = Date.now() - 86_400_000;
const yesterday = new Date(yesterdayMs).toISOString().slice(0, 10);

beforeAll(async () => {
  rt = await startTestRuntime({ handlers: { aggregator } });
});

afterAll(async () => {
  await rt?.stop();
});

describe('response ids', () => {
  it('the same ULID or UUIDv7 in another letter case is the same response: stored and counted once', async () => {
    const surveyId = await publishedSurvey('ids');
    const ulidId = ulid();
    const uuidId = uuidV7();
    const before = await rt.scanCount(`RESPONSES#${surveyId}`);
    for (const [first, again] of [
      [ulidId.toLowerCase(), ulidId],
      [uuidId.toUpperCase(), uuidId],
    ] as const) {
      const created = await submit(surveyId, { id: first, answers: { overall: 5 } });
      expect(created.status, created.text).toBe(201);
      const replayed = await submit(surveyId, { id: again, answers: { overall: 5 } });
      expect(replayed.status, replayed.text).toBe(201);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      // Answered under its one spelling: ULIDs upper case, UUIDs lower case.
      expect((created.body as Body).id).toBe(again === ulidId ? ulidId : uuidId.toLowerCase());
      // The same id with other answers is still a conflict, whatever its case.
      expect((await submit(surveyId, { id: first, answers: { overall: 1 } })).status).toBe(409);
    }
    expect(await rt.scanCount(`RESPONSES#${surveyId}`)).toBe(before + 2);
    await rt.drainStream();
    const report = (await get(`/v1/surveys/${surveyId}/report?from=${today}&to=${today}`)).body as Body;
    expect(report.counts.responses).toBe(2);
  });
});

describe('segments, follow-ups and comments', () => {
  let surveyId: string;
  // Today's answers, and one whose id (hence its day) is yesterday's, received today.
  const answers = [
    { segment: 'vip', answers: { overall: 5, delivery: 5, nps: 10, comment: 'great' } },
    { segment: 'vip', answers: { overall: 2, delivery: 1, nps: 9, comment: 'slow' } }, // detractor: overall 2
    { segment: 'smb', answers: { overall: 4, delivery: 3, nps: 3 } }, // detractor: NPS 3
    { segment: 'smb', answers: { nps: 2, comment: 'meh' } }, // detractor: NPS 2, no overall answer
    { segment: 'walk-in', answers: { overall: 3, delivery: 2 } }, // not declared: `other`
    { answers: { overall: 1, delivery: 1, nps: 0, comment: 'bad' } }, // no segment: `none`; detractor
  ];
  const ids: string[] = [];
  let lateId: string;

  beforeAll(async () => {
    surveyId = await publishedSurvey('segments');
    for (const a of answers) {
      const id = ulid();
      ids.push(id);
      const res = await submit(surveyId, { id, ...a });
      expect(res.status, res.text).toBe(201);
    }
    lateId = ulid(yesterdayMs);
    const late = await submit(surveyId, { id: lateId, segment: 'vip', answers: { overall: 1 } });
    expect(late.status, late.text).toBe(201);
    await rt.drainStream();
  });

  const report = async (query: string) => {
    const res = await get(`/v1/surveys/${surveyId}/report?from=${today}&to=${today}${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body as Body;
  };

  it('a segment report has every figure: comments, detractors, drivers and its own follow-ups', async () => {
    const vip = await report('&segment=vip');
    expect(vip.segment).toBe('vip');
    expect(vip.counts).toEqual({ responses: 2, comments: 2, detractors: 1, lowSample: true });
    expect(vip.csat).toMatchObject({ n: 2, satisfied: 1 });
    const delivery = (vip.drivers as Body[]).find((d) => d.questionId === 'delivery');
    // (delivery, overall) = (5, 5), (1, 2): perfectly ranked together.
    expect(delivery).toMatchObject({ n: 2, rho: 1, mean: 3 });
    expect(vip.followUps).toMatchObject({ total: 1 });

    const smb = await report('&segment=smb');
    expect(smb.counts).toEqual({ responses: 2, comments: 1, detractors: 2, lowSample: true });
    expect(smb.followUps).toMatchObject({ total: 2 });
  });

  it('responses with an undeclared segment or none are explicit buckets, and the buckets add up', async () => {
    const other = await report('&segment=other');
    expect(other.counts).toEqual({ responses: 1, comments: 0, detractors: 0, lowSample: true });
    expect(other.followUps).toMatchObject({ total: 0 });
    const none = await report('&segment=none');
    expect(none.counts).toEqual({ responses: 1, comments: 1, detractors: 1, lowSample: true });
    expect(none.followUps).toMatchObject({ total: 1 });
    const whole = await report('');
    // No displays were recorded here (answers sent through the API): no response rate.
    const noDisplays = {
      displays: 0,
      responseRate: null,
      ci95: null,
      dismissed: 0,
      dropOff: ['overall', 'delivery', 'nps', 'comment'].map((questionId) => ({
        questionId,
        dismissed: 0,
        share: null,
      })),
    };
    expect(whole.segments).toEqual([
      { segment: 'vip', responses: 2, ...noDisplays },
      { segment: 'smb', responses: 2, ...noDisplays },
      { segment: 'other', responses: 1, ...noDisplays },
      { segment: 'none', responses: 1, ...noDisplays },
    ]);
    expect(whole.counts.responses).toBe(6);
  });

  it('a misspelt or undeclared segment is a 400 naming the survey’s segments, not a report of zeros', async () => {
    for (const segment of ['VIP', 'walk-in', 'enterprise']) {
      const res = await get(`/v1/surveys/${surveyId}/report?segment=${segment}`);
      expect(res.status, res.text).toBe(400);
      expect((res.body as Body).errors).toEqual([
        { path: 'query/segment', message: expect.stringContaining('use one of vip, smb, other') },
      ]);
    }
    const refused = await rt.request('POST', '/v1/surveys', {
      token: admin(),
      body: { ...definition('reserved'), delivery: { allowedOrigins: [SHOP], segments: ['vip', 'other'] } },
    });
    expect(refused.status).toBe(400);
    expect((refused.body as Body).errors[0].path).toBe('delivery/segments/1');
  });

  it('follow-ups count by the response’s day, like every other figure', async () => {
    const byYesterday = await get(`/v1/surveys/${surveyId}/report?from=${yesterday}&to=${yesterday}`);
    expect((byYesterday.body as Body).counts).toMatchObject({ responses: 1, detractors: 1 });
    expect((byYesterday.body as Body).followUps).toMatchObject({ total: 1 });
    const byToday = await report('');
    expect(byToday.counts.detractors).toBe(4);
    expect(byToday.followUps).toMatchObject({ total: 4 });
    const vipBoth = await get(`/v1/surveys/${surveyId}/report?from=${yesterday}&to=${today}&segment=vip`);
    expect((vipBoth.body as Body).followUps).toMatchObject({ total: 2 });
  });

  it('a follow-up shows the answer that made the response a detractor, with its question and scale', async () => {
    const items = ((await get(`/v1/followups?surveyId=${surveyId}&limit=100`)).body as Body).items as Body[];
    const scoreOf = (id: string) => items.find((f) => f.responseId === id)?.score;
    expect(scoreOf(ids[1] ?? '')).toEqual({ questionId: 'overall', value: 2, min: 1, max: 5 });
    // Overall 4 is not a detractor answer; NPS 3 is.
    expect(scoreOf(ids[2] ?? '')).toEqual({ questionId: 'nps', value: 3, min: 0, max: 10 });
    expect(scoreOf(ids[3] ?? '')).toEqual({ questionId: 'nps', value: 2, min: 0, max: 10 });
    // Both are detractor answers: the NPS one is named.
    expect(scoreOf(ids[5] ?? '')).toEqual({ questionId: 'nps', value: 0, min: 0, max: 10 });
    expect(items.find((f) => f.responseId === ids[2])?.segment).toBe('smb');
  });

  it('maxScore is a point on the headline question’s scale: refused outside it, applied to that answer only', async () => {
    const comments = async (query: string) => {
      const res = await get(`/v1/surveys/${surveyId}/comments?from=${today}&to=${today}${query}`);
      expect(res.status, res.text).toBe(200);
      return ((res.body as Body).items as Body[]).map((c) => c.responseId).sort();
    };
    expect(await comments('')).toEqual([ids[0], ids[1], ids[3], ids[5]].sort());
    // The overall question is 1–5; the response without an overall answer (NPS 2) is not on it.
    expect(await comments('&maxScore=2')).toEqual([ids[1], ids[5]].sort());
    expect(await comments('&maxScore=5')).toEqual([ids[0], ids[1], ids[5]].sort());
    for (const maxScore of [0, 6, 10]) {
      const res = await get(`/v1/surveys/${surveyId}/comments?maxScore=${maxScore}`);
      expect(res.status, res.text).toBe(400);
      expect((res.body as Body).errors).toEqual([
        { path: 'query/maxScore', message: expect.stringContaining('between 1 and 5: the scale of question overall') },
      ]);
    }
  });
});

describe('honeypot', () => {
  it('refuses a filled-in honeypot with a 400 that does not name the field', async () => {
    const surveyId = await publishedSurvey('honeypot');
    for (const website of ['http://spam.example', 'x'.repeat(500), 42, { a: 1 }]) {
      const res = await submit(surveyId, { id: ulid(), answers: { overall: 5 }, website });
      expect(res.status, res.text).toBe(400);
      expect(res.text.toLowerCase()).not.toContain('website');
      expect(res.body).toMatchObject({ detail: 'this submission cannot be accepted', errors: [] });
    }
    expect((await submit(surveyId, { id: ulid(), answers: { overall: 5 }, website: '' })).status).toBe(201);
    expect(await rt.scanCount(`RESPONSES#${surveyId}`)).toBe(1);
  });
});

describe('rebuild after dead-lettered stream records', () => {
  it('counts every stored response once and opens the missing follow-ups', async () => {
    const surveyId = await publishedSurvey('dead letters');
    await rt.drainStream();
    const lettered = rt.stats.deadLettered;
    const total = 120;
    aggregatorDown = true;
    try {
      // Thirty at a time, so that the stream hands the aggregator batches of many records.
      for (let i = 0; i < total; i += 30) {
        const sent = await Promise.all(
          Array.from({ length: 30 }, (_, j) =>
            submit(surveyId, { id: ulid(), answers: { overall: ((i + j) % 5) + 1, delivery: 3 } }),
          ),
        );
        for (const res of sent) expect(res.status, res.text).toBe(201);
      }
      // Every record written so far has reached the (failing) aggregator and been given up on. A drain
      // is interrupted by each dead letter, so drain until one goes through. (Submissions write more
      // than the responses — e.g. the per-minute budget counters — so counting letters would not do.)
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await rt.drainStream({ timeoutMs: 10_000 });
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
        }
      }
      expect(rt.stats.deadLettered - lettered).toBeGreaterThanOrEqual(total);
    } finally {
      aggregatorDown = false;
    }
    expect(
      ((await get(`/v1/surveys/${surveyId}/report?from=${today}&to=${today}`)).body as Body).counts.responses,
    ).toBe(0);

    const rebuilt = await rt.request('POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, {
      token: admin(),
      body: { from: today, to: today },
    });
    expect(rebuilt.status, rebuilt.text).toBe(200);
    const detractors = total * (2 / 5); // overall 1 and 2
    expect((rebuilt.body as Body).rebuilt).toEqual([{ day: today, responses: total, followUpsRestored: detractors }]);
    const report = (await get(`/v1/surveys/${surveyId}/report?from=${today}&to=${today}`)).body as Body;
    expect(report.counts).toMatchObject({ responses: total, detractors });
    expect(report.followUps).toMatchObject({ total: detractors });

    // The stream goes on counting new answers, and never the rebuilt ones again.
    expect((await submit(surveyId, { id: ulid(), answers: { overall: 5 } })).status).toBe(201);
    await rt.drainStream();
    const after = (await get(`/v1/surveys/${surveyId}/report?from=${today}&to=${today}`)).body as Body;
    expect(after.counts.responses).toBe(total + 1);
    // A second rebuild finds nothing to repair.
    const again = await rt.request('POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, {
      token: admin(),
      body: { from: today, to: today },
    });
    expect((again.body as Body).rebuilt).toEqual([{ day: today, responses: total + 1, followUpsRestored: 0 }]);
  });
});
