// @vitest-environment happy-dom
/** The loader's targeting: URL rules, audiences, and the order of the contact rules `decide` names. */
import { beforeEach, describe, expect, it } from 'vitest';
import { REASONS } from '../../../widget/src/reasons';
import { markSeen, write } from '../../../widget/src/store';
import { audienceHolds, contacted, decide as decideCode, displaysKey, urlMatches } from '../../../widget/src/targeting';
import type { WidgetSurvey } from '../../../widget/src/types';

/** `decide`'s reason in the words debug mode prints. */
const decide = (...args: Parameters<typeof decideCode>) => REASONS[decideCode(...args)];

beforeEach(() => localStorage.clear());

const url = new URL('https://shop.example.com/checkout/done?step=2#top');
const survey = (extra: Partial<WidgetSurvey> = {}): WidgetSurvey => ({
  id: '01JCSURVEY0000000000000000',
  version: 1,
  locales: ['en'],
  defaultLocale: 'en',
  title: { en: 'T' },
  questions: [{ id: 'nps', type: 'nps', required: true, text: { en: 'Q' } }],
  delivery: { samplingRate: 1, frequencyCapDays: 30 },
  recontactDays: 14,
  ...extra,
});

describe('URL rules', () => {
  it('match path and query, or the whole URL when the rule has a scheme', () => {
    expect(urlMatches({ match: 'prefix', value: '/checkout' }, url)).toBe(true);
    expect(urlMatches({ match: 'exact', value: '/checkout/done?step=2' }, url)).toBe(true);
    expect(urlMatches({ match: 'exact', value: '/checkout/done' }, url)).toBe(false);
    expect(urlMatches({ match: 'contains', value: 'step=2' }, url)).toBe(true);
    expect(urlMatches({ match: 'glob', value: '/checkout/*' }, url)).toBe(true);
    expect(urlMatches({ match: 'glob', value: '/check?ut/*' }, url)).toBe(true);
    expect(urlMatches({ match: 'glob', value: '/cart/*' }, url)).toBe(false);
    expect(urlMatches({ match: 'glob', value: '/checkout.(x)' }, new URL('https://a.b/checkout.(x)'))).toBe(true);
    expect(urlMatches({ match: 'prefix', value: 'https://shop.example.com/checkout' }, url)).toBe(true);
    expect(urlMatches({ match: 'prefix', value: 'https://other.example.com/' }, url)).toBe(false);
  });
  it('match non-ASCII paths as people write them, and a malformed escape as it is', () => {
    const cafe = new URL('https://shop.example.com/café/menu?q=thé');
    expect(cafe.pathname).toBe('/caf%C3%A9/menu');
    expect(urlMatches({ match: 'prefix', value: '/café' }, cafe)).toBe(true);
    expect(urlMatches({ match: 'exact', value: '/café/menu?q=thé' }, cafe)).toBe(true);
    expect(urlMatches({ match: 'prefix', value: 'https://shop.example.com/café/' }, cafe)).toBe(true);
    const slug = new URL('https://shop.example.com/zh/产品/手机');
    expect(urlMatches({ match: 'glob', value: '/zh/产品/*' }, slug)).toBe(true);
    expect(urlMatches({ match: 'contains', value: '手机' }, slug)).toBe(true);
    expect(urlMatches({ match: 'contains', value: '电脑' }, slug)).toBe(false);
    // `%E0%A4%A` is no UTF-8: nothing to decode, the rule sees the path as it came.
    const broken = new URL('https://shop.example.com/x%E0%A4%A/y');
    expect(urlMatches({ match: 'prefix', value: '/x%E0%A4%A' }, broken)).toBe(true);
    // A rule saved escaped (through the API) matches the same pages as written out: both are decoded.
    expect(urlMatches({ match: 'prefix', value: '/caf%C3%A9' }, cafe)).toBe(true);
    const sale = new URL('https://shop.example.com/100%25-off');
    expect(urlMatches({ match: 'exact', value: '/100%25-off' }, sale)).toBe(true);
    expect(urlMatches({ match: 'exact', value: '/100%-off' }, sale)).toBe(true);
    // …so an exclude list saved escaped still excludes.
    expect(urlMatches({ match: 'contains', value: 'caf%C3%A9' }, cafe)).toBe(true);
    // Reserved characters stay escaped: `%2F` is not a path separator.
    expect(urlMatches({ match: 'exact', value: '/a%2Fb' }, new URL('https://s.example/a%2Fb'))).toBe(true);
  });
});

