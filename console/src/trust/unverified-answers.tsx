/**
 * Answers that name a customer without a verified identity — an unverified claim of their id, or their
 * e-mail given as contact — in a section of their own on the customer's page, each marked unverified
 * with the reason. They come from the personal-data export (admins only, and recorded in the audit log
 * as such), so they are loaded when an admin asks for them rather than on every visit.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { StoredResponse, Survey } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, localText, t } from '../i18n/i18n';
import { Badge } from '../ui/badge';
import { LoadError, Loading } from '../ui/notice';
import { IdentityBadge } from './identity-badge';

function answerText(value: StoredResponse['answers'][string]): string {
  return typeof value === 'object' ? value.email : String(value);
}

export function UnverifiedAnswers({ customerId, surveys }: { customerId: string; surveys: Map<string, Survey> }) {
  const [items, setItems] = useState<StoredResponse[] | undefined>();
  const [known, setKnown] = useState(surveys);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  async function load() {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(() =>
        api.GET('/v1/customers/{id}/personal-data', { params: { path: { id: customerId } } }),
      );
      // Surveys the linked answers did not name yet (their names label the answers).
      const missing = [...new Set(data.otherResponses.map((r) => r.surveyId))].filter((s) => !known.has(s));
      const fetched = await Promise.all(
        missing.map((s) =>
          call(() => api.GET('/v1/surveys/{id}', { params: { path: { id: s } } })).then((r) => r.data),
        ),
      );
      setKnown(new Map([...known, ...fetched.map((s) => [s.id, s] as const)]));
      setItems([...data.otherResponses].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card stack" aria-labelledby="unverified-title">
      <h2 id="unverified-title">{t('unverified.title')}</h2>
      <p class="hint">{t('unverified.hint')}</p>
      {!isAdmin.value ? (
        <p class="muted">{t('unverified.adminsOnly')}</p>
      ) : items === undefined ? (
        <div class="row">
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void load()}>
            {t('unverified.show')}
          </button>
        </div>
      ) : items.length === 0 ? (
        <p class="muted">{t('unverified.none')}</p>
      ) : (
        <ol class="timeline unverified">
          {items.map((r) => {
            const survey = known.get(r.surveyId);
            return (
              <li key={r.id}>
                <p class="comment-meta">
                  <time dateTime={r.receivedAt}>{fmt.dateTime(r.receivedAt)}</time>
                  <a href={`/surveys/${r.surveyId}`}>{survey?.name ?? t('unverified.survey')}</a>
                  <IdentityBadge response={r} />
                  {r.contact && <Badge tone="warn">{t('unverified.contact', { email: r.contact.email })}</Badge>}
                  {r.facts.score && (
                    <Badge tone={r.facts.detractor ? 'bad' : 'neutral'}>
                      {t('comments.score', { value: r.facts.score.value, max: r.facts.score.max })}
                    </Badge>
                  )}
                </p>
                <dl class="answers">
                  {Object.entries(r.answers).map(([q, v]) => {
                    const question = survey?.questions.find((x) => x.id === q);
                    return (
                      <div key={q}>
                        <dt>{question ? localText(question.text) : q}</dt>
                        <dd>{answerText(v)}</dd>
                      </div>
                    );
                  })}
                </dl>
              </li>
            );
          })}
        </ol>
      )}
      {busy && <Loading />}
      {error && <LoadError error={error} onRetry={() => void load()} />}
    </section>
  );
}
