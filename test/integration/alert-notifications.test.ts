/**
 * Drop alerts end to end on the local runtime: answers written through the public API with ids (so
 * days) spread over the windows, aggregated by the stream, evaluated by the same job code the Lambda
 * runs. A drop in one segment gives exactly one `alert-event` item and one e-mail per recipient in
 * their language and one signed `satisfaction.dropped` webhook; its recovery one more of each; running
 * the job again sends nothing.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dueEvaluationDay } from '../../functions/domain/notifications/alert-schedule';
import { surveyAlertsSchema } from '../../functions/domain/notifications/notification-routes-schema';
import { eventually, type Receiver, startReceiver } from '../support/webhook-receiver';
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
let surveyId: string;
let receiver: Receiver;
let hookSecret: string;
const DAY_MS = 86_400_000;
const realNow = new Date();
const firstRun = new Date(realNow.getTime() - 7 * DAY_MS);
const dropDay = dueEvaluationDay(firstRun, 7);

const definition = {
  name: 'Checkout',
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: text('How was checkout?', '结账体验如何？'),
  // One Likert question, not marked overall: CSAT is the only metric, so one scope's drop is one event.
  questions: [{ id: 'q', type: 'likert', points: 5, required: true, text: text('Satisfied?', '满意吗？') }],
  delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, segments: ['a', 'b'] },
  notifications: {
    recipients: [
      { email: 'ops.lead@example.com', locale: 'en' },
      { email: 'wang.li@example.cn', locale: 'zh-CN' },
    ],
    // The overall scope falls 50 points when segment a falls 100: only the segment is past the minimum.
    alerts: { currentDays: 7, baselineDays: 7, minimumDrop: { csat: 60 } },
  },
};

const five = (segment: string, value: number) => Array.from({ length: 5 }, () => ({ segment, answers: { q: value } }));

async function week(lastDay: string, segmentA: number) {
  for (let d = 6; d >= 0; d--) {
    const day = dayShift(lastDay, -d);
    await answerOn(rt, surveyId, day, [...five('a', segmentA), ...five('b', 5)]);
  }
}

const alertEvents = async () =>
  (await partitionItems(rt, `ALERTS#${surveyId}`)).filter((i) => String(i.SK).startsWith('EVENT#'));

/** The satisfaction webhooks the receiver got, each verified with the standardwebhooks library. */
const satisfactionWebhooks = () =>
  receiver.on('/satisfaction').map((r) => {
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    return { ...(new Webhook(hookSecret).verify(r.body, headers) as Body), webhookId: headers['webhook-id'] } as Body;
  });

beforeAll(async () => {
  receiver = await startReceiver();
  rt = await startTestRuntime({ mailDir: tempMailDir(), webhooks: { allowLoopback: true, timeScale: 3e-5 } });
  const hook = await rt.request('POST', '/v1/webhooks', {
    token: rt.tokens.admin,
    body: {
      url: receiver.url('/satisfaction'),
      events: ['satisfaction.dropped', 'satisfaction.recovered'],
      description: 'CRM',
    },
  });
  expect(hook.status, hook.text).toBe(201);
  hookSecret = (hook.body as Body).secret;
  surveyId = (await publish(rt, definition)).id as string;
  await week(dayShift(dropDay, -7), 5); // baseline: everyone satisfied
  await week(dropDay, 1); // current window: segment a at the bottom
  await rt.drainStream();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
  await receiver?.close();
});

