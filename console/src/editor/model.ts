/**
 * The survey editor's model: a draft that is easy to edit in a form (text per locale, lines of
 * origins), turned into the API's SurveyCreate body, into the widget's WidgetSurvey for the live
 * preview, and checked before publishing (missing translations, origins that are not origins) with
 * the same field paths the API's problem+json uses, so both kinds of error show at the same field.
 */
import type { Question, QuestionInput, Survey, SurveyCreate, WidgetSurvey } from '../api/types';
import type { Locale } from '../i18n/i18n';
import {
  type DraftNotifications,
  emptyNotifications,
  notificationsDraftOf,
  toNotifications,
} from './notifications-model';
import { attributeLine, attributeRule, type LineIssue, lineIssues, rulesOf, urlLine, urlRule } from './targeting-lines';

export type Texts = Partial<Record<Locale, string>>;
/** Branching as the API takes it (`showIf` / `endIf`, functions/domain/surveys/branching.ts). */
export type Logic = NonNullable<QuestionInput['showIf']>;
export type Condition = Extract<Logic, { all: unknown }>['all'][number];
export type Targeting = NonNullable<SurveyCreate['targeting']>;
export type QuestionType = QuestionInput['type'];
export const QUESTION_TYPES: readonly QuestionType[] = ['likert', 'nps', 'ces', 'single_choice', 'text', 'contact'];
export const RATED: readonly QuestionType[] = ['likert', 'nps', 'ces'];

export interface DraftOption {
  readonly id: string;
  readonly label: Texts;
}

export interface DraftQuestion {
  /** Stable key for the list (ids can be edited). */
  readonly key: string;
  readonly id: string;
  readonly type: QuestionType;
  readonly required: boolean;
  readonly overall: boolean;
  readonly text: Texts;
  readonly points: 5 | 7;
  /** One label per point, or none (the widget then labels the two ends itself). */
  readonly labels: readonly Texts[] | null;
  readonly options: readonly DraftOption[];
  readonly maxLength: string;
  readonly consentText: Texts;
  /** Asked only when this holds for earlier answers; null = always. */
  readonly showIf: Logic | null;
  /** The survey ends after this question when this holds. */
  readonly endIf: Logic | null;
}

/** The targeting fields as typed in the form (docs/widget.md). */
export interface DraftTargeting {
  /** Show by itself (a trigger decides when) rather than as a Feedback tab. */
  readonly auto: boolean;
  /** One rule per line: `/checkout` (prefix), `=/thanks` (exact), `/shop/*` (glob), `~promo` (contains); targeting-lines.ts. */
  readonly urlInclude: string;
  readonly urlExclude: string;
  /** Comma-separated event names. */
  readonly events: string;
  readonly timeOnPageSeconds: string;
  readonly scrollDepthPercent: string;
  readonly exitIntent: boolean;
  readonly pageViews: string;
  /** Comma-separated. */
  readonly audienceSegments: string;
  /** One rule per line: `plan = pro`, `plan in pro, team`, `orders >= 3`, `beta answered`; targeting-lines.ts. */
  readonly audienceAttributes: string;
  readonly displayLimit: string;
  readonly recontactOptOut: boolean;
}

export interface Draft {
  readonly name: string;
  readonly locales: readonly Locale[];
  readonly defaultLocale: Locale;
  readonly title: Texts;
  readonly thankYou: Texts;
  readonly questions: readonly DraftQuestion[];
  /** One origin per line. */
  readonly origins: string;
  /** 0–100. */
  readonly samplingPercent: string;
  readonly frequencyCapDays: string;
  readonly maxResponsesPerMinute: string;
  /** Comma-separated. */
  readonly segments: string;
  /** Keep answers' page URLs with query string and fragment (absent in drafts kept from before). */
  readonly keepPageQuery?: boolean;
  /** Absent in drafts kept from before notifications existed: then the survey's (or the defaults). */
  readonly notifications?: DraftNotifications;
  readonly targeting: DraftTargeting;
}

export const emptyTargeting = (): DraftTargeting => ({
  auto: false,
  urlInclude: '',
  urlExclude: '',
  events: '',
  timeOnPageSeconds: '',
  scrollDepthPercent: '',
  exitIntent: false,
  pageViews: '',
  audienceSegments: '',
  audienceAttributes: '',
  displayLimit: '',
  recontactOptOut: false,
});

