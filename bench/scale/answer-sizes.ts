/**
 * The size of stored answers, measured: answers sent through the real submission route of a local
 * runtime and read back raw from DynamoDB Local. Typical = synthetic answers to the demo survey as
 * the widget sends them (a page, a segment, a comment one time in five); largest = the biggest body
 * the route accepts for the demo survey (a 500-character Chinese comment, a contact e-mail, a
 * 2,000-character page, metadata up to the 16 KiB body limit: more is refused with 413).
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { responseKeys } from '../../functions/adapters/dynamodb/keys';
import { SURVEY_LIMITS } from '../../functions/domain/surveys/survey-schema';
import { createLocalDynamoClient } from '../../local/local-env';
import type { Runtime } from '../../local/runtime';
import { seededRandom, syntheticAnswer } from '../synthetic';
import { itemBytes, writeUnits } from './item-size';

export interface AnswerSize {
  case: string;
  bodyBytes: number;
  itemBytes: number;
  /** 1 WCU per started KB (AWS's rule). */
  writeUnits: number;
  /** What DynamoDB Local charged for a PutItem of the same item (ReturnConsumedCapacity). */
  localUnits: number;
}

const TYPICAL = 40;

export async function measureAnswerSizes(runtime: Runtime, surveyId: string): Promise<AnswerSize[]> {
  const origin = new URL(runtime.url).origin;
  const client = createLocalDynamoClient(runtime.dynamoEndpoint);
  const widget = (await (await fetch(`${runtime.url}/v1/surveys/${surveyId}/widget`)).json()) as { version: number };
  const submit = async (body: Record<string, unknown>) => {
    const id = ulid();
    const text = JSON.stringify({ id, surveyVersion: widget.version, ...body });
    const res = await fetch(`${runtime.url}/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: text,
    });
    if (res.status !== 201)
      throw new Error(`submission refused with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    const day = new Date().toISOString().slice(0, 10);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: runtime.tableName,
        Key: { PK: { S: responseKeys.partition(surveyId, day) }, SK: { S: id } },
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new Error(`answer ${id} was not stored`);
    // A copy under another key (and another entity, so the stream leaves it alone), to ask what it costs.
    const copy = { ...Item, PK: { S: `BENCH#SIZE#${id}` }, entity: { S: 'benchcpy' } };
    const put = await client.send(
      new PutItemCommand({ TableName: runtime.tableName, Item: copy, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return {
      bodyBytes: Buffer.byteLength(text),
      itemBytes: itemBytes(Item),
      localUnits: put.ConsumedCapacity?.CapacityUnits ?? 0,
    };
  };

  const random = seededRandom(14);
  const typical: { bodyBytes: number; itemBytes: number; localUnits: number }[] = [];
  for (let i = 0; i < TYPICAL; i++) {
    const { answers, segment } = syntheticAnswer(random);
    typical.push(await submit({ locale: 'en', answers, segment, page: 'https://shop.example.com/orders/thank-you' }));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const largestTypical = typical.reduce((a, b) => (b.itemBytes > a.itemBytes ? b : a));

  // The largest body the route accepts for this survey: fill metadata until the next key would pass 16 KiB.
  const base = {
    locale: 'zh-CN',
    answers: {
      overall: 1,
      delivery: 1,
      nps: 0,
      effort: 7,
      channel: 'store',
      comment: '差'.repeat(500),
      contact: { email: 'a-rather-long-address.for-the-test@example.com', consent: true },
    },
    email: 'a-rather-long-address.for-the-test@example.com',
    segment: 'enterprise',
    page: `https://shop.example.com/${'p'.repeat(1_960)}`,
  };
  const metadata: Record<string, string> = {};
  const idLength = 26 + 40; // the id and surveyVersion fields added by `submit`
  for (let k = 0; k < SURVEY_LIMITS.metadataKeys; k++) {
    const key = `k${String(k).padStart(2, '0')}${'x'.repeat(61)}`;
    let value = '值'.repeat(SURVEY_LIMITS.metadataValue);
    while (
      value.length &&
      Buffer.byteLength(JSON.stringify({ ...base, metadata: { ...metadata, [key]: value } })) + idLength >
        SURVEY_LIMITS.responseBodyBytes
    ) {
      value = value.slice(1);
    }
    if (!value.length) break;
    metadata[key] = value;
  }
  const largest = await submit({ ...base, metadata });
  client.destroy();
  return [
    {
      case: `typical: mean of ${TYPICAL} demo answers`,
      bodyBytes: Math.round(mean(typical.map((t) => t.bodyBytes))),
      itemBytes: Math.round(mean(typical.map((t) => t.itemBytes))),
      writeUnits: writeUnits(mean(typical.map((t) => t.itemBytes))),
      localUnits: mean(typical.map((t) => t.localUnits)),
    },
    { case: 'typical: the largest of them', ...largestTypical, writeUnits: writeUnits(largestTypical.itemBytes) },
    { case: 'largest accepted (16 KiB body)', ...largest, writeUnits: writeUnits(largest.itemBytes) },
  ];
}
