/**
 * DynamoDB write units per accepted response, everything included: the submission's own writes
 * (response, guards, markers), the global secondary indexes, and the stream aggregation that follows
 * (counters, exactly-once markers, follow-ups, feedback counters). Floor: one small PutItem = 1 WCU.
 *
 * How: the handlers of a local runtime talk to DynamoDB Local through a loopback proxy that adds
 * `ReturnConsumedCapacity: INDEXES` to every write and adds up the `ConsumedCapacity` DynamoDB Local
 * answers with: 1 WCU per started KB per item and per index entry (and 1 WCU for a write whose
 * condition failed, which AWS charges and DynamoDB Local does not report). For transactions DynamoDB Local's
 * table figure is not AWS's (it reports 4 units for three small puts, where AWS charges 2 per item),
 * so transactions are charged by AWS's rule from the request instead: 2 WCU per item (a lower bound:
 * an item over 1 KB costs more), plus the index units DynamoDB Local reports. The handlers read their
 * endpoint once per process, so each way of sending runs in a child process of its own
 * (`tsx bench/write-units.ts <mode>` prints JSON on its last line).
 *
 * Two ways of sending, because the stream's per-batch costs (counter cells, arrival hours) are shared
 * by the answers of a batch:
 * - `one-at-a-time`: each answer waits for the previous one; the poller (every 200 ms) sees 1–2 per batch.
 * - `batched`: answers sent 16 at a time while the poller waits 1 s between polls, as Lambda's
 *   `maxBatchingWindow` of 1 s does, so its batches fill towards `batchSize` 100 like Lambda's under load.
 *   The records per aggregator invocation are reported, so the batch sizes behind the figure are visible.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { findFreePort, LOOPBACK } from '../local/free-port';
import { createLocalDynamoClient } from '../local/local-env';
import { startBenchRuntime } from './bench-runtime';
import { seededRandom, syntheticAnswer } from './synthetic';

const WRITE_TARGETS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const RESPONSES = 300;
/** Answers in flight at once in the batched mode (the load bench's connection count). */
const CONCURRENCY = 16;

export type SendingMode = 'one-at-a-time' | 'batched';
const MODES: readonly SendingMode[] = ['one-at-a-time', 'batched'];

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export interface WriteUnitsResult {
  mode: SendingMode;
  responses: number;
  /** Aggregator invocations while the answers were counted, and the stream records they were handed. */
  aggregator: { invocations: number; records: number; recordsPerInvocation: number };
  /** Write units by operation (`PutItem`, `TransactWriteItems`, …) and where they went (table, each index). */
  byOperation: Record<string, { calls: number; items: number; table: number; indexes: Record<string, number> }>;
  totalUnits: number;
  unitsPerResponse: number;
  /** The floor: one small item written once (measured through the same proxy). */
  floorUnits: number;
  ratio: number;
  /** Follow-up tasks the responses created (each is an item with two index entries). */
  followUps: number;
}