describe('a drop in one segment', () => {
  it('stores one alert-event item and e-mails each recipient once, in their language', async () => {
    // The mailer refuses the first message (SES throttling, say): the next run sends that one, and only that one.
    const send = vi.spyOn(rt.outbox!, 'send').mockRejectedValueOnce(new Error('Throttling'));
    const run = await rt.runNotifications({ now: firstRun });
    expect(run).toMatchObject({ failedSurveys: 0, alertEvents: 1, alertMails: 1, failedMails: 1 });
    expect((await alertEvents())[0]!.notifiedAt).toBeUndefined();
    const retry = await rt.runNotifications({ now: firstRun });
    expect(retry).toMatchObject({ alertEvents: 0, alertMails: 1, failedMails: 0 });
    expect((await alertEvents())[0]!.notifiedAt).toEqual(expect.any(String));

    const events = await alertEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.entity).toBe('alert-event');
    expect(events[0]!.event).toMatchObject({
      type: 'satisfaction.dropped',
      surveyId,
      segment: 'a',
      metric: 'csat',
      on: dropDay,
      current: { n: 35, value: 0 },
      baseline: { n: 35, value: 100 },
    });

    const mine = (await rt.outbox!.list()).filter((m) => m.message.id.includes(surveyId));
    expect(mine.map((m) => m.message.to).sort()).toEqual(['ops.lead@example.com', 'wang.li@example.cn']);
    const en = mine.find((m) => m.message.to === 'ops.lead@example.com')!.message;
    const zh = mine.find((m) => m.message.to === 'wang.li@example.cn')!.message;
    expect(en.subject).toContain('Satisfaction dropped: CSAT, segment “a” — Checkout');
    expect(zh.subject).toContain('满意度下降');
    expect(en.text).toContain(`Current window ending ${dropDay}: 0.0 (n = 35)`);
    expect(zh.html).toContain('lang="zh-CN"');
    expect(send).toHaveBeenCalledTimes(3);
    send.mockRestore();

    // The same event reaches the subscribed system once, signed, with the event's id as its webhook-id.
    await rt.drainStream();
    await eventually('the satisfaction.dropped webhook', async () => satisfactionWebhooks().length > 0);
    const [dropped, ...more] = satisfactionWebhooks();
    expect(more).toEqual([]);
    expect(dropped).toMatchObject({ type: 'satisfaction.dropped', data: { surveyId, segment: 'a', metric: 'csat' } });
  });

  it('sends nothing more when the job runs again (a retry, or an overlapping run)', async () => {
    const send = vi.spyOn(rt.outbox!, 'send');
    await Promise.all([rt.runNotifications({ now: firstRun }), rt.runNotifications({ now: firstRun })]);
    await rt.runNotifications({ now: firstRun });
    expect(send).not.toHaveBeenCalled();
    expect(await alertEvents()).toHaveLength(1);
    send.mockRestore();
  });

  it('admins and analysts see the open alert and its event', async () => {
    for (const token of [rt.tokens.admin, rt.tokens.analyst]) {
      const alerts = await rt.request('GET', `/v1/surveys/${surveyId}/alerts`, { token });
      expect(alerts.status, alerts.text).toBe(200);
      const body = alerts.body as Body;
      expect(body.evaluatedThrough).toBe(dropDay);
      expect(body.open).toEqual([expect.objectContaining({ segment: 'a', metric: 'csat', droppedOn: dropDay })]);
      expect(body.events).toHaveLength(1);
      expect(body.events[0].emailedAt).toEqual(expect.any(String));
      expect(body.recipients).toEqual([
        { email: 'ops.lead@example.com', locale: 'en', digest: 'subscribed' },
        { email: 'wang.li@example.cn', locale: 'zh-CN', digest: 'subscribed' },
      ]);
    }
  });
});

describe('the recovery', () => {
  it('is announced once to each recipient, and never again', async () => {
    await week(dayShift(dropDay, 7), 5); // the next window: segment a satisfied again
    await rt.drainStream();
    const send = vi.spyOn(rt.outbox!, 'send');
    await rt.runNotifications({ now: realNow });
    expect(send).toHaveBeenCalledTimes(2);
    const events = await alertEvents();
    expect(events.map((e) => e.event.type).sort()).toEqual(['satisfaction.dropped', 'satisfaction.recovered']);
    const recovered = events.find((e) => e.event.type === 'satisfaction.recovered')!;
    expect(recovered.event).toMatchObject({ segment: 'a', reason: 'recovered', droppedOn: dropDay });
    const subjects = (await rt.outbox!.list())
      .filter((m) => m.message.id.includes('recovered'))
      .map((m) => m.message.subject);
    expect(subjects.sort()).toEqual([
      'Satisfaction recovered: CSAT, segment “a” — Checkout',
      '满意度已恢复：CSAT（满意度），细分“a” — Checkout',
    ]);

    await rt.runNotifications({ now: realNow });
    await rt.runNotifications({ now: realNow });
    expect(send).toHaveBeenCalledTimes(2);
    expect(await alertEvents()).toHaveLength(2);

    // One satisfaction.recovered webhook after the one dropped, and the reruns added none.
    await rt.drainStream();
    await eventually('the satisfaction.recovered webhook', async () => satisfactionWebhooks().length > 1);
    expect(satisfactionWebhooks().map((w) => w.type)).toEqual(['satisfaction.dropped', 'satisfaction.recovered']);
    expect(new Set(satisfactionWebhooks().map((w) => w.webhookId)).size).toBe(2);
    const open = (await rt.request('GET', `/v1/surveys/${surveyId}/alerts`, { token: rt.tokens.analyst })).body as Body;
    expect(open.open).toEqual([]);
    // Both kinds of event as the route returns them match its response schema, field for field.
    expect(surveyAlertsSchema.strict().parse(open)).toEqual(open);
    expect(open.events).toHaveLength(2);
    send.mockRestore();
  }, 60_000);
});
