/** The report's key figures as tiles: responses, CSAT, NPS, CES (each with its 95% interval), follow-ups. */
import type { SurveyReport } from '../api/types';
import { fmt, t } from '../i18n/i18n';
import { FIGURES, figureOf, formatFigure, formatInterval } from '../state/figures';
import { Tile } from '../ui/tile';

export function Kpis({ report }: { report: SurveyReport }) {
  const f = report.followUps;
  return (
    <section class="tiles" aria-label={t('results.kpis')}>
      <Tile
        label={t('results.responses')}
        value={fmt.int(report.counts.responses)}
        lowSample={report.counts.lowSample && report.counts.responses > 0}
        {...(report.counts.comments !== undefined
          ? { hint: t('results.commentsCount', { n: fmt.int(report.counts.comments) }) }
          : {})}
      />
      {FIGURES.map((key) => {
        const figure = figureOf(report, key);
        if (!figure) return null;
        return (
          <Tile
            key={key}
            label={t(`figure.${key}`)}
            value={formatFigure(key, figure.value)}
            interval={formatInterval(key, figure)}
            n={figure.n}
            lowSample={figure.lowSample}
          />
        );
      })}
      {!report.segment && (
        <Tile
          label={t('results.resolution')}
          value={fmt.percent(f.resolutionRate)}
          hint={
            f.medianHoursToResolution === null
              ? t('results.followUpsCount', { n: f.total })
              : t('results.medianHours', { hours: fmt.number(f.medianHoursToResolution, 1), n: f.total })
          }
        />
      )}
    </section>
  );
}
