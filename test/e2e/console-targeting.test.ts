/**
 * The console's targeting and branching, clicked through in Chromium: an admin sets "ask only if
 * NPS ≤ 6" on a question, an event trigger, a URL rule, a display limit and the recontact opt-out,
 * sees the preview follow the branching, saves, and finds it in the API; the editor reads the same in
 * Chinese; the results page shows the response rate and the drop-off per question.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, toastSays, watchProblems } from './console-support';
import { type E2e, startE2e } from './support';

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

describe('targeting and branching in the console', () => {
  it('an admin sets a condition, a trigger and contact rules; the preview branches; the API stores them', async () => {
    const { context, page } = await e2e.open('/');
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/surveys/${surveyId}/edit`);
    const second = page.locator('fieldset.question').nth(1);
    await second.getByLabel('Ask only if').selectOption('nps');
    await second.getByLabel('Comparison').selectOption('lte');
    await second.getByLabel('Value').fill('6');
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
    expect(await page.locator('fieldset.question').nth(1).getByLabel('仅在以下条件时提问').inputValue()).toBe('nps');
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
