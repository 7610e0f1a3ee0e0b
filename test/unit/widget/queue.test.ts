// @vitest-environment happy-dom
/**
 * The queue a page may fill before the loader (an `async` script) runs: `window.Rapport =
 * window.Rapport || { q: [] }` and `Rapport.q.push([...])`. The loader installs over the stub (it used
 * to see "a Rapport" and stay out, and `Rapport.track` before it threw) and replays the calls in
 * order; once installed, a push is a call.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WidgetSurvey } from '../../../widget/src/types';

const ID = '01JCSURVEY0000000000000000';
const definition: WidgetSurvey = {
  id: ID,
  version: 1,
  locales: ['en'],
  defaultLocale: 'en',
  title: { en: 'Queued' },
  questions: [{ id: 'q1', type: 'nps', required: true, text: { en: 'Recommend?' } }],
  delivery: { samplingRate: 1, frequencyCapDays: 0 },
  recontactDays: 14,
};

beforeAll(async () => {
  localStorage.clear();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? new Response('{}', { status: 201 }) : Response.json(definition),
    ),
  );
  // The survey UI is normally fetched by the loader; here it is defined up front.
  await import('../../../widget/src/ui-entry');
  // What the site's snippet does before the async loader arrives.
  const w = window as unknown as { Rapport?: { q: unknown[][] } };
  w.Rapport = w.Rapport || { q: [] };
  w.Rapport.q.push(['identify', { segment: 'vip' }]);
  w.Rapport.q.push(['identify', { segment: 'smb' }]);
  // The page's mistakes (a setter, a typo) are skipped: the calls after them still run.
  w.Rapport.q.push(['debug', true]);
  w.Rapport.q.push(['Identify', { segment: 'typo' }]);
  w.Rapport.q.push(['open', ID, { force: true }]);
  await import('../../../widget/src/loader');
});
afterAll(() => vi.unstubAllGlobals());

describe('the Rapport.q stub', () => {
  it('does not keep the loader from installing; the queued open is replayed', async () => {
    const { Rapport } = await import('../../../widget/src/loader');
    expect(window.Rapport).toBe(Rapport);
    await vi.waitFor(() =>
      expect(
        document.querySelector(`rapport-survey[survey="${ID}"]`)?.shadowRoot?.querySelector('h2')?.textContent,
      ).toBe('Queued'),
    );
  });

  it('replays in order: the later identify wins, and goes with the answer', async () => {
    const { Rapport } = await import('../../../widget/src/loader');
    Rapport.__ui.send(null, ID, { surveyVersion: 1, locale: 'en', answers: { q1: 9 } });
    const outbox = JSON.parse(localStorage.getItem('rapport:outbox') ?? '[]') as { url: string; body: string }[];
    const answer = outbox.find((item) => item.url.endsWith('/responses'));
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ segment: 'smb', answers: { q1: 9 } });
  });

  it('an answer carries one identity whole: open()’s when it names a customer, else identify()’s; never the attributes', async () => {
    const { Rapport } = await import('../../../widget/src/loader');
    Rapport.identify({ customerId: 'cust-a', customerSignature: 'sig-a', segment: 'smb', attributes: { plan: 'pro' } });
    const sent = (body: Parameters<typeof Rapport.__ui.send>[2]) => {
      const id = Rapport.__ui.send(null, ID, body);
      const outbox = JSON.parse(localStorage.getItem('rapport:outbox') ?? '[]') as { id: string; body: string }[];
      return JSON.parse(outbox.find((item) => item.id === id)?.body ?? '{}');
    };
    const base = { surveyVersion: 1, locale: 'en' as const, answers: { q1: 9 } };
    // open() names another customer with its token: identify()'s signature (for cust-a) stays behind.
    const other = sent({ ...base, customerId: 'cust-b', identityToken: 'tok-b' });
    expect(other).toMatchObject({ customerId: 'cust-b', identityToken: 'tok-b', segment: 'smb' });
    expect(other).not.toHaveProperty('customerSignature');
    expect(other).not.toHaveProperty('attributes');
    // Options given as undefined (templates) are not given: identify()'s identity and segment go.
    const templated = sent({ ...base, customerId: undefined, segment: undefined });
    expect(templated).toMatchObject({ customerId: 'cust-a', customerSignature: 'sig-a', segment: 'smb' });
    expect(templated).not.toHaveProperty('attributes');
  });

  it('once installed, a push is a call', async () => {
    const { Rapport } = await import('../../../widget/src/loader');
    const track = vi.spyOn(Rapport, 'track');
    Rapport.q.push(['track', 'checkout_completed', { total: 12 }]);
    expect(track).toHaveBeenCalledWith('checkout_completed', { total: 12 });
  });
});
