/**
 * The loader (`rapport.js`): what every page view pays for. It sends what an earlier page left in the
 * outbox, exposes `window.Rapport` (open, close, track, identify, debug, flush), decides for each
 * survey of `<script src=".../rapport.js" data-survey="<id> [<id>…]" data-api="…" [data-mode]
 * [data-locale] [data-recontact-days="14"] [data-corner="bottom-left"]>` whether and when this visitor
 * is asked (targeting.ts: URL rules, audience, sampling, cap, display limit, recontact window; then
 * its triggers), records displays and drop-offs, and loads the survey UI (`rapport-ui.<hash>.js`,
 * Preact and the questions) only when someone is actually asked. What few pages need comes in chunks
 * fetched only then: the rarer triggers (`rapport-triggers.<hash>.js`) and the words of the debug
 * output (`rapport-debug.<hash>.js`); the size budget (widget/build.ts) is why.
 */

import type { Triggers } from '../../functions/domain/surveys/targeting-schema';
import { apiBase, fetchSurvey, surveyUrl } from './api';
import { enqueue, flush } from './outbox';
import { markSeen, read, write } from './store';
import { contacted, decide, displaysKey, type Visitor } from './targeting';
import type { DebugLine, LoaderBridge, LoaderChunks, OpenOptions, WidgetSurvey } from './types';
import { ulid } from './ulid';

/** The content-hashed names of the survey UI and of the two chunks fetched only when needed, set by the build. */
declare const __UI__: string;
declare const __TRIGGERS__: string;
declare const __DEBUG__: string;

type SurveyElement = HTMLElement & { open(options?: OpenOptions): void; options: OpenOptions; close(): void };
type Identity = Visitor & Omit<OpenOptions, 'force'>;

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
/** The UI sits beside the loader; the ES module (no currentScript) finds it under the API's /widget/. */
const base = script?.src || `${apiBase(data.api)}/widget/`;
/** A survey's resources under the API an element names (`at`), else the script tag's. */
const urlOf = (at: string | null | undefined, id: string) => surveyUrl(at ?? data.api, id);
/** The page's own recontact window, if its script tag sets one (else the site setting each survey carries). */
const recontactDays = data.recontactDays;
const started = Date.now();

let views = 1;
try {
  views = Number(sessionStorage.getItem('rapport:views')) + 1;
  sessionStorage.setItem('rapport:views', `${views}`);
} catch {
  /* no session storage: every page is the first */
}

let who: Identity = {};
const defs: Record<string, WidgetSurvey> = {};

/** Surveys decided on this page (shown, or waiting for a trigger), so nothing is asked twice. */
const settled = new Set<string>();
const tracked = new Set<string>();
const onTrack: ((name: string) => void)[] = [];

/** A chunk beside the loader, by a script element (CSP-safe: the widget's own origin); fetched once, again after a failure. */
const chunks: Record<string, Promise<unknown>> = {};
const chunk = (name: string) =>
  (chunks[name] ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = new URL(name, base).href;
    s.onload = resolve;
    s.onerror = () => {
      delete chunks[name];
      reject(Error(name));
    };
    document.head.append(s);
  }));
/** What the chunks registered, on `window.Rapport` (this loader's object once it is installed). */
const chunked = () => window.Rapport as LoaderChunks;

/** Debug output: every decision is kept, printed when `Rapport.debug` is (or becomes) true. */
const lines: DebugLine[] = [];
let debugging = /[?&]rapport-debug/.test(location.search);
/**
 * Hands the debug chunk the decisions from `from` on (it prints them in order, in words). Should the
 * chunk fail to load, the page's console names it (debug mode is for the site's developer).
 */
const print = (from: number) => debugging && chunk(__DEBUG__).then(() => chunked().__debug?.(lines.slice(from)));
const say = (...line: DebugLine) => print(lines.push(line) - 1);

const loadUi = () =>
  customElements.get('rapport-survey') || chunk(__UI__).then(() => customElements.whenDefined('rapport-survey'));

const all = () => document.querySelectorAll<SurveyElement>('rapport-survey');

/** The elements the script tag's surveys got (the page's own inline ones stay the page's). */
const made: Record<string, SurveyElement> = {};

/** The survey's element on the page (or, `own`, the one made for the script tag), else a new one. */
async function mount(surveyId: string, mode = 'popover', own = false): Promise<SurveyElement> {
  await loadUi();
  let el = own ? made[surveyId] : [...all()].find((e) => e.getAttribute('survey') === surveyId);
  if (!el) {
    el = document.createElement('rapport-survey') as SurveyElement;
    const { locale, corner, api: at } = data;
    for (const [name, value] of Object.entries({ survey: surveyId, mode, locale, corner, api: at }))
      if (value) el.setAttribute(name, value);
    if (mode === 'inline' && script) script.after(el);
    else document.body.append(el);
    if (own) made[surveyId] = el;
  }
  return el;
}

/** Fires `show` once, when the first of the survey's triggers does (at once without triggers). */
async function arm(id: string, t: Triggers, show: () => void) {
  let done = false;
  const fire = (why: string) => {
    if (done) return;
    done = true;
    say(id, why);
    show();
  };
  const { urls: _u, events = [], ...rare } = t;
  const hit = events.find((e) => tracked.has(e));
  if (hit) return fire(hit);
  onTrack.push((name) => events.includes(name) && fire(name));
  // The rarer triggers (all but `urls` and `events`) come in their own chunk, fetched only for a survey
  // that uses one. Should it fail to load, the survey waits for its events only (and the page's console
  // names the chunk).
  const waits = [...events];
  if (Object.values(rare).some(Boolean)) {
    await chunk(__TRIGGERS__);
    waits.push(...(chunked().__triggers?.(t, fire, views, started) ?? []));
  }
  if (done) return;
  if (waits.length) say(id, waits);
  else fire('on load');
}

