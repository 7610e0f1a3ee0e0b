/**
 * CPU time per invocation of the real handlers against floors, in one process. DynamoDB is answered at
 * the HTTP layer by canned responses (bench/fixtures/canned-dynamodb.ts), so the real SDK work —
 * marshalling, JSON serialisation, signing, retries, parsing and unmarshalling the answers — is paid by
 * the handlers as in Lambda, and paid the same way by the floors that make DynamoDB calls. Only the
 * network is gone. Powertools logs are silenced and metrics disabled.
 *
 * Floors: the submission against `validated` (parse + the same zod schema + build the PutCommand, no
 * call: the target) and `validated + SDK` (the same, then the budget counter update and the
 * put sent); the report against `report` (unmarshall the same aggregate items + serialise a body of
 * the same size) and `report + SDK` (the same items read with the report's own DynamoDB calls). Each
 * case prints its DynamoDB calls per invocation, so a reader sees that a floor makes the same calls.
 *
 * Invocations run one after another in this process after a warm-up; CPU = process.cpuUsage()
 * (user + system) over the timed loop / invocations. Every invocation's status is checked.
 *
 * In-process caveats: the canned handler replaces NodeHttpHandler.prototype.handle until this returns,
 * so nothing else may use DynamoDB meanwhile; and handler modules load once per process, so if this runs
 * before the local runtime (local/runtime.ts) has loaded them, the runtime would get modules built
 * with this bench's environment. Run it after startRuntime, or in its own process.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { AggregateRow } from '../functions/domain/surveys/aggregation';
import { demoSurvey } from '../local/demo-data';
import { CANNED_HARNESS, type CannedRoute, installCannedDynamoDb } from './fixtures/canned-dynamodb';
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
  /** For the submission and the report: cpuMicrosPerInvocation / its floor that makes the same DynamoDB calls. */
  sdkFloor?: { name: string; ratio: number };
  /** DynamoDB calls per invocation, by operation, as the canned HTTP layer answered them. */
  dynamoCalls: Record<string, number>;
}

export interface HandlerCpuRun {
  /** How DynamoDB was answered (printed with the results). */
  harness: string;
  results: CpuResult[];
}

