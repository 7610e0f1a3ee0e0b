/**
 * The loader (`rapport.js`): what every page view pays for. It sends what an earlier page left in the
 * outbox, exposes `window.Rapport` (open, close, track, identify, debug, flush, and `q`, replaying the
 * calls a page queued before it ran), decides for each
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
import type { CardElement, DebugLine, LoaderBridge, LoaderChunks, OpenOptions, WidgetSurvey } from './types';
import { ulid } from './ulid';

/** The content-hashed names of the survey UI and of the two chunks fetched only when needed, set by the build. */
declare const __UI__: string;
declare const __TRIGGERS__: string;
declare const __DEBUG__: string;

type Identity = Visitor & Omit<OpenOptions, 'force'>;

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
/** The UI sits beside the loader; the ES module (no currentScript) finds it under the API's /widget/. */
const base = script?.src || `${apiBase(data.api)}/widget/`;
/** A survey's resources under the API an element names (`at`), else the script tag's. */
const urlOf = (at: string | null | undefined, id: string) => surveyUrl(at ?? data.api, id);
/** The page's own recontact window, if its script tag sets one (else the site setting each survey carries). */
const recontactDays = data.recontactDays;

let views = 1;
try {
  views = Number(sessionStorage.getItem('rapport:views')) + 1;
  sessionStorage.setItem('rapport:views', views as unknown as string);
} catch {
  /* no session storage: every page is the first */
}

const who: Identity = {};
/** An answer's and its display's segment: what the page passed to `open`, else what `identify` set. */
const segmentOf = (given?: string) => given || who.segment || undefined;
/** The script tag's surveys, decided by the loader (and again after each `identify`). */
const defs: Record<string, WidgetSurvey> = {};

/** Surveys decided on this page (shown, or waiting for a trigger), so nothing is asked twice. */
const settled = new Set<string>();
const tracked = new Set<string>();
const onTrack: ((name: string) => void)[] = [];

/**
 * A chunk beside the loader, by a script element (CSP-safe: the widget's own origin); fetched once,
 * again after a failure. What a chunk hands over it puts on `window.Rapport`, which is this loader's
 * object (`Rapport as LoaderChunks` below): a chunk is only fetched once the loader has installed.
 */
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

/** Debug output: every decision is kept, printed when `Rapport.debug` is (or becomes) true. */
const lines: DebugLine[] = [];
let debugging = /[?&]rapport-debug/.test(location.search);
/**
 * Hands the debug chunk these decisions (it prints them in order, in words): each line as it is
 * decided, so lines decided while the chunk loads are printed once, not again with the next. Should
 * the chunk fail to load, the page's console names it (debug mode is for the site's developer).
 */
const print = (some: DebugLine[]) =>
  debugging && chunk(__DEBUG__).then(() => (Rapport as LoaderChunks).__debug?.(some));
const say = (...line: DebugLine) => {
  lines.push(line);
  return print([line]);
};

/** The survey UI: once its script has run, `rapport-survey` is defined (ui-entry.ts defines it as it runs). */
const loadUi = () => customElements.get('rapport-survey') || chunk(__UI__);

const all = () => document.querySelectorAll<CardElement>('rapport-survey');

/** The elements the script tag's surveys got (the page's own inline ones stay the page's). */
const made: Record<string, CardElement> = {};

/** The survey's element on the page (or, `own`, the one made for the script tag), else a new one. */
async function mount(surveyId: string, mode = 'popover', own = false): Promise<CardElement> {
  await loadUi();
  let el = own ? made[surveyId] : [...all()].find((e) => e.getAttribute('survey') === surveyId);
  if (!el) {
    el = document.createElement('rapport-survey') as CardElement;
    const { locale, corner, api } = data;
    for (const [name, value] of Object.entries({ survey: surveyId, mode, locale, corner, api }))
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
    waits.push(...((Rapport as LoaderChunks).__triggers?.(t, fire, views) ?? []));
  }
  if (done) return;
  if (waits.length) say(id, waits);
  else fire('on load');
}

/** Decides now; a survey that is not asked may be asked after a later `identify`. */
function consider(survey: WidgetSurvey) {
  if (settled.has(survey.id)) return;
  // Decided now, and again when a trigger fires (against the address then: a single-page app may
  // have moved to a page the rules exclude).
  const reason = decide(survey, who, recontactDays, location);
  if (reason) return say(survey.id, reason);
  settled.add(survey.id);
  const triggers = survey.targeting?.triggers;
  const auto = !!triggers;
  void arm(survey.id, triggers ?? {}, () => {
    const late = decide(survey, who, recontactDays, location);
    if (late) return say(survey.id, late);
    // Asked now, by a card that opened itself: the frequency cap starts (an ignored popover must not
    // come back on every page view), and the window at once, so a second survey on this page waits too.
    if (auto) {
      markSeen(survey.id);
      survey.targeting?.recontactOptOut || contacted(survey.id);
    }
    // With triggers the card opens; without, the Feedback tab (or the inline card) waits for the visitor.
    void mount(survey.id, auto ? 'popover' : data.mode, true).then((el) => auto && el.open({ force: true }));
  });
}

/**
 * Reads a survey's definition, for the script tag or an element. Why it could not be read (not active,
 * origin not allowed, API unreachable) is the debug chunk's to tell, whoever asked.
 */
