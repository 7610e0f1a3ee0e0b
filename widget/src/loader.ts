/**
 * The loader (`rapport.js`): what every page view pays for. It sends what an earlier page left in the
 * outbox, exposes `window.Rapport` (open, close, track, identify, debug, flush), decides for each
 * survey of `<script src=".../rapport.js" data-survey="<id> [<id>…]" data-api="…" [data-mode]
 * [data-locale] [data-recontact-days="14"] [data-corner="bottom-left"]>` whether and when this visitor
 * is asked (targeting.ts: URL rules, audience, sampling, cap, display limit, recontact window; then
 * its triggers), records displays and drop-offs, and loads the survey UI (`rapport-ui.<hash>.js`,
 * Preact and the questions) only when someone is actually asked.
 */
import { apiBase, fetchSurvey, surveyUrl } from './api';
import { enqueue, flush } from './outbox';
import { markSeen, read, write } from './store';
import { contacted, decide, displaysKey, type Visitor } from './targeting';
import type { LoaderBridge, OpenOptions, WidgetSurvey } from './types';
import { ulid } from './ulid';

/** The survey UI's content-hashed file name, set by the build. */
declare const __UI__: string;

type SurveyElement = HTMLElement & { open(options?: OpenOptions): void; options: OpenOptions; close(): void };
type Identity = Visitor & Omit<OpenOptions, 'force'>;

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
const api = apiBase(data.api);
/** The UI sits beside the loader; the ES module (no currentScript) finds it under the API's /widget/. */
const base = script?.src || `${api}/widget/`;
const recontactDays = Number(data.recontactDays ?? 14);
const started = Date.now();

let views = 1;
try {
  views = Number(sessionStorage.getItem('rapport:views')) + 1;
  sessionStorage.setItem('rapport:views', String(views));
} catch {
  /* no session storage: every page is the first */
}

let who: Identity = {};
const defs: Record<string, WidgetSurvey> = {};

/** Surveys decided on this page (shown, or waiting for a trigger), so nothing is asked twice. */
const settled = new Set<string>();
const tracked = new Set<string>();
const onTrack: ((name: string) => void)[] = [];
const lines: string[] = [];
let debugging = /[?&]rapport-debug/.test(location.search);

/** Debug output: every decision is kept, printed when `Rapport.debug` is (or becomes) true. */
const say = (id: string, text: string) => {
  const line = `[rapport] ${id}: ${text}`;
  lines.push(line);
  if (debugging) console.info(line);
};

let ui: Promise<unknown> | undefined;
const loadUi = () =>
  (ui ??= customElements.get('rapport-survey')
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = new URL(__UI__, base).href;
        s.onload = resolve;
        s.onerror = () => {
          ui = undefined;
          reject(Error('rapport-ui'));
        };
        document.head.append(s);
      }).then(() => customElements.whenDefined('rapport-survey')));

const all = () => document.querySelectorAll<SurveyElement>('rapport-survey');

/** The elements the script tag's surveys got (the page's own inline ones stay the page's). */
const made: Record<string, SurveyElement> = {};

/** The survey's element on the page (or, `own`, the one made for the script tag), else a new one. */
async function mount(surveyId: string, mode = 'popover', own = false): Promise<SurveyElement> {
  await loadUi();
  let el = own ? made[surveyId] : [...all()].find((e) => e.getAttribute('survey') === surveyId);
  if (!el) {
    el = document.createElement('rapport-survey') as SurveyElement;
    for (const [name, value] of Object.entries({ survey: surveyId, mode, locale: data.locale, corner: data.corner }))
      if (value) el.setAttribute(name, value);
    if (data.api) el.setAttribute('api', data.api);
    if (mode === 'inline' && script) script.after(el);
    else document.body.append(el);
    if (own) made[surveyId] = el;
  }
  return el;
}

const open = async (surveyId: string, options: OpenOptions = {}) => {
  const el = await mount(surveyId);
  el.open(options);
  return el;
};

/** Fires `show` once, when the first of the survey's triggers does (at once without triggers). */
function arm(survey: WidgetSurvey, show: () => void) {
  const t = survey.targeting?.triggers ?? {};
  let done = false;
  const fire = (why: string) => {
    if (done) return;
    done = true;
    say(survey.id, `shown: ${why}`);
    show();
  };
  const waits: string[] = [];
  if (t.pageViews) {
    if (views >= t.pageViews) return fire(`page view ${views}`);
    waits.push(`page view ${t.pageViews}`);
  }
  if (t.events?.length) {
    const hit = t.events.find((e) => tracked.has(e));
    if (hit) return fire(hit);
    onTrack.push((name) => t.events?.includes(name) && fire(name));
    waits.push(...t.events);
  }
  if (t.timeOnPageSeconds) {
    const s = `${t.timeOnPageSeconds} s`;
    setTimeout(() => fire(s), t.timeOnPageSeconds * 1000 - (Date.now() - started));
    waits.push(s);
  }
  if (t.scrollDepthPercent) {
    const depth = t.scrollDepthPercent;
    const why = `scroll ${depth}%`;
    addEventListener(
      'scroll',
      () => (scrollY + innerHeight) * 100 >= depth * document.documentElement.scrollHeight && fire(why),
      { passive: true },
    );
    waits.push(why);
  }
  if (t.exitIntent && matchMedia('(pointer:fine)').matches) {
    document.addEventListener('mouseout', (e) => !e.relatedTarget && e.clientY <= 0 && fire('exit'));
    waits.push('exit');
  }
  if (waits.length) say(survey.id, `waiting for ${waits.join(' | ')}`);
  else fire('on load');
}

