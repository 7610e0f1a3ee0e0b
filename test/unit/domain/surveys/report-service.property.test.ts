/**
 * The report is computed from daily aggregates only. For random response sets, the aggregate path
 * (facts → additions → summed counters → report) must equal a brute-force computation over the raw
 * answers, to nine decimals — for the whole survey and for every segment bucket (declared segments,
 * `other`, `none`), drivers, comments, detractors and follow-ups included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FollowUp } from '../../../../functions/domain/followups/followup';
import { defaultNotifications } from '../../../../functions/domain/notifications/notifications-schema';
import type { AggregateRow, AggregateStore } from '../../../../functions/domain/surveys/aggregate-store';
import { sumRows } from '../../../../functions/domain/surveys/aggregation';
import { reportSegment } from '../../../../functions/domain/surveys/report-segment';
import { ReportService } from '../../../../functions/domain/surveys/report-service';
import { factsOf, type SurveyResponse } from '../../../../functions/domain/surveys/response';
import { consequencesOf } from '../../../../functions/domain/surveys/response-consequences';
import type { Survey, VersionedQuestion } from '../../../../functions/domain/surveys/survey';
import type { SurveyStore } from '../../../../functions/domain/surveys/survey-store';
import { bruteMean, bruteNps, bruteSd, bruteSpearman, bruteWilson } from '../statistics/brute-force';

const text = { en: 'q', 'zh-CN': '题' };
const questions: VersionedQuestion[] = [
  { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text, since: 1 },
  { id: 'delivery', type: 'likert', points: 7, required: false, text, since: 1 },
  { id: 'nps', type: 'nps', required: false, text, since: 1 },
  { id: 'effort', type: 'ces', required: false, text, since: 1 },
  { id: 'comment', type: 'text', maxLength: 100, required: false, text, since: 1 },
];
const SEGMENTS = ['vip', 'smb'];
const survey = {
  id: 'S1',
  status: 'active',
  version: 1,
  revision: 1,
  name: 'p',
  locales: ['en', 'zh-CN'],
  defaultLocale: 'en',
  title: text,
  questions,
  notifications: defaultNotifications(),
  delivery: {
    allowedOrigins: [],
    samplingRate: 1,
    frequencyCapDays: 0,
    maxResponsesPerMinute: 600,
    segments: SEGMENTS,
  },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
} as Survey;

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-09'];
/** The whole stored range, and a part of it that ends before the follow-ups of its last day are opened. */
const RANGES = [
  { from: '2026-03-01', to: '2026-03-10' },
  { from: '2026-03-01', to: '2026-03-02' },
];
const BUCKETS = [undefined, 'vip', 'smb', 'other', 'none'] as const;

const responseArb = fc.record({
  overall: fc.integer({ min: 1, max: 5 }),
  delivery: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  effort: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  comment: fc.option(fc.constant('a comment'), { nil: undefined }),
  day: fc.constantFrom(...DAYS),
  /** Hours between the response's day (its id) and its arrival, when the follow-up is opened. */
  delayHours: fc.integer({ min: 0, max: 100 }),
  segment: fc.option(fc.constantFrom('vip', 'smb', 'walk-in'), { nil: undefined }),
});
type Raw = typeof responseArb extends fc.Arbitrary<infer T> ? T : never;

const answersOf = (r: Raw) =>
  Object.fromEntries(
    Object.entries({
      overall: r.overall,
      delivery: r.delivery,
      nps: r.nps,
      effort: r.effort,
      comment: r.comment,
    }).filter(([, v]) => v !== undefined),
  ) as Record<string, number | string>;

/** Exactly what submission and the stream aggregator do with each response: facts, cells, follow-ups. */
function storedState(raw: Raw[]) {
  const rows = new Map<string, AggregateRow>();
  const followUps: FollowUp[] = [];
  raw.forEach((r, i) => {
    const answers = answersOf(r);
    const receivedAt = new Date(Date.parse(`${r.day}T00:00:00Z`) + r.delayHours * 3_600_000).toISOString();
    const response: SurveyResponse = {
      id: `R${i}`,
      surveyId: 'S1',
      surveyVersion: 1,
      day: r.day,
      receivedAt,
      locale: 'en',
      answers,
      facts: factsOf(questions, answers, reportSegment(SEGMENTS, r.segment)),
      bodyHash: 'x',
      ...(r.segment !== undefined ? { segment: r.segment } : {}),
    };
    const effects = consequencesOf(response);
    sumRows(rows, effects.aggregates);
    if (effects.followUp) followUps.push(effects.followUp);
  });
  return { rows: [...rows.values()], followUps };
}

function reportOf(
  raw: Raw[],
  query: { granularity: 'day' | 'week' | 'month'; segment?: string; from?: string; to?: string },
) {
  const { rows, followUps } = storedState(raw);
  const aggregates: AggregateStore = {
    read: async (_s, from, to) => rows.filter((row) => row.day >= from && row.day <= to),
    dayCount: async () => 0,
    uncounted: async () => [],
    replaceDay: async () => true,
  };
  const service = new ReportService({
    surveys: { get: async () => survey } as unknown as SurveyStore,
    responses: {} as never,
    aggregates,
    followUps: {
      createdBetween: async (_s, fromIso, toIso) =>
        followUps.filter((f) => f.createdAt >= fromIso && f.createdAt < toIso),
    },
    clock: { now: () => new Date('2026-03-10T12:00:00Z') },
  });
  return service.report('S1', { from: RANGES[0]?.from, to: RANGES[0]?.to, ...query });
}

