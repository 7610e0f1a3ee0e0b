/**
 * DynamoDB frozen (SIGSTOP) in the middle of a burst of writes for longer than the request deadline,
 * then resumed. Requests sent into the freeze must be answered by Rapport before the deadline —
 * never a 500, never a hang until the gateway gives up — with a 503 that says whether the outcome is
 * unknown and when to retry. Clients then retry exactly as the docs tell them (the same
 * Idempotency-Key for admin creates, the same response id for survey answers), and afterwards every
 * acknowledged write is there and every write exists exactly once, however many attempts it took.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { startTestRuntime, type TestResponse, type TestRuntime } from '../integration/harness';
import { publishSurvey, SHOP, validSubmission } from '../support/route-fixtures';
import { scanItems } from '../support/table-scan';

const DEADLINE_MS = 1500;
/** How long past the deadline an answer may take to travel back (JSON, loopback, a busy CI box). */
const ANSWER_SLACK_MS = 1500;
const FREEZE_MS = 4000;
const CREATES = 24;
const ANSWERS = 24;

let rt: TestRuntime;
let surveyId: string;

beforeAll(async () => {
  rt = await startTestRuntime({
    env: { REQUEST_DEADLINE_MS: String(DEADLINE_MS), DYNAMODB_ATTEMPT_TIMEOUT_MS: '1000' },
  });
  // This runtime's deadline is short on purpose; on a busy machine the very first writes (a cold JVM)
  // can miss it and answer 503 before anything is frozen. Setting up again is harmless: every check
  // below reads only this survey's answers, and an abandoned draft is nobody's.
  for (let attempt = 1; ; attempt++) {
    try {
      surveyId = await publishSurvey(rt);
      break;
    } catch (error) {
      if (attempt === 4 || !String(error).includes(': 503 ')) throw error;
      await sleep(1000 * attempt);
    }
  }
});

afterAll(async () => {
  if (rt?.dynamoPid) process.kill(rt.dynamoPid, 'SIGCONT');
  await rt?.stop();
});

interface Write {
  readonly label: string;
  send(): Promise<TestResponse>;
}

async function scanAll(): Promise<Record<string, unknown>[]> {
  const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
  try {
    return await scanItems(dynamo, rt.tableName);
  } finally {
    dynamo.destroy();
  }
}

describe('DynamoDB frozen for longer than the request deadline', () => {
  it('answers every request before its deadline, then retries store every write exactly once', async () => {
    const pid = rt.dynamoPid;
    if (!pid) throw new Error('the runtime did not report DynamoDB Local’s process id');
    const writes: Write[] = [];
    for (let i = 0; i < CREATES; i++) {
      const key = `frozen-create-${i}-${Date.now()}`;
      writes.push({
        label: `create ${i}`,
        // A name-only customer: nothing but the Idempotency-Key can tell a retry from a second customer.
        send: () =>
          rt.request('POST', '/v1/customers', {
            token: rt.tokens.admin,
            body: { name: `Frozen Customer ${i}` },
            headers: { 'idempotency-key': key },
          }),
      });
    }
    const answerIds: string[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      const body = validSubmission({ answers: { overall: 1 + (i % 5), nps: i % 11 } });
      answerIds.push(body.id);
      writes.push({
        label: `answer ${i}`,
        send: () => rt.request('POST', `/v1/surveys/${surveyId}/responses`, { body, headers: { origin: SHOP } }),
      });
    }
    // Interleave creates and answers, sent every 20 ms; the freeze starts a little way into the burst.
    const order = writes.flatMap((_, i) => (i < CREATES ? [writes[i]!, writes[CREATES + i]!] : []));
    const frozenAt = Date.now() + 150;
    const freeze = (async () => {
      await sleep(150);
      process.kill(pid, 'SIGSTOP');
      await sleep(FREEZE_MS);
      process.kill(pid, 'SIGCONT');
    })();

    const first = await Promise.all(
      order.map(async (write, i) => {
        await sleep(i * 20);
        const started = Date.now();
        const response = await write.send();
        return { write, response, latencyMs: Date.now() - started, sentAt: started };
      }),
    );
    await freeze;

    const intoTheFreeze = first.filter((f) => f.sentAt >= frozenAt && f.sentAt < frozenAt + FREEZE_MS - DEADLINE_MS);
    expect(intoTheFreeze.length).toBeGreaterThan(10);
    for (const { write, response, latencyMs } of first) {
      expect(response.status, `${write.label}: ${response.text}`).not.toBe(500);
      expect([201, 409, 503], `${write.label}: ${response.status} ${response.text}`).toContain(response.status);
      // Answered by Rapport at its deadline, not left hanging until DynamoDB came back.
      expect(latencyMs, write.label).toBeLessThan(DEADLINE_MS + ANSWER_SLACK_MS);
      if (response.status !== 201) {
        expect(response.headers.get('retry-after'), write.label).toMatch(/^\d+$/);
        const type = (response.body as { type?: string }).type ?? '';
        expect(type, write.label).toMatch(/\/(outcome-unknown|service-unavailable|request-in-progress)$/);
      }
    }
    // Writes sent into the freeze could not be confirmed: their outcome is reported as unknown.
    const unknown = intoTheFreeze.filter(
      (f) => (f.response.body as { type?: string }).type === 'https://rapport.dev/problems/outcome-unknown',
    );
    expect(unknown.length).toBeGreaterThan(5);

    // Clients retry as documented until acknowledged.
    const acknowledged = new Map<string, TestResponse>();
    for (const { write, response } of first) if (response.status === 201) acknowledged.set(write.label, response);
    for (const { write } of first) {
      for (let attempt = 0; !acknowledged.has(write.label); attempt++) {
        if (attempt === 20) throw new Error(`${write.label} was never acknowledged`);
        const response = await write.send();
        expect(response.status, `${write.label} retry: ${response.text}`).not.toBe(500);
        if (response.status === 201) acknowledged.set(write.label, response);
        else await sleep(Math.min(1000, Number(response.headers.get('retry-after') ?? 1) * 1000));
      }
    }

    await rt.drainStream({ timeoutMs: 30_000 });
    const items = await scanAll();
    // Every create exists exactly once, and it is the record that was acknowledged.
    const customers = items.filter((i) => String(i.PK).startsWith('CUSTOMER#') && i.SK === 'PROFILE');
    for (let i = 0; i < CREATES; i++) {
      const named = customers.filter((c) => c.name === `Frozen Customer ${i}`);
      expect(named, `Frozen Customer ${i}`).toHaveLength(1);
      const ack = acknowledged.get(`create ${i}`)?.body as { id?: string } | undefined;
      expect(named[0]?.id).toBe(ack?.id);
    }
    // Every key's outcome is kept once, as completed.
    const keys = items.filter(
      (i) => String(i.PK).startsWith('IDEMPOTENCY#') && String(i.PK).includes('frozen-create-'),
    );
    expect(keys).toHaveLength(CREATES);
    expect(keys.every((k) => k.state === 'complete')).toBe(true);
    // Every answer is stored once and counted once.
    const responses = items.filter((i) => String(i.PK).startsWith(`RESPONSES#${surveyId}#`));
    expect(responses.map((r) => r.SK).sort()).toEqual([...answerIds].sort());
    const report = await rt.request('GET', `/v1/surveys/${surveyId}/report`, { token: rt.tokens.analyst });
    expect((report.body as { counts: { responses: number } }).counts.responses).toBe(ANSWERS);
  });
});