describe('audiences', () => {
  it('need a listed segment and every attribute rule; a missing attribute satisfies nothing', () => {
    const audience = { segments: ['vip'], attributes: [{ attribute: 'orders', op: 'gte' as const, value: 3 }] };
    expect(audienceHolds(audience, { segment: 'vip', attributes: { orders: 3 } })).toBe(true);
    expect(audienceHolds(audience, { segment: 'smb', attributes: { orders: 3 } })).toBe(false);
    expect(audienceHolds(audience, { segment: 'vip' })).toBe(false);
    expect(
      audienceHolds(
        { attributes: [{ attribute: 'plan', op: 'in', value: ['pro', 'team'] }] },
        { attributes: { plan: 'team' } },
      ),
    ).toBe(true);
    expect(audienceHolds(undefined, {})).toBe(true);
  });
  it('compare numbers given as numeric strings on either side (templates often pass them so)', () => {
    const over = (value: number | string) => ({ attributes: [{ attribute: 'orders', op: 'gt' as const, value }] });
    expect(audienceHolds(over(10), { attributes: { orders: '50' } })).toBe(true);
    expect(audienceHolds(over(10), { attributes: { orders: '5' } })).toBe(false);
    expect(audienceHolds(over('10'), { attributes: { orders: 50 } })).toBe(true);
    expect(audienceHolds(over(10), { attributes: { orders: ' 11 ' } })).toBe(true);
    const atMost = { attributes: [{ attribute: 'orders', op: 'lte' as const, value: '3' }] };
    expect(audienceHolds(atMost, { attributes: { orders: '3' } })).toBe(true);
    // Not a number, or missing: no ordering holds.
    expect(audienceHolds(over(10), { attributes: { orders: 'many' } })).toBe(false);
    // Only a whole number is one: not a number with units, a date, or a hex literal's prefix.
    expect(audienceHolds(over(10), { attributes: { orders: '12px' } })).toBe(false);
    expect(audienceHolds(over(10), { attributes: { orders: '2024-05-01' } })).toBe(false);
    expect(audienceHolds(over(10), { attributes: { orders: '' } })).toBe(false);
    expect(audienceHolds(over(-1), { attributes: { orders: true } })).toBe(false);
    expect(audienceHolds(over(-1), {})).toBe(false);
    // Equality stays as the API's evaluator has it: a string is not a number.
    expect(
      audienceHolds({ attributes: [{ attribute: 'plan', op: 'eq', value: '007' }] }, { attributes: { plan: '7' } }),
    ).toBe(false);
  });
});

describe('decide', () => {
  const now = Date.UTC(2026, 10, 30);
  it('names the first reason in order: URL rule, audience, sampling, cap, display limit, recontact window', () => {
    const targeted = survey({
      targeting: {
        triggers: { urls: { include: [{ match: 'prefix', value: '/cart' }], exclude: [] } },
        audience: { segments: ['vip'] },
      },
    });
    expect(decide(targeted, {}, 14, url, now)).toBe('URL rule');
    const onPage = survey({ targeting: { audience: { segments: ['vip'] }, displayLimit: 2 } });
    expect(decide(onPage, {}, 14, url, now)).toBe('audience');
    expect(decide(survey({ delivery: { samplingRate: 0, frequencyCapDays: 30 } }), {}, 14, url, now)).toBe('sampling');
    markSeen(onPage.id, now - 86_400_000);
    expect(decide(onPage, { segment: 'vip' }, 14, url, now)).toBe('frequency cap');
    localStorage.clear();
    write(displaysKey(onPage.id), '2');
    expect(decide(onPage, { segment: 'vip' }, 14, url, now)).toBe('display limit');
    localStorage.clear();
    contacted('01JCOTHER00000000000000000', now - 13 * 86_400_000);
    expect(decide(onPage, { segment: 'vip' }, 14, url, now)).toBe('recontact window');
    expect(decide(onPage, { segment: 'vip' }, 12, url, now)).toBe('');
    // The survey that started the window is not held back by it (another inline copy, its Feedback tab).
    contacted(onPage.id, now - 86_400_000);
    expect(decide(onPage, { segment: 'vip' }, 14, url, now)).toBe('');
    expect(decide(survey({ targeting: { recontactOptOut: true } }), {}, 14, url, now)).toBe('');
  });
  it('the window is the script tag’s when it sets one, else the site setting the survey carries', () => {
    contacted('01JCOTHER00000000000000000', now - 5 * 86_400_000);
    // The site setting (read with the survey): 7 days holds this visitor back, 3 does not, 0 is off.
    expect(decide(survey({ recontactDays: 7 }), {}, undefined, url, now)).toBe('recontact window');
    expect(decide(survey({ recontactDays: 3 }), {}, undefined, url, now)).toBe('');
    expect(decide(survey({ recontactDays: 0 }), {}, undefined, url, now)).toBe('');
    // `data-recontact-days` (a string from the dataset) overrides it either way.
    expect(decide(survey({ recontactDays: 3 }), {}, '7', url, now)).toBe('recontact window');
    expect(decide(survey({ recontactDays: 7 }), {}, '0', url, now)).toBe('');
  });
  it('a `data-recontact-days` that is not a number counts as absent: the site setting (or 14) applies', () => {
    contacted('01JCOTHER00000000000000000', now - 5 * 86_400_000);
    for (const typo of ['two', '', ' ', '-3'])
      expect(decide(survey({ recontactDays: 7 }), {}, typo, url, now), typo).toBe('recontact window');
    expect(decide(survey({ recontactDays: 3 }), {}, 'two', url, now)).toBe('');
    const { recontactDays: _site, ...noSetting } = survey();
    expect(decide(noSetting as WidgetSurvey, {}, 'two', url, now)).toBe('recontact window');
  });
  it('an excluded page is a URL rule even when an include matches', () => {
    const s = survey({
      targeting: {
        triggers: {
          urls: { include: [{ match: 'prefix', value: '/' }], exclude: [{ match: 'contains', value: 'done' }] },
        },
      },
    });
    expect(decide(s, {}, 14, url, now)).toBe('URL rule');
  });
});
