/**
 * `npm run bench:scale`: one hot survey, simulated at small scale against DynamoDB Local on
 * 127.0.0.1 (docs/scaling.md). For K = 1, 2, 4, 8 concurrent stream shards it applies the same
 * answers to one survey-day twice — today's shared counter cells, then per-shard cells summed at
 * read — and prints, per run, the counter transactions sent, how many DynamoDB cancelled as
 * conflicts, the batches handed back for a retry and the answers applied per second. Every run's
 * report (read through ReportService) must equal the figures recomputed in memory from the same
 * answers with the statistics module, and the two layouts' reports must be equal: otherwise the
 * bench fails. It also measures the stored size of typical and of the largest accepted answers.
 *
 * `SCALE_ANSWERS` (default 800) sets how many answers each run applies, split evenly over its shards.
 */
import { isDeepStrictEqual } from 'node:util';
import { demoSurvey } from '../../local/demo-data';
import type { Runtime } from '../../local/runtime';
import { adminJsonCall } from '../admin-call';
import { startBenchRuntime } from '../bench-runtime';
import { fmt } from '../stats';
import { type AnswerSize, measureAnswerSizes } from './answer-sizes';
import { type CellSizes, measureCellSizes } from './cell-sizes';
import { startConflictProxy } from './conflict-proxy';
import { expectedFigures } from './expected-figures';
import { BATCH_SIZE, type Layout, type SimulationResult, simulate } from './simulation';

const SHARDS = [1, 2, 4, 8] as const;
const FULL_PATH_ANSWERS = 300;
const LAYOUTS: readonly Layout[] = ['shared', 'per-shard'];
const progress = (what: string) => console.error(`bench:scale: ${what}`);

async function freshSurvey(runtime: Runtime) {
  const call = adminJsonCall(runtime);
  const definition = demoSurvey([]);
  const { id } = (await call('POST', '/v1/surveys', definition)) as { id: string };
  await call('PUT', `/v1/surveys/${id}`, { ...definition, status: 'active' });
  return call('GET', `/v1/surveys/${id}`) as Promise<{ id: string; version: number; questions: never[] }>;
}

/** Where a run's report differs from the in-memory figures (empty when exact). */
function mismatches(run: SimulationResult, questions: Parameters<typeof expectedFigures>[0]): string[] {
  const expected = expectedFigures(questions, run.sent);
  const { report } = run;
  const wrong: string[] = [];
  if (report.counts.responses !== expected.responses) wrong.push('responses');
  if (!isDeepStrictEqual(report.csat, expected.csat)) wrong.push('csat');
  if (!isDeepStrictEqual(report.nps, expected.nps)) wrong.push('nps');
  if (!isDeepStrictEqual(report.ces, expected.ces)) wrong.push('ces');
  for (const figure of report.questions) {
    const { questionId, type, series, comparableSinceVersion, conditional, ...rest } = figure as Record<
      string,
      unknown
    >;
    const rated = expected.rated[String(series)];
    if (rated !== undefined && !isDeepStrictEqual(rest, rated)) wrong.push(String(questionId));
    const choices = expected.choices[String(series)];
    if (choices !== undefined) {
      const counts = Object.fromEntries(
        ((rest.distribution ?? []) as { value: string; count: number }[])
          .filter((d) => d.count)
          .map((d) => [d.value, d.count]),
      );
      if (!isDeepStrictEqual(counts, choices)) wrong.push(String(questionId));
    }
  }
  return wrong;
}

function sizeTable(sizes: AnswerSize[]): string[] {
  return [
    '| stored answer | request body bytes | item bytes (AWS rule) | WCU per write | DynamoDB Local charged |',
    '|---|---:|---:|---:|---:|',
    ...sizes.map((s) => `| ${s.case} | ${s.bodyBytes} | ${s.itemBytes} | ${s.writeUnits} | ${fmt(s.localUnits)} |`),
  ];
}

