/**
 * The response funnel of the range: cards shown, responses, the response rate with its 95% interval,
 * and where people closed the card unfinished, question by question (docs/api.md "Response funnel").
 * A plain table: the figures are few and exact.
 */
import type { Survey, SurveyReport } from '../api/types';
import { fmt, localText, t } from '../i18n/i18n';

export function Funnel({ report, survey }: { report: SurveyReport; survey: Survey }) {
  const f = report.funnel;
  const conditional = new Set(report.questions.filter((q) => q.conditional).map((q) => q.questionId));
  return (
    <section class="card stack" aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t('results.funnel')}</h2>
      {f.displays === 0 ? (
        <p class="muted">{t('results.noDisplays')}</p>
      ) : (
        <>
          <dl class="funnel-figures">
            <div>
              <dt>{t('results.displays')}</dt>
              <dd>{fmt.int(f.displays)}</dd>
            </div>
            <div>
              <dt>{t('results.responseRate')}</dt>
              <dd>
                {fmt.percent(f.responseRate, 1)}
                {f.ci95 && (
                  <span class="muted">
                    {' '}
                    ({fmt.percent(f.ci95.low, 1)}–{fmt.percent(f.ci95.high, 1)})
                  </span>
                )}
              </dd>
            </div>
          </dl>
          <div class="table-wrap">
            <table>
              <caption>{t('results.dropOff')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('editor.questionId')}</th>
                  <th scope="col">{t('results.dropOffCount')}</th>
                  <th scope="col">%</th>
                </tr>
              </thead>
              <tbody>
                {f.dropOff.map((d) => {
                  const q = survey.questions.find((x) => x.id === d.questionId);
                  return (
                    <tr key={d.questionId}>
                      <th scope="row">
                        {q ? localText(q.text) : d.questionId}
                        {conditional.has(d.questionId) && <span title={t('results.conditional')}> †</span>}
                      </th>
                      <td>{fmt.int(d.dismissed)}</td>
                      <td>{fmt.percent(d.share, 1)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {conditional.size > 0 && <p class="hint">† {t('results.conditional')}</p>}
        </>
      )}
    </section>
  );
}
