/**
 * Satisfaction reports (统计分析, 趋势分析, 因果分析) computed exactly from the daily aggregates: one
 * Query of the survey's aggregate partition, whatever the number of responses behind it.
 */
import { NotFoundError, ValidationError } from '../errors';
import { type FollowUp, resolutionStats } from '../followups/followup';
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
  responseRate,
} from '../statistics';
import type { AggregateStore } from './aggregate-store';
import type { AggregateCellKind } from './aggregation';
import type { CommentsQuery, ReportQuery } from './report-schema';
import { checkReportSegment, reportSegment, segmentBuckets } from './report-segment';
import { ACCEPTED_FUTURE_MS, ACCEPTED_PAST_DAYS, seriesKey } from './response';
import type { ResponseStore } from './response-store';
import { headlineQuestion, overallQuestion, type Survey, scaleOf, type VersionedQuestion } from './survey';
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
  /** The funnel: displays, dismissals, dismissals by question. */
  displays: number;
  dismissed: number;
  dropped: Map<string, number>;
}

const emptyTally = (): Tally => ({
  responses: 0,
  comments: 0,
  detractors: 0,
  hist: new Map(),
  joint: new Map(),
  choices: new Map(),
  displays: 0,
  dismissed: 0,
  dropped: new Map(),
});

function addTo(map: Map<string, Record<string, number>>, key: string, field: string, n: number) {
  const target = map.get(key);
  if (target) target[field] = (target[field] ?? 0) + n;
  else map.set(key, { [field]: n });
}

/** Count names split at ':' once per process: a report folds the same few hundred names many times. */
const splitNames = new Map<string, string[]>();
function splitName(name: string): string[] {
  let parts = splitNames.get(name);
  if (!parts) {
    parts = name.split(':');
    // Names are bounded by the surveys' scales and options; the cap only guards against the unexpected.
    if (splitNames.size >= 50_000) splitNames.clear();
    splitNames.set(name, parts);
  }
  return parts;
}

function mergeCounts(into: Map<string, Record<string, number>>, from: Map<string, Record<string, number>>) {
  for (const [key, counts] of from) {
    const target = into.get(key);
    if (!target) {
      into.set(key, { ...counts });
      continue;
    }
    for (const field in counts) target[field] = (target[field] ?? 0) + (counts[field] ?? 0);
  }
}

/** Adds one tally to another (the range's total from its buckets: every count is an integer, so exact). */
function mergeTally(into: Tally, from: Tally) {
  into.responses += from.responses;
  into.comments += from.comments;
  into.detractors += from.detractors;
  into.displays += from.displays;
  into.dismissed += from.dismissed;
  mergeCounts(into.hist, from.hist);
  mergeCounts(into.joint, from.joint);
  mergeCounts(into.choices, from.choices);
  for (const [id, n] of from.dropped) into.dropped.set(id, (into.dropped.get(id) ?? 0) + n);
}

/**
 * Folds one aggregate row into a tally. Without a segment the day's total, question and choice cells
 * count; with one, only that segment's cell, which holds the same counts with the series in the name.
 */
function fold(
  tally: Tally,
  kind: AggregateCellKind,
  key: string,
  counts: Record<string, number>,
  segment: string | undefined,
) {
  if (segment !== undefined) {
    if (kind === 'segment' && key === segment) foldSegment(tally, counts);
    if (kind === 'funnel-segment' && key === segment) foldFunnel(tally, counts);
    return;
  }
  if (kind === 'funnel') foldFunnel(tally, counts);
  if (kind === 'total') {
    tally.responses += counts.n ?? 0;
    tally.comments += counts.comments ?? 0;
    tally.detractors += counts.detractors ?? 0;
  } else if (kind === 'question') {
    for (const name in counts) {
      const n = counts[name] ?? 0;
      if (name.startsWith('h:')) addTo(tally.hist, key, name.slice(2), n);
      else if (name.startsWith('j:')) {
        // j:<overallSeries>:<x>:<y>
        const [, overall, x, y] = splitName(name);
        addTo(tally.joint, `${key}>${overall}`, `${x}|${y}`, n);
      }
    }
  } else if (kind === 'choice') {
    for (const name in counts) if (name.startsWith('o:')) addTo(tally.choices, key, name.slice(2), counts[name] ?? 0);
  }
}

/** A funnel cell: shown, dismissed, d:<questionId>. */
function foldFunnel(tally: Tally, counts: Record<string, number>) {
  for (const [name, n] of Object.entries(counts)) {
    if (name === 'shown') tally.displays += n;
    else if (name === 'dismissed') tally.dismissed += n;
    else if (name.startsWith('d:')) tally.dropped.set(name.slice(2), (tally.dropped.get(name.slice(2)) ?? 0) + n);
  }
}

