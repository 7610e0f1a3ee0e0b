/**
 * Triggers, audiences, contact rules, debug output, branching and the funnel in Chromium, on host
 * pages served from another origin than the API and the widget (a second server on another port)
 * under a strict CSP: the loader decides, the survey UI loads only when someone is asked, and the
 * report counts what happened.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { type Browser, chromium } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { CHROMIUM, eventually } from './support';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

let rt: TestRuntime;
let browser: Browser;
let host: Server;
let hostOrigin: string;
/** Which surveys the next host page's script tag names, by path. */
const pages = new Map<string, string>();
/** The page's own markup (`<rapport-survey>` elements) beside its heading and button, by path. */
const markup = new Map<string, string>();

const en = (text: string) => ({ en: text });
const nps = { id: 'nps', type: 'nps', required: true, text: en('How likely are you to recommend us?') };

async function createSurvey(extra: Body, status: 'active' | 'draft' = 'active'): Promise<string> {
  const body = {
    name: 'Targeting',
    locales: ['en'],
    defaultLocale: 'en',
    title: en('Quick question'),
    questions: [nps],
    delivery: { allowedOrigins: [hostOrigin], samplingRate: 1, frequencyCapDays: 30 },
    ...extra,
  };
  const created = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body });
  expect(created.status, created.text).toBe(201);
  const id = (created.body as Body).id as string;
  if (status === 'active') {
    const put = await rt.request('PUT', `/v1/surveys/${id}`, { token: rt.tokens.admin, body: { ...body, status } });
    expect(put.status, put.text).toBe(200);
  }
  return id;
}

