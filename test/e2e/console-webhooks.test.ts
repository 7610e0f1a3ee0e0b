/**
 * The console's Webhooks page in Chromium: an admin creates a webhook to a real receiver on
 * 127.0.0.1, sees the secret once (and the receiver can verify with it), a customer change is
 * delivered, and the delivery shows in the page's log with its attempt; the page passes axe-core in
 * English and Chinese.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../support/webhook-receiver';
import { signIn } from './console-support';
import { axeViolations, type E2e, startE2e } from './support';

let e2e: E2e;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.close();
  await receiver?.close();
});

describe('Webhooks page', () => {
  it('creates a webhook, shows its secret once, and shows a delivery in its log', async () => {
    const { context, page, problems } = await e2e.open('/');
    await signIn(page, 'admin', e2e.runtime.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();

    await page.getByLabel('URL').fill(receiver.url('/console'));
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByRole('checkbox', { name: 'customer.created' }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.locator('code.secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    expect(await secretBox.getByRole('button', { name: 'Copy secret' }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await secretBox.getByRole('button', { name: 'I have stored it' }).click();
    await secretBox.waitFor({ state: 'detached' });

    // A change the webhook wants, made through the API as another system would.
    const created = await e2e.runtime.request('POST', '/v1/customers', {
      token: e2e.runtime.tokens.admin,
      body: { name: 'Zhao Lei' },
    });
    expect(created.status).toBe(201);
    await expect.poll(() => receiver.on('/console').length, { timeout: 30_000 }).toBeGreaterThan(0);
    const [request] = receiver.on('/console');
    if (!request) throw new Error('no delivery');
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({ type: 'customer.created' });

    const card = page.locator('section.webhook', { hasText: 'CRM sync' });
    const log = card.locator('.deliveries');
    await expect
      .poll(
        async () => {
          if (!(await log.isVisible())) {
            await card.getByRole('button', { name: 'Reload' }).click();
          }
          return (await log.textContent()) ?? '';
        },
        { timeout: 30_000 },
      )
      .toContain('Delivered');
    expect(await log.locator('table.attempts tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await log.textContent()).toContain('200');

    // The same page in Chinese.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook' }).waitFor();
    expect(await card.textContent()).toContain('已送达');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    expect(problems).toEqual([]);
    await context.close();
  });
});
