/**
 * Digests and their unsubscribe link end to end on the local runtime, and the notification routes'
 * refusals: the digest's figures (read from its text part) equal the report API's for the same days;
 * the signed one-click link unsubscribes exactly that recipient (audited), a tampered one changes
 * nothing; bad settings, wrong roles and bad bodies are 4xx that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientRef } from '../../functions/domain/notifications/recipient-ref';
import type { StoredMail } from '../../local/mail-outbox';
import { startTestRuntime, type TestRuntime } from './harness';
import {
  answerOn,
  type Body,
  dayShift,
  partitionItems,
  publish,
  SHOP,
  tempMailDir,
  text,
} from './notification-support';

let rt: TestRuntime;
let survey: Body;
const DAY_MS = 86_400_000;
const now = new Date();

/** The owner's local hour and ISO weekday now, in Shanghai (UTC+8 all year). */
const shanghai = new Date(now.getTime() + 8 * 3_600_000);
const localHour = shanghai.getUTCHours();
const localWeekday = shanghai.getUTCDay() === 0 ? 7 : shanghai.getUTCDay();
const sendAt =
  Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate(), localHour) - 8 * 3_600_000;
/** The 7 complete UTC days before the send time, and the 7 before those. */
const periodTo = new Date(sendAt - DAY_MS).toISOString().slice(0, 10);
const periodFrom = dayShift(periodTo, -6);

const definition = {
  name: 'Support desk',
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: text('How did we do?', '我们做得怎么样？'),
  questions: [
    { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text: text('Overall', '总体') },
    { id: 'nps', type: 'nps', text: text('Recommend us?', '推荐吗？') },
    { id: 'effort', type: 'ces', text: text('It was easy', '很容易') },
    { id: 'comment', type: 'text', maxLength: 500, text: text('Anything else?', '还有吗？') },
  ],
  delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30 },
  notifications: {
    recipients: [
      { email: 'ops.lead@example.com', locale: 'en' },
      { email: 'wang.li@example.cn', locale: 'zh-CN' },
    ],
    digest: { frequency: 'weekly', timeZone: 'Asia/Shanghai', hour: localHour, weekday: localWeekday },
  },
};

const dayAnswers = (k: number) => [
  { answers: { overall: 5, nps: 10, effort: 7, comment: 'quick and kind' } },
  { answers: { overall: 4, nps: 9, effort: 6 } },
  { answers: { overall: (k % 3) + 1, nps: k % 7, effort: 2, comment: `waited ${k} days` } },
  { answers: { overall: 5, nps: 8, effort: 5 } },
  { answers: { overall: k % 2 ? 3 : 4, nps: 7, effort: 4 } },
];

const digestsOf = async (surveyId: string): Promise<StoredMail[]> =>
  (await rt.outbox!.list()).filter((m) => m.message.id.startsWith(`digest:${surveyId}:`));

function line(mail: StoredMail, prefix: string): string {
  const found = mail.message.text.split('\n').find((l) => l.startsWith(prefix));
  if (!found) throw new Error(`no line "${prefix}" in:\n${mail.message.text}`);
  return found;
}

const num = (s: string) => Number(s.replace('+', ''));

