/**
 * What a digest says about one survey and period, before it is put into words: the headline figures
 * with their 95% intervals exactly as the report computes them (it IS the report, for the same days),
 * the change since the previous period of the same length by the comparison the alerts use (Newcombe
 * for CSAT, the NPS difference, Welch for CES) marked significant when its 95% interval excludes zero,
 * the trend, the lowest-scored comments and the open follow-ups with their ages.
 */
import { type AlertMetric, compareWindows, type DayRange } from '../alerts';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock } from '../ports';
import type { Interval } from '../statistics';
import type { AggregateStore } from '../surveys/aggregate-store';
import type { ReportService } from '../surveys/report-service';
import type { Survey } from '../surveys/survey';
import type { DigestFrequency } from './notifications-schema';
import { alertQuestionsOf, scopeHistograms } from './window-histograms';

export const DIGEST_COMMENTS = 5;
export const DIGEST_FOLLOW_UPS = 5;
const COMMENT_CHARS = 300;
const DAY_MS = 86_400_000;

export type DigestMetric = Exclude<AlertMetric, 'mean'>;

export interface DigestHeadline {
  metric: DigestMetric;
  /** CSAT in percent, NPS in points, CES as the mean (1–7); null without answers. */
  value: number | null;
  ci95: Interval | null;
  n: number;
  previous: number | null;
  previousN: number;
  /** value − previous, same unit; null when a period has too few answers to compare. */
  change: number | null;
  changeCi95: Interval | null;
  /** The change's 95% interval lies entirely above or below zero. */
  significant: boolean;
}

export interface DigestContent {
  surveyId: string;
  surveyName: string;
  frequency: Exclude<DigestFrequency, 'off'>;
  period: DayRange;
  previous: DayRange;
  responses: number;
  headlines: DigestHeadline[];
  trend: { bucket: string; responses: number; csat: number | null; nps: number | null }[];
  lowestComments: { receivedAt: string; score: { value: number; min: number; max: number }; text: string }[];
  openFollowUps: { count: number; countIsAtLeast: boolean; oldest: { ageDays: number; score?: number }[] };
}

export interface DigestContentDeps {
  reports: Pick<ReportService, 'report' | 'comments'>;
  aggregates: Pick<AggregateStore, 'read'>;
  followUps: Pick<FollowUpStore, 'list'>;
  clock: Clock;
}

const scaled = (i: Interval | null, k: number): Interval | null =>
  i && { low: i.low * k, high: i.high * k, level: 0.95 };

export async function digestContent(
  deps: DigestContentDeps,
  survey: Survey,
  frequency: Exclude<DigestFrequency, 'off'>,
  period: DayRange,
  previous: DayRange,
): Promise<DigestContent> {
  const report = await deps.reports.report(survey.id, { from: period.from, to: period.to, granularity: 'day' });
  const rows = await deps.aggregates.read(survey.id, previous.from, period.to);
  const current = scopeHistograms(survey, rows, period, null);
  const before = scopeHistograms(survey, rows, previous, null);
  const questions = alertQuestionsOf(survey);

  const headlines: DigestHeadline[] = [];
  const compare = (metric: DigestMetric, questionId: string, scale: { min: number; max: number }) =>
    compareWindows(metric, scale, current[questionId] ?? {}, before[questionId] ?? {});
  const change = (c: ReturnType<typeof compare>) => ({
    previous: c.baseline.value,
    previousN: c.baseline.n,
    change: c.estimate,
    changeCi95: c.ci95,
    significant: c.ci95 !== null && (c.ci95.low > 0 || c.ci95.high < 0),
  });
  if (report.csat && questions.csat) {
    headlines.push({
      metric: 'csat',
      value: report.csat.share === null ? null : report.csat.share * 100,
      ci95: scaled(report.csat.ci95, 100),
      n: report.csat.n,
      ...change(compare('csat', questions.csat.id, questions.csat.scale)),
    });
  }
  if (report.nps && questions.nps) {
    headlines.push({
      metric: 'nps',
      value: report.nps.nps,
      ci95: report.nps.ci95,
      n: report.nps.n,
      ...change(compare('nps', questions.nps.id, { min: 0, max: 10 })),
    });
  }
  if (report.ces && questions.ces) {
    headlines.push({
      metric: 'ces',
      value: report.ces.mean,
      ci95: report.ces.ci95,
      n: report.ces.n,
      ...change(compare('ces', questions.ces.id, { min: 1, max: 7 })),
    });
  }

  const trendDays = frequency === 'weekly' ? 28 : 7;
  const trendFrom = new Date(Date.parse(`${period.to}T00:00:00Z`) - (trendDays - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const trendReport = await deps.reports.report(survey.id, {
    from: trendFrom,
    to: period.to,
    granularity: frequency === 'weekly' ? 'week' : 'day',
  });
  const trend = trendReport.trend.map((t) => ({
    bucket: t.bucket,
    responses: t.responses,
    csat: t.csat?.share == null ? null : t.csat.share * 100,
    nps: t.nps?.nps ?? null,
  }));

  const comments = await deps.reports.comments(survey.id, { from: period.from, to: period.to, limit: 100 });
  const position = (s: { value: number; min: number; max: number }) => (s.value - s.min) / (s.max - s.min || 1);
  const lowestComments = comments.items
    .flatMap((c) => (c.score ? [{ ...c, score: c.score }] : []))
    .sort((a, b) => position(a.score) - position(b.score) || a.receivedAt.localeCompare(b.receivedAt))
    .slice(0, DIGEST_COMMENTS)
    .map((c) => {
      const text = Object.values(c.comments)
        .filter((v): v is string => typeof v === 'string')
        .join(' / ');
      return {
        receivedAt: c.receivedAt,
        score: c.score,
        text: text.length > COMMENT_CHARS ? `${text.slice(0, COMMENT_CHARS - 1)}…` : text,
      };
    });

  const open = await deps.followUps.list({ status: 'open', surveyId: survey.id, limit: 100 });
  const now = deps.clock.now().getTime();
  const oldest = [...open.items]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(0, DIGEST_FOLLOW_UPS)
    .map((f) => ({
      ageDays: Math.floor((now - Date.parse(f.createdAt)) / DAY_MS),
      ...(f.score ? { score: f.score.value } : {}),
    }));

  return {
    surveyId: survey.id,
    surveyName: survey.name,
    frequency,
    period,
    previous,
    responses: report.counts.responses,
    headlines,
    trend,
    lowestComments,
    openFollowUps: { count: open.items.length, countIsAtLeast: open.nextCursor !== undefined, oldest },
  };
}