export interface HandlerCpuOptions {
  /** Target CPU seconds of each timed loop (default 3); N is calibrated per case from it. */
  targetSeconds?: number;
  /** Only the cases whose name starts with one of these (for profiling one case); default all. */
  only?: string[];
  /** Told the name of each case as it starts (progress). */
  onCase?: (name: string) => void;
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
export const VALIDATED_SDK_FLOOR_NAME =
  'floor + SDK: the same, then the budget counter UpdateItem and the PutItem sent through the SDK';
export const REPORT_FLOOR_NAME = 'floor: unmarshall the same aggregate items + serialise a body of the same size';
export const REPORT_SDK_FLOOR_NAME =
  "floor + SDK: the same items read with the report's DynamoDB calls (GetItem, Queries) + the same body";

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
/** Timed rounds: every case runs a slice of its invocations in each. */
const ROUNDS = 10;

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

type Measured = Omit<CpuResult, 'ratioToBare' | 'floor' | 'sdkFloor'>;

/**
 * Each case warms up (≥ WARMUP_MS) and is calibrated to ~targetSeconds of CPU; then the timed loops
 * run in ROUNDS rounds, every case a slice per round, so a change in the machine's load during the run
 * (other processes on a shared machine) falls on all cases alike and the ratios stay comparable.
 */
async function measureCases(
  cases: Case[],
  context: Context,
  targetSeconds: number,
  dynamo: { reset(): void; calls(): Record<string, number> },
  onCase?: (name: string) => void,
): Promise<Measured[]> {
  const prepared = [];
  for (const c of cases) {
    onCase?.(c.name);
    const events = Array.from({ length: POOL }, (_, i) => c.event(i));
    const warmStart = performance.now();
    let done = 0;
    while (performance.now() - warmStart < WARMUP_MS) {
      await invoke(c, events, 10, context, done);
      done += 10;
    }
    // Calibration: about CALIBRATION_MS of CPU, however slow one invocation is.
    let probed = 0;
    const before = cpuMicros();
    while (cpuMicros() - before < CALIBRATION_MS * 1000) {
      await invoke(c, events, 10, context, probed);
      probed += 10;
    }
    const perCall = Math.max((cpuMicros() - before) / probed, 0.1);
    const perRound = Math.max(
      Math.ceil(MIN_INVOCATIONS / ROUNDS),
      Math.round((targetSeconds * 1e6) / ROUNDS / perCall),
    );
    prepared.push({ c, events, perRound, invocations: 0, spent: 0, calls: {} as Record<string, number> });
  }
  for (let round = 0; round < ROUNDS; round++) {
    onCase?.(`timed round ${round + 1} of ${ROUNDS}`);
    for (const p of prepared) {
      dynamo.reset();
      const start = cpuMicros();
      await invoke(p.c, p.events, p.perRound, context, p.invocations);
      p.spent += cpuMicros() - start;
      p.invocations += p.perRound;
      for (const [op, n] of Object.entries(dynamo.calls())) p.calls[op] = (p.calls[op] ?? 0) + n;
    }
  }
  dynamo.reset();
  return prepared.map((p) => ({
    name: p.c.name,
    invocations: p.invocations,
    cpuMicrosPerInvocation: p.spent / p.invocations,
    dynamoCalls: Object.fromEntries(Object.entries(p.calls).map(([op, n]) => [op, n / p.invocations])),
  }));
}

export async function benchHandlerCpu(options: HandlerCpuOptions = {}): Promise<HandlerCpuRun> {
  const targetSeconds = options.targetSeconds ?? 3;
  // Environment first, handlers after: they build their clients and read TABLE_NAME at load.
  const savedEnv = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
  Object.assign(process.env, ENV);
  // Answers are chosen per request by `route`, set once the data below exists.
  let route: CannedRoute = () => undefined;
  const dynamo = installCannedDynamoDb((operation, body) => route(operation, body));
  try {
    const { apiEvent, lambdaContext } = await import('../test/support/events');
    const { surveyCreateSchema } = await import('../functions/domain/surveys/survey-schema');
    const { factsOf } = await import('../functions/domain/surveys/response');
    const { aggregateAdditions, sumRows } = await import('../functions/domain/surveys/aggregation');
    const { aggregateKeys, followUpKeys, saltKeys, surveyKeys } = await import('../functions/adapters/dynamodb/keys');
    const publicApi = (await import('../functions/handlers/public-api')).handler as Handler;
    const adminApi = (await import('../functions/handlers/admin-api')).handler as Handler;
    const bare = (await import('./fixtures/bare-handler')).handler as Handler;
    const validated = (await import('./fixtures/validated-handler')).handler as Handler;
    const { validatedSdkHandler } = await import('./fixtures/validated-sdk-handler');
    const { reportFloor, reportSdkFloor } = await import('./fixtures/report-floor');
    const { marshall } = await import('@aws-sdk/util-dynamodb');

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

    // Canned DynamoDB, as JSON text the way DynamoDB sends it. Unknown reads answer a 400, which the
    // handlers turn into errors (and the status check then stops the bench).
    const json = (value: unknown) => ({ body: JSON.stringify(value) });
    const surveyAnswer = json({ Item: marshall(surveyItem, { removeUndefinedValues: true }) });
    const saltKey = saltKeys.item(now.toISOString().slice(0, 10));
    const saltAnswer = json({ Item: marshall({ ...saltKey, salt: 'bench-salt' }) });
    const aggregatePk = aggregateKeys.partition(surveyId);
    const aggregateAnswer = json({
      Items: marshalledAggregates,
      Count: marshalledAggregates.length,
      ScannedCount: marshalledAggregates.length,
    });
    const emptyQuery = json({ Items: [], Count: 0, ScannedCount: 0 });
    route = (operation, body) => {
      switch (operation) {
        case 'GetItem':
          if (body.includes('"DEFINITION"') && body.includes(surveyId)) return surveyAnswer;
          if (body.includes(saltKey.PK)) return saltAnswer;
          return json({});
        case 'Query':
          if (body.includes('"GSI2"')) return emptyQuery;
          if (body.includes(aggregatePk)) return aggregateAnswer;
          return undefined;
        case 'PutItem':
        case 'UpdateItem':
        case 'TransactWriteItems':
          return json({});
        default:
          return undefined;
      }
    };

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
      { name: VALIDATED_SDK_FLOOR_NAME, handler: validatedSdkHandler(), expectedStatus: 201, event: submission },
      {
        name: REPORT_FLOOR_NAME,
        handler: reportFloor(marshalledAggregates, reportBytes),
        expectedStatus: 200,
        event: reportEvent,
      },
      {
        name: REPORT_SDK_FLOOR_NAME,
        handler: reportSdkFloor(
          {
            get: { TableName: ENV.TABLE_NAME, Key: surveyKeys.definition(surveyId) },
            queries: [
              {
                TableName: ENV.TABLE_NAME,
                KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
                ExpressionAttributeValues: {
                  ':pk': aggregatePk,
                  ':from': aggregateKeys.range(from, today).from,
                  ':to': aggregateKeys.range(from, today).to,
                },
              },
              {
                TableName: ENV.TABLE_NAME,
                IndexName: 'GSI2',
                KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
                ExpressionAttributeValues: { ':pk': followUpKeys.bySurvey(surveyId), ':from': from, ':to': today },
              },
            ],
          },
          reportBytes,
        ),
        expectedStatus: 200,
        event: reportEvent,
      },
    ];

    const selected = options.only
      ? cases.filter((c) => options.only?.some((prefix) => c.name.startsWith(prefix)))
      : cases;
    const measured = await measureCases(selected, lambdaContext, targetSeconds, dynamo, options.onCase);
    const cpuOf = (name: string) => measured.find((m) => m.name === name)?.cpuMicrosPerInvocation ?? Number.NaN;
    const floors: Record<string, { name: string; target: number; sdk: string }> = {
      [submissionName]: { name: VALIDATED_FLOOR_NAME, target: 3, sdk: VALIDATED_SDK_FLOOR_NAME },
      [reportName]: { name: REPORT_FLOOR_NAME, target: 3, sdk: REPORT_SDK_FLOOR_NAME },
    };
    const results = measured.map((m) => {
      const floor = floors[m.name];
      const ratio = (name: string) => m.cpuMicrosPerInvocation / cpuOf(name);
      return {
        ...m,
        ratioToBare: ratio(BARE_NAME),
        ...(floor
          ? {
              floor: { name: floor.name, target: floor.target, ratio: ratio(floor.name) },
              sdkFloor: { name: floor.sdk, ratio: ratio(floor.sdk) },
            }
          : {}),
      };
    });
    return { harness: CANNED_HARNESS, results };
  } finally {
    dynamo.restore();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
