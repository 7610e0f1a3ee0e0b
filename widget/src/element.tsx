/**
 * `<rapport-survey survey="…" api="…" mode="inline|popover" locale="…">`:
 * loads the survey, decides whether this visitor is asked (sampling, frequency cap), renders the card
 * (one question per step with progress, Back/Next, required-answer messages, a thank-you step) into
 * an open shadow root, and turns a finished card into a queued submission.
 *
 * Events (bubbling, composed, so they reach `document`): `rapport:shown`, `rapport:submitted`
 * (`detail.responseId`, `detail.answers`) and `rapport:dismissed`; every `detail` has `surveyId`.
 */
import { render } from 'preact';
import { walk } from '../../functions/domain/surveys/branching';
import { chooseLocale, fill, local, STRINGS, type Strings } from './i18n';
import { adoptStyles } from './styles';
import type { CardEvent, LoaderBridge, Locale, OpenOptions, WidgetSurvey } from './types';
import { type Answers, cleanAnswers, Field, problemWith } from './ui';

/** The loader fetches, decides, stores and sends; the UI only asks (absent in the console's preview). */
const loader = (): LoaderBridge | undefined => window.Rapport?.__ui;

interface CardState {
  open: boolean;
  step: number;
  answers: Answers;
  error: string;
  done: boolean;
  /** Dismissed, or finished and closed: nothing more to show on this page. */
  closed: boolean;
}

export class RapportSurveyElement extends HTMLElement {
  static observedAttributes = ['survey', 'api', 'mode', 'locale'];
  private _survey: WidgetSurvey | undefined;
  private _loaded = '';
  /** Sampled in and not within the frequency cap: inline shows itself, popover shows its launcher. */
  private _eligible = false;
  private _locale: Locale = 'en';
  /** Who answers and context (`Rapport.open` options; the loader adds `Rapport.identify`'s as it sends the answer). */
  options: OpenOptions = {};
  private _pendingOpen: boolean | undefined;
  private _shown = false;
  private _st: CardState = { open: false, step: 0, answers: {}, error: '', done: false, closed: false };

