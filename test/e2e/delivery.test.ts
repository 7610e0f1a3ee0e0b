/**
 * Nothing lost, nothing twice, in a real browser: a server failing twice, the network going away
 * mid-submit, and a reload before the acknowledgement each end with the answer stored exactly once.
 */
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRequiredOnly, type E2e, events, eventually, outbox, recordEvents, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

const isSubmission = (route: Route) => route.request().method() === 'POST';
const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('delivery', () => {
  it('retries with backoff when the server fails twice, then stores the answer once', async () => {
    const before = await e2e.storedResponses();
    const { context, page } = await e2e.open('/e2e/plain');
    await recordEvents(page);
    const bodies: string[] = [];
    await page.route('**/responses', async (route) => {
      if (!isSubmission(route)) return route.continue();
      bodies.push(route.request().postData() ?? '');
      if (bodies.length <= 2)
        return route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503}' });
      return route.continue();
    });
    await answerRequiredOnly(page);
    const started = Date.now();
    await page.locator('rapport-survey').getByRole('button', { name: 'Submit' }).click();
    await eventually(
      () => e2e.storedResponses(),
      (n) => n === before + 1,
    );
    expect(Date.now() - started).toBeGreaterThan(1000); // two backoffs: 0.5–1 s, then 1–2 s
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1); // the same id and the same bytes every time
    const { responseId } = (await events(page)).find((e) => e.type === 'rapport:submitted')!.detail;
    expect(JSON.parse(bodies[0]!).id).toBe(responseId);
    await eventually(
      () => outbox(page),
      (items) => items.length === 0,
    );
    await settle();
    expect(await e2e.storedResponses()).toBe(before + 1);
    await context.close();
  });

  it('keeps the answer while offline and sends it once when the browser is back online', async () => {
    const before = await e2e.storedResponses();
    const { context, page } = await e2e.open('/e2e/plain');
    await answerRequiredOnly(page);
    await context.setOffline(true);
    await page.locator('rapport-survey').getByRole('button', { name: 'Submit' }).click();
    await page.locator('rapport-survey').getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    await settle();
    expect(await outbox(page)).toHaveLength(1);
    expect(await e2e.storedResponses()).toBe(before);
    await context.setOffline(false);
    await eventually(
      () => e2e.storedResponses(),
      (n) => n === before + 1,
    );
    await eventually(
      () => outbox(page),
      (items) => items.length === 0,
    );
    await settle();
    expect(await e2e.storedResponses()).toBe(before + 1);
    await context.close();
  });

  it('sends an answer that was not acknowledged before a reload once, after the reload', async () => {
    const before = await e2e.storedResponses();
    const { context, page } = await e2e.open('/e2e/plain');
    let held: Route | undefined;
    let posts = 0;
    await page.route('**/responses', async (route) => {
      if (!isSubmission(route)) return route.continue();
      posts++;
      if (!held) {
        held = route; // never answered: the page goes away first
        return;
      }
      return route.continue();
    });
    await answerRequiredOnly(page);
    await page.locator('rapport-survey').getByRole('button', { name: 'Submit' }).click();
    await eventually(
      async () => held,
      (r) => r !== undefined,
    );
    expect(await outbox(page)).toHaveLength(1);
    expect(await e2e.storedResponses()).toBe(before);
    await page.reload();
    await held!.abort().catch(() => undefined);
    await eventually(
      () => e2e.storedResponses(),
      (n) => n === before + 1,
    );
    await eventually(
      () => outbox(page),
      (items) => items.length === 0,
    );
    await settle();
    expect(await e2e.storedResponses()).toBe(before + 1);
    expect(posts).toBeGreaterThanOrEqual(2); // the held one, then the pagehide keepalive send and/or the reload's flush
    await context.close();
  });
});
