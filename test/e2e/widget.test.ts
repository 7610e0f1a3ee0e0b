/**
 * The widget in a real browser against the local runtime: mouse and keyboard journeys, zh-CN,
 * axe-core, the popover and its events, a hostile host stylesheet, narrow and dark pages.
 * Screenshots land in test/e2e/screenshots/ (gitignored) for a human to look at.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type E2e, events, eventually, outbox, recordEvents, SCREENSHOTS, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

const shot = (page: Page, name: string, selector = 'rapport-survey') =>
  page
    .locator(selector)
    .first()
    .screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

describe('widget in the browser', () => {
  it('the demo page at /demo embeds the seeded survey inline, in Chinese and as a popover, under its CSP', async () => {
    const { context, page, problems } = await e2e.open('/demo');
    // Two in the page's markup, and the popover the loader adds once it has decided to ask.
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('rapport-survey').length)).toBe(3);
    await page.locator('rapport-survey').getByRole('heading', { name: '您对这次购买满意吗？' }).waitFor();
    await page.locator('rapport-survey').getByRole('button', { name: 'Feedback' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-page.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is filled in and submitted with the mouse, every question type, and stored once', async () => {
    const before = await e2e.storedResponses();
    const { context, page, problems } = await e2e.open('/e2e/plain');
    await recordEvents(page);
    const w = page.locator('rapport-survey');
    await expect.poll(() => w.getByRole('heading', { name: 'How was your purchase?' }).isVisible()).toBe(true);
    await expect(w.getByText('Question 1 of 7')).toBeDefined();

    // Required: Next without an answer shows the message and marks the group invalid.
    await w.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => w.locator('#err').textContent()).toBe('Please answer this question.');
    expect(await w.getByRole('radiogroup').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'required-error');

    await w.getByRole('radio', { name: '4 Satisfied' }).click();
    expect(await w.locator('#err').textContent()).toBe('');
    await shot(page, 'likert-labels');
    await w.getByRole('button', { name: 'Next' }).click();
    await w.getByRole('radio', { name: '5 Very satisfied' }).click(); // likert without labels: generic ends
    await w.getByRole('button', { name: 'Next' }).click();
    expect(await w.getByRole('radio').count()).toBe(11);
    await w.getByRole('radio', { name: '9', exact: true }).click();
    await shot(page, 'nps');
    await w.getByRole('button', { name: 'Next' }).click();
    await w.getByRole('radio', { name: '7 Strongly agree' }).click();
    await w.getByRole('button', { name: 'Next' }).click();
    await w.getByRole('radio', { name: 'Mobile app' }).click();
    await w.getByRole('button', { name: 'Next' }).click();
    await w.getByRole('textbox').fill('Faster delivery, please.');
    await expect.poll(() => w.locator('#cnt').textContent()).toBe('24 of 500 characters');
    await w.getByRole('button', { name: 'Next' }).click();
    // Back keeps the answer.
    await w.getByRole('button', { name: 'Back' }).click();
    expect(await w.getByRole('textbox').inputValue()).toBe('Faster delivery, please.');
    await w.getByRole('button', { name: 'Next' }).click();
    // E-mail without consent is refused; with consent it goes.
    await w.getByRole('textbox', { name: 'E-mail' }).fill('li.wei@example.com');
    await w.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => w.locator('#err').textContent()).toBe('Tick the box, or clear the e-mail.');
    await w.getByRole('checkbox').check();
    await shot(page, 'contact');
    await w.getByRole('button', { name: 'Submit' }).click();

    await expect.poll(() => w.getByRole('status').textContent()).toBe('Thank you! Your answer helps us improve.');
    await shot(page, 'thank-you');
    const submitted = (await events(page)).find((e) => e.type === 'rapport:submitted');
    expect(submitted?.detail.responseId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect((await events(page)).filter((e) => e.type !== 'rapport:shown').map((e) => e.type)).toEqual([
      'rapport:submitted',
    ]);
    await eventually(
      () => e2e.storedResponses(),
      (n) => n === before + 1,
    );
    await eventually(
      () => outbox(page),
      (items) => items.length === 0,
    );

    const item = await e2e.runtime.request(
      'GET',
      `/v1/surveys/${e2e.surveyId}/responses/${submitted!.detail.responseId}`,
      { token: e2e.runtime.tokens.admin },
    );
    if (item.status === 200) {
      expect(JSON.stringify(item.body)).toContain('Faster delivery, please.');
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('can be completed with the keyboard alone, with visible focus', async () => {
    const before = await e2e.storedResponses();
    const { context, page, problems } = await e2e.open('/e2e/plain');
    const w = page.locator('rapport-survey');
    await w.getByRole('heading', { name: 'How was your purchase?' }).waitFor();
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        const target = el?.matches('.pt input') ? el.nextElementSibling! : el!;
        const style = getComputedStyle(target);
        return {
          tag: el?.tagName,
          label: el?.getAttribute('aria-label') ?? el?.textContent,
          outline: style.outlineStyle,
          checked: (el as HTMLInputElement).checked,
        };
      });

    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'INPUT', outline: 'solid' });
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toMatchObject({ label: '3 Neutral', checked: true });
    await shot(page, 'keyboard-focus');
    await page.keyboard.press('Tab'); // Next
    expect(await focused()).toMatchObject({ tag: 'BUTTON', label: 'Next', outline: 'solid' });
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ tag: 'H3' }); // focus moves to the new question
    for (let step = 2; step <= 5; step++) {
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight'); // selects the next option
      await page.keyboard.press('Tab'); // Back
      await page.keyboard.press('Tab'); // Next
      expect(await focused()).toMatchObject({ label: 'Next' });
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Tab');
    await page.keyboard.type('Typed with the keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // e-mail
    await page.keyboard.type('kb@example.com');
    await page.keyboard.press('Tab'); // consent
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ label: 'Submit' });
    await page.keyboard.press('Enter');
    await expect.poll(() => w.getByRole('status').textContent()).toBe('Thank you! Your answer helps us improve.');
    await eventually(
      () => e2e.storedResponses(),
      (n) => n === before + 1,
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('renders in zh-CN from the attribute and from the browser language', async () => {
    for (const [pathname, locale] of [
      ['/e2e/plain-zh', 'en-US'],
      ['/e2e/plain', 'zh-CN'],
    ] as const) {
      const { context, page } = await e2e.open(pathname, { locale });
      const w = page.locator('rapport-survey');
      await w.getByRole('heading', { name: '您对这次购买满意吗？' }).waitFor();
      expect(await w.getByText('第 1 题，共 7 题').count()).toBe(1);
      expect(await w.getByRole('radio', { name: '5 非常满意' }).count()).toBe(1);
      await w.getByRole('button', { name: '下一题' }).click();
      await expect.poll(() => w.locator('#err').textContent()).toBe('请回答此问题。');
      expect(await w.locator('.root').getAttribute('lang')).toBe('zh-CN');
      await shot(page, `zh-CN-${locale}`);
      await context.close();
    }
  });

  it('has no axe-core WCAG 2.2 AA violations on any step, inline and popover', async () => {
    const { context, page } = await e2e.open('/e2e/plain');
    const w = page.locator('rapport-survey');
    await w.getByRole('heading', { name: 'How was your purchase?' }).waitFor();
    const seen: string[] = [];
    const check = async (label: string) => {
      const violations = await axeViolations(page);
      expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
      seen.push(label);
    };
    await check('first step');
    await w.getByRole('button', { name: 'Next' }).click();
    await check('required error');
    await w.getByRole('radio', { name: '1 Very dissatisfied' }).click();
    for (let step = 2; step <= 7; step++) {
      await w.getByRole('button', { name: 'Next' }).click();
      await check(`step ${step}`);
    }
    await w.getByRole('button', { name: 'Submit' }).click();
    await w.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    await check('thank you');
    await context.close();

    const popover = await e2e.open('/e2e/dark-popover');
    await popover.page.locator('rapport-survey').getByRole('button', { name: 'Feedback' }).click();
    await popover.page.locator('rapport-survey').getByRole('dialog').waitFor();
    const violations = await axeViolations(popover.page);
    expect(violations).toEqual([]);
    await popover.context.close();
    expect(seen).toHaveLength(9);
  });

  it('opens as a popover from the launcher and the JS API, with shown/dismissed events and Escape', async () => {
    const { context, page, problems } = await e2e.open('/e2e/plain-popover');
    await recordEvents(page);
    const w = page.locator('rapport-survey');
    const launcher = w.getByRole('button', { name: 'Feedback' });
    await launcher.click();
    const dialog = w.getByRole('dialog', { name: 'How was your purchase?' });
    await dialog.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'popover-open.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Feedback');

    await page.evaluate(
      (id) =>
        (window as unknown as { Rapport: { open(id: string, o: unknown): void } }).Rapport.open(id, {
          segment: 'smb',
          metadata: { plan: 'gold' },
        }),
      e2e.surveyId,
    );
    await dialog.waitFor();
    await page.evaluate(() => (window as unknown as { Rapport: { close(): void } }).Rapport.close());
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await events(page)).map((e) => e.type)).toEqual([
      'rapport:shown',
      'rapport:dismissed',
      'rapport:shown',
      'rapport:dismissed',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is not restyled by an aggressive host stylesheet', async () => {
    const measure = async (pathname: string) => {
      const { context, page } = await e2e.open(pathname);
      const w = page.locator('rapport-survey');
      await w.getByRole('heading', { name: 'How was your purchase?' }).waitFor();
      await w.getByRole('radio', { name: '2 Dissatisfied' }).click();
      const styles = await page.evaluate(() => {
        const root = document.querySelector('rapport-survey')!.shadowRoot!;
        const props = [
          'font-size',
          'font-family',
          'color',
          'background-color',
          'padding-top',
          'margin-top',
          'border-top-width',
          'border-top-style',
          'line-height',
          'letter-spacing',
          'border-radius',
          'display',
        ];
        const out: Record<string, Record<string, string>> = {};
        for (const sel of [
          '.root',
          '.card',
          'h2',
          'h3',
          '.prog',
          '.pt span',
          '.pt :checked + span',
          '.ends span',
          '.pri',
        ]) {
          const el = root.querySelector(sel)!;
          const cs = getComputedStyle(el);
          out[sel] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
        }
        const box = root.querySelector('.card')!.getBoundingClientRect();
        return { out, size: [Math.round(box.width), Math.round(box.height)] };
      });
      await shot(page, `host-${pathname.split('/').pop()}`, 'rapport-survey');
      await context.close();
      return styles;
    };
    const plain = await measure('/e2e/plain');
    const hostile = await measure('/e2e/aggressive');
    expect(hostile.out).toEqual(plain.out);
    expect(hostile.size).toEqual(plain.size);
  });

  it('fits 320 px wide and a dark page, with 24 px targets and no horizontal scroll', async () => {
    const { context, page } = await e2e.open('/e2e/dark', { viewport: { width: 320, height: 760 } });
    const w = page.locator('rapport-survey');
    await w.getByRole('heading', { name: 'How was your purchase?' }).waitFor();
    await shot(page, 'narrow-dark-likert');
    await w.getByRole('radio', { name: '3 Neutral' }).click();
    await w.getByRole('button', { name: 'Next' }).click();
    await w.getByRole('button', { name: 'Next' }).click(); // NPS
    const boxes = await w
      .getByRole('radio')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(boxes).toHaveLength(11);
    for (const [width, height] of boxes) {
      expect(width).toBeGreaterThanOrEqual(24);
      expect(height).toBeGreaterThanOrEqual(24);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await shot(page, 'narrow-dark-nps');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'narrow-dark-page.png'), fullPage: true });
    await context.close();
  });
});