const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
const bucketOf = (r: Raw) => (r.segment === undefined ? 'none' : SEGMENTS.includes(r.segment) ? r.segment : 'other');
const isDetractor = (r: Raw) => (r.nps !== undefined && r.nps <= 6) || r.overall <= 2;

function expectNear(actual: number | null | undefined, expected: number | null) {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
}

type Report = Awaited<ReturnType<typeof reportOf>>;

/** Every figure of `r` against a scan of `mine`, the raw answers the report is about. */
function expectBruteForce(r: Report, mine: Raw[]) {
  expect(r.counts.responses).toBe(mine.length);
  expect(r.counts.comments).toBe(mine.filter((x) => x.comment !== undefined).length);
  expect(r.counts.detractors).toBe(mine.filter(isDetractor).length);
  expect(r.followUps.total).toBe(mine.filter(isDetractor).length);

  const overall = mine.map((x) => x.overall);
  const satisfied = overall.filter((v) => v >= 4).length;
  expect(r.csat?.n).toBe(overall.length);
  expect(r.csat?.satisfied).toBe(satisfied);
  if (overall.length) {
    expectNear(r.csat?.share, satisfied / overall.length);
    const w = bruteWilson(satisfied, overall.length);
    expectNear(r.csat?.ci95?.low, w.low);
    expectNear(r.csat?.ci95?.high, w.high);
  }

  const npsValues = defined(mine.map((x) => x.nps));
  expect(r.nps?.n).toBe(npsValues.length);
  expectNear(r.nps?.nps, bruteNps(npsValues).nps);
  expectNear(r.ces?.mean, bruteMean(defined(mine.map((x) => x.effort))));

  const q = (r.questions as { questionId: string; mean?: number | null; sd?: number | null }[]).find(
    (x) => x.questionId === 'overall',
  );
  expectNear(q?.mean, bruteMean(overall));
  expectNear(q?.sd, bruteSd(overall));

  for (const item of ['delivery', 'nps', 'effort'] as const) {
    const pairs = mine.flatMap((x) => {
      const v = x[item];
      return v === undefined ? [] : [[v, x.overall] as const];
    });
    const driver = r.drivers?.find((d) => d.questionId === item);
    expect(driver?.n).toBe(pairs.length);
    expectNear(driver?.rho, bruteSpearman(pairs));
    expectNear(driver?.mean, bruteMean(pairs.map((p) => p[0])));
  }
}

describe('report from aggregates = brute force over raw answers', () => {
  it('CSAT, NPS, CES, per-question figures, drivers, comments, detractors and follow-ups: whole survey and every segment bucket', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(responseArb, { minLength: 1, maxLength: 120 }),
        fc.constantFrom(...BUCKETS),
        fc.constantFrom(...RANGES),
        async (raw, segment, range) => {
          const r = await reportOf(raw, { granularity: 'day', ...range, ...(segment ? { segment } : {}) });
          const inRange = raw.filter((x) => x.day >= range.from && x.day <= range.to);
          expectBruteForce(r, segment ? inRange.filter((x) => bucketOf(x) === segment) : inRange);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('trend buckets and segment buckets partition the same answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(responseArb, { minLength: 1, maxLength: 80 }),
        fc.constantFrom('day', 'week', 'month'),
        async (raw, granularity) => {
          const r = await reportOf(raw, { granularity });
          const sum = r.trend.reduce((acc, b) => acc + b.responses, 0);
          expect(sum).toBe(raw.length);
          const satisfied = r.trend.reduce((acc, b) => acc + (b.csat?.satisfied ?? 0), 0);
          expect(satisfied).toBe(raw.filter((x) => x.overall >= 4).length);
          expect(r.segments.map((s) => s.segment)).toEqual(['vip', 'smb', 'other', 'none']);
          expect(r.segments.reduce((acc, s) => acc + s.responses, 0)).toBe(raw.length);
          let followUps = 0;
          for (const { segment, responses } of r.segments) {
            const seg = await reportOf(raw, { granularity, segment });
            expect(seg.counts.responses).toBe(responses);
            expect(seg.trend.reduce((acc, b) => acc + b.responses, 0)).toBe(responses);
            followUps += seg.followUps.total;
          }
          expect(followUps).toBe(r.followUps.total);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a segment the survey does not declare is a 400 that names the declared ones', async () => {
    for (const segment of ['VIP', 'walk-in', 'smb ']) {
      await expect(reportOf([], { granularity: 'day', segment })).rejects.toMatchObject({
        status: 400,
        errors: [{ path: 'query/segment', message: expect.stringContaining('vip, smb, other') }],
      });
    }
  });
});