/** Decides now; a survey that is not asked may be asked after a later `identify`. */
function consider(survey: WidgetSurvey) {
  if (settled.has(survey.id)) return;
  const url = new URL(location.href);
  // The URL rules are fixed for the page; everything else is checked again when a trigger fires.
  const reason = decide(survey, who, recontactDays, url);
  if (reason) return say(survey.id, `not shown: ${reason}`);
  settled.add(survey.id);
  const auto = !!survey.targeting?.triggers;
  arm(survey, () => {
    const late = decide(survey, who, recontactDays, url);
    if (late) return say(survey.id, `not shown: ${late}`);
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
  try {
    defs[id] = await fetchSurvey(api, id);
    consider(defs[id]);
  } catch (error) {
    // A page whose origin the survey does not list gets no CORS grant, and neither does a survey that
    // is not active (the API grants nothing for drafts, closed or unknown ids): the read fails like a
    // network error. An opaque request that does arrive tells these apart from an unreachable API.
    const reached = await fetch(`${surveyUrl(api, id)}widget`, { mode: 'no-cors', credentials: 'omit' }).then(
      () => true,
      () => false,
    );
    say(
      id,
      `not shown: ${
        /^Error: 404 /.test(`${error}`)
          ? 'not active'
          : reached
            ? `origin not allowed or survey not active (allowedOrigins must list ${location.origin})`
            : `API unreachable`
      }`,
    );
  }
}

/** Displays and drop-offs, through the outbox like answers (same id each retry: counted once). */
const displays: Record<string, { id: string; url: string }> = {};
const record = (surveyId: string, event: 'shown' | 'dismissed', questionId?: string) => {
  const d = displays[surveyId];
  if (!d) return;
  const body = {
    id: d.id,
    event,
    ...(questionId ? { questionId } : {}),
    ...(who.segment ? { segment: who.segment } : {}),
  };
  enqueue({ id: `${d.id}:${event}`, url: d.url, body: JSON.stringify(body) });
};

document.addEventListener('rapport:shown', (e) => {
  const { surveyId } = (e as CustomEvent<{ surveyId: string }>).detail;
  const el = e.target as Element;
  // A preview (the console's editor) has no survey attribute: it is nobody's display.
  if (!el.hasAttribute('survey')) return;
  const now = Date.now();
  write(displaysKey(surveyId), String(Number(read(displaysKey(surveyId))) + 1));
  if (!defs[surveyId]?.targeting?.recontactOptOut) contacted(surveyId, now);
  displays[surveyId] = {
    id: ulid(now),
    url: `${surveyUrl(apiBase(el.getAttribute('api') ?? data.api), surveyId)}displays`,
  };
  record(surveyId, 'shown');
});
document.addEventListener('rapport:dismissed', (e) => {
  const { surveyId, questionId } = (e as CustomEvent<{ surveyId: string; questionId?: string }>).detail;
  record(surveyId, 'dismissed', questionId);
});

const bridge: LoaderBridge = {
  // The definition the loader read for the script tag's API, else a read of the element's own.
  load: async (at, id) => (!at && defs[id]) || fetchSurvey(apiBase(at ?? data.api), id),
  // A survey with triggers is opened by the loader when one fires: it has no Feedback tab of its own.
  eligible: (survey) => !survey.targeting?.triggers && !decide(survey, who, recontactDays, new URL(location.href)),
  send(at, surveyId, body) {
    const id = ulid();
    enqueue({
      id,
      url: `${surveyUrl(apiBase(at ?? data.api), surveyId)}responses`,
      body: JSON.stringify({ id, ...body }),
    });
    return id;
  },
  seen: markSeen,
};

export const Rapport = {
  __ui: bridge,
  /** Opens the survey (its element on the page, or a new popover); sampling and the cap apply unless `force`. */
  open: (surveyId: string, options?: OpenOptions) => open(surveyId, options),
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
    if (on) for (const line of lines) console.info(line);
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
  void flush();
  for (const id of (data.survey ?? '').split(/\s+/).filter(Boolean)) void load(id);
  // Inline elements in the page's own markup are the site's explicit choice: they need the UI.
  const markup = () => all().length && loadUi();
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', markup);
  else markup();
}
