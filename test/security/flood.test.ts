/**
 * One client must not be able to skew the numbers. A script floods a survey with bad scores from one
 * address: the edge's per-client limit (AWS WAF in AWS, the local gateway's stand-in here, built from
 * the same rule) refuses all but a handful; the survey's own per-minute budget refuses what would
 * crowd out other respondents; and the few that got in are found by their client hash and excluded,
 * after which the report is exactly what the real respondents said. Displays (the funnel's
 * denominator) have an edge limit of their own, so a display flood neither inflates the response rate's
 * denominator past it nor uses up anyone else's allowance.
 */
import http from 'node:http';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displaysPerClient, submissionsPerClient } from '../../functions/contracts/edge-limits';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { publishSurvey, SHOP, surveyDefinition, validSubmission } from '../support/route-fixtures';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime({ clientRateRules: [submissionsPerClient, displaysPerClient] });
});

afterAll(async () => {
  await rt?.stop();
});

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** Sends from a chosen loopback address (127.0.0.0/8 all reach the gateway), as a distinct client would. */
function submitFrom(address: string, userAgent: string, surveyId: string, body: unknown): Promise<Answer> {
  return postFrom(address, userAgent, `/v1/surveys/${surveyId}/responses`, body);
}

/** A display (`shown`) as the widget records it, from a chosen address. */
const displayFrom = (address: string, surveyId: string) =>
  postFrom(address, 'Mozilla/5.0', `/v1/surveys/${surveyId}/displays`, { id: ulid(), event: 'shown' });

