/**
 * Overview: every survey with its status, responses in the last 30 days, CSAT / NPS / CES with 95%
 * intervals and low-sample badges, a sparkline of the headline figure, and open follow-ups.
 */
import { api, call } from '../api/client';
import type { Survey, SurveyReport } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { FIGURES, type FigureKey, figureOf, formatFigure, formatInterval, lastDays, trendOf } from '../state/figures';
import { useLoad } from '../state/use-load';
import { Badge } from '../ui/badge';
import { Chart } from '../ui/chart';
import { LoadError, Loading } from '../ui/notice';
import { Page } from '../ui/page';
import { StatusBadge } from '../ui/status-badge';

interface Row {
  readonly survey: Survey;
  readonly report: SurveyReport | undefined;
  readonly openFollowUps: number | undefined;
  /** More open follow-ups than the one page counted. */
  readonly moreFollowUps?: boolean;
}

async function loadOverview(): Promise<Row[]> {
  const surveys: Survey[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await call(() =>
      api.GET('/v1/surveys', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    surveys.push(...data.items);
    cursor = data.nextCursor;
  } while (cursor && surveys.length < 500);
  const range = lastDays(30);
  return Promise.all(
    surveys.map(async (survey): Promise<Row> => {
      if (survey.status === 'draft') return { survey, report: undefined, openFollowUps: undefined };
      const [report, followUps] = await Promise.all([
        call(() =>
          api.GET('/v1/surveys/{id}/report', {
            params: { path: { id: survey.id }, query: { ...range, granularity: 'week' } },
          }),
        ),
        call(() =>
          api.GET('/v1/followups', { params: { query: { surveyId: survey.id, status: 'open', limit: 100 } } }),
        ),
      ]);
      return {
        survey,
        report: report.data,
        openFollowUps: followUps.data.items.length,
        moreFollowUps: followUps.data.nextCursor !== undefined,
      };
    }),
  );
}

/** The figure a survey is judged by: CSAT when it has one, else NPS, else CES. */
const headlineOf = (report: SurveyReport): FigureKey | undefined => FIGURES.find((k) => report[k] !== null);

function FigureCell({ report, figure }: { report: SurveyReport | undefined; figure: FigureKey }) {
  const f = report ? figureOf(report, figure) : null;
  if (!f) return <td class="num muted">—</td>;
  const interval = formatInterval(figure, f);
  return (
    <td class="num">
      <span class="figure">{formatFigure(figure, f.value)}</span>
      {interval && <span class="ci">{interval}</span>}
      {f.lowSample && f.n > 0 && (
        <Badge tone="warn" title={t('stats.lowSampleHint')}>
          {t('stats.lowSample')}
        </Badge>
      )}
    </td>
  );
}

export default function Overview() {
  const load = useLoad(loadOverview, []);
  return (
    <Page
      title={t('overview.title')}
      subtitle={t('overview.subtitle')}
      actions={
        isAdmin.value && (
          <a class="btn btn-primary" href="/surveys/new">
            {t('survey.new')}
          </a>
        )
      }
    >
      {load.state === 'error' && <LoadError error={load.error} onRetry={load.reload} />}
      {load.state === 'loading' && !load.data && <Loading />}
      {load.data && load.data.length === 0 && (
        <div class="empty">
          <p>{t('overview.empty')}</p>
          {isAdmin.value && (
            <a class="btn btn-primary" href="/surveys/new">
              {t('survey.new')}
            </a>
          )}
        </div>
      )}
      {load.data && load.data.length > 0 && (
        <div class="table-wrap card">
          <table class="overview">
            <caption class="sr-only">{t('overview.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('survey.name')}</th>
                <th scope="col">{t('survey.status')}</th>
                <th scope="col" class="num">
                  {t('overview.responses30')}
                </th>
                <th scope="col" class="num">
                  CSAT
                </th>
                <th scope="col" class="num">
                  NPS
                </th>
                <th scope="col" class="num">
                  CES
                </th>
                <th scope="col">{t('overview.trend')}</th>
                <th scope="col" class="num">
                  {t('overview.openFollowUps')}
                </th>
              </tr>
            </thead>
            <tbody>
              {load.data.map(({ survey, report, openFollowUps, moreFollowUps }) => {
                const headline = report ? headlineOf(report) : undefined;
                return (
                  <tr key={survey.id}>
                    <th scope="row">
                      <a href={survey.status === 'draft' ? `/surveys/${survey.id}/edit` : `/surveys/${survey.id}`}>
                        {survey.name}
                      </a>
                      <span class="muted small">{fmt.date(survey.updatedAt)}</span>
                    </th>
                    <td>
                      <StatusBadge status={survey.status} />
                    </td>
                    <td class="num">{report ? fmt.int(report.counts.responses) : '—'}</td>
                    <FigureCell report={report} figure="csat" />
                    <FigureCell report={report} figure="nps" />
                    <FigureCell report={report} figure="ces" />
                    <td class="spark-cell">
                      {report && headline ? (
                        <Chart
                          class="spark"
                          label={t('overview.sparkLabel', { figure: headline.toUpperCase(), name: survey.name })}
                          deps={[report]}
                          height={40}
                          draw={(c, width) =>
                            c.sparkline(
                              trendOf(report, headline),
                              width,
                              t('overview.sparkLabel', { figure: headline.toUpperCase(), name: survey.name }),
                            )
                          }
                        />
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td class="num">
                      {openFollowUps === undefined ? (
                        '—'
                      ) : openFollowUps > 0 ? (
                        <a href={`/followups?survey=${survey.id}`}>
                          {fmt.int(openFollowUps)}
                          {moreFollowUps ? '+' : ''}
                        </a>
                      ) : (
                        '0'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
