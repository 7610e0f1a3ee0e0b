/**
 * Text that looks like HTML or script — in a survey's own wording and in a person's answer — is
 * stored and returned verbatim and shown as text by the widget in a real browser, never run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e } from './support';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
});

const EVIL_TITLE = '<img src=x onerror="window.__pwned=1">Title';
const EVIL_QUESTION = '<script>window.__pwned=2</script><b>How satisfied?</b>';
const EVIL_ANSWER = '<img src=x onerror="window.__pwned=3"> & <script>alert(1)</script>';

describe('text that looks like HTML', () => {
  it('is shown as text by the widget and an answer containing it is stored verbatim', async () => {
    const admin = e2e.runtime.tokens.admin;
    const origin = new URL(e2e.runtime.url).origin;
    const text = (t: string) => ({ en: t, 'zh-CN': t });
    const definition = {
      name: 'Hostile wording',
      locales: ['en', 'zh-CN'],
      defaultLocale: 'en',
      title: text(EVIL_TITLE),
      questions: [
        { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text: text(EVIL_QUESTION) },
        { id: 'comment', type: 'text', maxLength: 500, text: text('Comment <i>here</i>') },
      ],
      delivery: { allowedOrigins: [origin], samplingRate: 1, frequencyCapDays: 0 },
    };
    const created = await e2e.runtime.request('POST', '/v1/surveys', { token: admin, body: definition });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(
      (
        await e2e.runtime.request('PUT', `/v1/surveys/${id}`, {
          token: admin,
          body: { ...definition, status: 'active' },
        })
      ).status,
    ).toBe(200);

    const { context, page, problems } = await e2e.open('/e2e/plain');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.evaluate(
      async ([surveyId, api]) => {
        const el = await window.Rapport.open(surveyId!, { force: true });
        if (!el.getAttribute('api')) el.setAttribute('api', api!);
      },
      [id, e2e.runtime.url],
    );
    const card = page.locator(`rapport-survey[survey="${id}"]`);
    await card.getByRole('heading', { name: EVIL_TITLE }).waitFor();
    await card.getByText(EVIL_QUESTION).first().waitFor();
    const injected = await card.evaluate((el) => el.shadowRoot?.querySelectorAll('img, script, b, i').length ?? -1);
    expect(injected).toBe(0);

    await card.getByRole('radio', { name: '4' }).check();
    await card.getByRole('button', { name: 'Next' }).click();
    await card.getByRole('textbox').fill(EVIL_ANSWER);
    await card.getByRole('button', { name: /Submit/ }).click();
    await card.getByRole('status').filter({ hasText: /thank/i }).waitFor();

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);

    let comments: { comments: Record<string, string> }[] = [];
    for (let i = 0; i < 50 && comments.length === 0; i++) {
      const res = await e2e.runtime.request('GET', `/v1/surveys/${id}/comments`, { token: admin });
      comments = (res.body as { items: typeof comments }).items;
      if (comments.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(comments[0]?.comments.comment).toBe(EVIL_ANSWER);
    await context.close();
  });
});
