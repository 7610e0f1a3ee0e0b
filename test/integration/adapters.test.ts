/**
 * A focused test of every DynamoDB adapter against AWS's own DynamoDB Local: conditions and the error
 * each conflict becomes, paging and cursors, exactly-once markers, TTL attributes, error mapping, and
 * exactly which items each call writes. One JVM (in memory) for all of them, and one table per suite
 * created from THE table schema, so a suite can scan its whole table to see what a call wrote.
 *
 * The tests of `functions/adapters/dynamodb/<name>.ts` are in `adapters/<name>.suite.ts`.
 */
import { afterAll, beforeAll } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { ensureTable } from '../../local/bootstrap';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local';
import { createLocalDynamoClient } from '../../local/local-env';
import { cachedSiteSettingsStoreSuite } from './adapters/cached-site-settings-store.suite';
import { cachedSurveyStoreSuite } from './adapters/cached-survey-store.suite';
import { clientSuite } from './adapters/client.suite';
import { type AdapterEnv, type AdapterSuite, AdapterTable } from './adapters/context';
import { cursorSuite } from './adapters/cursor.suite';
import { dynamoAggregateStoreSuite } from './adapters/dynamo-aggregate-store.suite';
import { dynamoAuditStoreSuite } from './adapters/dynamo-audit-store.suite';
import { dynamoCustomerStoreSuite } from './adapters/dynamo-customer-store.suite';
import { dynamoFeedbackStoreSuite } from './adapters/dynamo-feedback-store.suite';
import { dynamoFollowUpStoreSuite } from './adapters/dynamo-followup-store.suite';
import { dynamoIdempotencyStoreSuite } from './adapters/dynamo-idempotency-store.suite';
import { dynamoResponseStoreSuite } from './adapters/dynamo-response-store.suite';
import { dynamoSiteSettingsStoreSuite } from './adapters/dynamo-site-settings-store.suite';
import { dynamoSubmissionLimiterSuite } from './adapters/dynamo-submission-limiter.suite';
import { dynamoSurveyStoreSuite } from './adapters/dynamo-survey-store.suite';
import { errorsSuite } from './adapters/errors.suite';
import { healthProbeSuite } from './adapters/health-probe.suite';
import { keysSuite } from './adapters/keys.suite';
import { queryAllSuite } from './adapters/query-all.suite';
import { streamApplierSuite } from './adapters/stream-applier.suite';
import { streamEffectsSuite } from './adapters/stream-effects.suite';
import { transactionsSuite } from './adapters/transactions.suite';

/** Suite name (its adapter's file name) → suite. Each gets the table `adapters-<name>`. */
const SUITES: Record<string, AdapterSuite> = {
  client: clientSuite,
  keys: keysSuite,
  cursor: cursorSuite,
  errors: errorsSuite,
  'query-all': queryAllSuite,
  transactions: transactionsSuite,
  'health-probe': healthProbeSuite,
  'dynamo-customer-store': dynamoCustomerStoreSuite,
  'dynamo-idempotency-store': dynamoIdempotencyStoreSuite,
  'dynamo-survey-store': dynamoSurveyStoreSuite,
  'cached-survey-store': cachedSurveyStoreSuite,
  'dynamo-response-store': dynamoResponseStoreSuite,
  'dynamo-aggregate-store': dynamoAggregateStoreSuite,
  'dynamo-followup-store': dynamoFollowUpStoreSuite,
  'dynamo-feedback-store': dynamoFeedbackStoreSuite,
  'dynamo-submission-limiter': dynamoSubmissionLimiterSuite,
  'stream-applier': streamApplierSuite,
  'stream-effects': streamEffectsSuite,
  'dynamo-audit-store': dynamoAuditStoreSuite,
  'dynamo-site-settings-store': dynamoSiteSettingsStoreSuite,
  'cached-site-settings-store': cachedSiteSettingsStoreSuite,
};

let ddbLocal: DynamoDbLocal | undefined;
let env: AdapterEnv | undefined;

beforeAll(async () => {
  ddbLocal = await startDynamoDbLocal({ dbPath: null });
  const raw = createLocalDynamoClient(ddbLocal.endpoint);
  await Promise.all(Object.keys(SUITES).map((name) => ensureTable(raw, `adapters-${name}`)));
  env = { endpoint: ddbLocal.endpoint, raw, db: createDocumentClient({ DYNAMODB_ENDPOINT: ddbLocal.endpoint }) };
});

afterAll(async () => {
  env?.db.destroy();
  env?.raw.destroy();
  await ddbLocal?.stop();
});

const started = (): AdapterEnv => {
  if (!env) throw new Error('DynamoDB Local is not running: the file-level beforeAll did not finish');
  return env;
};

for (const [name, suite] of Object.entries(SUITES)) suite(new AdapterTable(`adapters-${name}`, started));
