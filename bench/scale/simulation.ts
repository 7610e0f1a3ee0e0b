/**
 * One run of the hot-survey simulation: K "stream shards" apply batches of answers to the same
 * survey-day at once, as Lambda's pollers would once the answers are write-sharded over K partitions
 * (each partition is its own stream shard). Every answer goes through the stream's real code:
 * `responseEffects` (stream-effects.ts: aggregate cells, hourly arrival count, exactly-once marker,
 * follow-up for a detractor) and `StreamApplier.apply` (the aggregator's write path, with its
 * conflict retries in transactions.ts); only the follow-up a detractor opens is left out (below). A batch the applier gives up on is re-applied from its first
 * unapplied answer, as Lambda retries a stream batch.
 *
 * Layouts: `shared` is today's (every shard adds into the one copy of each cell), `per-shard` gives
 * each shard its own copies (shard-layout.ts). Answers are generated from a seed per shard, so both
 * layouts of the same K see exactly the same answers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import { systemClock } from '../../functions/adapters/clock';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { DynamoAggregateStore } from '../../functions/adapters/dynamodb/dynamo-aggregate-store';
import { DynamoFollowUpStore } from '../../functions/adapters/dynamodb/dynamo-followup-store';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/dynamo-response-store';
import { DynamoSurveyStore } from '../../functions/adapters/dynamodb/dynamo-survey-store';
import { type RecordEffects, StreamApplier } from '../../functions/adapters/dynamodb/stream-applier';
import { responseEffects } from '../../functions/adapters/dynamodb/stream-effects';
import type { Answers } from '../../functions/domain/surveys/answers';
import { ReportService } from '../../functions/domain/surveys/report-service';
import { factsOf, type SurveyResponse } from '../../functions/domain/surveys/response';
import type { VersionedQuestion } from '../../functions/domain/surveys/survey';
import { seededRandom, syntheticAnswer } from '../synthetic';
import { onShard, ShardSummingAggregates } from './shard-layout';
import { tallyTransactions } from './transaction-tally';

export type Layout = 'shared' | 'per-shard';

export interface SimulationTarget {
  dynamoEndpoint: string;
  tableName: string;
  surveyId: string;
  surveyVersion: number;
  questions: readonly VersionedQuestion[];
}

export interface SimulationResult {
  layout: Layout;
  shards: number;
  answers: number;
  /** Counter transactions sent, conflicts among them, and batches handed back for a retry. */
  transactions: number;
  conflicts: number;
  otherCancellations: number;
  batchRetries: number;
  /** The most times one batch was handed back (Lambda's mapping gives up after `retryAttempts`, 5). */
  mostRetries: number;
  /** Calls sent to DynamoDB by command, and the batches they served. */
  calls: Record<string, number>;
  /** The most calls in flight at once. */
  peakInFlight: number;
  batches: number;
  /** Answers that open a follow-up (detractors). */
  detractors: number;
  seconds: number;
  answersPerSecond: number;
  /** The report read back through ReportService, and every answer it was built from. */
  report: Awaited<ReturnType<ReportService['report']>>;
  sent: Answers[];
}

/** Lambda's `batchSize` for the aggregator: under load its batches are full. */
export const BATCH_SIZE = 100;

export async function simulate(
  target: SimulationTarget,
  layout: Layout,
  shards: number,
  answers: number,
  options: { followUps?: boolean } = {},
): Promise<SimulationResult> {
  // DynamoDB Local on a shared machine can take seconds per 100-item transaction: no attempt is
  // abandoned for that (in AWS such a transaction takes tens of milliseconds).
  const db = createDocumentClient({
    ...process.env,
    DYNAMODB_ENDPOINT: target.dynamoEndpoint,
    DYNAMODB_ATTEMPT_TIMEOUT_MS: '60000',
  });
  const answersPerShard = Math.ceil(answers / shards);
  const tally = tallyTransactions(db);
  const applier = new StreamApplier(db, target.tableName);
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  const sent: Answers[] = [];
  let detractors = 0;

  // Every batch is built before the clock starts: the run measures DynamoDB, not answer generation.
  const work = Array.from({ length: shards }, (_, shard) => {
    const random = seededRandom(1_000 + shard);
    const batches: RecordEffects[][] = [];
    for (let i = 0; i < answersPerShard; i += BATCH_SIZE) {
      const batch: RecordEffects[] = [];
      for (let j = i; j < Math.min(answersPerShard, i + BATCH_SIZE); j++) {
        const { answers, segment } = syntheticAnswer(random);
        sent.push(answers);
        const response: SurveyResponse = {
          id: ulid(),
          surveyId: target.surveyId,
          surveyVersion: target.surveyVersion,
          day,
          receivedAt: now.toISOString(),
          locale: 'en',
          answers,
          facts: factsOf(target.questions, answers, segment),
          segment,
          bodyHash: 'bench',
        };
        if (response.facts.detractor) detractors++;
        const sequence = String(j + 1).padStart(21, '0');
        for (const unit of responseEffects(response, sequence)) {
          // A follow-up is an item of its own (it cannot conflict) and costs the same whatever the
          // layout: left out unless asked for, so a run measures the counter transactions alone.
          const counted = options.followUps ? unit : { ...unit, creates: [] };
          batch.push(layout === 'per-shard' ? onShard(counted, target.surveyId, shard) : counted);
        }
      }
      batches.push(batch);
    }
    return batches;
  });

  let batchRetries = 0;
  let mostRetries = 0;
  const started = performance.now();
  await Promise.all(
    work.map(async (batches) => {
      for (const batch of batches) {
        let pending = batch;
        for (let retries = 0; ; retries++) {
          mostRetries = Math.max(mostRetries, retries);
          const result = await applier.apply(pending);
          if (result.poisoned.length) throw new Error(`answers set aside: ${result.poisoned.length}`);
          if (result.failedFrom === undefined) break;
          // Lambda retries the batch from the first unapplied record after a pause.
          batchRetries++;
          const from = pending.findIndex((r) => r.sequenceNumber === result.failedFrom);
          pending = pending.slice(Math.max(0, from));
          await sleep(50 + Math.random() * 100);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const calls = { ...tally.calls };
  const peakInFlight = tally.peakInFlight;

  const aggregates = new DynamoAggregateStore(db, target.tableName);
  const reports = new ReportService({
    surveys: new DynamoSurveyStore(db, target.tableName),
    responses: new DynamoResponseStore(db, target.tableName),
    aggregates: layout === 'per-shard' ? new ShardSummingAggregates(aggregates, shards) : aggregates,
    followUps: new DynamoFollowUpStore(db, target.tableName),
    clock: systemClock,
  });
  const report = await reports.report(target.surveyId, { from: day, to: day, granularity: 'day' });
  db.destroy();
  return {
    layout,
    shards,
    answers: sent.length,
    transactions: tally.attempted,
    conflicts: tally.conflicts,
    otherCancellations: tally.otherCancellations,
    batchRetries,
    mostRetries,
    calls,
    peakInFlight,
    batches: work.reduce((n, b) => n + b.length, 0),
    detractors,
    seconds,
    answersPerSecond: sent.length / seconds,
    report,
    sent,
  };
}