/** Decides now; a survey that is not asked may be asked after a later `identify`. */
function consider(survey: WidgetSurvey) {
  if (settled.has(survey.id)) return;
  const url = new URL(location.href);
  // The URL rules are fixed for the page; everything else is checked again when a trigger fires.
  const reason = decide(survey, who, recontactDays, url);
  if (reason) return say(survey.id, reason);
  settled.add(survey.id);
  const triggers = survey.targeting?.triggers;
  const auto = !!triggers;
  void arm(survey.id, triggers ?? {}, () => {
    const late = decide(survey, who, recontactDays, url);
    if (late) return say(survey.id, late);
    // Asked now: the window starts at once, so a second survey decided on this page waits too.
    if (auto && !survey.targeting?.recontactOptOut) contacted(survey.id);
    const { attributes: _a, ...options } = who;
    // With triggers the card opens; without, the Feedback tab (or the inline card) waits for the visitor.
    void mount(survey.id, auto ? 'popover' : data.mode, true).then((el) => {
      if (auto) el.open({ ...options, force: true });
      else el.options = options;
    });
  });
}

async function load(id: string) {
  const url = urlOf(null, id);
  try {
    defs[id] = await fetchSurvey(url);
    consider(defs[id]);
  } catch (error) {
    // Why it could not be read (not active, origin not allowed, API unreachable) is the debug chunk's to tell.
    say(id, error, url);
  }
}

/** Displays and drop-offs, through the outbox like answers (same key each retry: counted once). */
const displays: Record<string, { id: string; url: string }> = {};
const record = (surveyId: string, event: 'shown' | 'dismissed', questionId?: string) => {
  const d = displays[surveyId];
  // JSON leaves out what is undefined: no questionId on `shown`, no segment for an anonymous visitor.
  const body = { id: d?.id, event, questionId, segment: who.segment || undefined };
  if (d) enqueue({ id: `${d.id}:${event}`, url: d.url, body: JSON.stringify(body) });
};

document.addEventListener('rapport:shown', (e) => {
  const { surveyId } = (e as CustomEvent<{ surveyId: string }>).detail;
  const el = e.target as Element;
  // A preview (the console's editor) has no survey attribute: it is nobody's display.
  if (!el.hasAttribute('survey')) return;
  write(displaysKey(surveyId), String(Number(read(displaysKey(surveyId))) + 1));
  if (!defs[surveyId]?.targeting?.recontactOptOut) contacted(surveyId);
  displays[surveyId] = { id: ulid(), url: `${urlOf(el.getAttribute('api'), surveyId)}displays` };
  record(surveyId, 'shown');
});
document.addEventListener('rapport:dismissed', (e) => {
  const { surveyId, questionId } = (e as CustomEvent<{ surveyId: string; questionId?: string }>).detail;
  record(surveyId, 'dismissed', questionId);
});

const bridge: LoaderBridge = {
  // The definition the loader read for the script tag's API, else a read of the element's own.
  load: async (at, id) => (!at && defs[id]) || fetchSurvey(urlOf(at, id)),
  // A survey with triggers is opened by the loader when one fires: it has no Feedback tab of its own.
  eligible: (survey) => !survey.targeting?.triggers && !decide(survey, who, recontactDays, location),
  send(at, surveyId, body) {
    const id = ulid();
    enqueue({ id, url: `${urlOf(at, surveyId)}responses`, body: JSON.stringify({ id, ...body }) });
    return id;
  },
  seen: markSeen,
};

export const Rapport = {
  __ui: bridge,
  /** Opens the survey (its element on the page, or a new popover); sampling and the cap apply unless `force`. */
  async open(surveyId: string, options?: OpenOptions) {
    const el = await mount(surveyId);
    el.open(options);
    return el;
  },
  /** Closes every open survey card (a `rapport:dismissed` for each unfinished one). */
  close(): void {
    for (const el of all()) el.close();
  },
  /** A custom event: surveys triggered by it show (`properties` stay in the page). */
  track(name: string, _properties?: Record<string, unknown>): void {
    tracked.add(name);
    for (const listener of onTrack) listener(name);
  },
  /**
   * Who the visitor is, for audiences (`segment`, `attributes`: kept in memory only) and for answers
   * (`customerId` with `customerSignature` or `identityToken`, `segment`). Surveys not shown are decided again.
   */
  identify(identity: Identity): void {
    who = { ...who, ...identity };
    for (const survey of Object.values(defs)) consider(survey);
  },
  /** `Rapport.debug = true` prints why each survey did or did not show, so far and from now on. */
  set debug(on: boolean) {
    debugging = on;
    print(0);
  },
  /** Sends queued answers and displays now (they are also sent on load, on `online` and with backoff). */
  flush,
};

declare global {
  interface Window {
    Rapport: typeof Rapport;
  }
}

if (!window.Rapport) {
  window.Rapport = Rapport;
  // Whatever an earlier page left, due or not: a new page is a fresh try.
  void flush(true);
  for (const id of (data.survey ?? '').split(/\s+/).filter(Boolean)) void load(id);
  // Inline elements in the page's own markup are the site's explicit choice: they need the UI.
  const markup = () => document.querySelector('rapport-survey') && loadUi();
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', markup);
  else markup();
}
