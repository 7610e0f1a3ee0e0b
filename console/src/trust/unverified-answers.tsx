/**
 * Answers that name a customer without a verified identity — an unverified claim of their id, or their
 * e-mail given as contact — in a section of their own on the customer's page, each marked unverified
 * with the reason (`GET /v1/customers/{id}/unverified-responses`, readable by analysts, recorded in the
 * audit log as a read of personal data like the rest of the page).
 */
import { api, call } from '../api/client';
import type { Survey } from '../api/types';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { AnswerList } from '../ui/answer-list';
import { Badge } from '../ui/badge';
import { LoadError, Loading } from '../ui/notice';
import { IdentityBadge } from './identity-badge';

async function loadUnverified(customerId: string, known: Map<string, Survey>) {
  const { data } = await call(() =>
    api.GET('/v1/customers/{id}/unverified-responses', { params: { path: { id: customerId } } }),
  );
  // Surveys the linked answers did not name yet (their names label the answers).
  const missing = [...new Set(data.items.map((r) => r.surveyId))].filter((s) => !known.has(s));
  const fetched = await Promise.all(
    missing.map((s) => call(() => api.GET('/v1/surveys/{id}', { params: { path: { id: s } } })).then((r) => r.data)),
  );
  return { items: data.items, surveys: new Map([...known, ...fetched.map((s) => [s.id, s] as const)]) };
}

export function UnverifiedAnswers({ customerId, surveys }: { customerId: string; surveys: Map<string, Survey> }) {
  const load = useLoad(() => loadUnverified(customerId, surveys), [customerId]);
  return (
    <section class="card stack" aria-labelledby="unverified-title">
      <h2 id="unverified-title">{t('unverified.title')}</h2>
      <p class="hint">{t('unverified.hint')}</p>
      {load.state === 'error' && <LoadError error={load.error} onRetry={load.reload} />}
      {load.state === 'loading' && !load.data && <Loading />}
      {load.data &&
        (load.data.items.length === 0 ? (
          <p class="muted">{t('unverified.none')}</p>
        ) : (
          <ol class="timeline unverified">
            {load.data.items.map((r) => {
              const survey = load.data?.surveys.get(r.surveyId);
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
                  <AnswerList answers={r.answers} survey={survey} />
                </li>
              );
            })}
          </ol>
        ))}
    </section>
  );
}