beforeAll(async () => {
  rt = await startTestRuntime({ mailDir: tempMailDir() });
  survey = await publish(rt, definition);
  for (let k = 0; k < 14; k++) await answerOn(rt, survey.id, dayShift(periodTo, -k), dayAnswers(k));
  await rt.drainStream();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('a weekly digest', () => {
  let en: StoredMail;

  it('goes to each recipient once, in their language, at their local hour', async () => {
    await rt.runNotifications();
    await rt.runNotifications(); // an hourly rerun (or a retry) sends nothing more
    const mails = await digestsOf(survey.id);
    expect(mails.map((m) => m.message.to).sort()).toEqual(['ops.lead@example.com', 'wang.li@example.cn']);
    en = mails.find((m) => m.message.to === 'ops.lead@example.com')!;
    const zh = mails.find((m) => m.message.to === 'wang.li@example.cn')!;
    expect(en.message.subject).toBe(`Weekly digest: Support desk (${periodFrom} – ${periodTo})`);
    expect(zh.message.subject).toBe(`每周摘要：Support desk (${periodFrom} – ${periodTo})`);
    expect(line(en, 'Period (UTC days): ')).toBe(`Period (UTC days): ${periodFrom} – ${periodTo}`);
    expect(en.message.html).toContain('<h2 style="font-size:16px">Lowest-scored comments</h2>');
    expect(zh.message.text).toContain('评分最低的评论');

    // The local runtime lists the outbox at /dev/mail, with each message's HTML and text.
    const list = await rt.request('GET', '/dev/mail');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`Weekly digest: Support desk (${periodFrom} – ${periodTo})`);
    const html = await rt.request('GET', `/dev/mail/${encodeURIComponent(en.file)}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect(html.text).toBe(en.message.html);
    const plain = await rt.request('GET', `/dev/mail/${encodeURIComponent(en.file)}/text`);
    expect(plain.headers.get('content-type')).toContain('text/plain');
    expect(plain.text).toBe(en.message.text);
    expect((await rt.request('GET', '/dev/mail/nothing-here.eml')).status).toBe(404);
  });

  it('shows the report’s figures for the same days, with the change since the week before', async () => {
    const report = (
      await rt.request('GET', `/v1/surveys/${survey.id}/report?from=${periodFrom}&to=${periodTo}&granularity=day`, {
        token: rt.tokens.analyst,
      })
    ).body as Body;
    expect(line(en, 'Responses: ')).toBe(`Responses: ${report.counts.responses}`);
    expect(report.counts.responses).toBe(35);

    const csat =
      /^CSAT: ([\d.]+)% \(95% CI ([\d.]+) … ([\d.]+)%\), n = (\d+); change since the previous period: ([+\-\d.]+) .*, (significant|not significant)$/.exec(
        line(en, 'CSAT: '),
      );
    expect(csat).not.toBeNull();
    const [, value, low, high, n] = csat!;
    expect(num(value!)).toBe(Number((report.csat.share * 100).toFixed(1)));
    expect(num(low!)).toBe(Number((report.csat.ci95.low * 100).toFixed(1)));
    expect(num(high!)).toBe(Number((report.csat.ci95.high * 100).toFixed(1)));
    expect(Number(n)).toBe(report.csat.n);

    const nps = /^NPS: ([+\-\d.]+) \(95% CI ([+\-\d.]+) … ([+\-\d.]+)\), n = (\d+);/.exec(line(en, 'NPS: '));
    expect(nps).not.toBeNull();
    expect(num(nps![1]!)).toBe(Number(report.nps.nps.toFixed(1)));
    expect(num(nps![2]!)).toBe(Number(report.nps.ci95.low.toFixed(1)));
    expect(num(nps![3]!)).toBe(Number(report.nps.ci95.high.toFixed(1)));
    expect(Number(nps![4])).toBe(report.nps.n);

    const ces = /^CES: ([\d.]+) \(95% CI ([\d.]+) … ([\d.]+)\), n = (\d+);/.exec(line(en, 'CES: '));
    expect(ces).not.toBeNull();
    expect(num(ces![1]!)).toBe(Number(report.ces.mean.toFixed(2)));
    expect(Number(ces![4])).toBe(report.ces.n);

    // The previous week, from the report too: the change is the difference of the two.
    const before = (
      await rt.request(
        'GET',
        `/v1/surveys/${survey.id}/report?from=${dayShift(periodFrom, -7)}&to=${dayShift(periodFrom, -1)}`,
        { token: rt.tokens.analyst },
      )
    ).body as Body;
    const change = num(csat![5]!);
    expect(change).toBeCloseTo((report.csat.share - before.csat.share) * 100, 1);
    expect(line(en, 'Open follow-ups: ')).toMatch(/^Open follow-ups: \d+/);
  });

  it('unsubscribes one recipient with its signed one-click link, audited; a tampered link changes nothing', async () => {
    const header = en.message.headers?.['List-Unsubscribe'] ?? '';
    expect(en.message.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = new URL(/^<(.+)>$/.exec(header)![1]!);
    expect(link.origin).toBe(rt.url);
    expect(link.searchParams.get('recipient')).toBe(recipientRef('ops.lead@example.com'));
    const path = `${link.pathname}${link.search}`;
    const oneClick = {
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };

    // Tampered: another recipient's reference, or a changed signature.
    const before = await rt.itemCount();
    const otherRef = new URL(link);
    otherRef.searchParams.set('recipient', recipientRef('wang.li@example.cn'));
    const badSignature = new URL(link);
    const sig = link.searchParams.get('signature')!;
    badSignature.searchParams.set('signature', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    for (const bad of [otherRef, badSignature]) {
      const refused = await rt.request('POST', `${bad.pathname}${bad.search}`, oneClick);
      expect(refused.status, refused.text).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect((await rt.request('GET', `${bad.pathname}${bad.search}`)).status).toBe(403);
    }
    // A GET only asks (link scanners follow links); a wrong body or type is refused.
    const confirm = await rt.request('GET', path);
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-type')).toContain('text/html');
    expect(confirm.text).toContain('<form method="post"');
    expect(confirm.text).toContain('退订此摘要');
    expect((await rt.request('POST', path, { ...oneClick, rawBody: 'List-Unsubscribe=Yes' })).status).toBe(400);
    expect((await rt.request('POST', path, { body: { 'List-Unsubscribe': 'One-Click' } })).status).toBe(415);
    expect(await rt.itemCount()).toBe(before);
    expect(await partitionItems(rt, `NOTIFY#${survey.id}`)).toEqual([]);

    const done = await rt.request('POST', path, oneClick);
    expect(done.status, done.text).toBe(200);
    expect(done.text).toContain('You are unsubscribed');
    expect((await rt.request('POST', path, oneClick)).status).toBe(200); // idempotent
    expect(await partitionItems(rt, `NOTIFY#${survey.id}`)).toHaveLength(1);

    const audit = (await rt.request('GET', '/v1/audit?operation=unsubscribeDigest', { token: rt.tokens.admin }))
      .body as Body;
    expect(audit.items[0]).toMatchObject({
      actor: 'unsubscribe-link',
      ids: { survey: survey.id, recipient: recipientRef('ops.lead@example.com') },
    });
    expect(JSON.stringify(audit.items)).not.toContain('ops.lead@example.com');

    const alerts = (await rt.request('GET', `/v1/surveys/${survey.id}/alerts`, { token: rt.tokens.admin }))
      .body as Body;
    expect(alerts.recipients.map((r: Body) => r.digest)).toEqual(['unsubscribed', 'subscribed']);

    // Next week's digest goes to the other recipient only.
    await rt.runNotifications({ now: new Date(now.getTime() + 7 * DAY_MS) });
    const next = (await digestsOf(survey.id)).filter((m) => m.message.subject.includes(dayShift(periodTo, 7)));
    expect(next.map((m) => m.message.to)).toEqual(['wang.li@example.cn']);
  });
});

describe('refusals', () => {
  const put = (body: unknown, token = rt.tokens.admin) =>
    rt.request('PUT', `/v1/surveys/${survey.id}`, {
      token,
      body,
      headers: { 'if-match': `"${survey.revision}"` },
    });

  it('bad notification settings are a 400 naming each field, and write nothing', async () => {
    const current = (await rt.request('GET', `/v1/surveys/${survey.id}`, { token: rt.tokens.admin })).body as Body;
    survey = current;
    const before = await rt.itemCount();
    const bad = await put({
      ...definition,
      status: 'active',
      notifications: {
        recipients: [{ email: 'not-an-address', locale: 'fr' }, { email: 'a@example.com' }, { email: 'A@example.com' }],
        digest: { frequency: 'hourly', timeZone: 'Mars/Olympus', hour: 24, weekday: 0 },
        alerts: { minimumSample: 5, currentDays: 300, baselineDays: 300 },
      },
    });
    expect(bad.status, bad.text).toBe(400);
    const paths = ((bad.body as Body).errors as Body[]).map((e) => e.path);
    for (const p of [
      'notifications/recipients/0/email',
      'notifications/recipients/0/locale',
      'notifications/digest/frequency',
      'notifications/digest/timeZone',
      'notifications/digest/hour',
      'notifications/digest/weekday',
      'notifications/alerts/minimumSample',
    ]) {
      expect(paths, JSON.stringify((bad.body as Body).errors)).toContain(p);
    }
    const twice = await put({
      ...definition,
      status: 'active',
      notifications: { recipients: [{ email: 'a@example.com' }, { email: 'A@Example.com ' }] },
    });
    expect(twice.status).toBe(400);
    expect((twice.body as Body).errors).toEqual([
      { path: 'notifications/recipients', message: 'a recipient appears twice' },
    ]);
    expect(await rt.itemCount()).toBe(before);
    const after = (await rt.request('GET', `/v1/surveys/${survey.id}`, { token: rt.tokens.admin })).body as Body;
    expect(after.revision).toBe(current.revision);
  });

  it('analysts may read alerts but not change notifications; strangers neither', async () => {
    const before = await rt.itemCount();
    const analyst = await put({ ...definition, status: 'active' }, rt.tokens.analyst);
    expect(analyst.status).toBe(403);
    expect((await rt.request('GET', `/v1/surveys/${survey.id}/alerts`)).status).toBe(401);
    expect(
      (await rt.request('GET', `/v1/surveys/01JABCDEFGHJKMNPQRSTVWXYZ0/alerts`, { token: rt.tokens.admin })).status,
    ).toBe(404);
    expect((await rt.request('GET', `/v1/surveys/${survey.id}/alerts?days=0`, { token: rt.tokens.admin })).status).toBe(
      400,
    );
    expect(await rt.itemCount()).toBe(before);
  });

  it('new surveys get default notifications: nobody told, digests off, default thresholds', async () => {
    const { notifications: _n, ...withoutNotifications } = definition;
    const created = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: withoutNotifications });
    expect(created.status, created.text).toBe(201);
    expect((created.body as Body).notifications).toEqual({
      recipients: [],
      digest: { frequency: 'off', timeZone: 'UTC', hour: 8, weekday: 1 },
      alerts: { minimumDrop: { csat: 5, nps: 10, ces: 0.3 }, minimumSample: 30, currentDays: 7, baselineDays: 28 },
    });
  });
});
