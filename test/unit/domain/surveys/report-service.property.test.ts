/**
 * The report is computed from daily aggregates only. For random response sets, the aggregate path
 * (facts → additions → summed counters → report) must equal a brute-force computation over the raw
 * answers, to nine decimals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregateRow, AggregateStore } from '../../../../functions/domain/surveys/aggregate-store';
import { aggregateAdditions, sumRows } from '../../../../functions/domain/surveys/aggregation';
import { ReportService } from '../../../../functions/domain/surveys/report-service';
import { factsOf } from '../../../../functions/domain/surveys/response';
import type { Survey, VersionedQuestion } from '../../../../functions/domain/surveys/survey';
import type { SurveyStore } from '../../../../functions/domain/surveys/survey-store';
import { bruteMean, bruteNps, bruteSd, bruteSpearman, bruteWilson } from '../statistics/brute-force';

const text = { en: 'q', 'zh-CN': '题' };
const questions: VersionedQuestion[] = [
  { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text, since: 1 },
  { id: 'delivery', type: 'likert', points: 7, required: false, text, since: 1 },
  { id: 'nps', type: 'nps', required: false, text, since: 1 },
  { id: 'effort', type: 'ces', required: false, text, since: 1 },
];
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
  delivery: { allowedOrigins: [], samplingRate: 1, frequencyCapDays: 0, maxResponsesPerMinute: 600 },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
} as Survey;

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-09'];

const responseArb = fc.record({
  overall: fc.integer({ min: 1, max: 5 }),
  delivery: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  effort: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  day: fc.constantFrom(...DAYS),
  segment: fc.option(fc.constantFrom('vip', 'smb'), { nil: undefined }),
});
type Raw = typeof responseArb extends fc.Arbitrary<infer T> ? T : never;

function reportOf(raw: Raw[], query: { granularity: 'day' | 'week' | 'month'; segment?: string }) {
  const rows = new Map<string, AggregateRow>();
  for (const r of raw) {
    const answers = Object.fromEntries(
      Object.entries({ overall: r.overall, delivery: r.delivery, nps: r.nps, effort: r.effort }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as Record<string, number>;
    // Exactly what the aggregator does with one response: facts at submission, additions per day.
    sumRows(rows, aggregateAdditions(factsOf(questions, answers, r.segment), r.day));
  }
  const aggregates: AggregateStore = {
    read: async () => [...rows.values()],
    dayCount: async () => 0,
    uncounted: async () => [],
    replaceDay: async () => true,
  };
  const service = new ReportService({
    surveys: { get: async () => survey } as unknown as SurveyStore,
    responses: {} as never,
    aggregates,
    followUps: { createdBetween: async () => [] },
    clock: { now: () => new Date('2026-03-10T12:00:00Z') },
  });
  return service.report('S1', { from: DAYS[0], to: '2026-03-10', ...query });
}

const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);

describe('report from aggregates = brute force over raw answers', () => {
  it('CSAT, NPS, CES, per-question figures and drivers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(responseArb, { minLength: 1, maxLength: 120 }), async (raw) => {
        const r = await reportOf(raw, { granularity: 'day' });
        const overall = raw.map((x) => x.overall);
        expect(r.counts.responses).toBe(raw.length);

        const satisfied = overall.filter((v) => v >= 4).length;
        expect(r.csat!.n).toBe(overall.length);
        expect(r.csat!.share!).toBeCloseTo(satisfied / overall.length, 9);
        const w = bruteWilson(satisfied, overall.length);
        expect(r.csat!.ci95!.low).toBeCloseTo(w.low, 9);
        expect(r.csat!.ci95!.high).toBeCloseTo(w.high, 9);

        const npsValues = defined(raw.map((x) => x.nps));
        const bn = bruteNps(npsValues);
        expect(r.nps!.n).toBe(npsValues.length);
        if (bn.nps === null) expect(r.nps!.nps).toBeNull();
        else expect(r.nps!.nps!).toBeCloseTo(bn.nps, 9);

        const effort = defined(raw.map((x) => x.effort));
        const mean = bruteMean(effort);
        if (mean === null) expect(r.ces!.mean).toBeNull();
        else expect(r.ces!.mean!).toBeCloseTo(mean, 9);

        const q = (r.questions as { questionId: string; n?: number; mean?: number | null; sd?: number | null }[]).find(
          (x) => x.questionId === 'overall',
        )!;
        expect(q.mean!).toBeCloseTo(bruteMean(overall)!, 9);
        const sd = bruteSd(overall);
        if (sd === null) expect(q.sd).toBeNull();
        else expect(q.sd!).toBeCloseTo(sd, 9);

        const pairs = raw.filter((x) => x.delivery !== undefined).map((x) => [x.delivery!, x.overall] as const);
        const driver = r.drivers!.find((d) => d.questionId === 'delivery')!;
        expect(driver.n).toBe(pairs.length);
        const rho = bruteSpearman(pairs);
        if (rho === null) expect(driver.rho).toBeNull();
        else expect(driver.rho!).toBeCloseTo(rho, 9);
      }),
      { numRuns: 150 },
    );
  });

  it('trend buckets and segments partition the same answers', async () => {
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
          for (const segment of ['vip', 'smb']) {
            const seg = await reportOf(raw, { granularity, segment });
            const mine = raw.filter((x) => x.segment === segment);
            expect(seg.counts.responses).toBe(mine.length);
            expect(seg.csat!.satisfied).toBe(mine.filter((x) => x.overall >= 4).length);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