let keys = 0;
export const newKey = () => `q${Date.now().toString(36)}${(++keys).toString(36)}`;

export function newQuestion(type: QuestionType, index: number): DraftQuestion {
  return {
    key: newKey(),
    id: `${type === 'single_choice' ? 'choice' : type}_${index + 1}`,
    type,
    required: false,
    overall: false,
    text: {},
    points: 5,
    labels: null,
    options:
      type === 'single_choice'
        ? [
            { id: 'option_1', label: {} },
            { id: 'option_2', label: {} },
          ]
        : [],
    maxLength: '1000',
    consentText: {},
    showIf: null,
    endIf: null,
  };
}

export function emptyDraft(): Draft {
  return {
    name: '',
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: {},
    thankYou: {},
    questions: [{ ...newQuestion('likert', 0), id: 'overall', required: true, overall: true }],
    origins: '',
    samplingPercent: '100',
    frequencyCapDays: '30',
    maxResponsesPerMinute: '600',
    segments: '',
    keepPageQuery: false,
    notifications: emptyNotifications(),
    targeting: emptyTargeting(),
  };
}

export function draftOf(survey: Survey): Draft {
  return {
    name: survey.name,
    locales: survey.locales,
    defaultLocale: survey.defaultLocale,
    title: survey.title,
    thankYou: survey.thankYou ?? {},
    questions: survey.questions.map((q) => ({
      ...newQuestion(q.type, 0),
      id: q.id,
      required: q.required,
      text: q.text,
      overall: 'overall' in q ? (q.overall ?? false) : false,
      ...(q.type === 'likert' ? { points: q.points, labels: q.labels ?? null } : {}),
      ...(q.type === 'single_choice' ? { options: q.options } : {}),
      ...(q.type === 'text' ? { maxLength: String(q.maxLength) } : {}),
      ...(q.type === 'contact' ? { consentText: q.consentText } : {}),
      showIf: q.showIf ?? null,
      endIf: q.endIf ?? null,
    })),
    origins: survey.delivery.allowedOrigins.join('\n'),
    samplingPercent: String(Math.round(survey.delivery.samplingRate * 1000) / 10),
    frequencyCapDays: String(survey.delivery.frequencyCapDays),
    maxResponsesPerMinute: String(survey.delivery.maxResponsesPerMinute ?? 600),
    segments: (survey.delivery.segments ?? []).join(', '),
    keepPageQuery: survey.delivery.keepPageQuery ?? false,
    notifications: notificationsDraftOf(survey),
    targeting: draftTargetingOf(survey.targeting),
  };
}

function draftTargetingOf(t: Targeting | undefined): DraftTargeting {
  if (!t) return emptyTargeting();
  const tr = t.triggers;
  const num = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    auto: tr !== undefined,
    urlInclude: (tr?.urls?.include ?? []).map(urlLine).join('\n'),
    urlExclude: (tr?.urls?.exclude ?? []).map(urlLine).join('\n'),
    events: (tr?.events ?? []).join(', '),
    timeOnPageSeconds: num(tr?.timeOnPageSeconds),
    scrollDepthPercent: num(tr?.scrollDepthPercent),
    exitIntent: tr?.exitIntent ?? false,
    pageViews: num(tr?.pageViews),
    audienceSegments: (t.audience?.segments ?? []).join(', '),
    audienceAttributes: (t.audience?.attributes ?? []).map(attributeLine).join('\n'),
    displayLimit: num(t.displayLimit),
    recontactOptOut: t.recontactOptOut ?? false,
  };
}

/** The targeting fields' lines that are not rules, by the field path the API would use; they block saving. */
export function targetingIssues(
  d: DraftTargeting,
  word: (issue: LineIssue, kind: 'url' | 'attribute') => string,
): Issues {
  const issues: Issues = {};
  const check = (path: string, kind: 'url' | 'attribute', found: LineIssue[]) => {
    if (found.length) issues[path] = found.map((issue) => word(issue, kind)).join('; ');
  };
  check('targeting/triggers/urls/include', 'url', lineIssues(d.urlInclude, urlRule));
  check('targeting/triggers/urls/exclude', 'url', lineIssues(d.urlExclude, urlRule));
  check('targeting/audience/attributes', 'attribute', lineIssues(d.audienceAttributes, attributeRule));
  return issues;
}

