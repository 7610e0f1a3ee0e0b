/** The headline figures (CSAT, NPS, CES) as the console shows them: value, interval, sample, trend points. */
import type { ReportFigures, SurveyReport } from '../api/types';
import { fmt } from '../i18n/i18n';

export type FigureKey = 'csat' | 'nps' | 'ces';
export const FIGURES: readonly FigureKey[] = ['csat', 'nps', 'ces'];

export interface Figure {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
  readonly lowSample: boolean;
}

/** CSAT as a share 0–1, NPS on −100…100, CES as a mean 1–7. */
export function figureOf(figures: ReportFigures, key: FigureKey): Figure | null {
  if (key === 'csat' && figures.csat) {
    const f = figures.csat;
    return { value: f.share, low: f.ci95?.low ?? null, high: f.ci95?.high ?? null, n: f.n, lowSample: f.lowSample };
  }
  if (key === 'nps' && figures.nps) {
    const f = figures.nps;
    return { value: f.nps, low: f.ci95?.low ?? null, high: f.ci95?.high ?? null, n: f.n, lowSample: f.lowSample };
  }
  if (key === 'ces' && figures.ces) {
    const f = figures.ces;
    return { value: f.mean, low: f.ci95?.low ?? null, high: f.ci95?.high ?? null, n: f.n, lowSample: f.lowSample };
  }
  return null;
}

export const formatFigure = (key: FigureKey, v: number | null | undefined): string =>
  v === null || v === undefined
    ? '—'
    : key === 'csat'
      ? fmt.percent(v)
      : key === 'nps'
        ? `${v > 0 ? '+' : ''}${fmt.number(v, 0)}`
        : fmt.number(v, 2);

export const formatInterval = (key: FigureKey, f: Figure | null): string | undefined =>
  f && f.low !== null && f.high !== null ? `${formatFigure(key, f.low)} – ${formatFigure(key, f.high)}` : undefined;

export const figureDomain = (key: FigureKey): [number, number] =>
  key === 'csat' ? [0, 1] : key === 'nps' ? [-100, 100] : [1, 7];

/** The trend of one figure, one point per bucket (a bucket is its first day). */
export function trendOf(report: SurveyReport, key: FigureKey) {
  return report.trend.map((bucket) => {
    const f = figureOf(bucket, key);
    return {
      date: new Date(`${bucket.bucket}T00:00:00Z`),
      value: f?.value ?? null,
      low: f?.low ?? null,
      high: f?.high ?? null,
      n: f?.n ?? 0,
      lowSample: f?.lowSample ?? true,
    };
  });
}

const DAY = 86_400_000;
export const today = () => new Date().toISOString().slice(0, 10);
export function lastDays(days: number): { from: string; to: string } {
  const to = today();
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY).toISOString().slice(0, 10), to };
}