/** A proxy to DynamoDB Local that asks for and adds up the consumed write capacity. */
async function startCountingProxy(target: string) {
  const totals: WriteUnitsResult['byOperation'] = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body = Buffer.concat(chunks);
      const counted = WRITE_TARGETS.has(operation);
      let transactionItems = 0;
      if (counted) {
        const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'INDEXES';
        if (Array.isArray(input.TransactItems)) {
          // Condition checks cost like a write of the item too (AWS: "TransactWriteItems … 2 WCU per item").
          transactionItems = input.TransactItems.length;
        }
        body = Buffer.from(JSON.stringify(input));
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          const payload = Buffer.concat(out);
          if (counted && answer.statusCode === 400 && payload.includes('ConditionalCheckFailedException')) {
            // AWS charges a write whose condition failed as a write (1 WCU for an item of up to 1 KB, a
            // lower bound); DynamoDB Local reports nothing for it.
            const key = `${operation} (condition failed)`;
            const entry = totals[key] ?? { calls: 0, items: 0, table: 0, indexes: {} };
            totals[key] = entry;
            entry.calls++;
            entry.items++;
            entry.table++;
          }
          if (counted && answer.statusCode === 200) {
            const parsed = JSON.parse(payload.toString('utf8')) as { ConsumedCapacity?: Capacity | Capacity[] };
            const entry = totals[operation] ?? { calls: 0, items: 0, table: 0, indexes: {} };
            totals[operation] = entry;
            entry.calls++;
            entry.items += transactionItems || 1;
            if (transactionItems) entry.table += 2 * transactionItems;
            const capacities = [parsed.ConsumedCapacity ?? []].flat();
            for (const c of capacities) {
              if (!transactionItems) entry.table += c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0;
              for (const [name, gsi] of Object.entries(c.GlobalSecondaryIndexes ?? {})) {
                entry.indexes[name] = (entry.indexes[name] ?? 0) + (gsi.CapacityUnits ?? 0);
              }
            }
          }
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          res.end(payload);
        });
      });
      upstream.on('error', (err) => res.destroy(err));
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  const sum = () =>
    Object.values(totals).reduce((n, e) => n + e.table + Object.values(e.indexes).reduce((a, b) => a + b, 0), 0);
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    totals,
    sum,
    reset: () => {
      for (const key of Object.keys(totals)) delete totals[key];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function measureInThisProcess(mode: SendingMode): Promise<WriteUnitsResult> {
  const dynamoPort = await findFreePort();
  const proxy = await startCountingProxy(`http://${LOOPBACK}:${dynamoPort}`);
  const runtime = await startBenchRuntime({
    dynamoPort,
    env: { DYNAMODB_ENDPOINT: proxy.endpoint },
    // Lambda's maxBatchingWindow (1 s) for the batched mode; the runtime's default otherwise.
    ...(mode === 'batched' ? { stream: { pollIntervalMs: 1000 } } : {}),
  });
  try {
    const surveyId = runtime.demoSurveyId;
    if (!surveyId) throw new Error('the write-units bench needs the seeded demo survey');
    await runtime.drainStream({ timeoutMs: 120_000 });

    // The floor: one small item put once, through the same proxy and client settings.
    proxy.reset();
    const client = createLocalDynamoClient(proxy.endpoint);
    await client.send(
      new PutItemCommand({
        TableName: runtime.tableName,
        Item: { PK: { S: `BENCH#${ulid()}` }, SK: { S: 'FLOOR' }, n: { N: '1' } },
      }),
    );
    client.destroy();
    const floorUnits = proxy.sum();

    const origin = new URL(runtime.url).origin;
    const widget = (await (await fetch(`${runtime.url}/v1/surveys/${surveyId}/widget`)).json()) as { version: number };
    const random = seededRandom(1_130);
    proxy.reset();
    const before = { invocations: runtime.stats.invocations, delivered: runtime.stats.delivered };
    let accepted = 0;
    const bodies = Array.from({ length: RESPONSES }, () => syntheticAnswer(random));
    const send = async ({ answers, segment }: ReturnType<typeof syntheticAnswer>) => {
      const res = await fetch(`${runtime.url}/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ id: ulid(), surveyVersion: widget.version, locale: 'en', answers, segment }),
      });
      if (res.status === 201) accepted++;
      await res.arrayBuffer();
    };
    const lanes = mode === 'batched' ? CONCURRENCY : 1;
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let i = next++; i < bodies.length; i = next++) await send(bodies[i] as ReturnType<typeof syntheticAnswer>);
      }),
    );
    await runtime.drainStream({ timeoutMs: 120_000 });
    const totalUnits = proxy.sum();
    const report = (await (
      await fetch(`${runtime.url}/v1/surveys/${surveyId}/report`, {
        headers: { authorization: `Bearer ${runtime.tokens.analyst}` },
      })
    ).json()) as { followUps: { total: number } };
    const invocations = runtime.stats.invocations - before.invocations;
    const records = runtime.stats.delivered - before.delivered;
    return {
      mode,
      responses: accepted,
      aggregator: { invocations, records, recordsPerInvocation: invocations ? records / invocations : 0 },
      byOperation: structuredClone(proxy.totals),
      totalUnits,
      unitsPerResponse: totalUnits / accepted,
      floorUnits,
      ratio: totalUnits / accepted / floorUnits,
      followUps: report.followUps.total,
    };
  } finally {
    await runtime.stop();
    await proxy.close();
  }
}

/** Runs one way of sending in a child process (the handlers bind their DynamoDB endpoint once per process). */
function benchMode(mode: SendingMode): Promise<WriteUnitsResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`write-units bench (${mode}) exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(last) as WriteUnitsResult);
    });
  });
}

/** Both rows: answers sent one at a time, and sent concurrently so the stream's batches fill. */
export async function benchWriteUnits(): Promise<WriteUnitsResult[]> {
  const results: WriteUnitsResult[] = [];
  for (const mode of MODES) results.push(await benchMode(mode));
  return results;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const mode = (MODES as readonly string[]).includes(process.argv[2] ?? '')
    ? (process.argv[2] as SendingMode)
    : 'one-at-a-time';
  measureInThisProcess(mode)
    .then((result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
