/**
 * The survey editor: every question type, both locales side by side (missing translations flagged
 * before publishing), delivery settings (allowed origins checked to be origins, sampling, frequency
 * cap, segments), targeting (triggers, audience, display limit, recontact opt-out), branching per
 * question, the overall question, and a live preview in the real widget (which follows the branching). Save, publish and
 * close follow the API's rules: If-Match on every change (a 412 offers to reload and keep the edits),
 * editing a live survey warns when a question starts a new series, problem+json errors show at the
 * field they name. What is typed is kept as a draft until it is saved.
 */

import { useMemo, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { Survey } from '../api/types';
import { isAdmin } from '../auth/session';
import { DeliveryLimits } from '../editor/delivery-limits';
import { LocalTextInput, localeName } from '../editor/local-text';
import {
  checkDraft,
  type Draft,
  draftOf,
  emptyDraft,
  emptyTargeting,
  newQuestion,
  newSeries,
  QUESTION_TYPES,
  RATED,
  targetingIssues,
  toDefinition,
  toWidget,
} from '../editor/model';
import { NotificationsEditor } from '../editor/notifications-editor';
import { checkNotifications, emptyNotifications } from '../editor/notifications-model';
import { QuestionEditor } from '../editor/question-editor';
import { TargetingEditor } from '../editor/targeting-editor';
import { WidgetPreview } from '../editor/widget-preview';
import { LOCALES, type Locale, t } from '../i18n/i18n';
import { useDraft } from '../state/drafts';
import { useLoad } from '../state/use-load';
import { EmbedSnippet } from '../ui/embed-snippet';
import { Field } from '../ui/field';
import { explain, LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { StatusBadge } from '../ui/status-badge';
import { toast } from '../ui/toasts';

const ifMatch = (survey: Survey) => ({ 'If-Match': `"${survey.revision}"` });

export default function SurveyEditor() {
  const { params } = useRoute();
  const id = params.id;
  const load = useLoad(
    async () => (id ? (await call(() => api.GET('/v1/surveys/{id}', { params: { path: { id } } }))).data : undefined),
    [id],
  );
  if (!isAdmin.value) {
    return (
      <Page title={t('editor.title')} back={{ href: id ? `/surveys/${id}` : '/', label: t('action.back') }}>
        <Notice tone="info">{t('editor.adminsOnly')}</Notice>
      </Page>
    );
  }
  if (load.state === 'error') {
    return (
      <Page title={t('editor.title')}>
        <LoadError error={load.error} onRetry={load.reload} />
      </Page>
    );
  }
  if (load.state === 'loading' && id) return <Loading />;
  return <EditorForm key={id ?? 'new'} survey={load.data} />;
}

function EditorForm({ survey: loaded }: { survey: Survey | undefined }) {
  const { route } = useLocation();
  const [survey, setSurvey] = useState(loaded);
  const draft = useDraft<Draft>(`survey:${loaded?.id ?? 'new'}`, () => (loaded ? draftOf(loaded) : emptyDraft()));
  const d = draft.value;
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const [showMissing, setShowMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const idempotencyKey = useRef<string | undefined>(undefined);
  const summary = useRef<HTMLDivElement>(null);

  const clientIssues = useMemo(
    () =>
      checkDraft(d, {
        missing: (l) => t('editor.missingIn', { locale: localeName(l) }),
        origin: t('editor.notAnOrigin'),
        required: t('form.required'),
      }),
    [d],
  );
  const notifications = d.notifications ?? emptyNotifications();
  const notificationIssues = useMemo(
    () =>
      checkNotifications(notifications, {
        email: t('notify.badEmail'),
        twice: t('notify.twice'),
        timeZone: t('notify.badTimeZone'),
        between: (min, max) => t('notify.between', { min, max }),
        windowTooLong: t('notify.windowTooLong'),
      }),
    [notifications],
  );
  const targeting = d.targeting ?? emptyTargeting();
  const lineIssues = useMemo(
    () =>
      targetingIssues(targeting, (issue, kind) =>
        t('targeting.line', {
          line: issue.line,
          text: issue.text,
          problem: t(
            kind === 'url' && issue.problem === 'empty'
              ? 'targeting.problem.emptyUrl'
              : `targeting.problem.${issue.problem}`,
          ),
        }),
      ),
    [targeting],
  );
  const missingCount = Object.keys(clientIssues).filter((k) => k.includes(':')).length;
  const originIssues = Object.keys(clientIssues).filter((k) => k.startsWith('delivery/allowedOrigins/'));
  const issues = { ...clientIssues, ...notificationIssues, ...lineIssues, ...serverIssues };
  const widgetSurvey = useMemo(() => toWidget(d, survey?.id ?? 'preview'), [d, survey?.id]);
  const series = survey?.status === 'active' ? newSeries(survey, d) : [];
  const readOnly = survey?.status === 'closed';

  const update = (patch: Partial<Draft>) => {
    draft.set((current) => ({ ...current, ...patch }));
    setServerIssues({});
  };

  async function save(status?: 'active') {
    setFailure(undefined);
    setServerIssues({});
    if (status === 'active' && Object.keys(clientIssues).length > 0) {
      setShowMissing(true);
      summary.current?.focus();
      return;
    }
    // A line that is not a rule would be left out of the body: saving it would widen the audience.
    if (originIssues.length > 0 || Object.keys(notificationIssues).length > 0 || Object.keys(lineIssues).length > 0) {
      summary.current?.focus();
      return;
    }
    setBusy(true);
    const body = toDefinition(d);
    try {
      let saved: Survey;
      if (!survey) {
        idempotencyKey.current ??= crypto.randomUUID();
        const key = idempotencyKey.current;
        saved = (await call(() => api.POST('/v1/surveys', { body, params: { header: { 'Idempotency-Key': key } } })))
          .data;
        idempotencyKey.current = undefined;
      } else saved = survey;
      if (survey || status) {
        const current = saved;
        saved = (
          await call(() =>
            api.PUT('/v1/surveys/{id}', {
              params: { path: { id: current.id }, header: ifMatch(current) },
              body: { ...body, ...(status ? { status } : {}) },
            }),
          )
        ).data;
      }
      draft.reset(draftOf(saved));
      setSurvey(saved);
      toast(status === 'active' && survey?.status !== 'active' ? t('editor.published') : t('editor.saved'));
      if (!survey) route(status === 'active' ? `/surveys/${saved.id}` : `/surveys/${saved.id}/edit`, true);
    } catch (error) {
      const e = asApiError(error);
      setFailure(e);
      if (e.kind === 'invalid' || e.kind === 'conflict') setServerIssues(e.fieldErrors());
      summary.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  async function close() {
    if (!survey) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const closed = (
        await call(() =>
          api.POST('/v1/surveys/{id}/close', { params: { path: { id: survey.id }, header: ifMatch(survey) } }),
        )
      ).data;
      setSurvey(closed);
      draft.reset(draftOf(closed));
      toast(t('editor.closed'));
    } catch (error) {
      setFailure(asApiError(error));
    } finally {
      setBusy(false);
    }
  }

  /** After a 412: take the newest revision, keep the person's edits on top of it. */
  async function reloadKeepingEdits() {
    if (!survey) return;
    try {
      const fresh = (await call(() => api.GET('/v1/surveys/{id}', { params: { path: { id: survey.id } } }))).data;
      setSurvey(fresh);
      setFailure(undefined);
      toast(t('editor.reloadedKept'));
    } catch (error) {
      setFailure(asApiError(error));
    }
  }

  const setQuestions = (questions: Draft['questions']) => update({ questions });
  const title = survey ? survey.name || t('editor.untitled') : t('editor.newTitle');

  return (
    <Page
      title={title}
      subtitle={survey ? <StatusBadge status={survey.status} /> : t('editor.newSubtitle')}
      back={{ href: survey && survey.status !== 'draft' ? `/surveys/${survey.id}` : '/', label: t('action.back') }}
      actions={
        survey && survey.status !== 'draft' ? (
          <a class="btn btn-secondary" href={`/surveys/${survey.id}`}>
            {t('survey.results')}
          </a>
        ) : undefined
      }
    >
      <div class="editor">
        <form
          class="editor-form stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {draft.restored && (
            <Notice tone="info">
              {t('draft.restored')}{' '}
              <button type="button" class="link" onClick={() => draft.reset(survey ? draftOf(survey) : emptyDraft())}>
                {t('draft.discard')}
              </button>
            </Notice>
          )}
          {readOnly && <Notice tone="info">{t('editor.closedReadOnly')}</Notice>}
          <div class="summary" ref={summary} tabIndex={-1}>
            {failure && (
              <Notice tone="error" role="alert">
                <p>{failure.kind === 'precondition' ? t('editor.conflict') : explain(failure)}</p>
                {failure.kind === 'precondition' && (
                  <button type="button" class="btn btn-secondary" onClick={() => void reloadKeepingEdits()}>
                    {t('editor.reloadKeep')}
                  </button>
                )}
                {failure.kind === 'network' && (
                  <button type="button" class="btn btn-secondary" onClick={() => void save()}>
                    {t('action.retry')}
                  </button>
                )}
                {Object.keys(serverIssues).length > 0 && (
                  <ul>
                    {Object.entries(serverIssues).map(([path, message]) => (
                      <li key={path}>
                        <code>{path}</code>: {message}
                      </li>
                    ))}
                  </ul>
                )}
              </Notice>
            )}
            {missingCount > 0 && (
              <Notice tone={showMissing ? 'error' : 'warn'} role={showMissing ? 'alert' : undefined}>
                <p>{t('editor.missingSummary', { n: missingCount })}</p>
                {!showMissing && (
                  <button type="button" class="link" onClick={() => setShowMissing(true)}>
                    {t('editor.showMissing')}
                  </button>
                )}
              </Notice>
            )}
            {Object.keys(notificationIssues).length > 0 && (
              <Notice tone="warn">
                <ul>
                  {Object.entries(notificationIssues).map(([path, message]) => (
                    <li key={path}>
                      <code>{path}</code>: {message}
                    </li>
                  ))}
                </ul>
              </Notice>
            )}
            {Object.keys(lineIssues).length > 0 && (
              <Notice tone="error">
                <p>{t('editor.targetingBlocks')}</p>
              </Notice>
            )}
            {series.length > 0 && (
              <Notice tone="warn">
                <p>{t('editor.newSeries', { ids: series.join(', ') })}</p>
              </Notice>
            )}
            {survey?.status === 'active' && series.length === 0 && <p class="hint">{t('editor.liveHint')}</p>}
          </div>

          <fieldset class="card stack" disabled={readOnly}>
            <legend>{t('editor.basics')}</legend>
            <Field id="survey-name" label={t('survey.name')} error={issues.name}>
              <input type="text" value={d.name} onInput={(e) => update({ name: e.currentTarget.value })} />
            </Field>
            <fieldset class="inline-checks">
              <legend>{t('editor.locales')}</legend>
              {LOCALES.map((l) => (
                <label class="check" key={l}>
                  <input
                    type="checkbox"
                    checked={d.locales.includes(l)}
                    disabled={d.locales.length === 1 && d.locales.includes(l)}
                    onChange={(e) =>
                      update({
                        locales: e.currentTarget.checked
                          ? LOCALES.filter((x) => x === l || d.locales.includes(x))
                          : d.locales.filter((x) => x !== l),
                      })
                    }
                  />
                  {localeName(l)}
                </label>
              ))}
            </fieldset>
            <Field id="survey-default-locale" label={t('editor.defaultLocale')} error={issues.defaultLocale}>
              <select
                value={d.defaultLocale}
                onChange={(e) => update({ defaultLocale: e.currentTarget.value as Locale })}
              >
                {d.locales.map((l) => (
                  <option key={l} value={l}>
                    {localeName(l)}
                  </option>
                ))}
              </select>
            </Field>
            <LocalTextInput
              label={t('editor.surveyTitle')}
              value={d.title}
              locales={d.locales}
              path="title"
              issues={issues}
              showMissing={showMissing}
              onChange={(title) => update({ title })}
            />
            <LocalTextInput
              label={t('editor.thankYou')}
              value={d.thankYou}
              locales={d.locales}
              path="thankYou"
              issues={issues}
              showMissing={showMissing}
              onChange={(thankYou) => update({ thankYou })}
              multiline
            />
          </fieldset>

          <fieldset class="stack questions" disabled={readOnly}>
            <legend class="section-title">{t('editor.questions')}</legend>
            {issues.questions && <p class="field-error">{issues.questions}</p>}
            {d.questions.map((q, i) => (
              <QuestionEditor
                key={q.key}
                question={q}
                index={i}
                count={d.questions.length}
                locales={d.locales}
                issues={issues}
                showMissing={showMissing}
                onChange={(next) =>
                  setQuestions(
                    d.questions.map((x, j) =>
                      j === i
                        ? next
                        : next.overall && !q.overall && RATED.includes(x.type)
                          ? { ...x, overall: false }
                          : x,
                    ),
                  )
                }
                onMove={(by) => {
                  const list = [...d.questions];
                  const [moved] = list.splice(i, 1);
                  if (moved) list.splice(i + by, 0, moved);
                  setQuestions(list);
                }}
                onRemove={() => setQuestions(d.questions.filter((_, j) => j !== i))}
                earlier={d.questions.slice(0, i).map((e) => e.id)}
              />
            ))}
            <AddQuestion onAdd={(type) => setQuestions([...d.questions, newQuestion(type, d.questions.length)])} />
          </fieldset>

          <fieldset class="card stack" disabled={readOnly}>
            <legend>{t('editor.delivery')}</legend>
            <Field
              id="survey-origins"
              label={t('editor.origins')}
              hint={t('editor.originsHint')}
              error={issues['delivery/allowedOrigins']}
            >
              <textarea
                rows={3}
                spellcheck={false}
                value={d.origins}
                onInput={(e) => update({ origins: e.currentTarget.value })}
              />
            </Field>
            <div class="grid-3">
              <Field
                id="survey-sampling"
                label={t('editor.sampling')}
                hint={t('editor.samplingHint')}
                error={issues['delivery/samplingRate']}
              >
                <input
                  type="number"
                  min={0}
                  max={100}
                  step={1}
                  value={d.samplingPercent}
                  onInput={(e) => update({ samplingPercent: e.currentTarget.value })}
                />
              </Field>
              <Field
                id="survey-cap"
                label={t('editor.frequencyCap')}
                hint={t('editor.frequencyCapHint')}
                error={issues['delivery/frequencyCapDays']}
              >
                <input
                  type="number"
                  min={0}
                  max={365}
                  value={d.frequencyCapDays}
                  onInput={(e) => update({ frequencyCapDays: e.currentTarget.value })}
                />
              </Field>
              <Field
                id="survey-segments"
                label={t('editor.segments')}
                hint={t('editor.segmentsHint')}
                error={issues['delivery/segments']}
              >
                <input type="text" value={d.segments} onInput={(e) => update({ segments: e.currentTarget.value })} />
              </Field>
            </div>
            <DeliveryLimits draft={d} issues={issues} update={update} />
          </fieldset>

          <fieldset class="stack" disabled={readOnly}>
            <NotificationsEditor
              value={notifications}
              issues={issues}
              onChange={(next) => update({ notifications: next })}
            />
          </fieldset>

          <TargetingEditor
            value={targeting}
            issues={issues}
            disabled={readOnly}
            onChange={(targeting) => update({ targeting })}
          />

          {!readOnly && (
            <div class="actions-bar">
              <button type="submit" class="btn btn-secondary" disabled={busy}>
                {survey?.status === 'active' ? t('editor.saveChanges') : t('editor.saveDraft')}
              </button>
              {survey?.status !== 'active' && (
                <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void save('active')}>
                  {t('editor.publish')}
                </button>
              )}
              {survey?.status === 'active' && (
                <button type="button" class="btn btn-danger-outline" disabled={busy} onClick={() => void close()}>
                  {t('editor.close')}
                </button>
              )}
            </div>
          )}
          {survey && <EmbedSnippet surveyId={survey.id} />}
        </form>
        <aside class="editor-preview">
          <WidgetPreview survey={widgetSurvey} locales={d.locales} />
        </aside>
      </div>
    </Page>
  );
}

function AddQuestion({ onAdd }: { onAdd: (type: (typeof QUESTION_TYPES)[number]) => void }) {
  const [type, setType] = useState<(typeof QUESTION_TYPES)[number]>('likert');
  return (
    <div class="add-question">
      <Field id="add-question-type" label={t('editor.newQuestionType')}>
        <select value={type} onChange={(e) => setType(e.currentTarget.value as (typeof QUESTION_TYPES)[number])}>
          {QUESTION_TYPES.map((q) => (
            <option key={q} value={q}>
              {t(`qtype.${q}`)}
            </option>
          ))}
        </select>
      </Field>
      <button type="button" class="btn btn-secondary" onClick={() => onAdd(type)}>
        {t('editor.addQuestion')}
      </button>
    </div>
  );
}
