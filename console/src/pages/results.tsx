/**
 * Results of one survey: range presets (7/30/90 days, custom), granularity, a segment filter and a
 * segment-by-segment comparison; KPI tiles with intervals; the trend with its CI band; the response
 * funnel (response rate, drop-off per question); each
 * question's distribution; the drivers; comments; CSV export. Every chart has a table beside it.
 * The URL holds the controls (?range=90&granularity=week&segment=smb), so a view can be shared.
 */

import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, call } from '../api/client';
import { asApiError } from '../api/errors';
import type { SurveyReport } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { Alerts } from '../results/alerts';
import { Comments } from '../results/comments';
import { Distributions } from '../results/distributions';
import { Drivers } from '../results/drivers';
import { Funnel } from '../results/funnel';
import { Kpis } from '../results/kpis';
import { Rebuild } from '../results/rebuild';
import { SegmentComparison } from '../results/segments';
import { Trend } from '../results/trend';
import { exportResponses } from '../state/exports';
import { lastDays } from '../state/figures';
import { useLoad } from '../state/use-load';
import { AbuseRepair } from '../trust/abuse-repair';
import { Field } from '../ui/field';
import { LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { StatusBadge } from '../ui/status-badge';
import { toast } from '../ui/toasts';

type Granularity = 'day' | 'week' | 'month';
const PRESETS = ['7', '30', '90', 'custom'] as const;
type Preset = (typeof PRESETS)[number];

interface Controls {
  preset: Preset;
  from: string;
  to: string;
  granularity: Granularity;
  segment: string;
  compare: boolean;
}

function controlsFrom(query: Record<string, string>): Controls {
  const preset = (PRESETS as readonly string[]).includes(query.range ?? '') ? (query.range as Preset) : '30';
  const days = preset === 'custom' ? 30 : Number(preset);
  const fallback = lastDays(days);
  const granularity =
    (['day', 'week', 'month'] as const).find((g) => g === query.granularity) ?? (days > 31 ? 'week' : 'day');
  return {
    preset,
    from: preset === 'custom' && query.from ? query.from : fallback.from,
    to: preset === 'custom' && query.to ? query.to : fallback.to,
    granularity,
    segment: query.segment ?? '',
    compare: query.compare === '1',
  };
}

function queryOf(c: Controls): string {
  const q = new URLSearchParams({ range: c.preset, granularity: c.granularity });
  if (c.preset === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  }
  if (c.segment) q.set('segment', c.segment);
  if (c.compare) q.set('compare', '1');
  return q.toString();
}

export default function Results() {
  const { params } = useRoute();
  const { path, query, route } = useLocation();
  const id = params.id ?? '';
  const controls = controlsFrom(query);
  const set = (patch: Partial<Controls>) => {
    const next = { ...controls, ...patch };
    if (patch.preset && patch.preset !== 'custom') {
      Object.assign(next, lastDays(Number(patch.preset)));
      if (!patch.granularity) next.granularity = Number(patch.preset) > 31 ? 'week' : 'day';
    }
    route(`${path}?${queryOf(next)}`, true);
  };
  const survey = useLoad(
    async () => (await call(() => api.GET('/v1/surveys/{id}', { params: { path: { id } } }))).data,
    [id],
  );
  const range = { from: controls.from, to: controls.to };
  const report = useLoad(async () => {
    const data = (
      await call(() =>
        api.GET('/v1/surveys/{id}/report', {
          params: {
            path: { id },
            query: {
              ...range,
              granularity: controls.granularity,
              ...(controls.segment ? { segment: controls.segment } : {}),
            },
          },
        }),
      )
    ).data;
    performance.mark('rapport:report-arrived');
    return data;
  }, [id, controls.from, controls.to, controls.granularity, controls.segment]);

  if (survey.state === 'error') {
    return (
      <Page title={t('results.title')} back={{ href: '/', label: t('nav.overview') }}>
        <LoadError error={survey.error} onRetry={survey.reload} />
      </Page>
    );
  }
  if (!survey.data) return <Loading />;
  const s = survey.data;
  const segments = s.delivery.segments?.length ? [...s.delivery.segments, 'other'] : [];

  return (
    <Page
      title={s.name}
      subtitle={
        <>
          <StatusBadge status={s.status} />{' '}
          {t('results.subtitle', { from: fmt.day(range.from), to: fmt.day(range.to) })}
        </>
      }
      back={{ href: '/', label: t('nav.overview') }}
      actions={
        <>
          <ExportButton surveyId={id} range={range} />
          {isAdmin.value && s.status !== 'closed' && (
            <a class="btn btn-secondary" href={`/surveys/${id}/edit`}>
              {t('survey.edit')}
            </a>
          )}
          {!isAdmin.value || s.status === 'closed' ? (
            <a class="btn btn-ghost" href={`/surveys/${id}/edit`}>
              {t('survey.definition')}
            </a>
          ) : null}
        </>
      }
    >
      <form class="card controls" aria-label={t('results.controls')} onSubmit={(e) => e.preventDefault()}>
        <fieldset class="segmented-field">
          <legend>{t('range.label')}</legend>
          <div class="segmented">
            {PRESETS.map((p) => (
              <button key={p} type="button" aria-pressed={controls.preset === p} onClick={() => set({ preset: p })}>
                {p === 'custom' ? t('range.custom') : t('range.days', { n: p })}
              </button>
            ))}
          </div>
        </fieldset>
        {controls.preset === 'custom' && (
          <>
            <Field id="range-from" label={t('range.from')}>
              <input
                type="date"
                value={controls.from}
                max={controls.to}
                onChange={(e) => set({ from: e.currentTarget.value })}
              />
            </Field>
            <Field id="range-to" label={t('range.to')}>
              <input
                type="date"
                value={controls.to}
                min={controls.from}
                onChange={(e) => set({ to: e.currentTarget.value })}
              />
            </Field>
          </>
        )}
        <Field id="granularity" label={t('range.granularity')}>
          <select
            value={controls.granularity}
            onChange={(e) => set({ granularity: e.currentTarget.value as Granularity })}
          >
            <option value="day">{t('range.day')}</option>
            <option value="week">{t('range.week')}</option>
            <option value="month">{t('range.month')}</option>
          </select>
        </Field>
        {segments.length > 0 && (
          <>
            <Field id="segment" label={t('results.segment')}>
              <select value={controls.segment} onChange={(e) => set({ segment: e.currentTarget.value })}>
                <option value="">{t('results.allSegments')}</option>
                {segments.map((seg) => (
                  <option key={seg} value={seg}>
                    {seg === 'other' ? t('results.otherSegment') : seg}
                  </option>
                ))}
              </select>
            </Field>
            <label class="check">
              <input
                type="checkbox"
                checked={controls.compare}
                onChange={(e) => set({ compare: e.currentTarget.checked })}
              />
              {t('results.compare')}
            </label>
          </>
        )}
      </form>

      {report.state === 'error' && <LoadError error={report.error} onRetry={report.reload} />}
      {report.state === 'loading' && !report.data && <Loading label={t('results.loading')} />}
      {report.data && (
        <div
          class={`results stack${report.state === 'loading' ? ' refreshing' : ''}`}
          aria-busy={report.state === 'loading'}
        >
          {report.data.segment && (
            <Notice tone="info">{t('results.segmentNote', { segment: report.data.segment })}</Notice>
          )}
          {report.data.counts.responses === 0 && <Notice tone="info">{t('results.empty')}</Notice>}
          <Kpis report={report.data} />
          <Trend report={report.data} />
          {controls.compare && segments.length > 0 && (
            <Comparison surveyId={id} segments={segments} range={range} granularity={controls.granularity} />
          )}
          <Alerts surveyId={id} />
          <Funnel report={report.data} survey={s} />
          <Distributions report={report.data} survey={s} />
          <Drivers report={report.data} survey={s} />
          <Comments survey={s} range={range} />
          <AbuseRepair surveyId={id} onExcluded={report.reload} />
          {isAdmin.value && <Rebuild surveyId={id} range={range} onDone={report.reload} />}
        </div>
      )}
    </Page>
  );
}

function Comparison({
  surveyId,
  segments,
  range,
  granularity,
}: {
  surveyId: string;
  segments: readonly string[];
  range: { from: string; to: string };
  granularity: Granularity;
}) {
  const reports = useLoad(
    () =>
      Promise.all(
        segments.map(async (segment) => ({
          segment,
          report: (
            await call(() =>
              api.GET('/v1/surveys/{id}/report', {
                params: { path: { id: surveyId }, query: { ...range, granularity, segment } },
              }),
            )
          ).data as SurveyReport,
        })),
      ),
    [surveyId, range.from, range.to, granularity, segments.join()],
  );
  if (reports.state === 'error') return <LoadError error={reports.error} onRetry={reports.reload} />;
  if (!reports.data) return <Loading />;
  return <SegmentComparison reports={reports.data} />;
}

function ExportButton({ surveyId, range }: { surveyId: string; range: { from: string; to: string } }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="btn btn-secondary"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        exportResponses(surveyId, range)
          .then(
            (rows) => toast(t('results.exported', { n: rows })),
            (e: unknown) => toast(asApiError(e).message, 'error'),
          )
          .finally(() => setBusy(false));
      }}
    >
      {busy ? t('state.working') : t('results.exportCsv')}
    </button>
  );
}