function postFrom(address: string, userAgent: string, pathname: string, body: unknown): Promise<Answer> {
  const url = new URL(`${rt.url}${pathname}`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: address,
        headers: { 'content-type': 'application/json', origin: SHOP, 'user-agent': userAgent },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

type Report = { counts: { responses: number }; csat: { share: number | null; n: number } };
const report = async (surveyId: string) =>
  (await rt.request('GET', `/v1/surveys/${surveyId}/report`, { token: rt.tokens.analyst })).body as Report;

describe('a flood from one client', () => {
  it('is limited per client at the edge, found by its client hash, and excluded: the report is back to the real answers', async () => {
    const surveyId = await publishSurvey(rt);
    const startedAt = new Date(Date.now() - 1000).toISOString();
    // Twenty real respondents, each from their own address, all very satisfied.
    for (let i = 0; i < 20; i++) {
      const answer = await submitFrom(
        `127.0.0.${10 + i}`,
        'Mozilla/5.0',
        surveyId,
        validSubmission({ answers: { overall: 5, nps: 10 } }),
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    // The script: 60 furious answers from one address as fast as it can.
    const flood = await Promise.all(
      Array.from({ length: 60 }, () =>
        submitFrom('127.0.0.99', 'flood-bot/1.0', surveyId, validSubmission({ answers: { overall: 1, nps: 0 } })),
      ),
    );
    const accepted = flood.filter((a) => a.status === 201);
    const refused = flood.filter((a) => a.status === 429);
    expect(accepted).toHaveLength(submissionsPerClient.limit);
    expect(refused).toHaveLength(60 - submissionsPerClient.limit);
    for (const r of refused) {
      expect(r.body.type).toBe('https://rapport.dev/problems/rate-limited');
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    // The handful that got through still moved the numbers.
    await rt.drainStream();
    const skewed = await report(surveyId);
    expect(skewed.counts.responses).toBe(30);
    expect(skewed.csat.share).toBeCloseTo(20 / 30, 10);

    // An admin looks at who answered: the flood is one client hash, far ahead of anyone else.
    const until = new Date(Date.now() + 60_000).toISOString();
    const clients = await rt.request(
      'GET',
      `/v1/surveys/${surveyId}/clients?from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(until)}`,
      { token: rt.tokens.analyst },
    );
    expect(clients.status).toBe(200);
    const [busiest, next] = (clients.body as { items: { clientHash: string; responses: number; detractors: number }[] })
      .items;
    expect(busiest?.responses).toBe(submissionsPerClient.limit);
    expect(busiest?.detractors).toBe(submissionsPerClient.limit);
    expect(next?.responses).toBe(1);
    // The raw address is stored nowhere: only the hash.
    const stored = await rt.request('GET', `/v1/surveys/${surveyId}/responses/export`, { token: rt.tokens.analyst });
    expect(stored.text).not.toContain('127.0.0.99');

    const excluded = await rt.request('POST', `/v1/surveys/${surveyId}/exclusions`, {
      token: rt.tokens.admin,
      headers: { 'idempotency-key': `exclude-flood-${surveyId}` },
      body: { from: startedAt, to: until, clientHash: busiest?.clientHash, reason: 'scripted answers from one client' },
    });
    expect(excluded.status, excluded.text).toBe(201);
    expect(excluded.body).toMatchObject({
      excluded: submissionsPerClient.limit,
      followUpsClosed: submissionsPerClient.limit,
      createdBy: 'local-admin',
    });

    await rt.drainStream();
    const repaired = await report(surveyId);
    expect(repaired.counts.responses).toBe(20);
    expect(repaired.csat.share).toBe(1);
    // The flood's follow-ups are closed as excluded; no open task is left from it.
    const open = await rt.request('GET', `/v1/followups?status=open&surveyId=${surveyId}`, {
      token: rt.tokens.analyst,
    });
    expect((open.body as { items: unknown[] }).items).toHaveLength(0);
    const closed = await rt.request('GET', `/v1/followups?status=excluded&surveyId=${surveyId}`, {
      token: rt.tokens.analyst,
    });
    expect((closed.body as { items: unknown[] }).items).toHaveLength(submissionsPerClient.limit);
    // The exclusion is on record, and repeating the request changes nothing.
    const list = await rt.request('GET', `/v1/surveys/${surveyId}/exclusions`, { token: rt.tokens.analyst });
    expect((list.body as { items: unknown[] }).items).toHaveLength(1);
    const again = await rt.request('POST', `/v1/surveys/${surveyId}/exclusions`, {
      token: rt.tokens.admin,
      headers: { 'idempotency-key': `exclude-flood-${surveyId}` },
      body: { from: startedAt, to: until, clientHash: busiest?.clientHash, reason: 'scripted answers from one client' },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await report(surveyId)).counts.responses).toBe(20);
  });

  it('a flood of displays from one address is refused at the edge past its own limit; other clients, surveys and answers are unaffected', async () => {
    const surveyId = await publishSurvey(rt);
    const other = await publishSurvey(rt);
    const extra = 20;
    const flood = await Promise.all(
      Array.from({ length: displaysPerClient.limit + extra }, () => displayFrom('127.0.2.99', surveyId)),
    );
    const accepted = flood.filter((a) => a.status === 201);
    const refused = flood.filter((a) => a.status === 429);
    expect(accepted).toHaveLength(displaysPerClient.limit);
    expect(refused).toHaveLength(extra);
    for (const r of refused) {
      expect(r.body.type).toBe('https://rapport.dev/problems/rate-limited');
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    // Another visitor's display of the same survey still counts; the flooding address may still show
    // another survey and send its answer: each rule counts its own route and survey.
    expect((await displayFrom('127.0.2.10', surveyId)).status).toBe(201);
    expect((await displayFrom('127.0.2.99', other)).status).toBe(201);
    const answer = await submitFrom('127.0.2.99', 'Mozilla/5.0', surveyId, validSubmission());
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    // Only what the edge let through was recorded.
    await rt.drainStream();
    const funnel = (await rt.request('GET', `/v1/surveys/${surveyId}/report`, { token: rt.tokens.analyst })).body as {
      funnel: { displays: number };
    };
    expect(funnel.funnel.displays).toBe(displaysPerClient.limit + 1);
  });

  it('a survey takes no more answers a minute than its own budget, whoever sends them', async () => {
    const surveyId = await publishSurvey(rt, {
      ...surveyDefinition(),
      delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, maxResponsesPerMinute: 8 },
    });
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        submitFrom(`127.0.1.${i + 1}`, 'Mozilla/5.0', surveyId, validSubmission({ answers: { overall: 4 } })),
      ),
    );
    const accepted = answers.filter((a) => a.status === 201).length;
    const limited = answers.filter((a) => a.status === 429);
    // Spread over shards, the budget is at most 8 (each shard holds its share) and never exceeded.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(8);
    expect(accepted + limited.length).toBe(24);
    for (const r of limited) {
      expect(r.body.type).toBe('https://rapport.dev/problems/rate-limited');
      expect(String(r.body.detail)).toMatch(/8 answers a minute/);
    }
  });

  it('refuses a bad exclusion with a 400 and writes nothing', async () => {
    const surveyId = await publishSurvey(rt);
    const before = await rt.itemCount();
    for (const body of [
      { from: '2026-11-01T00:00:00Z', to: '2026-10-01T00:00:00Z', reason: 'backwards' },
      { from: '2026-11-01T00:00:00Z', to: '2026-11-20T00:00:00Z', reason: 'too long a range' },
      { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', reason: 'x' },
      { from: 'yesterday', to: '2026-11-02T00:00:00Z', reason: 'not a date' },
      { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', reason: 'bad hash', clientHash: '127.0.0.1' },
    ]) {
      const result = await rt.request('POST', `/v1/surveys/${surveyId}/exclusions`, { token: rt.tokens.admin, body });
      expect(result.status, JSON.stringify(body)).toBe(400);
    }
    const analyst = await rt.request('POST', `/v1/surveys/${surveyId}/exclusions`, {
      token: rt.tokens.analyst,
      body: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', reason: 'analysts cannot' },
    });
    expect(analyst.status).toBe(403);
    expect(await rt.itemCount()).toBe(before);
  });
});
