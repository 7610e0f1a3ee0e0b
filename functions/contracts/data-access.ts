/**
 * THE data-access contract: for every function that touches the table, which DynamoDB actions it may
 * use, on which partition keys of the table and of which index. One declaration, two enforcers:
 *
 * - the CDK app builds each function's IAM policy from it (`dynamodb:LeadingKeys` with
 *   `ForAllValues:StringLike`, the table ARN and only the index ARNs a function uses);
 * - the local runtime checks every command a handler sends against it (RAPPORT_ENFORCE_DATA_ACCESS=1,
 *   functions/adapters/dynamodb/data-access-guard.ts) and refuses what IAM would refuse, so an
 *   integration test that makes a handler touch a key it may not fails like it would in AWS.
 *
 * Partition-key patterns use IAM's StringLike syntax (`*` = any run of characters) and are derived from
 * the key builders in functions/adapters/dynamodb/keys.ts, never typed out a second time.
 * Pure data and pure functions: no AWS imports.
 */
import {
  aggregateKeys,
  alertKeys,
  arrivalKeys,
  auditKeys,
  CUSTOMERS_PARTITION,
  contactHash,
  contactKeys,
  DUPLICATE_CANDIDATES_PARTITION,
  displayKeys,
  exclusionKeys,
  feedbackKeys,
  followUpKeys,
  groupHash,
  healthKey,
  idempotencyKeys,
  identityKeys,
  keys,
  limitKeys,
  mailKeys,
  notifyKeys,
  responseKeys,
  SURVEYS_PARTITION,
  saltKeys,
  siteKeys,
  surveyKeys,
  WEBHOOKS_PARTITION,
  webhookKeys,
} from '../adapters/dynamodb/keys';
import type { tableSchema } from './table-schema';

/** The functions that use the table (the probe does not). */
export const tableFunctions = [
  'public-api',
  'admin-api',
  'aggregator',
  'webhook-fanout',
  'webhook-sender',
  'notifier',
] as const;
export type TableFunction = (typeof tableFunctions)[number];

/** Item-level DynamoDB actions (IAM names without `dynamodb:`). Scan and PartiQL are never granted. */
export type DataAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/** Actions that write: DynamoDB needs a new data key from KMS for them. */
export const writeActions: ReadonlySet<DataAction> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export type IndexName = (typeof tableSchema.globalSecondaryIndexes)[number]['indexName'];

export interface DataGrant {
  /** The index the actions run on; absent = the table itself. */
  readonly index?: IndexName;
  readonly actions: readonly DataAction[];
  /** StringLike patterns of the partition key (of the index, when `index` is set). */
  readonly partitionKeys: readonly string[];
  /** What the grant is for, in one line (shown in docs and test failures). */
  readonly why: string;
}

export interface FunctionDataAccess {
  readonly grants: readonly DataGrant[];
  /** Reads the table's change stream (the aggregator's event source). */
  readonly readsStream: boolean;
}

const ANY = '\u0000';

/** `CUSTOMER#*` from `(id) => keys.customer(id).PK`: the built key up to its variable part, then `*`. */
function prefix(build: (variable: string) => string): string {
  const built = build(ANY);
  const at = built.indexOf(ANY);
  if (at < 0) throw new Error(`key ${JSON.stringify(built)} has no variable part: use it as an exact key`);
  return `${built.slice(0, at)}*`;
}

/** Partition-key patterns, one per key shape Rapport writes (names follow keys.ts). */
export const partitionPatterns = {
  customer: prefix((id) => keys.customer(id).PK),
  /** Beside the profile in the customer's partition, so the same pattern as `customer`. */
  customerFeedback: prefix((id) => feedbackKeys.item(id).PK),
  emailGuard: prefix((email) => keys.emailGuard(email).PK),
  phoneGuard: prefix((phone) => keys.phoneGuard(phone).PK),
  customerQuality: keys.customerQuality().PK,
  // The variable part is a hash, so the pattern is the key minus the hash of the placeholder.
  duplicateGroup: `${keys.duplicateGroup(ANY).PK.slice(0, -groupHash(ANY).length)}*`,
  streamMarker: prefix((eventId) => keys.streamMarker(eventId).PK),
  survey: prefix((id) => surveyKeys.definition(id).PK),
  response: prefix((surveyId) => responseKeys.response(surveyId, '2000-01-01', 'x').PK),
  display: prefix((surveyId) => displayKeys.partition(surveyId, '2000-01-01', 0)),
  aggregate: prefix((surveyId) => aggregateKeys.partition(surveyId)),
  followUp: prefix((id) => followUpKeys.item(id).PK),
  idempotency: prefix((scope) => idempotencyKeys.item(scope, 'x').PK),
  health: healthKey().PK,
  submissionBudget: prefix((surveyId) => limitKeys.item(surveyId, 0, 'x').PK),
  clientSalt: prefix((day) => saltKeys.item(day).PK),
  exclusion: prefix((surveyId) => exclusionKeys.partition(surveyId)),
  arrivals: prefix((surveyId) => arrivalKeys.partition(surveyId)),
  auditEntry: prefix((day) => auditKeys.partition(day)),
  auditHead: auditKeys.head().PK,
  identitySecrets: identityKeys.secrets().PK,
  siteSettings: siteKeys.settings().PK,
  // The variable part is a hash, so the pattern is the key minus the hash of the placeholder.
  contactPointer: `${contactKeys.partition(ANY).slice(0, -contactHash(ANY).length)}*`,
  /** A webhook subscription and its deliveries. */
  webhook: prefix((id) => webhookKeys.partition(id)),
  alerts: prefix((surveyId) => alertKeys.partition(surveyId)),
  mail: prefix((messageId) => mailKeys.item(messageId).PK),
  digestOptOut: prefix((surveyId) => notifyKeys.partition(surveyId)),
  unsubscribeSecret: notifyKeys.unsubscribeSecret().PK,
} as const;

