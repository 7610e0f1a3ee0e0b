/**
 * What drives the overall rating: each rated item's Spearman correlation with the overall question
 * (importance) beside its mean as a share of its scale (performance), in named quadrants.
 */
import type { Survey, SurveyReport } from '../api/types';
import { fmt, localText, t } from '../i18n/i18n';
import { Chart } from '../ui/chart';
import { DataTable } from '../ui/data-table';

const SCALES: Record<string, [number, number]> = { nps: [0, 10], ces: [1, 7] };

export function Drivers({ report, survey }: { report: SurveyReport; survey: Survey }) {
  if (!report.drivers || report.drivers.length === 0) return null;
  const items = report.drivers.map((d) => {
    const q = survey.questions.find((x) => x.id === d.questionId);
    const [min, max] = q?.type === 'likert' ? [1, q.points] : (SCALES[q?.type ?? ''] ?? [1, 5]);
    return {
      label: q ? localText(q.text) : d.questionId,
      rho: d.rho,
      mean: d.mean,
      n: d.n,
      lowSample: d.lowSample,
      performance: d.mean === null ? null : (d.mean - min) / (max - min),
    };
  });
  const points = items.flatMap((d) =>
    d.rho === null || d.performance === null
      ? []
      : [{ label: d.label, importance: d.rho, performance: d.performance, lowSample: d.lowSample }],
  );
  const label = t('results.driversLabel');
  return (
    <section class="card stack" aria-labelledby="drivers-title">
      <h2 id="drivers-title">{t('results.drivers')}</h2>
      <p class="hint">{t('results.driversHint')}</p>
      {points.length === 0 ? (
        <p class="muted">{t('results.driversNone')}</p>
      ) : (
        <Chart
          label={label}
          deps={[report]}
          height={320}
          draw={(c, width) =>
            c.drivers(points, {
              width,
              label,
              xLabel: t('results.performance'),
              yLabel: t('results.importance'),
              quadrants: {
                fixFirst: t('quadrant.fixFirst'),
                keepUp: t('quadrant.keepUp'),
                lowPriority: t('quadrant.lowPriority'),
                overkill: t('quadrant.overkill'),
              },
            })
          }
        />
      )}
      <DataTable
        caption={label}
        columns={[t('results.item'), t('results.importance'), t('results.performance'), t('results.mean'), 'n']}
        rows={items.map((d) => [
          d.label,
          d.rho === null ? '—' : fmt.number(d.rho, 2),
          fmt.percent(d.performance),
          fmt.number(d.mean, 2),
          fmt.int(d.n),
        ])}
      />
    </section>
  );
}