  connectedCallback(): void {
    if (!this.shadowRoot) adoptStyles(this.attachShadow({ mode: 'open' }));
    void this._load();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) void this._load();
  }

  /**
   * The console's live preview: renders this definition (a draft, which the public API would not
   * serve) without a `survey` attribute — nothing fetched, sampling ignored — and never sends it.
   */
  set preview(survey: WidgetSurvey) {
    this._survey = survey;
    this._pv = this._eligible = true;
    if (this.shadowRoot) this._paint();
  }
  declare private _pv: boolean;

  /** Opens the card (see `Rapport.open`); waits for the survey when it is still loading. */
  open(options: OpenOptions = {}): void {
    this.options = { ...options };
    if (this._survey) this._show(!!options.force);
    else this._pendingOpen = !!options.force;
  }

  /** Closes the card; `rapport:dismissed` (with the question it was closed at) unless it was finished. */
  close = (): void => {
    this._pendingOpen = undefined;
    if (!this._visible()) return;
    const { done, step } = this._st;
    const questionId = this._path()[step]?.id;
    // Focus goes back to the Feedback tab; without one (a card a trigger opened, a finished survey), to
    // where it was before, or, when that is gone too (the tab of a finished survey), to the page's first
    // focusable element. An inline card that showed itself never had focus to give back.
    this._set({ open: false, closed: done || !this._popover });
    (
      this.shadowRoot!.querySelector<HTMLElement>('.launcher') ??
      (this._before?.isConnected === false
        ? document.body.querySelector<HTMLElement>('[href],button,input,select,textarea,[tabindex]')
        : this._before)
    )?.focus();
    if (!done) this._emit('dismissed', { questionId });
  };
  /** Where focus was when the card opened (none for an inline card that showed itself). */
  declare private _before?: HTMLElement;

  /** The questions this respondent is shown, given the answers so far (the API checks the same). */
  private _path() {
    return walk(this._survey?.questions ?? [], this._st.answers).shown;
  }

  private _show(force: boolean) {
    if (!(force || this._eligible)) return;
    // The element that has focus, inside open shadow roots (the Feedback tab in ours), not their hosts.
    for (let root: DocumentOrShadowRoot | null = document; root?.activeElement; root = root.activeElement.shadowRoot)
      this._before = root.activeElement as HTMLElement;
    this._set({ open: true, closed: false }, 'h2');
  }

  private get _popover(): boolean {
    return this.getAttribute('mode') === 'popover';
  }

  private _visible(): boolean {
    return !!this._survey && !this._st.closed && (this._popover ? this._st.open : this._eligible);
  }

  private async _load(): Promise<void> {
    const id = this.getAttribute('survey');
    const key = `${this.getAttribute('api')} ${id}`;
    if (!id || key === this._loaded) return this._paint();
    this._loaded = key;
    try {
      // Without a loader (the UI loaded on its own) this throws, like a failed read.
      const bridge = loader() as LoaderBridge;
      const survey = await bridge.load(this.getAttribute('api'), id);
      if (this._loaded !== key) return;
      this._survey = survey;
      this._eligible = bridge.eligible(survey);
      this._paint();
      if (this._pendingOpen !== undefined) this._show(this._pendingOpen);
      this._pendingOpen = undefined;
    } catch {
      // Debug mode says why (the loader): not active, origin not allowed, API unreachable.
      this._loaded = '';
    }
  }

  /** Renders synchronously, then moves focus (a selector inside the shadow root) if asked. */
  private _set(patch: Partial<CardState>, focus?: string) {
    Object.assign(this._st, patch);
    this._paint();
    if (focus) this.shadowRoot!.querySelector<HTMLElement>(focus)?.focus();
  }

  private _paint(): void {
    const survey = this._survey;
    if (!survey) return;
    this._locale = chooseLocale(this.getAttribute('locale'), navigator.languages, survey.locales, survey.defaultLocale);
    render(this._view(survey, STRINGS[this._locale]), this.shadowRoot!);
    const visible = this._visible();
    if (visible !== this._shown) {
      this._shown = visible;
      if (visible) this._emit('shown');
    }
  }

  private _emit(name: CardEvent, detail: { questionId?: string | undefined; [key: string]: unknown } = {}) {
    const survey = this._survey!;
    // The loader records it (displays, drop-offs, the frequency cap); a preview is nobody's.
    if (!this._pv) loader()?.on(name, survey, detail, this);
    this.dispatchEvent(
      new CustomEvent(`rapport:${name}`, {
        bubbles: true,
        composed: true,
        detail: { surveyId: survey.id, ...detail },
      }),
    );
  }

  private _answer = (value: Answers[string]) => {
    const { step, answers } = this._st;
    this._set({ answers: { ...answers, [this._path()[step]!.id]: value }, error: '' });
  };

  private _next = (event: Event) => {
    event.preventDefault();
    const { step, answers } = this._st;
    const path = this._path();
    const q = path[step]!;
    const error = problemWith(q, answers[q.id], STRINGS[this._locale]);
    if (error) this._set({ error }, '.f :checked,.f input,.f textarea');
    else if (step < path.length - 1) this._set({ step: step + 1, error: '' }, 'h3');
    else {
      // Only the answers on the path go: one left behind by Back and a changed answer was not asked.
      this._submit(cleanAnswers(path, answers));
      this._set({ done: true, error: '' }, 'h2');
    }
  };

  private _back = () => this._set({ step: this._st.step - 1, error: '' }, 'h3');

  private _onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this._popover) {
      event.stopPropagation();
      this.close();
    }
  };

  /** The id is made now, when the person submits: its time decides the day the answer is filed under. */
  private _submit(answers: ReturnType<typeof cleanAnswers>) {
    const survey = this._survey!;
    // What the host passed goes along (`force` is the widget's own): customerId with the signature or
    // identity token the site's server made (only a verified identity links the answer), segment, metadata.
    const { force: _force, ...host } = this.options;
    const body = {
      ...host,
      surveyVersion: survey.version,
      locale: this._locale,
      answers,
      // The full URL: the API drops query and fragment before storing unless the survey keeps them.
      page: /^http/.test(location.href) ? location.href.slice(0, 2000) : undefined,
    };
    const id = (!this._pv && loader()?.send(this.getAttribute('api'), survey.id, body)) || '';
    this._emit('submitted', { responseId: id, answers });
  }

  private _view(survey: WidgetSurvey, s: Strings) {
    const { open, done, closed, step, answers, error } = this._st;
    const { _popover: popover, _locale: locale } = this;
    const questions = this._path();
    const q = questions[step]!;
    const launcher = popover && !closed && (this._eligible || open);
    const visible = this._visible();
    if (!launcher && !visible) return null;
    return (
      <div class="root" lang={locale}>
        {launcher && (
          <button
            type="button"
            class="launcher"
            aria-expanded={open}
            onClick={() => (open ? this.close() : this._show(true))}
          >
            {s.launcher}
          </button>
        )}
        {visible && (
          <section
            class={popover ? 'card pop' : 'card'}
            role={popover ? 'dialog' : 'region'}
            aria-labelledby="title"
            onKeyDown={this._onKey}
          >
            <div class="head">
              <h2 id="title" tabIndex={-1}>
                {local(survey.title, locale)}
              </h2>
              {popover && (
                <button type="button" class="x" aria-label={s.close} onClick={this.close}>
                  ×
                </button>
              )}
            </div>
            {!done && (
              <form onSubmit={this._next} noValidate>
                <p class="prog">{fill(s.progress, step + 1, questions.length)}</p>
                <h3 id="q" tabIndex={-1}>
                  {local(q.text, locale)}
                  {!q.required && <span class="opt"> {s.optional}</span>}
                </h3>
                <Field
                  key={q.id}
                  q={q}
                  locale={locale}
                  s={s}
                  value={answers[q.id]}
                  invalid={!!error}
                  set={this._answer}
                />
                <p id="err" class="err" aria-live="assertive">
                  {error}
                </p>
                <div class="nav">
                  {step > 0 && (
                    <button type="button" onClick={this._back}>
                      {s.back}
                    </button>
                  )}
                  <button type="submit" class="pri">
                    {step < questions.length - 1 ? s.next : s.submit}
                  </button>
                </div>
              </form>
            )}
            <p class="done" role="status">
              {done ? local(survey.thankYou, locale) || s.thanks : ''}
            </p>
          </section>
        )}
      </div>
    );
  }
}
