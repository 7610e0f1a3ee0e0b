// @vitest-environment happy-dom
/**
 * Component tests of `<rapport-survey>` in happy-dom: every question type and state, the submission
 * it queues, and that server text stays text. The browser tests (test/e2e) cover the real thing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Question, WidgetSurvey } from '../../../widget/src/types';

const t = (en: string, zh = `${en}（中文）`) => ({ en, 'zh-CN': zh });

function survey(questions: Question[], extra: Partial<WidgetSurvey> = {}): WidgetSurvey {
  return {
    id: '01JCSURVEY0000000000000000',
    version: 3,
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: t('Tell us'),
    thankYou: t('Thanks a lot'),
    questions,
    delivery: { samplingRate: 1, frequencyCapDays: 0 },
    recontactDays: 14,
    ...extra,
  };
}

let posts: { url: string; body: Record<string, unknown> }[];
let displayPosts: { url: string; body: Record<string, unknown> }[];
let postStatus: number;

function stubFetch(definition: WidgetSurvey) {
  posts = [];
  displayPosts = [];
  postStatus = 201;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        const post = { url, body: JSON.parse(String(init.body)) as Record<string, unknown> };
        // Displays and drop-offs (the funnel) go to their own route; `posts` are the answers.
        (url.endsWith('/displays') ? displayPosts : posts).push(post);
        return new Response('{}', { status: postStatus });
      }
      return new Response(JSON.stringify(definition), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
}

async function mount(definition: WidgetSurvey, attributes: Record<string, string> = {}) {
  stubFetch(definition);
  const el = document.createElement('rapport-survey');
  el.setAttribute('survey', definition.id);
  el.setAttribute('api', 'https://api.example.com/');
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  document.body.append(el);
  const root = () => el.shadowRoot!;
  await vi.waitFor(() => expect(root().querySelector('h2')).not.toBeNull());
  const $ = <T extends Element = HTMLElement>(sel: string) => root().querySelector<T & HTMLElement>(sel)!;
  const $$ = (sel: string) => Array.from(root().querySelectorAll<HTMLElement>(sel));
  const button = (label: string) =>
    $$('button').find((b) => b.textContent === label || b.getAttribute('aria-label') === label)!;
  return { el, root, $, $$, button, next: () => button('Next').click(), submit: () => button('Submit').click() };
}

beforeAll(async () => {
  await import('../../../widget/src/index');
});
beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('<rapport-survey> question types', () => {
  it('likert 5 with labels: native radios in a radiogroup named by the question, end labels', async () => {
    const w = await mount(
      survey([
        {
          id: 'q1',
          type: 'likert',
          points: 5,
          required: true,
          text: t('How satisfied?'),
          labels: ['A', 'B', 'C', 'D', 'E'].map((l) => t(l)),
        },
      ]),
    );
    const group = w.$('[role=radiogroup]');
    expect(group.getAttribute('aria-labelledby')).toBe('q');
    expect(w.$('#q').textContent).toBe('How satisfied?');
    const radios = w.$$('input[type=radio]');
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual(['1 A', '2 B', '3 C', '4 D', '5 E']);
    expect(w.$$('.ends span').map((s) => s.textContent)).toEqual(['A', 'E']);
    expect(w.$('.prog').textContent).toBe('Question 1 of 1');
  });

  it('likert 7 without labels, NPS 0–10 and CES 1–7 with their end labels', async () => {
    const w = await mount(
      survey([
        { id: 'l7', type: 'likert', points: 7, required: false, text: t('Seven') },
        { id: 'nps', type: 'nps', required: false, text: t('Recommend?') },
        { id: 'ces', type: 'ces', required: false, text: t('Easy?') },
      ]),
    );
    expect(w.$$('input[type=radio]').map((r) => (r as HTMLInputElement).value)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    expect(w.$$('.ends span').map((s) => s.textContent)).toEqual(['Very dissatisfied', 'Very satisfied']);
    expect(w.$('h3 .opt').textContent).toContain('Optional');
    w.next();
    await vi.waitFor(() => expect(w.$$('input[type=radio]')).toHaveLength(11));
    expect(w.$$('input[type=radio]').map((r) => (r as HTMLInputElement).value)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(w.$('input[value="0"]').getAttribute('aria-label')).toBe('0 Not at all likely');
    expect(w.$('input[value="10"]').getAttribute('aria-label')).toBe('10 Extremely likely');
    w.next();
    await vi.waitFor(() => expect(w.$$('input[type=radio]')).toHaveLength(7));
    expect(w.$$('.ends span').map((s) => s.textContent)).toEqual(['Strongly disagree', 'Strongly agree']);
  });

  it('single choice, free text with a character counter, and contact with consent', async () => {
    const w = await mount(
      survey([
        {
          id: 'ch',
          type: 'single_choice',
          required: true,
          text: t('Where?'),
          options: [
            { id: 'web', label: t('Website') },
            { id: 'app', label: t('App') },
          ],
        },
        { id: 'tx', type: 'text', required: false, maxLength: 20, text: t('Anything else?') },
        { id: 'ct', type: 'contact', required: false, text: t('Contact you?'), consentText: t('Yes, e-mail me') },
      ]),
    );
    expect(w.$$('.ch span').map((s) => s.textContent)).toEqual(['Website', 'App']);
    w.$<HTMLInputElement>('input[value=app]').click();
    w.next();
    await vi.waitFor(() => expect(w.$('textarea')).not.toBeNull());
    const area = w.$<HTMLTextAreaElement>('textarea');
    expect(area.getAttribute('maxlength')).toBe('20');
    area.value = '  Good 👍 ';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() => expect(w.$('#cnt').textContent).toBe('9 of 20 characters'));
    w.next();
    await vi.waitFor(() => expect(w.$('input[type=email]')).not.toBeNull());
    const email = w.$<HTMLInputElement>('input[type=email]');
    email.value = 'not-an-email';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    w.submit();
    await vi.waitFor(() => expect(w.$('#err').textContent).toBe('Enter a valid e-mail address.'));
    email.value = 'ann@example.com';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    w.submit();
    await vi.waitFor(() => expect(w.$('#err').textContent).toBe('Tick the box, or clear the e-mail.'));
    w.$<HTMLInputElement>('input[type=checkbox]').click();
    w.submit();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body.answers).toEqual({
      ch: 'app',
      tx: 'Good 👍',
      ct: { email: 'ann@example.com', consent: true },
    });
  });
});

describe('<rapport-survey> states', () => {
  it('refuses Next without a required answer, announces it, and clears it once answered', async () => {
    const w = await mount(
      survey([
        { id: 'q1', type: 'nps', required: true, text: t('Recommend?') },
        { id: 'q2', type: 'text', required: false, maxLength: 10, text: t('Why?') },
      ]),
    );
    w.next();
    await vi.waitFor(() => expect(w.$('#err').textContent).toBe('Please answer this question.'));
    expect(w.$('#err').getAttribute('aria-live')).toBe('assertive');
    expect(w.$('[role=radiogroup]').getAttribute('aria-invalid')).toBe('true');
    expect(w.$('[role=radiogroup]').getAttribute('aria-describedby')).toBe('err');
    w.$<HTMLInputElement>('input[value="8"]').click();
    await vi.waitFor(() => expect(w.$('#err').textContent).toBe(''));
    w.next();
    await vi.waitFor(() => expect(w.$('textarea')).not.toBeNull());
    expect(w.$('.prog').textContent).toBe('Question 2 of 2');
    w.button('Back').click();
    await vi.waitFor(() => expect(w.$<HTMLInputElement>('input[value="8"]').checked).toBe(true));
  });

  it('shows the thank-you text in a live region, queues the submission and fires rapport:submitted', async () => {
    const seen: CustomEvent[] = [];
    document.addEventListener('rapport:submitted', (e) => seen.push(e as CustomEvent));
    const w = await mount(survey([{ id: 'q1', type: 'ces', required: true, text: t('Easy?') }]), {
      'customer-id': 'ignored',
    });
    w.el.dispatchEvent(new Event('noop'));
    w.$<HTMLInputElement>('input[value="6"]').click();
    w.submit();
    await vi.waitFor(() => expect(w.$('[role=status]').textContent).toBe('Thanks a lot'));
    expect(w.$('form')).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.bubbles && seen[0]!.composed).toBe(true);
    const { responseId } = seen[0]!.detail as { responseId: string };
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.url).toBe('https://api.example.com/v1/surveys/01JCSURVEY0000000000000000/responses');
    expect(posts[0]!.body).toMatchObject({ id: responseId, surveyVersion: 3, locale: 'en', answers: { q1: 6 } });
    expect(posts[0]!.body).not.toHaveProperty('website');
    await vi.waitFor(() => expect(localStorage.getItem('rapport:outbox')).toBe('[]'));
  });

  it('sends the identity the host signed (customerId with its signature, or a token) with the answer, not force', async () => {
    const w = await mount(survey([{ id: 'q1', type: 'ces', required: true, text: t('Easy?') }]));
    const signed = { customerId: '01JCUSTOMER000000000000000', customerSignature: 'ab'.repeat(32) };
    (w.el as unknown as { open(o: unknown): void }).open({
      ...signed,
      identityToken: 'h.p.s',
      segment: 'vip',
      force: true,
    });
    w.$<HTMLInputElement>('input[value="5"]').click();
    w.submit();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toMatchObject({ ...signed, identityToken: 'h.p.s', segment: 'vip', answers: { q1: 5 } });
    expect(posts[0]!.body).not.toHaveProperty('force');
  });

  it('renders server text as text, never HTML', async () => {
    const evil = '<img src=x onerror="alert(1)"><b>bold</b>';
    const w = await mount(
      survey(
        [
          {
            id: 'q1',
            type: 'single_choice',
            required: false,
            text: t(evil),
            options: [
              { id: 'a', label: t(evil) },
              { id: 'b', label: t('B') },
            ],
          },
        ],
        { title: t(evil) },
      ),
    );
    expect(w.root().querySelector('img')).toBeNull();
    expect(w.root().querySelector('b')).toBeNull();
    expect(w.$('h2').textContent).toBe(evil);
    expect(w.$('h3').textContent).toContain(evil);
  });

  it('chooses the locale from the attribute, and renders every UI string in zh-CN', async () => {
    const w = await mount(survey([{ id: 'q1', type: 'nps', required: true, text: t('Recommend?', '推荐吗？') }]), {
      locale: 'zh',
    });
    expect(w.$('.root').getAttribute('lang')).toBe('zh-CN');
    expect(w.$('h3').textContent).toBe('推荐吗？');
    expect(w.$('.prog').textContent).toBe('第 1 题，共 1 题');
    w.button('提交').click();
    await vi.waitFor(() => expect(w.$('#err').textContent).toBe('请回答此问题。'));
  });

  it('popover: a launcher that opens a dialog, Escape dismisses it with rapport:dismissed', async () => {
    const dismissed = vi.fn();
    document.addEventListener('rapport:dismissed', dismissed);
    const w = await mount(survey([{ id: 'q1', type: 'nps', required: true, text: t('Recommend?') }]), {
      mode: 'popover',
    }).catch(async () => null);
    // The popover renders only its launcher at first (no h2): wait for it instead.
    const el = document.querySelector('rapport-survey')!;
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('.launcher')).not.toBeNull());
    expect(w).toBeNull();
    const launcher = el.shadowRoot!.querySelector<HTMLButtonElement>('.launcher')!;
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    launcher.click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role=dialog]')).not.toBeNull());
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    el.shadowRoot!.querySelector('[role=dialog]')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role=dialog]')).toBeNull());
    expect(dismissed).toHaveBeenCalledTimes(1);
    // The funnel: one display, dismissed at the question it was closed on.
    await vi.waitFor(() => expect(displayPosts).toHaveLength(2));
    expect(displayPosts.map((p) => [p.body.event, p.body.questionId])).toEqual([
      ['shown', undefined],
      ['dismissed', 'q1'],
    ]);
    expect(displayPosts[1]!.body.id).toBe(displayPosts[0]!.body.id);
  });

  it('asks only the questions its logic shows, sends only their answers, and records the display', async () => {
    const w = await mount(
      survey([
        { id: 'nps', type: 'nps', required: true, text: t('Recommend?') },
        {
          id: 'fix',
          type: 'text',
          required: true,
          maxLength: 100,
          text: t('What should we fix?'),
          showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] },
        },
        {
          id: 'like',
          type: 'text',
          required: false,
          maxLength: 100,
          text: t('What do you like most?'),
          showIf: { all: [{ question: 'nps', op: 'gte', value: 9 }] },
        },
      ]),
    );
    const h3 = () => w.$('h3').textContent;
    const progress = () => w.$('.prog').textContent;
    w.$<HTMLInputElement>('input[value="3"]').click();
    expect(progress()).toBe('Question 1 of 2');
    w.next();
    await vi.waitFor(() => expect(h3()).toBe('What should we fix?'));
    w.$<HTMLTextAreaElement>('textarea').value = 'Delivery';
    w.$<HTMLTextAreaElement>('textarea').dispatchEvent(new Event('input', { bubbles: true }));
    // Back, change course to a 10: the "fix" answer stays behind and is not sent.
    w.button('Back').click();
    w.$<HTMLInputElement>('input[value="10"]').click();
    w.next();
    await vi.waitFor(() => expect(h3()).toBe('What do you like most? Optional'));
    w.submit();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body.answers).toEqual({ nps: 10 });
    expect(displayPosts.map((p) => p.body.event)).toEqual(['shown']);
    expect(displayPosts[0]!.url).toBe('https://api.example.com/v1/surveys/01JCSURVEY0000000000000000/displays');
  });

  it('does not show itself to a visitor sampled out or within the frequency cap', async () => {
    const el = document.createElement('rapport-survey');
    stubFetch(
      survey([{ id: 'q1', type: 'nps', required: true, text: t('Recommend?') }], {
        delivery: { samplingRate: 0, frequencyCapDays: 0 },
      }),
    );
    el.setAttribute('survey', '01JCSURVEY0000000000000000');
    document.body.append(el);
    await new Promise((r) => setTimeout(r, 50));
    expect(el.shadowRoot!.querySelector('.root')).toBeNull();
  });
});

describe('<rapport-survey> in the page’s markup or from Rapport.open, and the loader', () => {
  type Loader = {
    identify(identity: Record<string, unknown>): void;
    open(id: string, options?: Record<string, unknown>): Promise<HTMLElement>;
  };
  const rapport = () => (window as unknown as { Rapport: Loader }).Rapport;
  afterEach(() => rapport().identify({ customerId: undefined, customerSignature: undefined, segment: undefined }));
  const nps = [{ id: 'q1', type: 'nps', required: true, text: t('Recommend?') }] as Question[];

  it('an answer and its display carry what identify set, unless open() passed its own', async () => {
    const signed = { customerId: '01JCUSTOMER000000000000000', customerSignature: 'cd'.repeat(32) };
    rapport().identify({ ...signed, segment: 'vip', attributes: { plan: 'pro' } });
    const w = await mount(survey(nps));
    w.$<HTMLInputElement>('input[value="9"]').click();
    w.submit();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toMatchObject({ ...signed, segment: 'vip', answers: { q1: 9 } });
    // The attributes are for audiences: they stay in the page.
    expect(posts[0]!.body).not.toHaveProperty('attributes');
    await vi.waitFor(() => expect(displayPosts.map((p) => p.body.segment)).toEqual(['vip']));

    // Rapport.open's own segment wins, for the answer and for its display alike.
    document.body.innerHTML = '';
    localStorage.clear();
    stubFetch(survey(nps, { id: '01JCSURVEY0000000000000001' }));
    const el = await rapport().open('01JCSURVEY0000000000000001', { segment: 'smb', force: true });
    await vi.waitFor(() => expect(el.shadowRoot?.querySelector('input[value="3"]')).toBeTruthy());
    el.shadowRoot!.querySelector<HTMLInputElement>('input[value="3"]')!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.pri')!.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toMatchObject({ ...signed, segment: 'smb', answers: { q1: 3 } });
    await vi.waitFor(() => expect(displayPosts.map((p) => p.body.segment)).toEqual(['smb']));
  });

  it('closing an inline card that showed itself leaves focus where the visitor has it', async () => {
    const w = await mount(survey(nps));
    const search = document.createElement('input');
    document.body.prepend(document.createElement('button'), search);
    search.focus();
    (window as unknown as { Rapport: { close(): void } }).Rapport.close();
    await vi.waitFor(() => expect(w.root().querySelector('h2')).toBeNull());
    expect(document.activeElement).toBe(search);
  });

  it('a survey that opts out of the recontact window does not start it when shown from markup', async () => {
    await mount(survey(nps, { targeting: { recontactOptOut: true } }));
    await vi.waitFor(() => expect(displayPosts.map((p) => p.body.event)).toEqual(['shown']));
    expect(localStorage.getItem('rapport:contact')).toBeNull();
    // One that keeps to it does.
    document.body.innerHTML = '';
    await mount(survey(nps, { id: '01JCSURVEY0000000000000002' }));
    await vi.waitFor(() => expect(localStorage.getItem('rapport:contact')).toMatch(/ 01JCSURVEY0000000000000002$/));
  });
});

describe('<rapport-survey> preview (the console’s live preview of a draft)', () => {
  it('renders a definition given as the preview property: nothing fetched, sampling ignored, nothing sent', async () => {
    stubFetch(survey([]));
    const definition = survey([{ id: 'q1', type: 'nps', required: true, text: t('Recommend us?') }], {
      delivery: { samplingRate: 0, frequencyCapDays: 365 },
    });
    const el = document.createElement('rapport-survey') as HTMLElement & { preview: WidgetSurvey };
    el.preview = definition; // set before the element is connected, as Preact does
    el.setAttribute('locale', 'zh-CN');
    document.body.append(el);
    const root = el.shadowRoot!;
    await vi.waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Tell us（中文）'));
    // A new definition (the person typed) repaints at once.
    el.preview = { ...definition, title: t('Tell us more') };
    expect(root.querySelector('h2')?.textContent).toBe('Tell us more（中文）');
    const submitted = vi.fn();
    el.addEventListener('rapport:submitted', submitted);
    root.querySelector<HTMLInputElement>('input[value="9"]')!.click();
    root.querySelector<HTMLButtonElement>('button.pri')!.click();
    await vi.waitFor(() => expect(submitted).toHaveBeenCalled());
    expect(root.querySelector('[role=status]')?.textContent).toBe('Thanks a lot（中文）');
    expect(fetch).not.toHaveBeenCalled();
    expect(localStorage.getItem('rapport:outbox')).toBeNull();
  });
});