function hostPage(surveys: string, extra = '', body = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title><link rel="icon" href="data:,"></head>
<body><main><h1>Shop</h1><button id="pay">Pay</button>${body}</main>
<script src="${rt.url}/widget/rapport.js" data-survey="${surveys}" data-api="${rt.url}"${extra} async></script></body></html>`;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  host = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const surveys = pages.get(url.pathname);
    if (surveys === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // Strict: the widget's origin for scripts and requests, nothing inline.
      'content-security-policy': `default-src 'self'; script-src ${rt.url}; connect-src ${rt.url}; img-src data:; base-uri 'none'; object-src 'none'`,
    });
    res.end(hostPage(surveys, '', markup.get(url.pathname)));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await new Promise((resolve) => host?.close(resolve));
  await rt?.stop();
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Lines the loader printed with debug on. */
  debug: string[];
  /** Requests for the survey UI bundle. */
  uiRequests: string[];
  /** Requests for the chunks the loader fetches only when needed (rarer triggers, debug words). */
  triggerRequests: string[];
  debugRequests: string[];
  problems: string[];
}

async function visit(
  pathname: string,
  surveys: string,
  options: { context?: BrowserContext; width?: number; touch?: boolean } = {},
) {
  pages.set(pathname.split('?')[0]!, surveys);
  const context =
    options.context ??
    (await browser.newContext({
      viewport: { width: options.width ?? 1024, height: 800 },
      locale: 'en-US',
      // A phone: touch, and no fine pointer.
      ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
    }));
  const page = await context.newPage();
  const v: Visit = { context, page, debug: [], uiRequests: [], triggerRequests: [], debugRequests: [], problems: [] };
  page.on('console', (m) => {
    if (m.text().startsWith('[rapport]')) v.debug.push(m.text());
    else if (/Content Security Policy|Refused to/i.test(m.text())) v.problems.push(m.text());
  });
  page.on('pageerror', (e) => v.problems.push(String(e)));
  page.on('request', (r) => {
    if (r.url().includes('/widget/rapport-ui.')) v.uiRequests.push(r.url());
    if (r.url().includes('/widget/rapport-triggers.')) v.triggerRequests.push(r.url());
    if (r.url().includes('/widget/rapport-debug.')) v.debugRequests.push(r.url());
  });
  await page.goto(`${hostOrigin}${pathname}`);
  await page.waitForFunction(() => 'Rapport' in window);
  return v;
}

const dialog = (page: Page) => page.locator('rapport-survey').getByRole('dialog');
const settle = (page: Page) => page.waitForTimeout(700);
const debugLines = async (v: Visit, id: string, count = 1) =>
  eventually(
    async () => v.debug.filter((l) => l.includes(id)),
    (lines) => lines.length >= count,
  );

describe('triggers and audiences', () => {
  it('a URL rule and an event trigger: shown only on the matching page, only after the event, UI loaded only then', async () => {
    const id = await createSurvey({
      targeting: {
        triggers: { urls: { include: [{ match: 'prefix', value: '/checkout' }], exclude: [] }, events: ['paid'] },
        recontactOptOut: true,
      },
    });
    const elsewhere = await visit('/home?rapport-debug', id);
    await debugLines(elsewhere, id);
    await elsewhere.page.evaluate(() => window.Rapport.track('paid'));
    await settle(elsewhere.page);
    expect(await dialog(elsewhere.page).count()).toBe(0);
    expect(elsewhere.uiRequests).toEqual([]);
    expect(elsewhere.debug).toContain(`[rapport] ${id}: not shown: URL rule`);
    await elsewhere.page.close();

    const checkout = await visit('/checkout/done?rapport-debug', id, { context: elsewhere.context });
    await debugLines(checkout, id);
    expect(checkout.debug).toContain(`[rapport] ${id}: waiting for paid`);
    await settle(checkout.page);
    expect(await dialog(checkout.page).count()).toBe(0);
    expect(checkout.uiRequests).toEqual([]);
    await checkout.page.evaluate(() => window.Rapport.track('paid'));
    await dialog(checkout.page).getByRole('heading', { name: 'Quick question' }).waitFor();
    expect(checkout.uiRequests).toHaveLength(1);
    expect(checkout.uiRequests[0]).toMatch(/rapport-ui\.[0-9a-f]{12}\.js$/);
    expect(checkout.debug).toContain(`[rapport] ${id}: shown: paid`);
    // Events and URL rules are the loader's own: the rarer triggers' chunk is never fetched for them.
    expect([...elsewhere.triggerRequests, ...checkout.triggerRequests]).toEqual([]);
    expect(checkout.debugRequests).toHaveLength(1);
    expect([...elsewhere.problems, ...checkout.problems]).toEqual([]);
    await checkout.context.close();
  });

  it('an audience rule hides the survey from a visitor without the attribute, and shows it to one with it', async () => {
    const id = await createSurvey({
      targeting: {
        triggers: { events: ['go'] },
        audience: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] },
        recontactOptOut: true,
      },
    });
    const free = await visit('/audience', id);
    await free.page.evaluate(() => {
      window.Rapport.debug = true;
      window.Rapport.identify({ attributes: { plan: 'free' } });
      window.Rapport.track('go');
    });
    await settle(free.page);
    expect(await dialog(free.page).count()).toBe(0);
    expect(free.debug).toContain(`[rapport] ${id}: not shown: audience`);
    await free.context.close();

    const pro = await visit('/audience', id);
    await pro.page.evaluate(() => {
      window.Rapport.identify({ attributes: { plan: 'pro' } });
      window.Rapport.track('go');
    });
    await dialog(pro.page).waitFor();
    // Debug mode is off on this page: its words (a chunk of their own) are never fetched.
    expect(pro.debugRequests).toEqual([]);
    expect(pro.triggerRequests).toEqual([]);
    await pro.context.close();
  });

  it('the rarer triggers come in a chunk fetched only for a survey that uses one: time on page, n-th page view', async () => {
    const timed = await createSurvey({ targeting: { triggers: { timeOnPageSeconds: 1 }, recontactOptOut: true } });
    const v = await visit('/timed?rapport-debug', timed);
    await debugLines(v, timed, 2);
    expect(v.debug).toEqual([`[rapport] ${timed}: waiting for 1 s`, `[rapport] ${timed}: shown: 1 s`]);
    await dialog(v.page).getByRole('heading', { name: 'Quick question' }).waitFor();
    expect(v.triggerRequests).toHaveLength(1);
    expect(v.triggerRequests[0]).toMatch(/rapport-triggers\.[0-9a-f]{12}\.js$/);
    expect(v.problems).toEqual([]);
    await v.context.close();

    // The second page of the visit asks; the first waits (page views counted in sessionStorage).
    const second = await createSurvey({ targeting: { triggers: { pageViews: 2 }, recontactOptOut: true } });
    const first = await visit('/views?rapport-debug', second);
    await debugLines(first, second);
    expect(first.debug).toEqual([`[rapport] ${second}: waiting for page view 2`]);
    expect(first.triggerRequests).toHaveLength(1);
    expect(first.uiRequests).toEqual([]);
    await first.page.goto(`${hostOrigin}/views?rapport-debug`);
    await dialog(first.page).waitFor();
    expect(first.debug).toContain(`[rapport] ${second}: shown: page view 2`);
    expect(first.problems).toEqual([]);
    await first.context.close();
  });

  it('exit intent on a touch device: a survey with only that trigger does not show, and debug says why', async () => {
    const id = await createSurvey({ targeting: { triggers: { exitIntent: true }, recontactOptOut: true } });
    const phone = await visit('/exit?rapport-debug', id, { touch: true, width: 390 });
    expect(await phone.page.evaluate(() => matchMedia('(pointer:fine)').matches)).toBe(false);
    await debugLines(phone, id);
    await settle(phone.page);
    expect(await dialog(phone.page).count()).toBe(0);
    expect(phone.uiRequests).toEqual([]);
    expect(phone.debug).toEqual([`[rapport] ${id}: waiting for exit intent (never on a touch device)`]);
    await phone.context.close();

    // With a mouse it waits for the pointer to leave through the top edge, and then shows.
    const desktop = await visit('/exit?rapport-debug', id);
    await debugLines(desktop, id);
    expect(desktop.debug).toEqual([`[rapport] ${id}: waiting for exit`]);
    await desktop.page.mouse.move(500, 300);
    await desktop.page.mouse.move(500, -5, { steps: 5 });
    await dialog(desktop.page).waitFor();
    expect(desktop.debug).toContain(`[rapport] ${id}: shown: exit`);
    await desktop.context.close();
  });

  it('a scroll-depth trigger on a page too short to scroll fires when armed', async () => {
    const id = await createSurvey({ targeting: { triggers: { scrollDepthPercent: 60 }, recontactOptOut: true } });
    const v = await visit('/short?rapport-debug', id);
    expect(await v.page.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);
    await dialog(v.page).waitFor();
    expect(v.debug).toEqual([`[rapport] ${id}: shown: scroll 60%`]);
    expect(v.problems).toEqual([]);
    await v.context.close();
  });

  it('a popover that opened itself and was ignored does not come back on the next page: its frequency cap started', async () => {
    const id = await createSurvey({ targeting: { triggers: { events: ['go'] }, recontactOptOut: true } });
    const first = await visit('/ignored?rapport-debug', id);
    await debugLines(first, id);
    await first.page.evaluate(() => window.Rapport.track('go'));
    await dialog(first.page).waitFor();
    // The visitor neither answers nor closes it: they go to another page.
    await first.page.close();
    const next = await visit('/ignored?rapport-debug', id, { context: first.context });
    await debugLines(next, id);
    await next.page.evaluate(() => window.Rapport.track('go'));
    await settle(next.page);
    expect(await dialog(next.page).count()).toBe(0);
    expect(next.debug).toEqual([`[rapport] ${id}: not shown: frequency cap`]);
    expect(next.uiRequests).toEqual([]);
    await next.context.close();
  });

  it('the recontact window keeps a second survey from the visitor who was just asked', async () => {
    const first = await createSurvey({ targeting: { triggers: {} } });
    const second = await createSurvey({ targeting: { triggers: {} } });
    const a = await visit('/first?rapport-debug', first);
    await dialog(a.page).waitFor();
    await a.page.close();
    const b = await visit('/second?rapport-debug', second, { context: a.context });
    await debugLines(b, second);
    await settle(b.page);
    expect(await dialog(b.page).count()).toBe(0);
    expect(b.debug).toContain(`[rapport] ${second}: not shown: recontact window`);
    await a.context.close();
  });

  it('debug mode names each reason: origin not allowed (or not active), sampling', async () => {
    const foreign = await createSurvey({
      delivery: { allowedOrigins: ['https://elsewhere.example'], samplingRate: 1, frequencyCapDays: 30 },
    });
    const draft = await createSurvey({}, 'draft');
    const sampledOut = await createSurvey({
      delivery: { allowedOrigins: [hostOrigin], samplingRate: 0, frequencyCapDays: 30 },
    });
    const v = await visit('/debug', `${foreign} ${draft} ${sampledOut}`);
    await v.page.evaluate(() => {
      window.Rapport.debug = true;
    });
    await eventually(
      async () => v.debug,
      (lines) => lines.filter((l) => l.includes('not shown')).length >= 3,
    );
    expect(v.debug).toEqual(
      expect.arrayContaining([
        `[rapport] ${foreign}: not shown: origin not allowed or survey not active (allowedOrigins must list ${hostOrigin})`,
        // The API grants a draft nothing either (test/security/cors-and-limits.test.ts), so from another
        // origin it reads the same; on the API's own origin the 404 is readable and says "not active".
        `[rapport] ${draft}: not shown: origin not allowed or survey not active (allowedOrigins must list ${hostOrigin})`,
        `[rapport] ${sampledOut}: not shown: sampling`,
      ]),
    );
    expect(v.uiRequests).toEqual([]);
    await v.context.close();
  });

  it('debug mode names the reason for the page’s own elements and Rapport.open, a foreign origin included', async () => {
    const shown = await createSurvey({});
    const sampledOut = await createSurvey({
      delivery: { allowedOrigins: [hostOrigin], samplingRate: 0, frequencyCapDays: 30 },
    });
    const foreign = await createSurvey({
      delivery: { allowedOrigins: ['https://elsewhere.example'], samplingRate: 1, frequencyCapDays: 30 },
    });
    const triggered = await createSurvey({ targeting: { triggers: { events: ['go'] } } });
    const opened = await createSurvey({
      delivery: { allowedOrigins: [hostOrigin], samplingRate: 0, frequencyCapDays: 30 },
    });
    markup.set(
      '/markup',
      [shown, sampledOut, foreign, triggered]
        .map((id) => `<rapport-survey survey="${id}" api="${rt.url}"></rapport-survey>`)
        .join(''),
    );
    const v = await visit('/markup?rapport-debug', '');
    await v.page.evaluate((id) => window.Rapport.open(id), opened);
    const expected = [
      `[rapport] ${shown}: shown: <rapport-survey> (the page’s element or Rapport.open)`,
      `[rapport] ${sampledOut}: not shown: sampling`,
      `[rapport] ${foreign}: not shown: origin not allowed or survey not active (allowedOrigins must list ${hostOrigin})`,
      `[rapport] ${triggered}: not shown: it has triggers, which only the script tag’s data-survey arms (or open it with force)`,
      `[rapport] ${opened}: not shown: sampling`,
    ];
    await eventually(
      async () => v.debug,
      (lines) => expected.every((line) => lines.includes(line)),
    );
    await settle(v.page);
    // Each once (lines decided while the debug chunk loads are not printed again with the next).
    expect([...v.debug].sort()).toEqual([...expected].sort());
    await v.page.locator('rapport-survey').getByRole('heading', { name: 'Quick question' }).waitFor();
    markup.delete('/markup');
    await v.context.close();
  });
});

describe('focus', () => {
  it('after finishing a Feedback-tab survey with the keyboard, focus lands on the page, not on <body>', async () => {
    const id = await createSurvey({});
    markup.set('/tab', `<rapport-survey survey="${id}" api="${rt.url}" mode="popover"></rapport-survey>`);
    const v = await visit('/tab', '');
    const tab = v.page.locator('rapport-survey').getByRole('button', { name: 'Feedback' });
    await tab.waitFor();
    // Keyboard only: Tab from the page's button to the Feedback tab, Enter opens the card.
    await v.page.locator('#pay').focus();
    await v.page.keyboard.press('Tab');
    expect(await v.page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe(
      'Feedback',
    );
    await v.page.keyboard.press('Enter');
    const card = dialog(v.page);
    await card.waitFor();
    // Escape on an unfinished card: back to the Feedback tab.
    await v.page.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
    expect(await v.page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe(
      'Feedback',
    );
    await v.page.keyboard.press('Enter');
    await card.waitFor();
    await card.getByRole('radio', { name: '10 Extremely likely' }).press('Space');
    await card.getByRole('button', { name: 'Submit' }).press('Enter');
    await card.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    // Finished: closing takes the Feedback tab away too; focus goes to the page's first focusable
    // element instead of being lost on <body>.
    await v.page.keyboard.press('Escape');
    await expect.poll(() => v.page.locator('rapport-survey').getByRole('button').count()).toBe(0);
    expect(await v.page.evaluate(() => document.activeElement?.id)).toBe('pay');
    markup.delete('/tab');
    await v.context.close();
  });
});

describe('branching, the funnel and accessibility', () => {
  let surveyId: string;
  beforeAll(async () => {
    surveyId = await createSurvey({
      questions: [
        nps,
        {
          id: 'fix',
          type: 'text',
          required: true,
          maxLength: 500,
          text: en('What should we fix?'),
          showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] },
        },
        {
          id: 'like',
          type: 'text',
          maxLength: 500,
          text: en('What do you like most?'),
          showIf: { all: [{ question: 'nps', op: 'gte', value: 9 }] },
        },
      ],
      targeting: { triggers: { events: ['ask'] }, recontactOptOut: true },
    });
  });
  /** The page asks (as a site would after a purchase); focus is on the page's own button then. */
  const ask = async (v: Visit) => {
    await v.page.locator('#pay').focus();
    await v.page.evaluate(() => window.Rapport.track('ask'));
    await dialog(v.page).waitFor();
  };

  it('an NPS 3 is asked what to fix, then closes the card there: a display and a drop-off; focus goes back', async () => {
    const v = await visit('/branch', surveyId);
    const card = dialog(v.page);
    // Focus is on the page's button when the event opens the card; there is no Feedback tab to go back to.
    await ask(v);
    await card.getByRole('radio', { name: '3', exact: true }).click();
    await card.getByRole('button', { name: 'Next' }).click();
    await card.getByRole('heading', { name: 'What should we fix?' }).waitFor();
    expect(await card.locator('.prog').textContent()).toBe('Question 2 of 2');
    await card.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(await v.page.evaluate(() => document.activeElement?.id)).toBe('pay');
    await eventually(
      () => v.page.evaluate(() => localStorage.getItem('rapport:outbox')),
      (o) => o === '[]',
    );
    await v.context.close();
  });

  it('a 10 is not asked what to fix, is asked what they like; the API refuses a forged answer to the hidden question', async () => {
    const v = await visit('/branch', surveyId);
    const card = dialog(v.page);
    await ask(v);
    await card.getByRole('radio', { name: '10 Extremely likely' }).click();
    await card.getByRole('button', { name: 'Next' }).click();
    await card.getByRole('heading', { name: /What do you like most\?/ }).waitFor();
    expect(await card.getByText('What should we fix?').count()).toBe(0);
    await card.getByRole('textbox').fill('Speed');
    await card.getByRole('button', { name: 'Submit' }).click();
    await card.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    await eventually(
      () => v.page.evaluate(() => localStorage.getItem('rapport:outbox')),
      (o) => o === '[]',
    );
    // The same origin, a forged body: 10 with an answer to "what should we fix".
    const forged = await v.page.evaluate(
      async ([api, id, responseId]) => {
        const r = await fetch(`${api}/v1/surveys/${id}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: responseId,
            surveyVersion: 1,
            locale: 'en',
            answers: { nps: 10, fix: 'forged' },
          }),
        });
        return { status: r.status, body: (await r.json()) as { errors: unknown[] } };
      },
      [rt.url, surveyId, ulid()],
    );
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([
      { path: 'answers/fix', message: 'was not asked: it is shown only when nps ≤ 6' },
    ]);
    await v.context.close();
  });

  it('the report shows the displays, the drop-off at "fix" and the response rate', async () => {
    await rt.drainStream();
    const report = (await rt.request('GET', `/v1/surveys/${surveyId}/report`, { token: rt.tokens.analyst }))
      .body as Body;
    expect(report.funnel).toMatchObject({ displays: 2, responses: 1, responseRate: 0.5, dismissed: 1 });
    expect(report.funnel.dropOff).toEqual([
      { questionId: 'nps', dismissed: 0, share: 0 },
      { questionId: 'fix', dismissed: 1, share: 0.5 },
      { questionId: 'like', dismissed: 0, share: 0 },
    ]);
    expect(report.questions.map((q: Body) => q.conditional)).toEqual([false, true, true]);
  });

  it('a screen reader hears each scale point once, and 0–10 stays in one row on a 360 px phone', async () => {
    const v = await visit('/phone', surveyId, { width: 360 });
    const card = dialog(v.page);
    await ask(v);
    const tree = await card.getByRole('radiogroup').ariaSnapshot();
    const lines = tree.split('\n').filter((l) => l.trim().startsWith('-'));
    // One node per point (the radio, named once), no stray text node with the digit again.
    expect(lines.filter((l) => /- radio "/.test(l))).toHaveLength(11);
    expect(lines.filter((l) => !/- radio "|- radiogroup/.test(l))).toEqual([]);
    expect(tree).toContain('radio "0 Not at all likely"');
    expect(tree).toContain('radio "5"');
    const tops = await card
      .locator('.pt')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    const widths = await card.locator('.pt').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(20);
    await v.context.close();
  });
});