/**
 * The response funnel of a tally: response rate (responses / displays, Wilson interval) and where
 * people closed the card unfinished, per question (share of displays).
 */
function funnelOf(survey: Survey, tally: Tally) {
  const { rate, ci95 } = responseRate(tally.responses, tally.displays);
  return {
    displays: tally.displays,
    responses: tally.responses,
    responseRate: rate,
    ci95,
    dismissed: tally.dismissed,
    dropOff: survey.questions.map((q) => {
      const dismissed = tally.dropped.get(q.id) ?? 0;
      return { questionId: q.id, dismissed, share: tally.displays ? dismissed / tally.displays : null };
    }),
  };
}

/** A segment cell: n, comments, detractors, h:<series>:<v>, o:<series>:<option>, j:<series>:<overall>:<x>:<y>. */
function foldSegment(tally: Tally, counts: Record<string, number>) {
  for (const name in counts) {
    const n = counts[name] ?? 0;
    if (name === 'n') tally.responses += n;
    else if (name === 'comments') tally.comments += n;
    else if (name === 'detractors') tally.detractors += n;
    else {
      const [type, series, a, b, c] = splitName(name);
      if (series === undefined || a === undefined) continue;
      if (type === 'h') addTo(tally.hist, series, a, n);
      else if (type === 'o') addTo(tally.choices, series, a, n);
      else if (type === 'j' && b !== undefined && c !== undefined) addTo(tally.joint, `${series}>${a}`, `${b}|${c}`, n);
    }
  }
}

/**
 * The funnel counts of each segment bucket over the whole range, from the segment cells (responses)
 * and funnel-segment cells (displays, dismissals, drop-off per question).
 */
function segmentTallies(rows: readonly { kind: AggregateCellKind; key: string; counts: Record<string, number> }[]) {
  const tallies = new Map<string, Tally>();
  const of = (key: string) => {
    let tally = tallies.get(key);
    if (!tally) {
      tally = emptyTally();
      tallies.set(key, tally);
    }
    return tally;
  };
  for (const row of rows) {
    if (row.kind === 'segment') of(row.key).responses += row.counts.n ?? 0;
    if (row.kind === 'funnel-segment') foldFunnel(of(row.key), row.counts);
  }
  return tallies;
}

function headline(survey: Survey, tally: Tally) {
  const overall = overallQuestion(survey.questions) as VersionedQuestion | undefined;
  const npsQ = survey.questions.find((q) => q.type === 'nps');
  const cesQ = survey.questions.find((q) => q.type === 'ces');
  const csatQ = overall && overall.type === 'likert' ? overall : survey.questions.find((q) => q.type === 'likert');
  const csatScale = csatQ ? scaleOf(csatQ) : undefined;
  const histOf = (q: VersionedQuestion) => tally.hist.get(seriesKey(q)) ?? {};
  return {
    csat: csatQ && csatScale ? { questionId: csatQ.id, ...csat(histOf(csatQ), csatScale) } : null,
    nps: npsQ ? { questionId: npsQ.id, ...nps(histOf(npsQ)) } : null,
    ces: cesQ ? { questionId: cesQ.id, ...ces(histOf(cesQ)) } : null,
  };
}

/**
 * Whether only some respondents are asked question `i`: it has a `showIf`, or an earlier question can
 * end the survey before it. Its n then counts only those who were shown it (nobody else can answer).
 */
