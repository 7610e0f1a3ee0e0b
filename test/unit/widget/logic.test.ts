// @vitest-environment happy-dom
/** The widget's pure parts: ids, locale choice, sampling, frequency cap, backoff and the outbox. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseLocale, STRINGS } from '../../../widget/src/i18n';
import { backoff, enqueue, flush, pending } from '../../../widget/src/outbox';
import { capped, hash, markSeen, sampled } from '../../../widget/src/store';
import { cleanAnswers, problemWith } from '../../../widget/src/ui';
import { ulid } from '../../../widget/src/ulid';

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('ulid', () => {
  it('is 26 Crockford base32 characters, time-ordered, with the time in front', () => {
    const a = ulid(Date.UTC(2025, 0, 1));
    const b = ulid(Date.UTC(2025, 0, 2));
    expect(a).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(a < b).toBe(true);
    expect(ulid(0).slice(0, 10)).toBe('0000000000');
    expect(new Set(Array.from({ length: 100 }, () => ulid())).size).toBe(100);
  });
});

describe('locale', () => {
  it('takes the attribute, then the browser languages, then the survey default', () => {
    expect(chooseLocale('zh-CN', ['en-US'], ['en', 'zh-CN'], 'en')).toBe('zh-CN');
    expect(chooseLocale(null, ['fr-FR', 'zh-Hans-CN', 'en'], ['en', 'zh-CN'], 'en')).toBe('zh-CN');
    expect(chooseLocale('en-GB', [], ['en', 'zh-CN'], 'zh-CN')).toBe('en');
    expect(chooseLocale('fr', ['de'], ['zh-CN'], 'zh-CN')).toBe('zh-CN');
    expect(chooseLocale(null, ['zh-CN'], ['en'], 'en')).toBe('en');
  });
  it('has every UI string in both locales', () => {
    expect(Object.keys(STRINGS['zh-CN']).sort()).toEqual(Object.keys(STRINGS.en).sort());
  });
});

describe('sampling and frequency cap', () => {
  it('is deterministic per visitor and survey, and close to the rate over many visitors', () => {
    expect(sampled('s1', 0.5, 'visitor-a')).toBe(sampled('s1', 0.5, 'visitor-a'));
    expect(sampled('s1', 0, 'v')).toBe(false);
    expect(sampled('s1', 1, 'v')).toBe(true);
    const hits = Array.from({ length: 4000 }, (_, i) => sampled('s1', 0.25, `v${i}`)).filter(Boolean).length;
    expect(hits / 4000).toBeGreaterThan(0.2);
    expect(hits / 4000).toBeLessThan(0.3);
    expect(hash('abc')).toBe(0x1a47e90b);
  });
  it('keeps the visitor id in localStorage, not cookies', () => {
    sampled('s1', 0.5);
    expect(localStorage.getItem('rapport:visitor')).toMatch(/^[0-9A-Z]{26}$/);
    expect(document.cookie).toBe('');
  });
  it('caps for the given number of days after an answer or dismissal', () => {
    const now = Date.UTC(2025, 5, 1);
    expect(capped('s1', 30, now)).toBe(false);
    markSeen('s1', now);
    expect(capped('s1', 30, now + 29 * 86_400_000)).toBe(true);
    expect(capped('s1', 30, now + 31 * 86_400_000)).toBe(false);
    expect(capped('s1', 0, now)).toBe(false);
  });
});

describe('answers', () => {
  const s = STRINGS.en;
  it('requires required answers and checks contact answers', () => {
    expect(problemWith({ id: 'a', type: 'nps', required: true, text: {} }, undefined, s)).toBe(s.required);
    expect(problemWith({ id: 'a', type: 'nps', required: false, text: {} }, undefined, s)).toBe('');
    expect(problemWith({ id: 'a', type: 'text', required: true, maxLength: 5, text: {} }, '   ', s)).toBe(s.required);
    const contact = { id: 'c', type: 'contact', required: false, text: {}, consentText: {} } as const;
    expect(problemWith(contact, undefined, s)).toBe('');
    expect(problemWith(contact, { email: 'x', consent: true }, s)).toBe(s.emailBad);
    expect(problemWith(contact, { email: 'a@b.co', consent: false }, s)).toBe(s.consentNeeded);
    expect(problemWith(contact, { email: 'a@b.co', consent: true }, s)).toBe('');
  });
  it('sends trimmed text, omits blanks, and an e-mail only with consent', () => {
    const qs = ['a', 'b', 'c', 'd'].map(
      (id) => ({ id, type: 'text', required: false, maxLength: 9, text: {} }) as const,
    );
    expect(
      JSON.parse(JSON.stringify(cleanAnswers(qs, { a: ' x ', b: '  ', c: { email: 'e@x.io', consent: false }, d: 0 }))),
    ).toEqual({ a: 'x', d: 0 });
  });
});

describe('outbox', () => {
  const item = (id: string) => ({ id, url: 'https://api.example.com/v1/surveys/s/responses', body: `{"id":"${id}"}` });
  const respond = (...statuses: (number | 'offline')[]) => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        calls.push(String(init.body));
        const status = statuses.shift() ?? 201;
        if (status === 'offline') throw new TypeError('Failed to fetch');
        return new Response('{}', { status, headers: status === 503 ? { 'retry-after': '7' } : {} });
      }),
    );
    return calls;
  };

  it('backs off exponentially with jitter, capped at a minute', () => {
    expect(backoff(0, 0)).toBe(500);
    expect(backoff(0, 1)).toBe(1000);
    expect(backoff(3, 0.5)).toBe(6000);
    expect(backoff(20, 1)).toBe(60_000);
  });

  it('keeps an answer through 5xx (honouring Retry-After) and network errors, drops it on 201 or a final 4xx', async () => {
    const calls = respond(503, 'offline', 201);
    enqueue(item('A'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await vi.waitFor(() => expect(pending()[0]?.tries).toBe(1));
    expect(pending()[0]!.due - Date.now()).toBeGreaterThan(6000); // Retry-After: 7
    localStorage.setItem('rapport:outbox', JSON.stringify(pending().map((p) => ({ ...p, due: 0 }))));
    await flush();
    expect(pending()[0]?.tries).toBe(2);
    localStorage.setItem('rapport:outbox', JSON.stringify(pending().map((p) => ({ ...p, due: 0 }))));
    await flush();
    expect(pending()).toEqual([]);
    expect(new Set(calls)).toEqual(new Set(['{"id":"A"}']));

    respond(400);
    enqueue(item('B'));
    await vi.waitFor(() => expect(pending()).toEqual([]));
    respond(429);
    enqueue(item('C'));
    await vi.waitFor(() => expect(pending()[0]?.tries).toBe(1));
  });
});
