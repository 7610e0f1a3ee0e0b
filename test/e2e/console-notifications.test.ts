/**
 * The survey editor's "Notifications" section in Chromium, as an admin uses it: add recipients with
 * their language, set a weekly digest in a time zone and an alert threshold, be told at the field
 * what the API would refuse (with the API's words), save, and find the settings stored; the section
 * speaks Chinese too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueEvaluationDay } from '../../functions/domain/notifications/alert-schedule';
import { answerOn, dayShift, publish, SHOP, text } from '../integration/notification-support';
import { signIn, watchProblems } from './console-support';
import { type E2e, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

describe('survey notifications in the console', () => {
  it('an admin sets recipients, a weekly digest and an alert threshold, and they are saved', async () => {
    const { context, page } = await e2e.open('/', { viewport: { width: 1360, height: 1000 } });
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/surveys/${e2e.surveyId}/edit`);
    const section = page.getByRole('group', { name: 'Notifications', exact: true });
    await section.waitFor();
    await section.getByText('Nobody is e-mailed yet.').waitFor();

    await section.getByRole('button', { name: 'Add a recipient' }).click();
    await section.getByLabel('E-mail', { exact: true }).fill('not-an-address');
    await section.getByText('must be a valid e-mail address').waitFor();
    await section.getByLabel('E-mail', { exact: true }).fill('ops.lead@example.com');
    await section.getByRole('button', { name: 'Add a recipient' }).click();
    await section.getByLabel('E-mail', { exact: true }).nth(1).fill('wang.li@example.cn');
    await section.getByLabel('Language of their e-mails').nth(1).selectOption('zh-CN');

    await section.getByLabel('Digest', { exact: true }).selectOption('weekly');
    await section.getByLabel('Hour').selectOption('9');
    await section.getByLabel('Weekday').selectOption('5');
    await section.getByLabel('Time zone').fill('Mars/Olympus');
    await section.getByText('must be an IANA time zone such as Asia/Shanghai or Europe/Paris').waitFor();
    // Saving is refused while a field is wrong: nothing reaches the API.
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('code').filter({ hasText: 'notifications/digest/timeZone' }).waitFor();
    await section.getByLabel('Time zone').fill('Asia/Shanghai');
    await section.getByLabel('Smallest CSAT drop (points)').fill('8');
    await section.getByLabel('Answers each window needs').fill('10');
    await section.getByText('must be between 30 and 1000000').waitFor();
    await section.getByLabel('Answers each window needs').fill('');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();

    const stored = await e2e.runtime.request('GET', `/v1/surveys/${e2e.surveyId}`, { token: e2e.runtime.tokens.admin });
    expect((stored.body as { notifications: unknown }).notifications).toEqual({
      recipients: [
        { email: 'ops.lead@example.com', locale: 'en' },
        { email: 'wang.li@example.cn', locale: 'zh-CN' },
      ],
      digest: { frequency: 'weekly', timeZone: 'Asia/Shanghai', hour: 9, weekday: 5 },
      alerts: { minimumDrop: { csat: 8, nps: 10, ces: 0.3 }, minimumSample: 30, currentDays: 7, baselineDays: 28 },
    });

    // After a reload the form shows what is stored, and the section speaks Chinese.
    await page.reload();
    await expect
      .poll(() => section.getByLabel('E-mail', { exact: true }).nth(1).inputValue())
      .toBe('wang.li@example.cn');
    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    const zh = page.getByRole('group', { name: '通知', exact: true });
    await zh.getByText('收件人', { exact: true }).waitFor();
    expect(await zh.getByLabel('时区').inputValue()).toBe('Asia/Shanghai');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the results page shows a real drop: the open alert, its event and whether it was e-mailed, in both languages', async () => {
    const rt = e2e.runtime;
    const DAY_MS = 86_400_000;
    const firstRun = new Date(Date.now() - 7 * DAY_MS);
    const dropDay = dueEvaluationDay(firstRun, 7);
    const survey = await publish(rt, {
      name: 'Checkout alerts',
      locales: ['en', 'zh-CN'],
      defaultLocale: 'en',
      title: text('How was checkout?', '结账体验如何？'),
      questions: [{ id: 'q', type: 'likert', points: 5, required: true, text: text('Satisfied?', '满意吗？') }],
      delivery: { allowedOrigins: [SHOP], samplingRate: 1, frequencyCapDays: 30, segments: ['a', 'b'] },
      notifications: {
        recipients: [{ email: 'ops.lead@example.com', locale: 'en' }],
        alerts: { currentDays: 7, baselineDays: 7, minimumDrop: { csat: 60 } },
      },
    });
    const surveyId = survey.id as string;
    const week = async (lastDay: string, segmentA: number) => {
      for (let d = 6; d >= 0; d--) {
        const five = (segment: string, value: number) =>
          Array.from({ length: 5 }, () => ({ segment, answers: { q: value } }));
        await answerOn(rt, surveyId, dayShift(lastDay, -d), [...five('a', segmentA), ...five('b', 5)]);
      }
    };
    await week(dayShift(dropDay, -7), 5);
    await week(dropDay, 1);
    await rt.drainStream();
    await rt.runNotifications({ now: firstRun });

    const { context, page } = await e2e.open('/', { viewport: { width: 1360, height: 1000 } });
    const problems = watchProblems(page);
    await signIn(page, 'analyst', rt.url);
    await page.goto(`${rt.url}/surveys/${surveyId}`);
    const section = page.getByRole('region', { name: 'Satisfaction alerts' });
    await section.getByText('CSAT dropped, segment “a”').waitFor();
    const row = section.getByRole('row').filter({ hasText: 'Dropped' });
    expect(await row.count()).toBe(1);
    // The event's figures: 100% of segment a satisfied before, 0% now, over 35 answers.
    await row.getByText('100.0% → 0.0% (n = 35)').waitFor();
    expect(await row.getByText('not yet').count()).toBe(0);
    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    const zh = page.getByRole('region', { name: '满意度警报' });
    await zh.getByText('CSAT 下降，细分“a”').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
