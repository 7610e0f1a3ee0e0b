/**
 * Who is asked, decided in the visitor's browser by the loader: the survey's URL rules, its audience
 * (segments and attributes the site passes to `Rapport.identify`), deterministic sampling, the
 * frequency cap, the per-survey display limit and the site-wide recontact window. `decide` returns
 * the first reason not to show (a code; reasons.ts has the words `Rapport.debug` prints), or 0 to show. Attribute rules
 * use the API's own comparison (functions/domain/surveys/branching.ts), so they mean the same
 * everywhere.
 */
import { compare } from '../../functions/domain/surveys/branching';
import { RECONTACT_DAYS_DEFAULT } from '../../functions/domain/surveys/site-settings-defaults';
import type { Audience, UrlRule } from '../../functions/domain/surveys/targeting-schema';
import type { Reason } from './reasons';
import { capped, read, sampled, write } from './store';
import type { WidgetSurvey } from './types';

export interface Visitor {
  customerId?: string;
  segment?: string;
  attributes?: Record<string, string | number | boolean>;
}

/** The page's address (a `URL`, or `location` itself). */
export type Page = Pick<URL, 'href' | 'pathname' | 'search'>;

/** `*` any run of characters, `?` one; everything else literally. */
const globToRegExp = (glob: string) =>
  RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/**
 * Rules starting with a scheme match the whole URL (without fragment), others its path and query;
 * both as people write them (`/café`, not `/caf%C3%A9`), unless an escape is malformed.
 */
const decoded = (text: string) => {
  try {
    return decodeURI(text);
  } catch {
    return text; // `%E0%A4%A`: matched as it is
  }
};

export function urlMatches(rule: UrlRule, url: Page): boolean {
  // The rule decoded too: one saved as `/caf%C3%A9` (or `/100%25-off`) still matches its page.
  const v = decoded(rule.value);
  const subject = decoded(/^https?:/.test(v) ? url.href.replace(/#.*/, '') : url.pathname + url.search);
  return rule.match === 'exact'
    ? subject === v
    : rule.match === 'prefix'
      ? subject.startsWith(v)
      : rule.match === 'contains'
        ? subject.includes(v)
        : globToRegExp(v).test(subject);
}

/**
 * A number, or a string that is exactly one (`' 50 '`; not `'12px'`, `'2024-05-01'` or `''`): where
 * `Number` and `parseFloat` agree; else NaN.
 */
const numberOf = (x: unknown) => (Number(x) === parseFloat(x as string) ? Number(x) : Number.NaN);

export function audienceHolds(audience: Audience | undefined, who: Visitor): boolean {
  if (!audience) return true;
  if (audience.segments?.length && !audience.segments.includes(who.segment ?? '')) return false;
  // The ordering operators (lt, lte, gt, gte: those with a `t`) compare numbers, given as numbers or
  // as numeric strings (templates often pass `'50'`) on either side; anything else is not a number
  // (NaN) and satisfies none. The others compare as the API's evaluator does.
  return (audience.attributes ?? []).every(({ op, attribute, value }) => {
    const actual = who.attributes?.[attribute];
    return /t/.test(op) ? compare(op, numberOf(actual), numberOf(value)) : compare(op, actual, value);
  });
}

/**
 * When the visitor was last asked a survey that keeps to the recontact window, and which one:
 * `<ms since the epoch> <survey id>`. That survey's own cards (another inline copy, the Feedback tab)
 * are not held back by it: its frequency cap covers it.
 */
export const LAST_CONTACT = 'rapport:contact';
export const contacted = (surveyId: string, now = Date.now()) => write(LAST_CONTACT, `${now} ${surveyId}`);
export const displaysKey = (id: string) => `rapport:shown:${id}`;

/**
 * `recontactDays`: the script tag's `data-recontact-days`, which overrides the site setting the survey
 * carries (`survey.recontactDays`); the default window if neither is there. A value that is not a
 * number of days (`"two"`, empty) counts as absent: a typo must not turn the window off.
 */
export function decide(
  survey: WidgetSurvey,
  who: Visitor,
  recontactDays: number | string | undefined,
  url: Page,
  now = Date.now(),
): Reason {
  const t = survey.targeting ?? {};
  const urls = t.triggers?.urls;
  if (
    urls &&
    ((urls.include.length && !urls.include.some((r) => urlMatches(r, url))) ||
      urls.exclude.some((r) => urlMatches(r, url)))
  )
    return 1;
  if (!audienceHolds(t.audience, who)) return 2;
  if (!sampled(survey.id, survey.delivery.samplingRate)) return 3;
  if (capped(survey.id, survey.delivery.frequencyCapDays, now)) return 4;
  if (t.displayLimit && Number(read(displaysKey(survey.id))) >= t.displayLimit) return 5;
  const [at, by] = `${read(LAST_CONTACT)}`.split(' ');
  const days = parseFloat(recontactDays as string);
  if (
    !t.recontactOptOut &&
    by !== survey.id &&
    now - Number(at) < (days >= 0 ? days : (survey.recontactDays ?? RECONTACT_DAYS_DEFAULT)) * 86_400_000
  )
    return 6;
  return 0;
}
