/**
 * The follow-ups inbox: every detractor's answer becomes a task that moves open → contacted →
 * resolved, with an assignee and a note, linked to the customer and to the response that caused it.
 * Per survey: resolution rate and median time to resolution over the last 90 days.
 */

import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { FollowUp, Survey } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { lastDays } from '../state/figures';
import { useLoad } from '../state/use-load';
import { Badge } from '../ui/badge';
import { Field } from '../ui/field';
import { explain, LoadError, Loading } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

type Status = FollowUp['status'];
const STATUSES: readonly Status[] = ['open', 'contacted', 'resolved'];

async function allSurveys(): Promise<Survey[]> {
  const { data } = await call(() => api.GET('/v1/surveys', { params: { query: { limit: 100 } } }));
  return data.items;
}

export default function FollowUps() {
  const { path, query, route } = useLocation();
  const status = (STATUSES as readonly string[]).includes(query.status ?? '') ? (query.status as Status) : 'open';
  const surveyId = query.survey ?? '';
  const surveys = useLoad(allSurveys, []);
  const [items, setItems] = useState<FollowUp[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | undefined>();
  const [round, setRound] = useState(0);

  const setFilter = (next: { status?: Status; survey?: string }) => {
    const q = new URLSearchParams({ status: next.status ?? status });
    const s = next.survey ?? surveyId;
    if (s) q.set('survey', s);
    route(`${path}?${q}`, true);
  };

  async function page(after?: string) {
    const { data } = await call(() =>
      api.GET('/v1/followups', {
        params: {
          query: { status, limit: 25, ...(surveyId ? { surveyId } : {}), ...(after ? { cursor: after } : {}) },
        },
      }),
    );
    return data;
  }

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(undefined);
    page().then(
      (data) => {
        if (stale) return;
        setItems(data.items);
        setCursor(data.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (stale) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [status, surveyId, round]);

  const names = new Map((surveys.data ?? []).map((s) => [s.id, s.name]));
  const replace = (next: FollowUp) =>
    setItems((old) =>
      next.status === status ? old.map((f) => (f.id === next.id ? next : f)) : old.filter((f) => f.id !== next.id),
    );

  return (
    <Page title={t('followups.title')} subtitle={t('followups.subtitle')}>
      <div class="card controls">
        <fieldset class="segmented-field">
          <legend>{t('followups.status')}</legend>
          <div class="segmented">
            {STATUSES.map((s) => (
              <button key={s} type="button" aria-pressed={status === s} onClick={() => setFilter({ status: s })}>
                {t(`followup.${s}`)}
              </button>
            ))}
          </div>
        </fieldset>
        <Field id="followups-survey" label={t('followups.survey')}>
          <select value={surveyId} onChange={(e) => setFilter({ survey: e.currentTarget.value })}>
            <option value="">{t('followups.allSurveys')}</option>
            {(surveys.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {surveys.data && (
        <Resolution surveys={surveys.data.filter((s) => s.status !== 'draft' && (!surveyId || s.id === surveyId))} />
      )}
      {error && <LoadError error={error} onRetry={() => setRound(round + 1)} />}
      {loading ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="empty">{t('followups.none', { status: t(`followup.${status}`) })}</p>
      ) : (
        <ul class="followups" aria-label={t('followups.list')}>
          {items.map((f) => (
            <FollowUpCard key={f.id} followUp={f} surveyName={names.get(f.surveyId) ?? f.surveyId} onChange={replace} />
          ))}
        </ul>
      )}
      {cursor && !loading && (
        <button
          type="button"
          class="btn btn-secondary"
          onClick={() =>
            void page(cursor).then(
              (data) => {
                setItems((old) => [...old, ...data.items]);
                setCursor(data.nextCursor);
              },
              (e: unknown) => setError(asApiError(e)),
            )
          }
        >
          {t('comments.more')}
        </button>
      )}
    </Page>
  );
}

function Resolution({ surveys }: { surveys: readonly Survey[] }) {
  const range = lastDays(90);
  const stats = useLoad(
    () =>
      Promise.all(
        surveys.map(async (s) => ({
          survey: s,
          followUps: (
            await call(() =>
              api.GET('/v1/surveys/{id}/report', {
                params: { path: { id: s.id }, query: { ...range, granularity: 'month' } },
              }),
            )
          ).data.followUps,
        })),
      ),
    [surveys.map((s) => s.id).join()],
  );
  if (!stats.data || stats.data.length === 0) return null;
  return (
    <section class="card" aria-labelledby="resolution-title">
      <h2 id="resolution-title">{t('followups.resolution')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('followups.survey')}</th>
              <th scope="col" class="num">
                {t('followups.total')}
              </th>
              <th scope="col" class="num">
                {t('followup.resolved')}
              </th>
              <th scope="col" class="num">
                {t('followups.rate')}
              </th>
              <th scope="col" class="num">
                {t('followups.median')}
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.data.map(({ survey, followUps }) => (
              <tr key={survey.id}>
                <th scope="row">{survey.name}</th>
                <td class="num">{fmt.int(followUps.total)}</td>
                <td class="num">{fmt.int(followUps.resolved)}</td>
                <td class="num">{fmt.percent(followUps.resolutionRate)}</td>
                <td class="num">
                  {followUps.medianHoursToResolution === null
                    ? '—'
                    : t('followups.hours', { n: fmt.number(followUps.medianHoursToResolution, 1) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FollowUpCard({
  followUp: f,
  surveyName,
  onChange,
}: {
  followUp: FollowUp;
  surveyName: string;
  onChange: (next: FollowUp) => void;
}) {
  const [assignee, setAssignee] = useState(f.assignee ?? '');
  const [note, setNote] = useState(f.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const admin = isAdmin.value;
  const dirty = assignee.trim() !== (f.assignee ?? '') || note.trim() !== (f.note ?? '');

  async function patch(body: { status?: Exclude<Status, 'excluded'>; assignee?: string | null; note?: string | null }) {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(() =>
        api.PATCH('/v1/followups/{id}', {
          params: { path: { id: f.id }, header: { 'If-Match': `"${f.revision}"` } },
          body,
        }),
      );
      onChange(data);
      toast(body.status ? t('followups.moved', { status: t(`followup.${body.status}`) }) : t('editor.saved'));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const edits = () => ({
    ...(assignee.trim() !== (f.assignee ?? '') ? { assignee: assignee.trim() || null } : {}),
    ...(note.trim() !== (f.note ?? '') ? { note: note.trim() || null } : {}),
  });
  const responseLink = f.customerId
    ? `/customers/${f.customerId}#response-${f.responseId}`
    : `/surveys/${f.surveyId}?range=custom&from=${f.responseDay}&to=${f.responseDay}#response-${f.responseId}`;

  return (
    <li class="card followup" aria-labelledby={`fu-${f.id}`}>
      <div class="row between wrap">
        <h3 id={`fu-${f.id}`}>
          {surveyName} · <time dateTime={f.createdAt}>{fmt.dateTime(f.createdAt)}</time>
        </h3>
        <span class="row">
          {f.score && <Badge tone="bad">{t('comments.score', { value: f.score.value, max: f.score.max })}</Badge>}
          <Badge tone={f.status === 'resolved' ? 'good' : f.status === 'contacted' ? 'info' : 'warn'}>
            {t(`followup.${f.status}`)}
          </Badge>
        </span>
      </div>
      {f.comment ? (
        <blockquote class="comment-text">{f.comment}</blockquote>
      ) : (
        <p class="muted">{t('followups.noComment')}</p>
      )}
      <p class="row wrap small">
        {f.customerId ? (
          <a href={`/customers/${f.customerId}`}>{t('followups.customer')}</a>
        ) : (
          <span class="muted">{t('followups.anonymous')}</span>
        )}
        <a href={responseLink}>{t('followups.response')}</a>
        {f.resolvedAt && <span class="muted">{t('followups.resolvedAt', { at: fmt.dateTime(f.resolvedAt) })}</span>}
      </p>
      {admin ? (
        <form
          class="followup-form"
          onSubmit={(e) => {
            e.preventDefault();
            void patch(edits());
          }}
        >
          <Field id={`assignee-${f.id}`} label={t('followups.assignee')}>
            <input type="text" value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} />
          </Field>
          <Field id={`note-${f.id}`} label={t('followups.note')}>
            <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </Field>
          <div class="row wrap">
            <button type="submit" class="btn btn-secondary" disabled={busy || !dirty}>
              {t('followups.save')}
            </button>
            {f.status === 'open' && (
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy}
                onClick={() => void patch({ ...edits(), status: 'contacted' })}
              >
                {t('followups.markContacted')}
              </button>
            )}
            {f.status !== 'resolved' && (
              <button
                type="button"
                class="btn btn-primary"
                disabled={busy}
                onClick={() => void patch({ ...edits(), status: 'resolved' })}
              >
                {t('followups.markResolved')}
              </button>
            )}
          </div>
        </form>
      ) : (
        (f.assignee || f.note) && (
          <p class="small">
            {f.assignee && (
              <>
                {t('followups.assignee')}: {f.assignee}{' '}
              </>
            )}
            {f.note && (
              <>
                · {t('followups.note')}: {f.note}
              </>
            )}
          </p>
        )
      )}
      {error && (
        <p class="field-error" role="alert">
          {error.kind === 'precondition' ? t('followups.conflict') : explain(error)}
        </p>
      )}
    </li>
  );
}
