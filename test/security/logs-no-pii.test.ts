/**
 * No PII in the logs, at the most verbose log level: everything the process writes (stdout, stderr,
 * console) while customers are created, imported, looked up and refused, and while a survey answer
 * with a free-text comment and a contact e-mail is submitted, must contain none of those e-mails,
 * phones (as typed and as E.164) or the comment. The request lines must be there, though — one
 * structured line per request with correlationId, route, status and latencyMs — so this can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { SHOP, surveyDefinition, validSubmission } from '../support/route-fixtures';

const MARK = `${Date.now().toString(36)}`;
const pii = {
  email: `zhang.wei.pii.${MARK}@example-pii.cn`,
  emailUpper: `Zhang.Wei.PII.${MARK}@Example-PII.cn`,
  importEmail: `li.na.import.${MARK}@example-pii.cn`,
  phoneTyped: '138 0013 8731',
  phoneDigits: '13800138731',
  phoneE164: '+8613800138731',
  importPhoneTyped: '139-0013-9462',
  importPhoneE164: '+8613900139462',
  comment: `The courier threw my parcel over the fence ${MARK}`,
  contactEmail: `contact.me.${MARK}@example-pii.cn`,
  name: `Zhang Wei-${MARK}`,
};
const needles = [
  ...new Set([...Object.values(pii), pii.email.toLowerCase(), pii.importEmail, '13900139462', '138-0013-8731']),
];

let rt: TestRuntime;
const captured: string[] = [];
let restore: (() => void) | undefined;
let requests = 0;

function startCapture() {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((m) => console[m]);
  const keep = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = ((chunk: unknown) => keep(chunk)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => keep(chunk)) as typeof process.stderr.write;
  for (const m of methods)
    console[m] = (...args: unknown[]) =>
      void keep(`${args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' ')}\n`);
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
    methods.forEach((m, i) => {
      console[m] = originals[i]!;
    });
  };
}

beforeAll(async () => {
  startCapture();
  // quiet: false prints the gateway's own lines too; DEBUG is the most the handlers will ever log.
  rt = await startTestRuntime({ quiet: false, env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } });
}, 120_000);

afterAll(async () => {
  await rt?.stop();
  restore?.();
});

async function call(method: string, path: string, options: Parameters<TestRuntime['request']>[2] = {}) {
  requests++;
  return rt.request(method, path, options);
}

describe('logs at DEBUG level', () => {
  it('carry one structured line per request and none of the e-mails, phones or comments that went through', async () => {
    const admin = { token: rt.tokens.admin };
    // Customers: created, imported (JSON and CSV), looked up, refused.
    const created = await call('POST', '/v1/customers', {
      ...admin,
      body: { name: pii.name, email: pii.emailUpper, phone: pii.phoneTyped, company: 'PII Co' },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const csv = `name,email,phone\n"${pii.name} Two",${pii.importEmail},${pii.importPhoneTyped}\n`;
    expect(
      (await call('POST', '/v1/customers/import', { ...admin, rawBody: csv, headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('POST', '/v1/customers/import', {
          ...admin,
          body: [{ email: pii.email, phone: pii.phoneTyped, name: pii.name }],
        })
      ).status,
    ).toBe(200);
    expect((await call('GET', `/v1/customers/lookup?email=${encodeURIComponent(pii.email)}`, admin)).status).toBe(200);
    expect((await call('GET', `/v1/customers/lookup?phone=${encodeURIComponent(pii.phoneE164)}`, admin)).status).toBe(
      200,
    );
    expect(
      (await call('GET', `/v1/customers/lookup?phone=${encodeURIComponent(pii.importPhoneTyped)}`, admin)).status,
    ).toBe(200);
    // Refusals that involve the same data: duplicate (409), malformed (400), not found (404), unauthorised (401/403).
    expect((await call('POST', '/v1/customers', { ...admin, body: { email: pii.email } })).status).toBe(409);
    expect(
      (await call('POST', '/v1/customers', { ...admin, body: { phone: pii.phoneDigits, name: pii.name } })).status,
    ).toBe(409);
    expect(
      (
        await call('POST', '/v1/customers', {
          ...admin,
          body: { email: `${pii.email}@@`, phone: `${pii.phoneTyped}x` },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('GET', `/v1/customers/lookup?email=${encodeURIComponent(pii.contactEmail)}`, admin)).status,
    ).toBe(404);
    expect(
      (
        await call('PATCH', `/v1/customers/${id}`, {
          ...admin,
          body: { email: pii.contactEmail },
          headers: { 'if-match': '"99"' },
        })
      ).status,
    ).toBe(412);
    expect(
      (await call('POST', '/v1/customers', { token: rt.tokens.analyst, body: { email: pii.contactEmail } })).status,
    ).toBe(403);
    expect((await call('POST', '/v1/customers', { body: { email: pii.contactEmail } })).status).toBe(401);
    expect(
      (
        await call('POST', '/v1/customers', {
          ...admin,
          rawBody: `{"email":"${pii.contactEmail}",`,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await call('GET', `/v1/customers/${id}/personal-data`, admin)).status).toBe(200);

    // A survey with a contact question; an answer with a comment and a contact e-mail, then a conflicting retry.
    const definition = surveyDefinition([SHOP]);
    definition.questions.push({
      id: 'contact',
      type: 'contact',
      text: { en: 'May we contact you?', 'zh-CN': '可以联系您吗？' },
      consentText: { en: 'Yes', 'zh-CN': '可以' },
    } as never);
    const survey = await call('POST', '/v1/surveys', { ...admin, body: definition });
    expect(survey.status, survey.text).toBe(201);
    const surveyId = (survey.body as { id: string }).id;
    const revision = (survey.body as { revision: number }).revision;
    expect(
      (
        await call('PUT', `/v1/surveys/${surveyId}`, {
          ...admin,
          body: { ...definition, status: 'active' },
          headers: { 'if-match': `"${revision}"` },
        })
      ).status,
    ).toBe(200);
    const answer = validSubmission({
      answers: { overall: 1, nps: 0, comment: pii.comment, contact: { email: pii.contactEmail, consent: true } },
      email: pii.email,
    });
    const submitted = await call('POST', `/v1/surveys/${surveyId}/responses`, {
      body: answer,
      headers: { origin: SHOP },
    });
    expect(submitted.status, submitted.text).toBe(201);
    const conflicting = await call('POST', `/v1/surveys/${surveyId}/responses`, {
      body: { ...answer, answers: { ...answer.answers, comment: `${pii.comment}!` } },
      headers: { origin: SHOP },
    });
    expect(conflicting.status).toBe(409);
    const refused = await call('POST', `/v1/surveys/${surveyId}/responses`, {
      body: validSubmission({ answers: { overall: 9, comment: pii.comment }, email: pii.contactEmail }),
      headers: { origin: SHOP },
    });
    expect(refused.status).toBe(400);
    await rt.drainStream();
    expect((await call('GET', `/v1/surveys/${surveyId}/comments`, { token: rt.tokens.analyst })).text).toContain(
      pii.comment,
    );
    expect((await call('GET', `/v1/followups?surveyId=${surveyId}`, { token: rt.tokens.analyst })).status).toBe(200);
    expect((await call('GET', `/v1/surveys/${surveyId}/responses/export`, { token: rt.tokens.analyst })).status).toBe(
      200,
    );
    expect((await call('GET', '/v1/customers/export?format=jsonl', admin)).text).toContain(pii.importEmail);

    const text = captured.join('');
    for (const needle of needles)
      expect(text.includes(needle), `the logs contain ${JSON.stringify(needle)}`).toBe(false);
    expect(text.toLowerCase().includes(pii.email.toLowerCase()), 'the logs contain the e-mail in some case').toBe(
      false,
    );

    // The lines that must be there: one per request that reached a handler, each with the four fields.
    const lines = text
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return undefined;
        }
      })
      .filter((l) => l !== undefined);
    const requestLines = lines.filter((l) => typeof l.route === 'string' && 'status' in l);
    // 401s are answered by the gateway (no handler runs), so they have no handler line.
    expect(requestLines.length, `structured request lines in ${lines.length} JSON lines`).toBeGreaterThanOrEqual(
      requests - 1,
    );
    for (const line of requestLines) {
      expect(line).toMatchObject({
        correlationId: expect.any(String),
        route: expect.stringMatching(/^(GET|POST|PUT|PATCH|DELETE|OPTIONS) \//),
        status: expect.any(Number),
        latencyMs: expect.any(Number),
      });
    }
  });
});
