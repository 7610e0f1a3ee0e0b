/**
 * Browser-test helpers for the console: sign in through the real OIDC flow (the local identity
 * provider's page), reach a control with the keyboard alone, and wait for the console to settle.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** From the console's sign-in screen through the identity provider's page and back, as `role`. */
export async function signIn(page: Page, role: 'admin' | 'analyst', base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.getByRole('button', { name: role === 'admin' ? /^Admin/ : /^Analyst/ }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Rapport' }).waitFor();
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** Presses Tab until `target` has the focus (proof it can be reached without a mouse); fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 250): Promise<void> {
  await target.first().waitFor();
  for (let i = 0; i < max; i++) {
    if (await target.first().evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with the Tab key in ${max} presses`);
}

/** The console's own error and CSP messages, for `expect(problems).toEqual([])`. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return problems;
}

/**
 * Waits for the console's confirmation toast (its polite live region) to say exactly `text`. A plain
 * `getByText('Saved')` is a case-insensitive substring match and finds "your unsaved draft" in the
 * editor's preview hint at once, before the save has happened.
 */
export async function toastSays(page: Page, text: string): Promise<void> {
  await page.locator('.toasts[role="status"]').getByText(text, { exact: true }).first().waitFor();
}

/** Waits for every chart on the page to have drawn its SVG. */
export async function chartsDrawn(page: Page): Promise<number> {
  await expect
    .poll(() => page.evaluate(() => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('svg'))), {
      timeout: 15_000,
    })
    .toBe(true);
  return page.locator('.chart svg').count();
}
