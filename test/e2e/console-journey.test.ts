/**
 * The console's main journey in Chromium against the local runtime, as an admin would make it: sign
 * in through the OIDC flow, create a two-locale survey in the editor, preview it in the real widget,
 * publish it, answer it on the demo page, find the answer in the results (tiles, charts, comments),
 * and resolve the detractor's follow-up. Then the same path with the keyboard alone.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsDrawn, signIn, tabTo, watchProblems } from './console-support';
import { type E2e, eventually, SCREENSHOTS, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

const scoped = (page: Page, group: string) => page.getByRole('group', { name: group, exact: true });

describe('console journey', () => {
  it('an admin creates, previews and publishes a survey, sees an answer in the results and resolves its follow-up', async () => {
    const { context, page } = await e2e.open('/', { viewport: { width: 1360, height: 1000 } });
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    await page.getByRole('link', { name: 'New survey' }).click();
    await page.getByRole('heading', { name: 'New survey', level: 1 }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Checkout survey');
    await scoped(page, 'Title').getByLabel('English').fill('How was checkout?');
    await scoped(page, 'Title').getByLabel('中文').fill('结账体验如何？');
    const q1 = page.getByRole('group', { name: /^Question 1/ });
    await q1.getByRole('group', { name: 'Question', exact: true }).getByLabel('English').fill('How satisfied are you?');
    // A missing translation is flagged before publishing: publishing is refused until it is filled.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/translations? (is|are) missing/).waitFor();
    await q1.getByRole('group', { name: 'Question', exact: true }).getByLabel('中文').fill('您满意吗？');

    await page.getByLabel('Type of the new question').selectOption('text');
    await page.getByRole('button', { name: 'Add question' }).click();
    const q2 = page.getByRole('group', { name: /^Question 2/ });
    await q2.getByRole('group', { name: 'Question', exact: true }).getByLabel('English').fill('What should we change?');
    await q2.getByRole('group', { name: 'Question', exact: true }).getByLabel('中文').fill('我们应该改进什么？');
    await page.getByLabel('Allowed origins').fill(e2e.runtime.url);

    // The live preview is the real widget rendering the draft, in each locale and as a popover.
    const preview = page.locator('.preview-stage rapport-survey');
    await preview.getByRole('heading', { name: 'How was checkout?' }).waitFor();
    await page.locator('.preview').getByRole('button', { name: '中文' }).click();
    await preview.getByRole('heading', { name: '结账体验如何？' }).waitFor();
    await page.locator('.preview').getByRole('button', { name: 'Popover' }).click();
    await preview.getByRole('dialog').getByRole('heading', { name: '结账体验如何？' }).waitFor();
    await page.locator('.preview').getByRole('button', { name: 'Inline' }).click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-editor.png') });

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/surveys\/[0-9A-Z]{26}\?|\/surveys\/[0-9A-Z]{26}$/);
    const surveyId = /\/surveys\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';
    expect(surveyId).toMatch(/^[0-9A-Z]{26}$/);
    await page.getByText('Live', { exact: true }).first().waitFor();

    // Answer it on the demo page, as a customer would: very dissatisfied, with a comment.
    const demo = await context.newPage();
    await demo.goto(`${e2e.runtime.url}/demo?survey=${surveyId}`);
    const card = demo.locator('rapport-survey').first();
    await card.getByRole('radio', { name: /^1 / }).click();
    await card.getByRole('button', { name: 'Next' }).click();
    await card.getByRole('textbox').fill('The card form rejected my address twice.');
    await card.getByRole('button', { name: 'Submit' }).click();
    await card.getByRole('status').filter({ hasText: /./ }).waitFor();
    await eventually(
      () => e2e.runtime.scanCount(`RESPONSES#${surveyId}#`),
      (n) => n === 1,
    );
    await e2e.runtime.drainStream();

    await page.reload();
    const tiles = page.getByRole('region', { name: 'Key figures' });
    await expect.poll(() => tiles.getByText('Responses').locator('..').textContent()).toContain('1');
    await expect.poll(() => tiles.textContent()).toContain('0%'); // CSAT: the one answer is not satisfied
    expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(2);
    await page.getByText('The card form rejected my address twice.').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-results.png'), fullPage: true });

    // The detractor's follow-up: open → resolved.
    await page.getByRole('link', { name: 'Follow-ups' }).click();
    await page.getByLabel('Survey', { exact: true }).selectOption(surveyId);
    const item = page.getByRole('listitem').filter({ hasText: 'Checkout survey' });
    await item.getByText('The card form rejected my address twice.').waitFor();
    await item.getByLabel('Assignee').fill('Mei');
    await item.getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByText('Moved to Resolved').waitFor();
    await page.getByRole('button', { name: 'Resolved', exact: true }).click();
    await page.getByRole('listitem').filter({ hasText: 'The card form rejected my address twice.' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the same path works with the keyboard alone: create, preview, publish, see results, resolve', async () => {
    const { context, page } = await e2e.open('/', { viewport: { width: 1360, height: 1000 } });
    const problems = watchProblems(page);
    await signIn(page, 'admin', e2e.runtime.url);
    const key = (k: string) => page.keyboard.press(k);

    await tabTo(page, page.getByRole('link', { name: 'New survey' }));
    await key('Enter');
    await page.getByRole('heading', { name: 'New survey', level: 1 }).waitFor();
    await tabTo(page, page.getByLabel('Name', { exact: true }));
    await page.keyboard.type('Keyboard survey');
    await tabTo(page, scoped(page, 'Title').getByLabel('English'));
    await page.keyboard.type('Keyboard title');
    await key('Tab');
    await page.keyboard.type('键盘标题');
    const q1 = page.getByRole('group', { name: /^Question 1/ }).getByRole('group', { name: 'Question', exact: true });
    await tabTo(page, q1.getByLabel('English'));
    await page.keyboard.type('Rate us');
    await key('Tab');
    await page.keyboard.type('请评分');
    await tabTo(page, page.getByLabel('Allowed origins'));
    await page.keyboard.type(e2e.runtime.url);
    // Preview in Chinese with the keyboard.
    await tabTo(page, page.locator('.preview').getByRole('button', { name: '中文' }));
    await key('Enter');
    await page.locator('.preview-stage rapport-survey').getByRole('heading', { name: '键盘标题' }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Publish' }));
    await key('Enter');
    await page.waitForURL(/\/surveys\/[0-9A-Z]{26}($|\?)/);
    const surveyId = /\/surveys\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';

    // A detractor answers (through the public API, as the widget would).
    const answer = await e2e.runtime.request('POST', `/v1/surveys/${surveyId}/responses`, {
      headers: { origin: e2e.runtime.url },
      body: { id: ulid(), surveyVersion: 1, locale: 'en', answers: { overall: 2 } },
    });
    expect(answer.status).toBe(201);
    await e2e.runtime.drainStream();

    await tabTo(page, page.getByRole('button', { name: '90 days' }));
    await key('Enter');
    await expect
      .poll(() => page.getByRole('region', { name: 'Key figures' }).textContent(), { timeout: 15_000 })
      .toMatch(/Responses\s*1/);
    await tabTo(page, page.getByRole('link', { name: 'Follow-ups' }));
    await key('Enter');
    await tabTo(page, page.getByLabel('Survey', { exact: true }));
    await page.keyboard.type('Keyboard survey'); // a native select picks the option typed
    await expect.poll(() => page.url()).toContain(`survey=${surveyId}`);
    const item = page.getByRole('listitem').filter({ hasText: 'Keyboard survey' });
    await tabTo(page, item.getByRole('button', { name: 'Mark resolved' }));
    await key('Enter');
    await page.getByText('Moved to Resolved').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
