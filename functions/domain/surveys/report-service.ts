/**
 * Satisfaction reports (统计分析, 趋势分析, 因果分析) computed exactly from the daily aggregates: one
 * Query of the survey's aggregate partition, whatever the number of responses behind it.
 */
import { NotFoundError, ValidationError } from '../errors';
import { resolutionStats } from '../followups/followup';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock } from '../ports';
import {
  bucketDays,
  bucketKey,
  ces,
  csat,
  describeScale,
  drivers,
  type Granularity,
  type Histogram,
  type JointCounts,
  nps,
} from '../statistics';
import type { AggregateStore } from './aggregate-store';
import type { AggregateCellKind } from './aggregation';
import type { CommentsQuery, ReportQuery } from './report-schema';
import { seriesKey } from './response';
import type { ResponseStore } from './response-store';
import { overallQuestion, type Survey, scaleOf, type VersionedQuestion } from './survey';
import { isRated } from './survey-schema';
import type { SurveyStore } from './survey-store';

export interface ReportServiceDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  aggregates: AggregateStore;
  followUps: Pick<FollowUpStore, 'createdBetween'>;
  clock: Clock;
}

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;

/** Counts of one bucket (or the whole range), folded from aggregate rows. */
interface Tally {
  responses: number;
  comments: number;
  detractors: number;
  hist: Map<string, Histogram>;
  joint: Map<string, JointCounts>;
  choices: Map<string, Record<string, number>>;
}

const emptyTally = (): Tally => ({
  responses: 0,
  comments: 0,
  detractors: 0,
  hist: new Map(),
  joint: new Map(),
  choices: new Map(),
});

function addTo(map: Map<string, Record<string, number>>, key: string, field: string, n: number) {
  const target = map.get(key) ?? {};
  target[field] = (target[field] ?? 0) + n;
  map.set(key, target);
}

/** Folds one aggregate row into a tally; with a segment, only that segment's rows count. */
function fold(
  tally: Tally,
  kind: AggregateCellKind,
  key: string,
  counts: Record<string, number>,
  segment: string | undefined,
) {
  if (segment !== undefined) {
    if (kind !== 'segment' || key !== segment) return;
    for (const [name, n] of Object.entries(counts)) {
      if (name === 'n') tally.responses += n;
      else if (name.startsWith('h:') || name.startsWith('o:')) {
        // h:<series>:<value> or o:<series>:<option>; series ids contain no ':'.
        const at = name.indexOf(':', 2);
        addTo(name.startsWith('h:') ? tally.hist : tally.choices, name.slice(2, at), name.slice(at + 1), n);
      }
    }
    return;
  }
  if (kind === 'total') {
    tally.responses += counts.n ?? 0;
    tally.comments += counts.comments ?? 0;
    tally.detractors += counts.detractors ?? 0;
  } else if (kind === 'question') {
    for (const [name, n] of Object.entries(counts)) {
      if (name.startsWith('h:')) addTo(tally.hist, key, name.slice(2), n);
      else if (name.startsWith('j:')) {
        // j:<overallSeries>:<x>:<y>
        const [, overall, x, y] = name.split(':');
        addTo(tally.joint, `${key}>${overall}`, `${x}|${y}`, n);
      }
    }
  } else if (kind === 'choice') {
    for (const [name, n] of Object.entries(counts))
      if (name.startsWith('o:')) addTo(tally.choices, key, name.slice(2), n);
  }
}

function headline(survey: Survey, tally: Tally) {
  const overall = overallQuestion(survey.questions) as VersionedQuestion | undefined;
  const npsQ = survey.questions.find((q) => q.type === 'nps');
  const cesQ = survey.questions.find((q) => q.type === 'ces');
  const csatQ = overall && overall.type === 'likert' ? overall : survey.questions.find((q) => q.type === 'likert');
  const histOf = (q: VersionedQuestion | undefined) => (q ? (tally.hist.get(seriesKey(q)) ?? {}) : undefined);
  return {
    csat: csatQ ? { questionId: csatQ.id, ...csat(histOf(csatQ)!, scaleOf(csatQ)!) } : null,
    nps: npsQ ? { questionId: npsQ.id, ...nps(histOf(npsQ)!) } : null,
    ces: cesQ ? { questionId: cesQ.id, ...ces(histOf(cesQ)!) } : null,
  };
}

