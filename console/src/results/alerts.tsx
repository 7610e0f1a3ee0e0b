/**
 * A survey's satisfaction alerts (docs/alerts.md): the drops open now, the recent dropped/recovered
 * events with whether their e-mails went out, and who receives the digests (an unsubscribed recipient
 * is shown as such). Read-only for everyone: alerts come from the scheduled evaluation, and who hears
 * them is set in the editor's Notifications section.
 */
import { api, call } from '../api/client';
import type { SurveyAlerts } from '../api/types';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { LoadError, Loading } from '../ui/notice';

type Metric = SurveyAlerts['open'][number]['metric'];

const METRIC_LABEL: Record<Metric, string> = { csat: 'CSAT', nps: 'NPS', ces: 'CES', mean: 'Ø' };

/** A metric's figure as people read it: CSAT in percent, the others on their own scale. */
const figure = (metric: Metric, value: number | null | undefined) =>
  metric === 'csat'
    ? fmt.percent(value === null || value === undefined ? value : value / 100, 1)
    : fmt.number(value, 1);

export function Alerts({ surveyId }: { surveyId: string }) {
  const alerts = useLoad(
    async (): Promise<SurveyAlerts> =>
      (
        await call(() =>
          api.GET('/v1/surveys/{id}/alerts', { params: { path: { id: surveyId }, query: { days: 90 } } }),
        )
      ).data,
    [surveyId],
  );
  const scope = (segment: string | null) => (segment === null ? t('alerts.overall') : t('alerts.segment', { segment }));
  return (
    <section class="card stack" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      {alerts.state === 'error' && <LoadError error={alerts.error} onRetry={alerts.reload} />}
      {alerts.state === 'loading' && !alerts.data && <Loading label={t('alerts.loading')} />}
      {alerts.data && (
        <>
          <p class="muted">
            {alerts.data.evaluatedThrough
              ? t('alerts.evaluatedThrough', { day: fmt.day(alerts.data.evaluatedThrough) })
              : t('alerts.notEvaluated')}
          </p>
          {alerts.data.open.length === 0 ? (
            <p>{t('alerts.noneOpen')}</p>
          ) : (
            <ul class="alerts-open">
              {alerts.data.open.map((a) => (
                <li key={a.alertId}>
                  <strong>{t('alerts.openItem', { metric: METRIC_LABEL[a.metric], scope: scope(a.segment) })}</strong>{' '}
                  <span class="muted">
                    {t('alerts.since', { day: fmt.day(a.droppedOn), level: figure(a.metric, a.referenceValue) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {alerts.data.events.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption>{t('alerts.eventsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('alerts.day')}</th>
                    <th scope="col">{t('alerts.event')}</th>
                    <th scope="col">{t('alerts.scope')}</th>
                    <th scope="col">{t('alerts.figures')}</th>
                    <th scope="col">{t('alerts.emailed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {alerts.data.events.map(({ event, emailedAt }) => (
                    <tr key={event.id}>
                      <td>{fmt.day(event.on)}</td>
                      <td>{event.type === 'satisfaction.dropped' ? t('alerts.dropped') : t('alerts.recovered')}</td>
                      <td>
                        {METRIC_LABEL[event.metric]}, {scope(event.segment)}
                      </td>
                      <td>
                        {event.type === 'satisfaction.dropped'
                          ? t('alerts.fromTo', {
                              from: figure(event.metric, event.baseline.value),
                              to: figure(event.metric, event.current.value),
                              n: event.current.n,
                            })
                          : event.current
                            ? t('alerts.now', { value: figure(event.metric, event.current.value), n: event.current.n })
                            : '—'}
                      </td>
                      <td>{emailedAt ? fmt.dateTime(emailedAt) : t('alerts.notYet')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {alerts.data.recipients.length > 0 && (
            <p class="muted">
              {t('alerts.recipients')}{' '}
              {alerts.data.recipients
                .map((r) => (r.digest === 'unsubscribed' ? `${r.email} (${t('alerts.unsubscribed')})` : r.email))
                .join(', ')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
