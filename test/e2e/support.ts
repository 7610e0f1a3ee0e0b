/**
 * Browser-test support: one local runtime (random port, seeded demo survey) and one headless
 * Chromium per test file; host pages for the widget served by the runtime's static routes, each with
 * a strict CSP (`default-src 'self'`, the API in connect-src), so every test also proves the widget
 * needs no inline script or style.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../../local/repo-paths';
import { strictCsp } from '../../local/security-headers';
import { page as htmlPage } from '../../local/static-site';
import { startTestRuntime, type TestRuntime } from '../integration/harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(repoRoot, 'test', 'e2e', 'screenshots');

const PAGE_CSS: Record<string, string> = {
  plain: 'body{margin:0;padding:24px;font:16px system-ui;background:#fff;color:#222}',
  dark: 'body{margin:0;padding:24px;font:16px system-ui;background:#15171c;color:#e8e8e8}',
  aggressive: `*{all:unset;font-size:40px!important;color:red!important;font-family:serif!important;line-height:3!important;letter-spacing:4px!important}
html,body{display:block;background:#fe0!important}
head,script,title,style,link{display:none!important}
rapport-survey{display:inline!important;padding:30px!important;transform:none!important}
button,input,label,span,div,p,h2,h3,section,form{margin:20px!important;border:5px dashed lime!important;background:blue!important}
:root{--a:red;--b:blue;--l:green;--m:red}`,
};

export interface E2e {
  readonly runtime: TestRuntime;
  readonly browser: Browser;
  readonly surveyId: string;
  /** A new context (fresh localStorage) with a page; CSP violations and page errors are collected. */
  open(
    pathname: string,
    options?: BrowserContextOptions,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  /** Stored responses of the demo survey, counted in the table now. */
  storedResponses(): Promise<number>;
  close(): Promise<void>;
}

/** Host page: `/e2e/<style>[-<mode>][-zh]` → the widget on a page styled `<style>`. */
function hostPage(name: string, surveyId: string, api: string): string | undefined {
  const [style, ...flags] = name.split('-');
  if (!style || !PAGE_CSS[style]) return undefined;
  const mode = flags.includes('popover') ? 'popover' : 'inline';
  const locale = flags.includes('zh') ? ' locale="zh-CN"' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page ${name}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/e2e/${style}.css"></head>
<body><main><h1>Host page</h1>
<rapport-survey survey="${surveyId}" api="${api}" mode="${mode}"${locale}></rapport-survey>
</main><script src="/widget/rapport.js" async></script></body></html>`;
}

export async function startE2e(): Promise<E2e> {
  if (!existsSync(path.join(repoRoot, 'widget', 'dist', 'rapport.js'))) {
    const { buildWidget } = await import('../../widget/build');
    await buildWidget();
  }
  if (!existsSync(path.join(repoRoot, 'console', 'dist', 'index.html'))) {
    const { buildConsole } = await import('../../console/build');
    await buildConsole();
  }
  let surveyId = '';
  let api = '';
  const runtime = await startTestRuntime({
    seed: true,
    staticRoutes: async (method, rawPath) => {
      const css = /^\/e2e\/(\w+)\.css$/.exec(rawPath)?.[1];
      if (css && PAGE_CSS[css])
        return { statusCode: 200, headers: { 'content-type': 'text/css' }, body: Buffer.from(PAGE_CSS[css]) };
      const name = /^\/e2e\/([\w-]+)$/.exec(rawPath)?.[1];
      const html = name && method === 'GET' ? hostPage(name, surveyId, api) : undefined;
      return html
        ? htmlPage(html, { 'content-security-policy': strictCsp({ connect: [new URL(api).origin] }) })
        : undefined;
    },
  });
  surveyId = runtime.demoSurveyId!;
  api = runtime.url;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    runtime,
    browser,
    surveyId,
    async open(pathname, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'en-US', ...options });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${runtime.url}${pathname}`);
      return { context, page, problems };
    },
    storedResponses: () => runtime.scanCount(`RESPONSES#${surveyId}#`),
    async close() {
      await browser.close().catch(() => undefined);
      await runtime.stop();
    },
  };
}

/** Polls until `check` holds (or throws with the last value after `timeoutMs`). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Records the widget's DOM events on `window.__rapportEvents` (evaluate is not subject to the page's CSP). */
export async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __rapportEvents: { type: string; detail: unknown }[] };
    w.__rapportEvents = [];
    for (const type of ['rapport:shown', 'rapport:submitted', 'rapport:dismissed']) {
      document.addEventListener(type, (e) => w.__rapportEvents.push({ type, detail: (e as CustomEvent).detail }));
    }
  });
}

export const events = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __rapportEvents: { type: string; detail: { responseId?: string } }[] }).__rapportEvents,
  );

export const outbox = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('rapport:outbox') ?? '[]') as { id: string }[]);

/** Answers only the required first question and skips the optional ones, up to the Submit button. */
export async function answerRequiredOnly(page: Page): Promise<void> {
  const card = page.locator('rapport-survey');
  await card.getByRole('radio', { name: '5 Very satisfied' }).click();
  for (let i = 0; i < 6; i++) await card.getByRole('button', { name: 'Next' }).click();
  await card.getByRole('button', { name: 'Submit' }).waitFor();
}

const AXE_SOURCE = readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core in the page (it reaches into open shadow roots): WCAG 2.0–2.2 A/AA violations. */
export async function axeViolations(page: Page): Promise<{ id: string; help: string; nodes: string[] }[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}
