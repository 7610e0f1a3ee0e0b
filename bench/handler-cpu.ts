/**
 * CPU time per invocation of the real handlers, DynamoDB mocked (`aws-sdk-client-mock` on the
 * document client, canned responses), against a bare handler that only parses the body and builds the
 * PutCommand (bench/fixtures/bare-handler.ts). What is measured is our code plus its libraries (middy,
 * zod, Powertools with logs silenced and metrics disabled), not the SDK: the mock answers at
 * `DynamoDBDocumentClient.send`, so marshalling, signing and HTTP are not part of any case.
 *
 * Invocations run one after another in this process after a warm-up; CPU = process.cpuUsage()
 * (user + system) over the timed loop / invocations. Every invocation's status is checked.
 *
 * In-process caveats: the mock patches DynamoDBDocumentClient.prototype.send until this returns, so
 * nothing else may use DynamoDB meanwhile; and handler modules load once per process, so if this runs
 * before the local runtime (local/runtime.ts) has loaded them, the runtime would get modules built
 * with this bench's environment. Run it after startRuntime, or in its own process.
 */
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import type { AggregateRow } from '../functions/domain/surveys/aggregation';
import { demoSurvey } from '../local/demo-data';
import { seededRandom, syntheticAnswer } from './synthetic';

export interface CpuResult {
  name: string;
  invocations: number;
  /** CPU (user + system) per invocation, µs. */
  cpuMicrosPerInvocation: number;
  /** cpuMicrosPerInvocation / the bare handler's (1 for the bare handler). */
  ratioToBare: number;
  /** For the submission and the report: cpuMicrosPerInvocation / its own floor, and the target. */
  floor?: { name: string; ratio: number; target: number };
}