export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  /** Resolves the requested day range: default the last 30 days up to today (UTC). */
  range(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const to = query.to ?? today;
    const from =
      query.from ??
      new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    try {
      bucketDays(from, to, 'month');
    } catch (err) {
      throw new ValidationError([{ path: 'query/from', message: (err as Error).message }]);
    }
    return { from, to };
  }

  async report(surveyId: string, query: ReportQuery) {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { from, to } = this.range(query);
    const granularity: Granularity = query.granularity;
    const rows = await this.deps.aggregates.read(surveyId, from, to);
    const total = emptyTally();
    const buckets = new Map<string, Tally>(bucketDays(from, to, granularity).map((b) => [b, emptyTally()]));
    for (const row of rows) {
      fold(total, row.kind, row.key, row.counts, query.segment);
      const bucket = buckets.get(bucketKey(row.day, granularity));
      if (bucket) fold(bucket, row.kind, row.key, row.counts, query.segment);
    }
    const followUps = resolutionStats(
      await this.deps.followUps.createdBetween(surveyId, `${from}T00:00:00.000Z`, `${to}T23:59:59.999Z`),
    );
    return {
      surveyId,
      surveyVersion: survey.version,
      range: { from, to, granularity },
      ...(query.segment ? { segment: query.segment } : {}),
      counts: {
        responses: total.responses,
        ...(query.segment ? {} : { comments: total.comments, detractors: total.detractors }),
        lowSample: total.responses < 30,
      },
      ...headline(survey, total),
      questions: survey.questions.map((q) => this.questionFigure(q, total)),
      drivers: query.segment ? null : this.drivers(survey, total),
      trend: [...buckets.entries()].map(([bucket, tally]) => ({
        bucket,
        responses: tally.responses,
        ...headline(survey, tally),
      })),
      followUps,
    };
  }

  /** Free-text answers, newest first, each with the rated answers given alongside. */
  async comments(surveyId: string, query: CommentsQuery) {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { from, to } = this.range(query);
    const page = await this.deps.responses.listRange({
      surveyId,
      from,
      to,
      limit: query.limit,
      newestFirst: true,
      withComments: true,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.maxScore !== undefined ? { maxScore: query.maxScore } : {}),
    });
    return {
      items: page.items.map((r) => ({
        responseId: r.id,
        receivedAt: r.receivedAt,
        locale: r.locale,
        ...(r.customerId ? { customerId: r.customerId } : {}),
        ...(r.segment ? { segment: r.segment } : {}),
        ...(r.facts.score ? { score: r.facts.score } : {}),
        comments: Object.fromEntries(r.facts.textIds.map((id) => [id, r.answers[id]])),
        scores: Object.fromEntries(Object.entries(r.answers).filter(([, v]) => typeof v === 'number')),
      })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  private questionFigure(q: VersionedQuestion, tally: Tally) {
    const series = seriesKey(q);
    const base = { questionId: q.id, type: q.type, series, comparableSinceVersion: q.since };
    if (isRated(q)) {
      const hist = tally.hist.get(series) ?? {};
      return { ...base, ...describeScale(hist, scaleOf(q)!) };
    }
    if (q.type === 'single_choice') {
      const counts = tally.choices.get(series) ?? {};
      const n = Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        ...base,
        n,
        lowSample: n < 30,
        distribution: q.options.map((o) => ({
          value: o.id,
          count: counts[o.id] ?? 0,
          share: n ? (counts[o.id] ?? 0) / n : null,
        })),
      };
    }
    return { ...base };
  }

  private drivers(survey: Survey, tally: Tally) {
    const overall = overallQuestion(survey.questions) as VersionedQuestion | undefined;
    if (!overall) return null;
    const overallSeries = seriesKey(overall);
    return drivers(
      survey.questions
        .filter((q): q is VersionedQuestion => isRated(q) && q.id !== overall.id)
        .map((q) => ({
          questionId: q.id,
          joint: tally.joint.get(`${seriesKey(q)}>${overallSeries}`) ?? {},
          hist: tally.hist.get(seriesKey(q)) ?? {},
          scale: scaleOf(q)!,
          overallScale: scaleOf(overall)!,
        })),
    );
  }
}
