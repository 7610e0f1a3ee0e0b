/** Segment by segment: each listed segment's report side by side, the headline figure with its interval. */

import { useState } from 'preact/hooks';
import type { SurveyReport } from '../api/types';
import { fmt, t } from '../i18n/i18n';
import { FIGURES, type FigureKey, figureDomain, figureOf, formatFigure, formatInterval } from '../state/figures';
import { Chart } from '../ui/chart';
import { DataTable } from '../ui/data-table';
import { Segmented } from '../ui/segmented';

export function SegmentComparison({ reports }: { reports: readonly { segment: string; report: SurveyReport }[] }) {
  const available = FIGURES.filter((k) => reports.some((r) => r.report[k] !== null));
  const [chosen, setChosen] = useState<FigureKey | undefined>(available[0]);
  const key = chosen && available.includes(chosen) ? chosen : available[0];
  const rows = key
    ? reports.flatMap(({ segment, report }) => {
        const f = figureOf(report, key);
        return f && f.value !== null
          ? [{ label: segment, value: f.value, low: f.low, high: f.high, n: f.n, lowSample: f.lowSample }]
          : [];
      })
    : [];
  const label = key ? t('results.segmentsLabel', { figure: t(`figure.${key}`) }) : '';
  return (
    <section class="card stack" aria-labelledby="segments-title">
      <div class="row between wrap">
        <h2 id="segments-title">{t('results.segmentComparison')}</h2>
        {available.length > 1 && (
          <Segmented label={t('results.trendFigure')}>
            {available.map((k) => (
              <button key={k} type="button" aria-pressed={k === key} onClick={() => setChosen(k)}>
                {t(`figure.${k}`)}
              </button>
            ))}
          </Segmented>
        )}
      </div>
      {key && rows.length > 0 ? (
        <Chart
          label={label}
          deps={[reports, key]}
          height={48 + rows.length * 34}
          draw={(c, width) =>
            c.intervals(rows, {
              width,
              label,
              domain: figureDomain(key),
              format: (v) => formatFigure(key, v),
              axisLabel: t(`figure.${key}`),
            })
          }
        />
      ) : (
        <p class="muted">{t('results.noAnswers')}</p>
      )}
      <DataTable
        caption={t('results.segmentComparison')}
        columns={[t('results.segment'), t('results.responses'), ...available.map((k) => t(`figure.${k}`))]}
        rows={reports.map(({ segment, report }) => [
          segment,
          fmt.int(report.counts.responses),
          ...available.map((k) => {
            const f = figureOf(report, k);
            const interval = formatInterval(k, f);
            return `${formatFigure(k, f?.value)}${interval ? ` (${interval})` : ''}`;
          }),
        ])}
      />
    </section>
  );
}