async function main() {
  const answers = Number(process.env.SCALE_ANSWERS) || 800;
  const runtime = await startBenchRuntime({
    // The local stream poller reads every counter write the runs make (and ignores them): rarely.
    stream: { pollIntervalMs: 30_000 },
  });
  const proxy = await startConflictProxy(runtime.dynamoEndpoint);
  const lines: string[] = [];
  let failed = false;
  let cells: CellSizes | undefined;
  const targetOf = (survey: { id: string; version: number; questions: never[] }) => ({
    dynamoEndpoint: proxy.endpoint,
    tableName: runtime.tableName,
    surveyId: survey.id,
    surveyVersion: survey.version,
    questions: survey.questions,
  });
  try {
    const demo = runtime.demoSurveyId;
    if (!demo) throw new Error('the scale bench needs the seeded demo survey');
    progress('answer sizes');
    const sizes = await measureAnswerSizes(runtime, demo);
    lines.push(...sizeTable(sizes), '');
    lines.push(
      '| layout | stream shards | answers | counter transactions | conflicts | share cancelled | batch retries (most for one batch) | answers/s | × K=1 | report = in-memory statistics |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    const base = new Map<Layout, number>();
    const reportsByShards = new Map<number, unknown>();
    for (const layout of LAYOUTS) {
      for (const shards of SHARDS) {
        const survey = await freshSurvey(runtime);
        progress(`${layout}, ${shards} shard(s), ${answers} answers`);
        const run = await simulate(targetOf(survey), layout, shards, answers);
        if (layout === 'shared' && shards === SHARDS[SHARDS.length - 1]) {
          cells = await measureCellSizes(runtime.dynamoEndpoint, runtime.tableName, survey.id);
        }
        const wrong = mismatches(run, survey.questions);
        // Same K, same seeds: both layouts saw the same answers, so their reports must be the same.
        const { surveyId: _id, ...comparable } = run.report;
        const other = reportsByShards.get(shards);
        if (other === undefined) reportsByShards.set(shards, comparable);
        else if (!isDeepStrictEqual(other, comparable)) wrong.push('differs from the shared layout');
        if (wrong.length) failed = true;
        if (shards === 1) base.set(layout, run.answersPerSecond);
        lines.push(
          `| ${layout} | ${shards} | ${run.answers} | ${run.transactions} | ${run.conflicts} | ${fmt((100 * run.conflicts) / run.transactions)} % | ${run.batchRetries} (${run.mostRetries}) | ${fmt(run.answersPerSecond)} | ${fmt(run.answersPerSecond / (base.get(layout) ?? run.answersPerSecond))} | ${wrong.length ? `**no**: ${wrong.join(', ')}` : 'yes'} |`,
        );
      }
    }
    lines.push('', `${answers} answers per run, split over its shards; batches of ${BATCH_SIZE} answers.`, '');
    if (cells) {
      lines.push(
        `Aggregate cells of the survey-day after ${answers} answers: ${cells.cells} cells, ${cells.totalBytes} bytes, the largest ${cells.largestBytes} bytes; one transaction updating each once costs ${cells.transactionUnits} WCU.`,
        '',
      );
    }
    // The whole stream path of one shard, follow-ups included: the round trips one batch needs.
    const survey = await freshSurvey(runtime);
    progress(`one stream shard with follow-ups, ${FULL_PATH_ANSWERS} answers`);
    const full = await simulate(targetOf(survey), 'shared', 1, FULL_PATH_ANSWERS, { followUps: true });
    if (mismatches(full, survey.questions).length) failed = true;
    const perBatch = (n: number) => fmt(n / full.batches);
    lines.push(
      `One stream shard, the whole path (follow-ups included), ${full.answers} answers in ${full.batches} batches, ${fmt((100 * full.detractors) / full.answers)} % detractors:`,
      '',
      '| call per batch of 100 | round trips |',
      '|---|---:|',
      ...Object.entries(full.calls).map(([name, n]) => `| ${name.replace(/Command$/, '')} | ${perBatch(n)} |`),
      `| **all** | **${perBatch(Object.values(full.calls).reduce((a, b) => a + b, 0))}** |`,
      '',
      `The follow-up writes of a batch overlap: at most ${full.peakInFlight} calls were in flight at once.`,
    );
  } finally {
    await proxy.close();
    await runtime.stop();
  }
  console.log(lines.join('\n'));
  if (failed) {
    console.error('bench:scale: a report did not match the answers it was built from');
    process.exit(1);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
