/** The trend of a headline figure per bucket, with its 95% interval as a band and low-sample buckets marked. */

import { useState } from 'preact/hooks';
import type { SurveyReport } from '../api/types';
import { fmt, t } from '../i18n/i18n';
import { FIGURES, type FigureKey, figureDomain, formatFigure, trendOf } from '../state/figures';
import { Chart } from '../ui/chart';
import { DataTable } from '../ui/data-table';
import { Segmented } from '../ui/segmented';

export function Trend({ report }: { report: SurveyReport }) {
  const available = FIGURES.filter((k) => report[k] !== null);
  const [chosen, setChosen] = useState<FigureKey | undefined>(available[0]);
  const key = chosen && available.includes(chosen) ? chosen : available[0];
  if (!key) return null;
  const points = trendOf(report, key);
  const label = t('results.trendLabel', { figure: t(`figure.${key}`) });
  return (
    <section class="card stack" aria-labelledby="trend-title">
      <div class="row between wrap">
        <h2 id="trend-title">{t('results.trend')}</h2>
        <Segmented label={t('results.trendFigure')}>
          {available.map((k) => (
            <button key={k} type="button" aria-pressed={k === key} onClick={() => setChosen(k)}>
              {t(`figure.${k}`)}
            </button>
          ))}
        </Segmented>
      </div>
      <Chart
        label={label}
        deps={[report, key]}
        height={260}
        draw={(c, width) =>
          c.trend(points, {
            width,
            label,
            yLabel: t(`figure.${key}`),
            domain: figureDomain(key),
            format: (v) => formatFigure(key, v),
            lowSampleLabel: t('stats.lowSample'),
            zero: key === 'nps',
          })
        }
      />
      <p class="legend">
        <span class="key-dot" aria-hidden="true" /> {t('results.legendOk')}
        <span class="key-diamond" aria-hidden="true" /> {t('results.legendLow')}
        <span class="key-band" aria-hidden="true" /> {t('results.legendBand')}
      </p>
      <DataTable
        caption={label}
        columns={[t('results.bucket'), t(`figure.${key}`), t('results.ci95'), 'n', t('stats.lowSample')]}
        rows={points.map((p) => [
          fmt.day(p.date.toISOString().slice(0, 10)),
          formatFigure(key, p.value),
          p.low === null || p.high === null ? '—' : `${formatFigure(key, p.low)} – ${formatFigure(key, p.high)}`,
          fmt.int(p.n),
          p.lowSample ? t('state.yes') : t('state.no'),
        ])}
      />
    </section>
  );
}
