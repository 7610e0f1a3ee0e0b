/**
 * Every console page in Chromium: axe-core finds no WCAG 2.2 AA violation on any of them (in English
 * and Chinese), an analyst sees no write control anywhere, a CSV import with a bad row shows the
 * per-row report and offers the rejected row back, the session ending keeps what was typed, network
 * loss offers a retry, the language choice is remembered, and a 375 px phone gets no sideways scroll.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentitySecret, signedIdentity } from '../support/identity';
import { chartsDrawn, signIn, watchProblems } from './console-support';
import { axeViolations, type E2e, SCREENSHOTS, startE2e } from './support';

let e2e: E2e;
let customerId = '';
beforeAll(async () => {
  e2e = await startE2e();
  const rt = e2e.runtime;
  // Answers, so the results page has every chart, comments and follow-ups.
  const answers = [
    { overall: 1, delivery: 2, nps: 3, effort: 2, channel: 'web', comment: 'Too slow' },
    { overall: 5, delivery: 5, nps: 10, effort: 7, channel: 'app', comment: '很好' },
    { overall: 4, delivery: 3, nps: 8, effort: 5, channel: 'store' },
    { overall: 2, delivery: 1, nps: 5, effort: 3, channel: 'web' },
  ];
  // The customer signs in on the company's site, which signs their id: the answers link to them.
  const lookup = await rt.request('GET', '/v1/customers/lookup?email=li.wei%40example.com', { token: rt.tokens.admin });
  customerId = (lookup.body as { id: string }).id;
  const identity = signedIdentity(await createIdentitySecret(rt), customerId);
  for (const a of answers) {
    const res = await rt.request('POST', `/v1/surveys/${e2e.surveyId}/responses`, {
      headers: { origin: rt.url },
      body: { id: ulid(), surveyVersion: 1, locale: 'en', answers: a, segment: 'smb', ...identity },
    });
    expect(res.status).toBe(201);
  }
  await rt.drainStream();
});
afterAll(async () => {
  await e2e?.close();
});

/** Console pages by path, each with something on it that says it has loaded. */
const pages = () => [
  { path: '/', ready: (p: Page) => p.locator('table.overview').waitFor() },
  { path: '/surveys/new', ready: (p: Page) => p.locator('.preview-stage rapport-survey').waitFor() },
  { path: `/surveys/${e2e.surveyId}/edit`, ready: (p: Page) => p.locator('.preview-stage rapport-survey').waitFor() },
  { path: `/surveys/${e2e.surveyId}?range=30&compare=1`, ready: async (p: Page) => void (await chartsDrawn(p)) },
  { path: '/followups', ready: (p: Page) => p.locator('.followups').waitFor() },
  { path: '/customers', ready: (p: Page) => p.locator('table').waitFor() },
  { path: `/customers/${customerId}`, ready: (p: Page) => p.locator('.timeline').waitFor() },
  { path: '/customers/new', ready: (p: Page) => p.locator('form.card').waitFor() },
  { path: '/customers/import', ready: (p: Page) => p.locator('input[type=file]').waitFor() },
  { path: '/customers/quality', ready: (p: Page) => p.locator('.meters').waitFor() },
];