export interface HandlerCpuOptions {
  /** Target CPU seconds of each timed loop (default 3); N is calibrated per case from it. */
  targetSeconds?: number;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface Case {
  name: string;
  handler: Handler;
  expectedStatus: number;
  /** Builds the i-th distinct event of the pool the loop cycles through. */
  event: (i: number) => APIGatewayProxyEventV2;
}

export const BARE_NAME = 'bare: JSON.parse + build PutCommand';
export const VALIDATED_FLOOR_NAME = 'floor: JSON.parse + the same zod schema + build PutCommand';
export const REPORT_FLOOR_NAME = 'floor: unmarshall the same aggregate items + serialise a body of the same size';

const ENV: Record<string, string> = {
  TABLE_NAME: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHDUMMY',
  AWS_SECRET_ACCESS_KEY: 'bench-dummy-secret',
  PHONE_REGION: 'CN',
  POWERTOOLS_SERVICE_NAME: 'rapport-bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const ORIGIN = 'https://shop.example.com';
const DAYS = 90;
const DAY_MS = 86_400_000;
/** Distinct events per case; the loop cycles through them (the handlers do not keep per-event state). */
const POOL = 1024;
const WARMUP_MS = 1000;
const CALIBRATION_MS = 300;
const MIN_INVOCATIONS = 100;

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function invoke(
  c: Case,
  events: APIGatewayProxyEventV2[],
  count: number,
  context: Context,
  offset = 0,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await c.handler(events[(offset + i) % events.length]!, context);
    if (result.statusCode !== c.expectedStatus) {
      throw new Error(
        `${c.name}: status ${result.statusCode}, expected ${c.expectedStatus}: ${String(result.body).slice(0, 300)}`,
      );
    }
  }
}

/** Warm-up (≥ WARMUP_MS), calibration of N to ~targetSeconds of CPU, then the timed loop. */
async function measureCase(c: Case, context: Context, targetSeconds: number, resetHistory: () => void) {
  const events = Array.from({ length: POOL }, (_, i) => c.event(i));
  const warmStart = performance.now();
  let done = 0;
  while (performance.now() - warmStart < WARMUP_MS) {
    await invoke(c, events, 10, context, done);
    done += 10;
  }
  resetHistory();
  // Calibration: about CALIBRATION_MS of CPU, however slow one invocation is.
  let probed = 0;
  const before = cpuMicros();
  while (cpuMicros() - before < CALIBRATION_MS * 1000) {
    await invoke(c, events, 10, context, probed);
    probed += 10;
  }
  const perCall = Math.max((cpuMicros() - before) / probed, 0.1);
  const invocations = Math.min(2_000_000, Math.max(MIN_INVOCATIONS, Math.round((targetSeconds * 1e6) / perCall)));
  resetHistory();
  const start = cpuMicros();
  await invoke(c, events, invocations, context);
  const spent = cpuMicros() - start;
  resetHistory();
  return { name: c.name, invocations, cpuMicrosPerInvocation: spent / invocations };
}

export async function benchHandlerCpu(options: HandlerCpuOptions = {}): Promise<CpuResult[]> {
  const targetSeconds = options.targetSeconds ?? 3;
  // Environment first, handlers after: they build their clients and read TABLE_NAME at load.
  const savedEnv = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
  Object.assign(process.env, ENV);
  const ddb = mockClient(DynamoDBDocumentClient);
  try {
    const { apiEvent, lambdaContext } = await import('../test/support/events');
    const { surveyCreateSchema } = await import('../functions/domain/surveys/survey-schema');
    const { factsOf } = await import('../functions/domain/surveys/response');
    const { aggregateAdditions, sumRows } = await import('../functions/domain/surveys/aggregation');
    const { aggregateKeys, saltKeys, surveyKeys } = await import('../functions/adapters/dynamodb/keys');
    const publicApi = (await import('../functions/handlers/public-api')).handler as Handler;
    const adminApi = (await import('../functions/handlers/admin-api')).handler as Handler;
    const bare = (await import('./fixtures/bare-handler')).handler as Handler;
    const validated = (await import('./fixtures/validated-handler')).handler as Handler;
    const { reportFloor } = await import('./fixtures/report-floor');
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');

    // An active survey as DynamoSurveyStore stores it: the demo survey (every question type), version 1.
    const surveyId = ulid();
    const now = new Date();
    const created = new Date(now.getTime() - 120 * DAY_MS).toISOString();
    const definition = surveyCreateSchema.parse(demoSurvey([ORIGIN, 'https://www.example.com']));
    const survey = {
      ...definition,
      id: surveyId,
      status: 'active' as const,
      version: 1,
      revision: 2,
      questions: definition.questions.map((q) => ({ ...q, since: 1 })),
      createdAt: created,
      updatedAt: created,
      activatedAt: created,
    };
    const surveyItem = {
      ...surveyKeys.definition(surveyId),
      ...surveyKeys.index(surveyId),
      entity: 'survey',
      ...survey,
    };

    // 90 days of aggregates, produced by the aggregator's own functions from ~40 synthetic responses a
    // day: per day T, Q × 4 rated questions, C × 1 choice, S × 3 segments = 9 items.
    const today = now.toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    const random = seededRandom(42);
    const aggregateItems: Record<string, unknown>[] = [];
    for (let d = 0; d < DAYS; d++) {
      const day = new Date(Date.parse(`${from}T00:00:00Z`) + d * DAY_MS).toISOString().slice(0, 10);
      const totals = new Map<string, AggregateRow>();
      for (let r = 0; r < 40; r++) {
        const { answers, segment } = syntheticAnswer(random);
        sumRows(totals, aggregateAdditions(factsOf(survey.questions, answers, segment), day));
      }
      const items = [...totals.values()].map((cell) => ({
        ...aggregateKeys.item(surveyId, cell),
        counts: cell.counts,
      }));
      for (const { PK, SK, counts } of items.sort((a, b) => a.SK.localeCompare(b.SK))) {
        aggregateItems.push({ PK, SK, entity: 'aggregate', ...counts });
      }
    }

    const marshalledAggregates = aggregateItems.map((item) => marshall(item));

    // Canned DynamoDB: unknown commands answer undefined, which the handlers turn into errors (and the
    // status check then stops the bench).
    ddb.on(GetCommand).callsFake((input: { Key?: Record<string, unknown> }) => {
      if (input.Key?.PK === `SURVEY#${surveyId}` && input.Key?.SK === 'DEFINITION') return { Item: surveyItem };
      // The day's client-hash salt (read once per day and process, then cached).
      const salt = saltKeys.item(now.toISOString().slice(0, 10));
      if (input.Key?.PK === salt.PK && input.Key?.SK === salt.SK) return { Item: { ...salt, salt: 'bench-salt' } };
      throw new Error(`unexpected GetCommand ${JSON.stringify(input.Key)}`);
    });
    ddb
      .on(QueryCommand)
      .callsFake((input: { IndexName?: string; ExpressionAttributeValues?: Record<string, unknown> }) => {
        if (input.IndexName === 'GSI2') return { Items: [] };
        // Unmarshalled on every call, as the document client does with what DynamoDB sends.
        if (input.ExpressionAttributeValues?.[':pk'] === aggregateKeys.partition(surveyId))
          return { Items: marshalledAggregates.map((item) => unmarshall(item)) };
        throw new Error(`unexpected QueryCommand ${JSON.stringify(input)}`);
      });
    ddb.on(PutCommand).resolves({});
    // The survey's submission budget (a conditional counter update).
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    const submissionBody = (id: string) => ({
      id,
      surveyVersion: 1,
      locale: 'en-GB',
      answers: {
        overall: 4,
        delivery: 5,
        nps: 9,
        effort: 2,
        channel: 'web',
        comment: 'Fast delivery, but the box was damaged.',
      },
      segment: 'smb',
      page: `${ORIGIN}/checkout/complete`,
      metadata: { orderValue: 129.5, app: 'web', returning: true },
    });
    const submission = (i: number) =>
      apiEvent('POST', `/v1/surveys/${surveyId}/responses`, {
        body: submissionBody(ulid(now.getTime() - i)),
        headers: { origin: ORIGIN },
      });
    const customers = [
      {
        name: 'Li Wei',
        email: 'li.wei@example.com',
        phone: '138 0013 8000',
        company: 'Acme China',
        segment: 'enterprise',
        tags: ['vip', 'beijing'],
      },
      {
        name: 'Emma Johnson',
        email: 'emma.johnson@example.com',
        phone: '+44 20 7946 0958',
        company: 'Northwind Ltd',
        segment: 'enterprise',
        tags: ['uk'],
      },
      {
        name: '陈静',
        email: 'chen.jing@example.cn',
        phone: '137 7777 8888',
        company: '华南物流',
        segment: 'smb',
        tags: ['vip'],
        attributes: { plan: 'gold', seats: 120 },
      },
    ];

    const reportEvent = () =>
      apiEvent('GET', `/v1/surveys/${surveyId}/report`, {
        query: { from, to: today, granularity: 'day' },
        groups: ['admin'],
      });
    const sample = await adminApi(reportEvent(), lambdaContext);
    const reportBytes = Buffer.byteLength(String(sample.body ?? ''));
    const reportName = `admin-api: GET /v1/surveys/{id}/report (${DAYS} days, ${aggregateItems.length} aggregate items, ${reportBytes.toLocaleString('en')} B)`;
    const submissionName = 'public-api: POST /v1/surveys/{id}/responses';

    const cases: Case[] = [
      {
        name: submissionName,
        handler: publicApi,
        expectedStatus: 201,
        event: submission,
      },
      { name: reportName, handler: adminApi, expectedStatus: 200, event: reportEvent },
      {
        name: 'admin-api: POST /v1/customers',
        handler: adminApi,
        expectedStatus: 201,
        event: (i) => {
          const c = customers[i % customers.length]!;
          return apiEvent('POST', '/v1/customers', {
            body: { ...c, email: c.email.replace('@', `+${i}@`) },
            groups: ['admin'],
          });
        },
      },
      { name: BARE_NAME, handler: bare, expectedStatus: 201, event: submission },
      { name: VALIDATED_FLOOR_NAME, handler: validated, expectedStatus: 201, event: submission },
      {
        name: REPORT_FLOOR_NAME,
        handler: reportFloor(marshalledAggregates, reportBytes),
        expectedStatus: 200,
        event: reportEvent,
      },
    ];

    const measured: Omit<CpuResult, 'ratioToBare' | 'floor'>[] = [];
    for (const c of cases) measured.push(await measureCase(c, lambdaContext, targetSeconds, () => ddb.resetHistory()));
    const cpuOf = (name: string) => measured.find((m) => m.name === name)?.cpuMicrosPerInvocation ?? Number.NaN;
    const floors: Record<string, { name: string; target: number }> = {
      [submissionName]: { name: VALIDATED_FLOOR_NAME, target: 3 },
      [reportName]: { name: REPORT_FLOOR_NAME, target: 3 },
    };
    return measured.map((m) => {
      const floor = floors[m.name];
      return {
        ...m,
        ratioToBare: m.cpuMicrosPerInvocation / cpuOf(BARE_NAME),
        ...(floor ? { floor: { ...floor, ratio: m.cpuMicrosPerInvocation / cpuOf(floor.name) } } : {}),
      };
    });
  } finally {
    ddb.restore();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