function targetingBody(d: DraftTargeting): Targeting | undefined {
  const numberOf = (text: string) => (text.trim() ? Math.round(Number(text)) : undefined);
  // Lines that are not rules are left out only here, for the preview: saving waits for targetingIssues().
  const include = rulesOf(d.urlInclude, urlRule);
  const exclude = rulesOf(d.urlExclude, urlRule);
  const events = lines(d.events);
  const time = numberOf(d.timeOnPageSeconds);
  const scroll = numberOf(d.scrollDepthPercent);
  const views = numberOf(d.pageViews);
  const hasTrigger =
    d.auto || include.length || exclude.length || events.length || time || scroll || views || d.exitIntent;
  const triggers = hasTrigger
    ? {
        ...(include.length || exclude.length ? { urls: { include, exclude } } : {}),
        ...(events.length ? { events } : {}),
        ...(time ? { timeOnPageSeconds: time } : {}),
        ...(scroll ? { scrollDepthPercent: scroll } : {}),
        ...(d.exitIntent ? { exitIntent: true } : {}),
        ...(views ? { pageViews: views } : {}),
      }
    : undefined;
  const segments = lines(d.audienceSegments);
  const attributes = rulesOf(d.audienceAttributes, attributeRule);
  const audience =
    segments.length || attributes.length
      ? { ...(segments.length ? { segments } : {}), ...(attributes.length ? { attributes } : {}) }
      : undefined;
  const limit = numberOf(d.displayLimit);
  const out: Targeting = {
    ...(triggers ? { triggers } : {}),
    ...(audience ? { audience } : {}),
    ...(limit ? { displayLimit: limit } : {}),
    ...(d.recontactOptOut ? { recontactOptOut: true } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** Only the declared locales, trimmed, blanks left out (the API then names what is missing). */
function texts(value: Texts, locales: readonly Locale[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of locales) {
    const v = value[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

function questionBody(q: DraftQuestion, locales: readonly Locale[]): QuestionInput {
  const base = {
    id: q.id.trim(),
    required: q.required,
    text: texts(q.text, locales),
    ...(q.showIf ? { showIf: q.showIf } : {}),
    ...(q.endIf ? { endIf: q.endIf } : {}),
  };
  switch (q.type) {
    case 'likert':
      return {
        ...base,
        type: 'likert',
        points: q.points,
        ...(q.labels ? { labels: q.labels.map((l) => texts(l, locales)) } : {}),
        ...(q.overall ? { overall: true } : {}),
      };
    case 'nps':
    case 'ces':
      return { ...base, type: q.type, ...(q.overall ? { overall: true } : {}) };
    case 'single_choice':
      return {
        ...base,
        type: 'single_choice',
        options: q.options.map((o) => ({ id: o.id.trim(), label: texts(o.label, locales) })),
      };
    case 'text':
      return { ...base, type: 'text', maxLength: Number(q.maxLength) || 1000 };
    case 'contact':
      return { ...base, type: 'contact', consentText: texts(q.consentText, locales) };
  }
}

export function toDefinition(draft: Draft): SurveyCreate {
  const thankYou = texts(draft.thankYou, draft.locales);
  const segments = lines(draft.segments);
  const targeting = targetingBody(draft.targeting ?? emptyTargeting());
  return {
    name: draft.name.trim(),
    locales: [...draft.locales],
    defaultLocale: draft.locales.includes(draft.defaultLocale) ? draft.defaultLocale : (draft.locales[0] ?? 'en'),
    title: texts(draft.title, draft.locales),
    ...(Object.keys(thankYou).length ? { thankYou } : {}),
    questions: draft.questions.map((q) => questionBody(q, draft.locales)),
    delivery: {
      allowedOrigins: lines(draft.origins),
      samplingRate: Math.min(1, Math.max(0, (Number(draft.samplingPercent) || 0) / 100)),
      frequencyCapDays: Math.max(0, Math.round(Number(draft.frequencyCapDays) || 0)),
      // As typed (blank: the default), so an out-of-range budget gets the API's message, not a silent clamp.
      maxResponsesPerMinute: draft.maxResponsesPerMinute.trim() ? Number(draft.maxResponsesPerMinute) : 600,
      ...(segments.length ? { segments } : {}),
      ...(draft.keepPageQuery ? { keepPageQuery: true } : {}),
    },
    notifications: toNotifications(draft.notifications ?? emptyNotifications()),
    ...(targeting ? { targeting } : {}),
  };
}

/** The draft as the widget renders it (the preview): texts fall back to "…" so an empty field still shows. */
export function toWidget(draft: Draft, id: string): WidgetSurvey {
  const def = toDefinition(draft);
  const filled = (t: Record<string, string>) => (Object.keys(t).length ? t : { en: '…', 'zh-CN': '…' });
  return {
    id,
    version: 1,
    locales: def.locales,
    defaultLocale: def.defaultLocale,
    title: filled(def.title),
    ...(def.thankYou ? { thankYou: def.thankYou } : {}),
    questions: def.questions.map((q) => {
      const base = { ...q, required: q.required ?? false, text: filled(q.text) };
      if (base.type === 'single_choice')
        return { ...base, options: base.options.map((o) => ({ ...o, label: filled(o.label) })) };
      if (base.type === 'contact') return { ...base, consentText: filled(base.consentText) };
      if (base.type === 'text') return { ...base, maxLength: base.maxLength ?? 1000 };
      return base;
    }) as WidgetSurvey['questions'],
    delivery: { samplingRate: 1, frequencyCapDays: 0 },
    // A preview is nobody's display: no recontact window holds it back.
    recontactDays: 0,
  };
}

export type Issues = Record<string, string>;

export function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === value;
  } catch {
    return false;
  }
}

/** What would stop publishing, by field path; `missing(locale)` words the translation message. */
export function checkDraft(
  draft: Draft,
  messages: { missing: (l: Locale) => string; origin: string; required: string },
): Issues {
  const issues: Issues = {};
  const need = (value: Texts, path: string) => {
    for (const l of draft.locales) {
      if (!value[l]?.trim()) {
        issues[`${path}:${l}`] = messages.missing(l);
        issues[path] ??= messages.missing(l);
      }
    }
  };
  if (!draft.name.trim()) issues.name = messages.required;
  need(draft.title, 'title');
  if (draft.locales.some((l) => draft.thankYou[l]?.trim())) need(draft.thankYou, 'thankYou');
  draft.questions.forEach((q, i) => {
    const p = `questions/${i}`;
    need(q.text, `${p}/text`);
    if (q.type === 'likert' && q.labels)
      q.labels.forEach((l, j) => {
        need(l, `${p}/labels/${j}`);
      });
    if (q.type === 'single_choice')
      q.options.forEach((o, j) => {
        need(o.label, `${p}/options/${j}/label`);
      });
    if (q.type === 'contact') need(q.consentText, `${p}/consentText`);
  });
  lines(draft.origins).forEach((o, i) => {
    if (!isOrigin(o)) {
      issues[`delivery/allowedOrigins/${i}`] = messages.origin;
      issues['delivery/allowedOrigins'] ??= `${o}: ${messages.origin}`;
    }
  });
  return issues;
}

/** Same rule as the API's versioning: answers stay comparable while this key is the same. */
function compatibilityKey(q: Pick<Question, 'type'> & { points?: number; options?: readonly { id: string }[] }) {
  if (q.type === 'likert') return `likert:${q.points}`;
  if (q.type === 'single_choice') return `single_choice:${(q.options ?? []).map((o) => o.id).join(',')}`;
  return q.type;
}

/** Question ids of a live survey whose edit starts a new series (scale, type or options changed). */
export function newSeries(survey: Survey, draft: Draft): string[] {
  const before = new Map(survey.questions.map((q) => [q.id, compatibilityKey(q)]));
  return draft.questions
    .filter((q) => {
      const old = before.get(q.id.trim());
      return old !== undefined && old !== compatibilityKey({ ...q, options: q.options });
    })
    .map((q) => q.id);
}
