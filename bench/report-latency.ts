/**
 * Report latency at 1,000 and at 1,000,000 responses behind the same 90-day report. The aggregates
 * are produced by the aggregator's own code: each synthetic response goes through `factsOf` and
 * `aggregateAdditions`, and the summed additions are written by `StreamApplier.apply` (the write
 * path of the stream handler) in batches, exactly-once markers included. Only the raw response items
 * are not written (the report never reads them).
 */
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { aggregateKeys } from '../functions/adapters/dynamodb/keys';
import { type RecordEffects, StreamApplier } from '../functions/adapters/dynamodb/stream-applier';
import { type AggregateRow, aggregateAdditions, sumRows } from '../functions/domain/surveys/aggregation';
import { factsOf } from '../functions/domain/surveys/response';
import type { VersionedQuestion } from '../functions/domain/surveys/survey';
import { demoSurvey } from '../local/demo-data';
import type { Runtime } from '../local/runtime';
import { adminJsonCall } from './admin-call';
import { type LatencySummary, measure } from './stats';
import { seededRandom, syntheticAnswer } from './synthetic';

const DAYS = 90;
/** Responses summed in memory per applied record, like one stream batch the aggregator sums. */
const PER_RECORD = 1000;

export interface ReportBenchResult {
  /** The survey whose 90 days of aggregates were loaded (the console bench renders its report). */
  surveyId: string;
  responses: number;
  aggregateItems: number;
  loadSeconds: number;
  latency: LatencySummary;
}

export async function benchReportLatency(
  runtime: Runtime,
  sizes: readonly number[] = [1_000, 100_000, 1_000_000],
): Promise<ReportBenchResult[]> {
  const call = adminJsonCall(runtime);
  const db = createDocumentClient({ ...process.env, DYNAMODB_ENDPOINT: runtime.dynamoEndpoint });
  const applier = new StreamApplier(db, runtime.tableName);
  const today = new Date();
  const days = Array.from({ length: DAYS }, (_, i) =>
    new Date(today.getTime() - i * 86_400_000).toISOString().slice(0, 10),
  ).reverse();
  const results: ReportBenchResult[] = [];

  for (const size of sizes) {
    const definition = demoSurvey([]);
    const { id } = (await call('POST', '/v1/surveys', definition)) as { id: string };
    await call('PUT', `/v1/surveys/${id}`, { ...definition, status: 'active' });
    const survey = (await call('GET', `/v1/surveys/${id}`)) as { questions: VersionedQuestion[] };
    const random = seededRandom(size);
    const started = performance.now();
    const effects: RecordEffects[] = [];
    let seq = 0;
    for (const [dayIndex, day] of days.entries()) {
      const perDay = Math.floor(size / DAYS) + (dayIndex < size % DAYS ? 1 : 0);
      for (let done = 0; done < perDay; done += PER_RECORD) {
        const totals = new Map<string, AggregateRow>();
        const count = Math.min(PER_RECORD, perDay - done);
        for (let i = 0; i < count; i++) {
          const { answers, segment } = syntheticAnswer(random);
          sumRows(totals, aggregateAdditions(factsOf(survey.questions, answers, segment), day));
        }
        effects.push({
          eventId: `bench-${id}-${seq}`,
          sequenceNumber: String(++seq),
          counters: [...totals.values()].map((cell) => ({ key: aggregateKeys.item(id, cell), add: cell.counts })),
          memberships: [],
        });
      }
    }
    for (let i = 0; i < effects.length; i += 50) {
      const result = await applier.apply(effects.slice(i, i + 50));
      if (result.failedFrom) throw result.error;
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const report = (await call('GET', `/v1/surveys/${id}/report?from=${days[0]}&to=${days[DAYS - 1]}`)) as {
      counts: { responses: number };
    };
    if (report.counts.responses !== size)
      throw new Error(`expected ${size} responses, report says ${report.counts.responses}`);
    const aggregateItems = new Set(effects.flatMap((e) => e.counters.map((c) => c.key.SK))).size;
    await measure(
      5,
      1,
      async () => void (await call('GET', `/v1/surveys/${id}/report?from=${days[0]}&to=${days[DAYS - 1]}`)),
    );
    const latency = await measure(
      30,
      1,
      async () => void (await call('GET', `/v1/surveys/${id}/report?from=${days[0]}&to=${days[DAYS - 1]}`)),
    );
    results.push({ surveyId: id, responses: size, aggregateItems, loadSeconds, latency });
  }
  db.destroy();
  return results;
}
