/**
 * The console's targeting and branching, clicked through in Chromium: an admin sets "ask only if
 * NPS ≤ 6" on a question, an event trigger, a URL rule, a display limit and the recontact opt-out,
 * sees the preview follow the branching, saves, and finds it in the API; the editor reads the same in
 * Chinese. An admin builds a two-condition "any" rule, finds a line that is not a targeting rule
 * blocking the save, saves postcodes as text and addresses with ? and commas as one rule, and in
 * Chinese reads it all back after a reload and removes a condition and then the logic. The results
 * page shows the response rate and the drop-off per question.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, toastSays, watchProblems } from './console-support';
import { axeViolations, type E2e, startE2e } from './support';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

let e2e: E2e;
let surveyId: string;
const en = (text: string) => ({ en: text, 'zh-CN': `${text}（中文）` });
const definition = {
  name: 'Branching in the console',
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: en('Quick question'),
  questions: [
    { id: 'nps', type: 'nps', required: true, text: en('How likely are you to recommend us?') },
    { id: 'fix', type: 'text', required: true, maxLength: 500, text: en('What should we fix?') },
  ],
  delivery: { allowedOrigins: [] as string[], samplingRate: 1, frequencyCapDays: 30 },
};

beforeAll(async () => {
  e2e = await startE2e();
  definition.delivery.allowedOrigins = [e2e.runtime.url];
  const created = await e2e.runtime.request('POST', '/v1/surveys', {
    token: e2e.runtime.tokens.admin,
    body: definition,
  });
  expect(created.status, created.text).toBe(201);
  surveyId = (created.body as Body).id;
});
afterAll(async () => {
  await e2e?.close();
});
const get = async () =>
  (await e2e.runtime.request('GET', `/v1/surveys/${surveyId}`, { token: e2e.runtime.tokens.admin })).body as Body;

describe('targeting and branching in the console', () => {
  it('an admin sets a condition, a trigger and contact rules; the preview branches; the API stores them', async () => {
    const { context, page } = await e2e.open('/');
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/surveys/${surveyId}/edit`);
    const second = page.locator('fieldset.question').nth(1);
    await second.getByLabel('Ask only if').selectOption('all');
    const first = second.locator('.logic-show').getByRole('group', { name: 'Condition 1' });
    await first.getByLabel('Answer to').selectOption('nps');
    await first.getByLabel('Comparison').selectOption('lte');
    await first.getByLabel('Value').fill('6');
    await page.getByLabel('Opens by itself when a trigger fires (no Feedback tab)').check();
    await page.getByLabel('Only on pages').fill('/checkout');
    await page.getByLabel('After one of these events').fill('paid');
    await page.getByLabel('Show at most (times per visitor)').fill('2');
    await page.getByLabel(/Ignore the site-wide recontact window/).check();

    // The preview asks "what should we fix" after a 3, and not after a 10.
    const preview = page.locator('.preview-stage rapport-survey');
    await preview.getByRole('radio', { name: '3', exact: true }).click();
    await expect.poll(() => preview.locator('.prog').textContent()).toBe('Question 1 of 2');
    await preview.getByRole('radio', { name: '10 Extremely likely' }).click();
    await expect.poll(() => preview.locator('.prog').textContent()).toBe('Question 1 of 1');
    await preview.getByRole('button', { name: 'Submit' }).waitFor();

    await page.getByRole('button', { name: 'Save draft' }).click();
    await toastSays(page, 'Saved');
    const stored = (await e2e.runtime.request('GET', `/v1/surveys/${surveyId}`, { token: e2e.runtime.tokens.admin }))
      .body as Body;
    expect(stored.questions[1].showIf).toEqual({ all: [{ question: 'nps', op: 'lte', value: 6 }] });
    expect(stored.targeting).toEqual({
      triggers: { urls: { include: [{ match: 'prefix', value: '/checkout' }], exclude: [] }, events: ['paid'] },
      displayLimit: 2,
      recontactOptOut: true,
    });

    // The same editor in Chinese, with what was saved.
    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    await page.getByText('向谁提问，何时提问').waitFor();
    expect(await page.getByLabel('仅在这些页面').inputValue()).toBe('/checkout');
    const zhSecond = page.locator('fieldset.question').nth(1);
    expect(await zhSecond.getByLabel('仅在以下条件时提问').inputValue()).toBe('all');
    expect(await zhSecond.getByRole('group', { name: '条件 1' }).getByLabel('问题的回答').inputValue()).toBe('nps');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin builds a two-condition "any" rule, in English and Chinese; it is saved, reloaded and removed', async () => {
    const { context, page } = await e2e.open('/');
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/surveys/${surveyId}/edit`);
    const show = page.locator('fieldset.question').nth(1).locator('.logic-show');
    await show.getByLabel('Ask only if').selectOption('any');
    await show.getByRole('button', { name: 'Add condition' }).click();
    const second = show.getByRole('group', { name: 'Condition 2' });
    await second.getByLabel('Answer to').selectOption('nps');
    await second.getByLabel('Comparison').selectOption('in');
    await second.getByLabel('Value').fill('9, 10');
    expect(await axeViolations(page)).toEqual([]);
    // The preview follows the rule: a 10 is now asked the second question too.
    const preview = page.locator('.preview-stage rapport-survey');
    await preview.getByRole('radio', { name: '10 Extremely likely' }).click();
    await expect.poll(() => preview.locator('.prog').textContent()).toBe('Question 1 of 2');
    await preview.getByRole('radio', { name: '8', exact: true }).click();
    await expect.poll(() => preview.locator('.prog').textContent()).toBe('Question 1 of 1');

    // A line that is not a rule blocks the save (it would have widened the audience) and says which.
    const attributes = page.getByLabel('Only visitors whose attributes match');
    await attributes.fill('zip = 01234\nplan contains pro');
    await page.getByText('Line 2 (plan contains pro): not a rule').waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Some targeting lines are not rules (marked below): fix them before saving.').waitFor();
    const before = await get();
    expect(before.questions[1].showIf).toEqual({ all: [{ question: 'nps', op: 'lte', value: 6 }] });
    expect(before.targeting.audience).toBeUndefined();
    // Fixed: a postcode stays text; an address with ? and a comma is one prefix rule.
    await attributes.fill('zip = 01234\nplan in pro, team');
    await page.getByLabel('Only on pages').fill('/search?q=a,b');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await toastSays(page, 'Saved');
    const saved = await get();
    expect(saved.questions[1].showIf).toEqual({
      any: [
        { question: 'nps', op: 'lte', value: 6 },
        { question: 'nps', op: 'in', value: [9, 10] },
      ],
    });
    expect(saved.targeting.audience).toEqual({
      attributes: [
        { attribute: 'zip', op: 'eq', value: '01234' },
        { attribute: 'plan', op: 'in', value: ['pro', 'team'] },
      ],
    });
    expect(saved.targeting.triggers.urls.include).toEqual([{ match: 'prefix', value: '/search?q=a,b' }]);

    // After a reload, in Chinese: the rule reads back, every operator in Chinese.
    await page.reload();
    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    const zhShow = page.locator('fieldset.question').nth(1).locator('.logic-show');
    await zhShow.getByRole('group', { name: '条件 2' }).waitFor();
    expect(await zhShow.getByLabel('仅在以下条件时提问').inputValue()).toBe('any');
    const zhSecond = zhShow.getByRole('group', { name: '条件 2' });
    expect(await zhSecond.getByLabel('比较').inputValue()).toBe('in');
    expect(await zhSecond.getByLabel('值').inputValue()).toBe('9, 10');
    const ops = await zhSecond.getByLabel('比较').locator('option').allTextContents();
    expect(ops).toContain('未回答');
    expect(ops.join(' ')).not.toMatch(/[A-Za-z]/);
    expect(await page.getByLabel('仅限属性符合的访客').inputValue()).toBe('zip = 01234\nplan in pro, team');
    expect(await page.getByLabel('仅在这些页面').inputValue()).toBe('/search?q=a,b');
    expect(await axeViolations(page)).toEqual([]);

    // Removing: first one condition, then the logic itself.
    await zhShow.getByRole('button', { name: '删除条件 1' }).click();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await toastSays(page, '已保存');
    expect((await get()).questions[1].showIf).toEqual({ any: [{ question: 'nps', op: 'in', value: [9, 10] }] });
    await zhShow.getByLabel('仅在以下条件时提问').selectOption('');
    expect(await zhShow.getByRole('group').count()).toBe(0);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(async () => (await get()).questions[1].showIf).toBeUndefined();
    await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the results page shows the response rate and where people closed the card', async () => {
    const rt = e2e.runtime;
    const published = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: rt.tokens.admin,
      body: {
        ...definition,
        questions: [
          definition.questions[0],
          { ...definition.questions[1], showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] } },
        ],
        status: 'active',
      },
    });
    expect(published.status, published.text).toBe(200);
    const origin = { origin: rt.url };
    const ids = [ulid(), ulid(), ulid(), ulid()];
    for (const id of ids) {
      expect(
        (
          await rt.request('POST', `/v1/surveys/${surveyId}/displays`, {
            headers: origin,
            body: { id, event: 'shown' },
          })
        ).status,
      ).toBe(201);
    }
    await rt.request('POST', `/v1/surveys/${surveyId}/displays`, {
      headers: origin,
      body: { id: ids[0], event: 'dismissed', questionId: 'fix' },
    });
    const answered = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
      headers: origin,
      body: { id: ulid(), surveyVersion: (published.body as Body).version, locale: 'en', answers: { nps: 9 } },
    });
    expect(answered.status, answered.text).toBe(201);
    await rt.drainStream();

    const { context, page } = await e2e.open('/');
    await signIn(page, 'analyst', rt.url);
    await page.goto(`${rt.url}/surveys/${surveyId}`);
    const funnel = page.getByRole('region', { name: 'Response funnel' });
    await funnel.waitFor();
    await expect.poll(() => funnel.locator('dd').first().textContent()).toBe('4');
    expect(await funnel.locator('dd').nth(1).textContent()).toMatch(/^25\.0%/);
    const fixRow = funnel.getByRole('row', { name: /What should we fix\?/ });
    expect(await fixRow.getByRole('cell').allTextContents()).toEqual(['1', '25.0%']);
    await funnel
      .getByText(/n counts those who were shown it/)
      .first()
      .waitFor();
    await context.close();
  });
});