async function expectNoViolations(page: Page, where: string) {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe('console pages', () => {
  it('axe-core finds no WCAG 2.2 AA violation on any page, signed out or in, in English and Chinese', async () => {
    const { context, page } = await e2e.open('/');
    const problems = watchProblems(page);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectNoViolations(page, 'sign-in screen');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/oauth2\/authorize/);
    await expectNoViolations(page, 'identity provider page');
    await page.getByRole('button', { name: /^Admin/ }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    for (const locale of ['en', 'zh-CN'] as const) {
      if (locale === 'zh-CN') await page.getByRole('button', { name: '中文' }).click();
      for (const { path: p, ready } of pages()) {
        await page.goto(`${e2e.runtime.url}${p}`);
        await ready(page);
        await expectNoViolations(page, `${p} (${locale})`);
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('an analyst sees no write control on any page, and is told why', async () => {
    const { context, page } = await e2e.open('/');
    await signIn(page, 'analyst', e2e.runtime.url);
    await page.getByText('Read-only: your account is an analyst.').waitFor();
    const writes =
      /^(New survey|Edit survey|Save draft|Save changes|Publish|Close survey|Mark contacted|Mark resolved|Save|Import CSV|New customer|Edit|Create customer|Erase personal data|Delete record|Merge into the one kept|Upload and import|Rebuild|Add question)$/;
    for (const { path: p, ready } of pages()) {
      await page.goto(`${e2e.runtime.url}${p}`);
      if (p.startsWith('/customers/new') || p === '/customers/import' || p.endsWith('/edit') || p === '/surveys/new') {
        await page.getByRole('heading', { level: 1 }).waitFor();
      } else await ready(page);
      const controls = await page.getByRole('button').or(page.getByRole('link')).allInnerTexts();
      expect(
        controls.map((c) => c.trim()).filter((c) => writes.test(c)),
        `${p} shows no write control to an analyst`,
      ).toEqual([]);
    }
    await context.close();
  });

  it('a CSV import with one bad row shows the per-row report and hands the rejected row back', async () => {
    const { context, page } = await e2e.open('/');
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/customers/import`);
    const csv =
      'name,email,phone\nAda Lovelace,ada@example.com,\nBad Row,not-an-e-mail,\n孙丽,sun.li@example.cn,139 8888 0000\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('3 rows in customers.csv').waitFor();
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const report = page.getByRole('region', { name: 'Import report' });
    await report.waitFor();
    const rows = report.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.nth(2).textContent()).toMatch(/2\s*Rejected.*email/);
    expect(await rows.nth(1).textContent()).toContain('Created');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-import.png'), fullPage: true });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the 1 rejected rows' }).click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file, 'utf8')).toBe('name,email,phone\nBad Row,not-an-e-mail,\n');
    await context.close();
  });

  it('when the session ends, signing in again comes back to the page with what was typed', async () => {
    const { context, page } = await e2e.open('/');
    await signIn(page, 'admin', e2e.runtime.url);
    await page.goto(`${e2e.runtime.url}/surveys/new`);
    await page.getByLabel('Name', { exact: true }).fill('Typed before the session ended');
    // The access token is refused from now on and there is no refresh token to renew it.
    await page.evaluate(() => {
      for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith('rapport.oidc.user'))) {
        const user = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, unknown>;
        sessionStorage.setItem(key, JSON.stringify({ ...user, access_token: 'revoked', refresh_token: undefined }));
      }
    });
    await page.getByRole('button', { name: 'Save draft' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('button', { name: /^Admin/ }).click();
    await page.waitForURL(`${e2e.runtime.url}/surveys/new`);
    await page.getByText('Your unsaved changes were kept').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Typed before the session ended');
    // A reload keeps it too.
    await page.reload();
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Typed before the session ended');
    await context.close();
  });

  it('network loss shows a retry that works once the network is back', async () => {
    const { context, page } = await e2e.open('/');
    await signIn(page, 'admin', e2e.runtime.url);
    // The page's code is already here (it was opened once); its data is what cannot arrive.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Li Wei' }).waitFor();
    await page.getByRole('link', { name: 'Surveys' }).first().click();
    await page.getByRole('heading', { name: 'Surveys', level: 1 }).waitFor();
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByText('Rapport cannot be reached').waitFor();
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('link', { name: 'Li Wei' }).waitFor();
    await context.close();
  });

  it('the language is switched and remembered; a 375 px phone gets no sideways scroll', async () => {
    const { context, page } = await e2e.open('/', {
      viewport: { width: 375, height: 800 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(page, 'admin', e2e.runtime.url);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '问卷', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '问卷', level: 1 }).waitFor();
    for (const p of ['/', `/surveys/${e2e.surveyId}`, '/followups', '/customers', `/surveys/${e2e.surveyId}/edit`]) {
      await page.goto(`${e2e.runtime.url}${p}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (p.startsWith('/surveys/') && !p.endsWith('edit')) await chartsDrawn(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${p} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${e2e.runtime.url}/surveys/${e2e.surveyId}`);
    await chartsDrawn(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-results-375-zh.png'), fullPage: true });
    await context.close();
  });
});