const isConditional = (questions: readonly VersionedQuestion[], i: number) =>
  questions[i]?.showIf !== undefined || questions.slice(0, i).some((q) => q.endIf !== undefined);

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

  /**
   * Every figure counts the responses whose day (from their id) is in the range — of one segment
   * bucket when `segment` is given, with the same figures as the whole survey.
   */
  async report(surveyId: string, query: ReportQuery) {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { from, to } = this.range(query);
    const segment = query.segment;
    if (segment !== undefined) checkReportSegment(survey.delivery.segments, segment);
    const granularity: Granularity = query.granularity;
    const rows = await this.deps.aggregates.read(surveyId, from, to);
    const total = emptyTally();
    const buckets = new Map<string, Tally>(bucketDays(from, to, granularity).map((b) => [b, emptyTally()]));
    // Each row is folded once, into its bucket; the total is the sum of the buckets (plus any row of a
    // day outside them). Rows come day by day, so the bucket is looked up once per day.
    let lastDay: string | undefined;
    let bucket: Tally | undefined;
    for (const row of rows) {
      if (row.day !== lastDay) {
        lastDay = row.day;
        bucket = buckets.get(bucketKey(row.day, granularity));
      }
      fold(bucket ?? total, row.kind, row.key, row.counts, segment);
    }
    for (const tally of buckets.values()) mergeTally(total, tally);
    const perSegment = segmentTallies(rows);
    return {
      surveyId,
      surveyVersion: survey.version,
      range: { from, to, granularity },
      ...(segment !== undefined ? { segment } : {}),
      counts: {
        responses: total.responses,
        comments: total.comments,
        detractors: total.detractors,
        lowSample: total.responses < 30,
      },
      ...headline(survey, total),
      questions: survey.questions.map((q, i) => this.questionFigure(q, total, isConditional(survey.questions, i))),
      drivers: this.drivers(survey, total),
      funnel: funnelOf(survey, total),
      trend: [...buckets.entries()].map(([bucket, tally]) => ({
        bucket,
        ...headline(survey, tally),
        ...funnelOf(survey, tally),
      })),
      segments: segmentBuckets(survey.delivery.segments).map((s) => ({
        segment: s,
        ...funnelOf(survey, perSegment.get(s) ?? emptyTally()),
      })),
      followUps: resolutionStats(await this.followUpsOf(survey, from, to, segment)),
    };
  }

  /**
   * The follow-ups of the range's responses — by the response's day, like every other figure, not by
   * the day the follow-up was opened — and of the segment bucket, if one is asked for. A follow-up is
   * opened when its response is received: at most ACCEPTED_PAST_DAYS after the day its id names, and
   * at most ACCEPTED_FUTURE_MS before it, so that window of creation times holds them all.
   */
  private async followUpsOf(survey: Survey, from: string, to: string, segment: string | undefined) {
    const start = Date.parse(`${from}T00:00:00.000Z`) - ACCEPTED_FUTURE_MS;
    const end = Date.parse(`${to}T00:00:00.000Z`) + DAY_MS + ACCEPTED_PAST_DAYS * DAY_MS;
    const created = await this.deps.followUps.createdBetween(
      survey.id,
      new Date(start).toISOString(),
      new Date(end).toISOString(),
    );
    return created.filter(
      (f: FollowUp) =>
        f.responseDay >= from &&
        f.responseDay <= to &&
        (segment === undefined || reportSegment(survey.delivery.segments, f.segment) === segment),
    );
  }

  /**
   * Free-text answers, newest first, each with the rated answers given alongside. `score` is the
   * response's headline answer (its overall answer, else its NPS answer) with its scale; `maxScore`
   * keeps the comments whose answer to the survey's headline question is at most that, on that
   * question's scale (see `scoreFilter`).
   */
  async comments(surveyId: string, query: CommentsQuery) {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { from, to } = this.range(query);
    const scoreFilter = query.maxScore !== undefined ? this.scoreFilter(survey, query.maxScore) : undefined;
    const page = await this.deps.responses.listRange({
      surveyId,
      from,
      to,
      limit: query.limit,
      newestFirst: true,
      withComments: true,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(scoreFilter ? { maxScore: scoreFilter } : {}),
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

  /**
   * `maxScore` is a point on the scale of the survey's headline question — its overall question, else
   * its NPS question — such as 1–5 or 0–10, never a mix: it compares the answers to that question's
   * current series only (answers to an earlier version on another scale are left out, as are
   * responses that skipped it). A value outside the scale is refused rather than matching everything.
   */
  private scoreFilter(survey: Survey, max: number): { series: string; max: number } {
    const q = headlineQuestion(survey.questions) as VersionedQuestion | undefined;
    const scale = q ? scaleOf(q) : undefined;
    if (!q || !scale) {
      throw new ValidationError([
        { path: 'query/maxScore', message: 'this survey has neither an overall nor an NPS question to filter on' },
      ]);
    }
    if (max < scale.min || max > scale.max) {
      throw new ValidationError([
        {
          path: 'query/maxScore',
          message: `must be between ${scale.min} and ${scale.max}: the scale of question ${q.id}, which maxScore filters on`,
        },
      ]);
    }
    return { series: seriesKey(q), max };
  }

  private questionFigure(q: VersionedQuestion, tally: Tally, conditional: boolean) {
    const series = seriesKey(q);
    const base = { questionId: q.id, type: q.type, series, comparableSinceVersion: q.since, conditional };
    const scale = scaleOf(q);
    if (isRated(q) && scale) {
      const hist = tally.hist.get(series) ?? {};
      return { ...base, ...describeScale(hist, scale) };
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
    const overallScale = overall ? scaleOf(overall) : undefined;
    if (!overall || !overallScale) return null;
    const overallSeries = seriesKey(overall);
    return drivers(
      survey.questions.flatMap((q) => {
        const scale = scaleOf(q);
        if (!isRated(q) || q.id === overall.id || !scale) return [];
        return [
          {
            questionId: q.id,
            joint: tally.joint.get(`${seriesKey(q)}>${overallSeries}`) ?? {},
            hist: tally.hist.get(seriesKey(q)) ?? {},
            scale,
            overallScale,
          },
        ];
      }),
    );
  }
}