const definition = (id: string, at?: string | null) => {
  const url = urlOf(at, id);
  return fetchSurvey(url).catch((error) => {
    say(id, error, url);
    throw error;
  });
};

/** The display of each survey shown on this page: its id, where it is recorded and its segment. */
const displays: Record<string, { id: string; url: string; segment?: string | undefined }> = {};

const bridge: LoaderBridge = {
  // The definition the loader read for the script tag, else a read from the element's API.
  load: (at, id) => defs[id] || definition(id, at),
  eligible(survey) {
    // A survey with triggers is opened by the loader when one fires: it has no Feedback tab of its own.
    const reason = survey.targeting?.triggers ? 7 : decide(survey, who, recontactDays, location);
    // Debug mode names the reason for the page's own elements and `Rapport.open`'s too (the loader
    // told the script tag's when it decided them).
    if (!settled.has(survey.id)) say(survey.id, reason);
    return !reason;
  },
  send(at, surveyId, body) {
    const id = ulid();
    // Who answers: the identity goes whole from one source — what the page passed to `open` (in
    // `body`) when it names a customer, else what `identify` set (over `open`'s fields, undefined in
    // templates) — so a signature or token never travels with another customer's id; `identify`'s
    // attributes stay in the page. The segment is the one the display took (`on`, below). JSON leaves
    // out what is undefined.
    enqueue({
      id,
      url: `${urlOf(at, surveyId)}responses`,
      body: JSON.stringify({
        id,
        ...body,
        ...(body.customerId ? {} : who),
        attributes: undefined,
        segment: segmentOf(body.segment),
      }),
    });
    return id;
  },
  on(event, survey, { questionId }, el) {
    const id = survey.id;
    if (event === 'shown') {
      write(displaysKey(id), Number(read(displaysKey(id))) + 1);
      // The shown survey's own definition, however it came (script tag, the page's element, `Rapport.open`).
      if (!survey.targeting?.recontactOptOut) contacted(id);
      displays[id] = {
        id: ulid(),
        url: `${urlOf(el.getAttribute('api'), id)}displays`,
        // The answer's segment too (`send`): what the page passed to `open`, else what `identify` set.
        segment: segmentOf(el.options.segment),
      };
    } else {
      // Answered or dismissed: the frequency cap starts.
      markSeen(id);
    }
    // Shown and dismissed go to the funnel through the outbox like answers (same key each retry:
    // counted once). JSON leaves out what is undefined: no questionId on `shown`, no segment for an
    // anonymous visitor.
    const d = displays[id];
    if (d && event !== 'submitted')
      enqueue({
        id: `${d.id}:${event}`,
        url: d.url,
        body: JSON.stringify({ id: d.id, event, questionId, segment: d.segment }),
      });
  },
};

export const Rapport = {
  __ui: bridge,
  /** Opens the survey (its element on the page, or a new popover); sampling and the cap apply unless `force`. */
  open: (surveyId: string, options?: OpenOptions) =>
    mount(surveyId).then((el) => {
      el.open(options);
      return el;
    }),
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
    Object.assign(who, identity);
    for (const survey of Object.values(defs)) consider(survey);
  },
  /** `Rapport.debug = true` prints why each survey did or did not show, so far and from now on. */
  set debug(on: boolean) {
    debugging = on;
    print([...lines]);
  },
  /** Sends queued answers and displays now (they are also sent on load, on `online` and with backoff). */
  flush,
  /**
   * The queue a page may fill before the loader (an `async` script) runs — `window.Rapport =
   * window.Rapport || { q: [] }; Rapport.q.push(['track', 'checkout_completed'])` — replayed in order
   * when it installs; once it has, a push is a call.
   */
  q: {
    push([name, ...args]: QueuedCall): void {
      // A queued name that is no call (a typo, `debug`: a setter) is skipped, not the end of the loader.
      (Rapport[name] as ((...a: unknown[]) => unknown) | undefined)?.(...args);
    },
  },
};

/** A call a page queued: `['track', name]`, `['identify', { … }]` or `['open', surveyId, options?]`. */
export type QueuedCall =
  | ['track', string, Record<string, unknown>?]
  | ['identify', Identity]
  | ['open', string, OpenOptions?];

declare global {
  interface Window {
    Rapport: typeof Rapport;
  }
}

/** What the page put on `window.Rapport` before: nothing, its queue, or a loader already installed. */
const early = (window as unknown as { Rapport?: { __ui?: unknown; q?: QueuedCall[] } }).Rapport;
if (!early?.__ui) {
  window.Rapport = Rapport;
  early?.q?.forEach(Rapport.q.push);
  // Whatever an earlier page left, due or not: a new page is a fresh try.
  void flush(true);
  for (const id of data.survey?.match(/\S+/g) ?? [])
    definition(id).then(
      (survey) => {
        defs[id] = survey;
        consider(survey);
      },
      () => undefined,
    );
  // Inline elements in the page's own markup are the site's explicit choice: they need the UI. Looked
  // for now and once the page is parsed (an `async` script may run before; loading the UI is idempotent).
  const markup = () => document.querySelector('rapport-survey') && loadUi();
  addEventListener('DOMContentLoaded', markup);
  markup();
}