const followUpIndex = (status: string, surveyId: string) =>
  followUpKeys.index({ id: 'x', status, surveyId, createdAt: '2000-01-01T00:00:00.000Z' });

/** Index partition-key patterns. */
export const indexPatterns = {
  customers: CUSTOMERS_PARTITION,
  surveys: SURVEYS_PARTITION,
  duplicateCandidates: DUPLICATE_CANDIDATES_PARTITION,
  /** GSI1 under a customer: their linked responses and the idempotency outcomes holding their data. */
  byCustomer: prefix((id) => responseKeys.byCustomer(id, '2000-01-01T00:00:00.000Z', 'x').GSI1PK),
  followUpsByStatus: prefix((status) => followUpIndex(status, 'x').GSI1PK),
  followUpsBySurvey: prefix((surveyId) => followUpIndex('open', surveyId).GSI2PK),
  /** GSI2: kept Idempotency-Key outcomes by completion time (erasure reads one bounded range). */
  idempotencyOutcomes: idempotencyKeys.outcomesPartition,
  /** GSI1: every webhook subscription. */
  webhooks: WEBHOOKS_PARTITION,
} as const;

const p = partitionPatterns;
const i = indexPatterns;

export const dataAccess: Readonly<Record<TableFunction, FunctionDataAccess>> = {
  'public-api': {
    readsStream: false,
    grants: [
      { actions: ['GetItem'], partitionKeys: [p.survey], why: 'survey definitions and version snapshots' },
      { actions: ['PutItem'], partitionKeys: [p.response], why: 'one conditional put per submitted response' },
      {
        actions: ['GetItem', 'PutItem'],
        partitionKeys: [p.display],
        why: 'a conditional put per funnel event (shown, or dismissed at a question); a dismissal reads its display and puts it if missing',
      },
      {
        actions: ['GetItem'],
        partitionKeys: [p.identitySecrets],
        why: 'the identity secrets that verify a signed customer id (no customer record is ever read here)',
      },
      {
        actions: ['GetItem'],
        partitionKeys: [p.siteSettings],
        why: 'the site-wide recontact window the widget reads with each survey',
      },
      {
        actions: ['PutItem'],
        partitionKeys: [p.contactPointer],
        why: 'a pointer under the hash of a contact e-mail, written with the response, so erasure finds it without a scan',
      },
      { actions: ['GetItem'], partitionKeys: [p.health], why: 'the health check reads one item that never exists' },
      { actions: ['UpdateItem'], partitionKeys: [p.submissionBudget], why: 'each survey’s per-minute answer budget' },
      {
        actions: ['GetItem', 'PutItem'],
        partitionKeys: [p.clientSalt],
        why: 'the day’s salt of the client hashes (created by the first answer of the day)',
      },
      {
        actions: ['GetItem'],
        partitionKeys: [p.unsubscribeSecret],
        why: 'the secret that verifies a digest’s signed unsubscribe link',
      },
      {
        actions: ['PutItem'],
        partitionKeys: [p.digestOptOut],
        why: 'one-click unsubscribe: the recipient’s opt-out from a survey’s digests (a conditional put)',
      },
      {
        actions: ['PutItem'],
        partitionKeys: [p.auditEntry],
        why: 'an unsubscribe is audited: one append-only entry',
      },
      {
        actions: ['GetItem', 'UpdateItem'],
        partitionKeys: [p.auditHead],
        why: 'the audit chain’s head, moved in the same transaction as the unsubscribe’s entry',
      },
    ],
  },
  'admin-api': {
    readsStream: false,
    grants: [
      {
        actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
        partitionKeys: [p.customer, p.emailGuard, p.phoneGuard],
        why: 'customer records, their feedback counters and their uniqueness guards (one transaction per write)',
      },
      { actions: ['GetItem'], partitionKeys: [p.customerQuality], why: 'the data-quality counters' },
      {
        index: 'GSI1',
        actions: ['Query'],
        partitionKeys: [i.customers, i.byCustomer],
        why: 'customers in creation order; a customer’s responses and kept idempotency outcomes (export, erasure)',
      },
      {
        index: 'GSI2',
        actions: ['Query'],
        partitionKeys: [i.customers, i.duplicateCandidates],
        why: 'customers by last update (stale count) and duplicate-candidate groups',
      },
      { actions: ['GetItem', 'PutItem'], partitionKeys: [p.survey], why: 'survey definitions and version snapshots' },
      { index: 'GSI1', actions: ['Query'], partitionKeys: [i.surveys], why: 'the survey list' },
      {
        actions: ['GetItem', 'Query', 'UpdateItem'],
        partitionKeys: [p.response],
        why: 'responses by survey and day; unlink or relink a customer (erasure, merge); after a rebuild or an exclusion creates a follow-up, a no-op update conditional on erasedAt tells whether its response was erased meanwhile',
      },
      {
        actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'],
        partitionKeys: [p.aggregate],
        why: 'reports read daily aggregates; a rebuild replaces a day',
      },
      {
        actions: ['BatchGetItem', 'PutItem'],
        partitionKeys: [p.streamMarker],
        why: 'a rebuild checks and writes the markers of responses the stream has not counted yet',
      },
      {
        actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'],
        partitionKeys: [p.followUp],
        why: 'follow-up tasks',
      },
      {
        index: 'GSI1',
        actions: ['Query'],
        partitionKeys: [i.followUpsByStatus],
        why: 'follow-ups by status',
      },
      {
        index: 'GSI2',
        actions: ['Query'],
        partitionKeys: [i.followUpsBySurvey],
        why: 'follow-ups by survey (reports, resolution rate)',
      },
      {
        actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
        partitionKeys: [p.idempotency],
        why: 'Idempotency-Key outcomes of admin writes',
      },
      {
        actions: ['GetItem', 'PutItem', 'UpdateItem'],
        partitionKeys: [p.identitySecrets],
        why: 'create and rotate the identity secret',
      },
      {
        actions: ['GetItem', 'PutItem'],
        partitionKeys: [p.siteSettings],
        why: 'read and replace the site settings (the recontact window)',
      },
      {
        actions: ['Query', 'DeleteItem'],
        partitionKeys: [p.contactPointer],
        why: 'erasure: responses holding an e-mail, found through their pointers, and the pointers themselves',
      },
      {
        actions: ['Query', 'ConditionCheckItem'],
        partitionKeys: [p.customer],
        why: 'a customer’s partition (record, erasure mark, merge tombstone) when merging or erasing',
      },
      {
        index: 'GSI2',
        actions: ['Query'],
        partitionKeys: [i.idempotencyOutcomes],
        why: 'erasure: kept Idempotency-Key outcomes of the last 24 hours that hold the person’s values',
      },
      {
        actions: ['GetItem', 'PutItem', 'Query'],
        partitionKeys: [p.exclusion],
        why: 'abuse exclusions of a survey (the record of who excluded what)',
      },
      {
        actions: ['PutItem', 'Query'],
        partitionKeys: [p.auditEntry],
        why: 'append-only audit entries (one per admin write or read of personal data) and reading them',
      },
      {
        actions: ['GetItem', 'UpdateItem'],
        partitionKeys: [p.auditHead],
        why: 'the audit chain’s head, moved in the same transaction as each entry',
      },
      {
        actions: ['GetItem', 'PutItem', 'DeleteItem', 'UpdateItem', 'Query'],
        partitionKeys: [p.webhook],
        why: 'webhook subscriptions (create, change, rotate, delete) and their delivery log (read, replay)',
      },
      { index: 'GSI1', actions: ['Query'], partitionKeys: [i.webhooks], why: 'the webhook list' },
      {
        actions: ['GetItem', 'Query'],
        partitionKeys: [p.alerts, p.digestOptOut],
        why: 'a survey’s open alerts, recent alert events and digest opt-outs (read only)',
      },
    ],
  },
  aggregator: {
    readsStream: true,
    grants: [
      {
        actions: ['UpdateItem'],
        partitionKeys: [p.customerQuality, p.duplicateGroup, p.aggregate, p.customerFeedback, p.arrivals],
        why: 'counter additions: data quality, duplicate groups, survey aggregates, a customer’s feedback counters, hourly arrivals',
      },
      {
        actions: ['Query'],
        partitionKeys: [p.arrivals],
        why: 'a survey’s past week of hourly arrivals: the baseline a surge is measured against',
      },
      {
        actions: ['Query', 'ConditionCheckItem', 'UpdateItem', 'DeleteItem'],
        partitionKeys: [p.customer],
        why: 'settling links: whether a customer exists, is being erased or was merged (keys and mergedInto only), and moving merge tombstones',
      },
      {
        index: 'GSI1',
        actions: ['Query'],
        partitionKeys: [i.byCustomer],
        why: 'after a merge: what is indexed under the duplicate (responses, claims, tombstones, kept outcomes)',
      },
      {
        actions: ['UpdateItem', 'ConditionCheckItem'],
        partitionKeys: [p.response, p.followUp, p.idempotency],
        why: 'moving a merged duplicate’s responses, follow-ups and kept outcomes to the survivor (the response is checked unchanged in the same transaction as its counters); after opening a follow-up, a no-op update of its response conditional on erasedAt tells, without reading it, whether it was erased meanwhile',
      },
      {
        actions: ['DeleteItem'],
        partitionKeys: [p.duplicateGroup],
        why: 'a duplicate group nobody is left in (its key is built from a name and company) is deleted',
      },
      {
        actions: ['PutItem'],
        partitionKeys: [p.streamMarker, p.followUp],
        why: 'exactly-once markers and the follow-up task of a detractor response',
      },
    ],
  },
  'webhook-fanout': {
    readsStream: true,
    grants: [
      {
        index: 'GSI1',
        actions: ['Query'],
        partitionKeys: [i.webhooks],
        why: 'the subscriptions an event may go to',
      },
      {
        actions: ['PutItem'],
        partitionKeys: [p.webhook],
        why: 'one delivery per event and subscription (a conditional put: a redelivered record creates nothing)',
      },
    ],
  },
  'webhook-sender': {
    readsStream: false,
    grants: [
      {
        actions: ['GetItem', 'UpdateItem'],
        partitionKeys: [p.webhook],
        why: 'a delivery and its subscription: claim an attempt, log it, count dead letters, disable after repeated ones',
      },
    ],
  },
  notifier: {
    readsStream: false,
    grants: [
      { actions: ['GetItem'], partitionKeys: [p.survey], why: 'survey definitions (questions, notification settings)' },
      { index: 'GSI1', actions: ['Query'], partitionKeys: [i.surveys], why: 'the active surveys' },
      {
        actions: ['Query'],
        partitionKeys: [p.aggregate],
        why: 'daily aggregates of the alert windows and digest periods',
      },
      {
        actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
        partitionKeys: [p.alerts],
        why: 'open-alert state (conditional on its version), alert events (put once) and whether they were e-mailed',
      },
      {
        actions: ['PutItem', 'UpdateItem', 'DeleteItem'],
        partitionKeys: [p.mail],
        why: 'the mail ledger: claim a message id before sending, mark it sent, release it after a failed send',
      },
      { actions: ['Query'], partitionKeys: [p.digestOptOut], why: 'who unsubscribed from a survey’s digests' },
      {
        actions: ['GetItem', 'PutItem'],
        partitionKeys: [p.unsubscribeSecret],
        why: 'the secret unsubscribe links are signed with (created once, on first use)',
      },
      { actions: ['Query'], partitionKeys: [p.response], why: 'a digest’s lowest-scored comments of its period' },
      {
        index: 'GSI1',
        actions: ['Query'],
        partitionKeys: [i.followUpsByStatus],
        why: 'a digest’s open follow-ups and their ages',
      },
      {
        index: 'GSI2',
        actions: ['Query'],
        partitionKeys: [i.followUpsBySurvey],
        why: 'a digest’s follow-up resolution figures (the report’s)',
      },
    ],
  },
};

/** One item-level request as IAM sees it: the action, where, and the partition key it names. */
export interface DataRequest {
  readonly action: string;
  readonly index?: string | undefined;
  readonly partitionKey: string;
}

/** IAM StringLike: `*` matches any run of characters, `?` exactly one; everything else literally. */
export function stringLike(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.+()|[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

/** Whether the contract lets `fn` make this request (what the IAM policy built from it allows). */
export function allows(fn: TableFunction, request: DataRequest): boolean {
  return dataAccess[fn].grants.some(
    (g) =>
      g.index === (request.index ?? undefined) &&
      (g.actions as readonly string[]).includes(request.action) &&
      g.partitionKeys.some((pattern) => stringLike(pattern, request.partitionKey)),
  );
}

/** The indexes a function queries (its IAM policy names only these index ARNs). */
export function indexesOf(fn: TableFunction): IndexName[] {
  return [...new Set(dataAccess[fn].grants.flatMap((g) => (g.index ? [g.index] : [])))];
}

export function isTableFunction(name: string): name is TableFunction {
  return (tableFunctions as readonly string[]).includes(name);
}
