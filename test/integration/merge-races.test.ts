/**
 * Merges that race (issue 9 §4): merging A into B while B is merged into A. Exactly one merge commits;
 * what was linked to the record it removed moves only after that commit (from the stream), so no
 * response is ever left linked to a record that no longer exists, and the survivor's personal-data
 * export shows every answer of both. Chains (A→B, then B→C) end on the last survivor.
 */

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { createIdentitySecret, signedIdentity } from '../support/identity';
import { publishSurvey, SHOP, surveyDefinition } from '../support/route-fixtures';
import { scanItems } from '../support/table-scan';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
let surveyId: string;
let secret: string;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const admin = () => rt.tokens.admin;
const get = (path: string) => rt.request('GET', path, { token: admin() });

beforeAll(async () => {
  rt = await startTestRuntime();
  secret = await createIdentitySecret(rt);
  surveyId = await publishSurvey(rt, surveyDefinition());
});

afterAll(async () => {
  await rt?.stop();
});

async function customer(tag: string): Promise<string> {
  const created = await rt.request('POST', '/v1/customers', {
    token: admin(),
    body: { name: `Racer ${tag}`, email: `racer.${tag.toLowerCase()}@example.cn` },
  });
  expect(created.status, created.text).toBe(201);
  return (created.body as Body).id;
}

/** Two signed answers for the customer: a promoter, and a detractor (who gets a follow-up). */
async function answersOf(customerId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const answers of [
    { overall: 5, nps: 10 },
    { overall: 1, nps: 2, comment: 'slow' },
  ]) {
    const id = ulid();
    const sent = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
      body: { id, surveyVersion: 1, locale: 'en', answers, ...signedIdentity(secret, customerId) },
      headers: { origin: SHOP },
    });
    expect(sent.status, sent.text).toBe(201);
    ids.push(id);
  }
  return ids;
}

const merge = (into: string, duplicate: string) =>
  rt.request('POST', `/v1/customers/${into}/merge`, { token: admin(), body: { duplicateId: duplicate } });

/** Every response, follow-up and feedback counter item in the table, as stored. */
async function linksInTable() {
  const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
  try {
    const items = await scanItems(dynamo, rt.tableName);
    return {
      responses: items.filter((i) => i.entity === 'response') as Body[],
      followUps: items.filter((i) => i.entity === 'followup') as Body[],
      feedbackOwners: items.filter((i) => i.SK === 'FEEDBACK').map((i) => String(i.PK).slice('CUSTOMER#'.length)),
    };
  } finally {
    dynamo.destroy();
  }
}

/** What a person sees of a customer: its responses, its export (responses, follow-ups), its feedback count. */
async function everythingOf(customerId: string) {
  const responses = ((await get(`/v1/customers/${customerId}/responses?limit=100`)).body as Body).items as Body[];
  const exported = (await get(`/v1/customers/${customerId}/personal-data`)).body as Body;
  const record = (await get(`/v1/customers/${customerId}`)).body as Body;
  return {
    responses: responses.map((r) => r.id as string).sort(),
    exported: (exported.responses as Body[]).map((r) => r.id as string).sort(),
    followUps: (exported.followUps as Body[]).map((f) => [f.responseId, f.customerId]),
    feedbackCount: record.feedback.count as number,
  };
}

describe('20 races: A merged into B while B is merged into A, through real HTTP', () => {
  it('one merge wins; every response ends on the survivor and in its personal-data export', async () => {
    const races: { a: string; b: string; answers: string[] }[] = [];
    for (let i = 0; i < 20; i++) {
      const tag = `${i}.${ulid()}`;
      const a = await customer(`A.${tag}`);
      const b = await customer(`B.${tag}`);
      races.push({ a, b, answers: [...(await answersOf(a)), ...(await answersOf(b))] });
    }
    await rt.drainStream();

    const survivors: { survivor: string; loser: string; answers: string[] }[] = [];
    for (const race of races) {
      const [ab, ba] = await Promise.all([merge(race.a, race.b), merge(race.b, race.a)]);
      const statuses = [ab.status, ba.status];
      expect(
        statuses.filter((s) => s === 200),
        `${statuses.join(', ')}: ${ab.text} ${ba.text}`,
      ).toHaveLength(1);
      // The loser finds its record gone (404), or changed under it (409/412): either way it moved nothing.
      for (const s of statuses.filter((x) => x !== 200)) expect([404, 409, 412]).toContain(s);
      const survivor = ab.status === 200 ? race.a : race.b;
      survivors.push({ survivor, loser: survivor === race.a ? race.b : race.a, answers: race.answers });
    }
    await rt.drainStream();

    const { responses, followUps, feedbackOwners } = await linksInTable();
    for (const { survivor, loser, answers } of survivors) {
      expect((await get(`/v1/customers/${loser}`)).status).toBe(404);
      const seen = await everythingOf(survivor);
      const expected = [...answers].sort();
      expect(seen.responses, `responses of survivor ${survivor}`).toEqual(expected);
      expect(seen.exported, `personal-data export of ${survivor}`).toEqual(expected);
      expect(seen.followUps, `follow-ups of ${survivor}`).toHaveLength(2);
      for (const [, owner] of seen.followUps) expect(owner).toBe(survivor);
      expect(seen.feedbackCount).toBe(4);
      // Nothing anywhere is still linked to the record that is gone.
      expect(responses.filter((r) => r.customerId === loser || r.GSI1PK === `CUSTOMER#${loser}`)).toEqual([]);
      expect(followUps.filter((f) => f.customerId === loser)).toEqual([]);
      expect(feedbackOwners).not.toContain(loser);
    }
    expect(rt.stats.deadLettered).toBe(0);
  }, 240_000);
});

describe('chains and late answers', () => {
  it('A→B, then B→C before the stream caught up: everything ends on C, and an answer signed for A later too', async () => {
    const tag = ulid();
    const [a, b, c] = [
      await customer(`ChainA.${tag}`),
      await customer(`ChainB.${tag}`),
      await customer(`ChainC.${tag}`),
    ];
    const answers = [...(await answersOf(a)), ...(await answersOf(b)), ...(await answersOf(c))];
    await rt.drainStream();
    expect((await merge(b, a)).status).toBe(200);
    expect((await merge(c, b)).status).toBe(200);
    // The site still signs the id it knows: A. The answer follows A's merges to C.
    const late = await answersOf(a);
    await rt.drainStream();
    const seen = await everythingOf(c);
    expect(seen.responses).toEqual([...answers, ...late].sort());
    expect(seen.exported).toEqual([...answers, ...late].sort());
    expect(seen.feedbackCount).toBe(8);
    for (const [, owner] of seen.followUps) expect(owner).toBe(c);
    expect(((await get(`/v1/customers/${c}/personal-data`)).body as Body).mergedIds.sort()).toEqual([a, b].sort());
  });
});
