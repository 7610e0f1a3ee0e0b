/**
 * Key shapes of every item type in the single table (docs/design.md §4). Only the DynamoDB adapters and the
 * stream decoder use them.
 */
import { createHash } from 'node:crypto';
import { type AggregateCellKind, type AggregateRow, FUNNEL_KINDS } from '../../domain/surveys/aggregation';

export const CUSTOMERS_PARTITION = 'CUSTOMERS';

export const groupHash = (key: string) => createHash('sha256').update(key).digest('base64url');
export const DUPLICATE_CANDIDATES_PARTITION = 'DUPLICATE_CANDIDATES';

/** Everything about one customer lives under this partition (profile, feedback) or index key. */
export const customerPartition = (id: string) => `CUSTOMER#${id}`;
export const isCustomerProfileKey = (pk: unknown, sk: unknown) =>
  typeof pk === 'string' && pk.startsWith('CUSTOMER#') && sk === 'PROFILE';

export const keys = {
  customer: (id: string) => ({ PK: customerPartition(id), SK: 'PROFILE' }),
  /** Written by a merge in its own transaction: this id now stands for `mergedInto`. */
  mergedCustomer: (id: string) => ({ PK: customerPartition(id), SK: 'MERGED' }),
  /** Present while the customer is being erased: nothing new links to them, no merge touches them. */
  erasure: (id: string) => ({ PK: customerPartition(id), SK: 'ERASING' }),
  emailGuard: (email: string) => ({ PK: `EMAIL#${email}`, SK: 'UNIQUE' }),
  phoneGuard: (phone: string) => ({ PK: `PHONE#${phone}`, SK: 'UNIQUE' }),
  customerQuality: () => ({ PK: 'STATS#customers', SK: 'QUALITY' }),
  /** Hashed: a name and company can be far longer than a key may be (2 KB, 1 KB in an index). */
  duplicateGroup: (key: string) => ({ PK: `DUPGROUP#${groupHash(key)}`, SK: 'MEMBERS' }),
  streamMarker: (eventId: string) => ({ PK: `APPLIED#${eventId}`, SK: 'MARKER' }),
};

/**
 * What a customer's GSI1 partition (`CUSTOMER#<id>`) holds besides linked responses: unverified
 * claims, tombstones of records merged into them, and kept Idempotency-Key outcomes. A merge moves all
 * of it to the survivor; an erasure finds all of it.
 */
export const customerIndexPrefixes = {
  response: 'RESPONSE#',
  claim: 'CLAIM#',
  merged: 'MERGED#',
  idempotency: 'IDEMPOTENCY#',
} as const;

/** A merged record's tombstone, indexed under the record that absorbed it. */
export const mergedIndexKeys = (survivorId: string, mergedId: string) => ({
  GSI1PK: customerPartition(survivorId),
  GSI1SK: `${customerIndexPrefixes.merged}${mergedId}`,
});

export function customerIndexKeys(id: string, updatedAt: string) {
  return {
    GSI1PK: CUSTOMERS_PARTITION,
    GSI1SK: id,
    GSI2PK: CUSTOMERS_PARTITION,
    GSI2SK: `${updatedAt}#${id}`,
  };
}

export type ItemKey = { PK: string; SK: string };

export const SURVEYS_PARTITION = 'SURVEYS';

export const surveyKeys = {
  definition: (id: string) => ({ PK: `SURVEY#${id}`, SK: 'DEFINITION' }),
  version: (id: string, version: number) => ({ PK: `SURVEY#${id}`, SK: `VERSION#${String(version).padStart(6, '0')}` }),
  index: (id: string) => ({ GSI1PK: SURVEYS_PARTITION, GSI1SK: id }),
};

export const responseKeys = {
  partition: (surveyId: string, day: string) => `RESPONSES#${surveyId}#${day}`,
  response: (surveyId: string, day: string, id: string) => ({ PK: responseKeys.partition(surveyId, day), SK: id }),
  /** GSI1 sort-key prefix of a customer's responses. */
  customerPrefix: 'RESPONSE#',
  /** What a response partition and a customer's response index key look like (cursor checks). */
  partitionPattern: /^RESPONSES#[A-Za-z0-9]{1,64}#\d{4}-\d{2}-\d{2}$/,
  byCustomerSortPattern: /^RESPONSE#[0-9T:.Z-]{10,40}#[A-Za-z0-9-]{1,64}$/,
  byCustomer: (customerId: string, receivedAt: string, id: string) => ({
    GSI1PK: customerPartition(customerId),
    GSI1SK: `RESPONSE#${receivedAt}#${id}`,
  }),
  /** An identity that could not be verified: indexed under the claimed id (never a link) so erasure finds it. */
  byClaim: (customerId: string, receivedAt: string, id: string) => ({
    GSI1PK: customerPartition(customerId),
    GSI1SK: `${customerIndexPrefixes.claim}${receivedAt}#${id}`,
  }),
};

/**
 * A hash of a normalised e-mail: responses whose contact data holds it are found through pointer
 * items under this hash (erasure without a scan), never through the e-mail itself.
 */
export const contactHash = (email: string) => createHash('sha256').update(email).digest('base64url');

/** `CONTACT#<hash>` / `RESPONSE#<survey>#<day>#<id>`: one pointer per distinct contact e-mail of a response. */
export const contactKeys = {
  partition: (email: string) => `CONTACT#${contactHash(email)}`,
  pointer: (email: string, r: { surveyId: string; day: string; id: string }) => ({
    PK: contactKeys.partition(email),
    SK: `RESPONSE#${r.surveyId}#${r.day}#${r.id}`,
  }),
  /** The response a pointer's sort key names. */
  parse(sortKey: string): { surveyId: string; day: string; id: string } | undefined {
    const match = /^RESPONSE#([A-Za-z0-9]{1,64})#(\d{4}-\d{2}-\d{2})#([A-Za-z0-9-]{1,64})$/.exec(sortKey);
    return match?.[1] && match[2] && match[3] ? { surveyId: match[1], day: match[2], id: match[3] } : undefined;
  },
};

/** The site-identity secrets (current and, during a rotation's grace period, the previous one). */
export const identityKeys = {
  secrets: () => ({ PK: 'IDENTITY#SECRET', SK: 'CURRENT' }),
};

/** The site's widget settings (the recontact window), one item. */
export const siteKeys = {
  settings: () => ({ PK: 'SITE#SETTINGS', SK: 'CURRENT' }),
};

export const followUpKeys = {
  item: (id: string) => ({ PK: `FOLLOWUP#${id}`, SK: 'FOLLOWUP' }),
  /** GSI1 partition: follow-ups by status. */
  byStatus: (status: string) => `FOLLOWUPS#${status}`,
  /** GSI2 partition: follow-ups of one survey. */
  bySurvey: (surveyId: string) => `FOLLOWUPS#SURVEY#${surveyId}`,
  index: (f: { id: string; status: string; surveyId: string; createdAt: string }) => ({
    GSI1PK: followUpKeys.byStatus(f.status),
    GSI1SK: `${f.createdAt}#${f.id}`,
    GSI2PK: followUpKeys.bySurvey(f.surveyId),
    GSI2SK: `${f.createdAt}#${f.id}`,
  }),
};

export const feedbackKeys = {
  /** A customer's feedback counters, beside (not inside) the profile so profile writes never reset them. */
  item: (customerId: string) => ({ PK: customerPartition(customerId), SK: 'FEEDBACK' }),
};

const CELL_CODE: Record<AggregateCellKind, string> = {
  total: 'T',
  question: 'Q',
  choice: 'C',
  segment: 'S',
  funnel: 'F',
  'funnel-segment': 'G',
};
const CELL_KIND: Record<string, AggregateCellKind> = {
  T: 'total',
  Q: 'question',
  C: 'choice',
  S: 'segment',
  F: 'funnel',
  G: 'funnel-segment',
};

/**
 * How many partitions one survey-day's funnel events are spread over, and so how many copies each
 * funnel cell has. A display is a 1-WCU put and DynamoDB gives one partition 1,000 WCU/s: at a 20 %
 * response rate 1,000 answers/s are 5,000 displays/s plus up to 4,000 dismissals, which 16 partitions
 * carry at a third to a half of their limit, leaving room for bursts and uneven hashing (docs/scaling.md).
 * Changing it would file a retry of a display recorded before the change under another item (counted
 * twice): a change must make the count depend on the display's day, which is in the key.
 * At most 100: the shard is written with two digits.
 */
export const DISPLAY_SHARDS = 16;

/**
 * The shard of a display: a stable hash of its id, so a retried display lands on the same item (the
 * conditional put stays idempotent) and its funnel additions on the same cell copy.
 */
export const displayShard = (displayId: string): number =>
  createHash('sha256').update(displayId).digest().readUInt32BE(0) % DISPLAY_SHARDS;

const shardLabel = (shard: number) => String(shard).padStart(2, '0');

/** Where an aggregate cell is stored: funnel cells name the copy (display shard) they are. */
export type AggregateCellAddress = Pick<AggregateRow, 'day' | 'kind' | 'key'> & { shard?: number };

/**
 * A survey's aggregate cells: `AGG#<survey>` / `DAY#<d>#T`, `DAY#<d>#Q#<series>`, `DAY#<d>#C#<series>`,
 * `DAY#<d>#S#<segment>`, and the funnel's per-shard copies `DAY#<d>#F<kk>#` and `DAY#<d>#G<kk>#<segment>`
 * (`kk`: the display shard, two digits). Day first, so a day range, every copy included, is one
 * key-range Query. The shard sits beside the kind code, not after the free-text segment, so no
 * segment name can be mistaken for a shard; funnel cells written before sharding (`DAY#<d>#F#`,
 * `DAY#<d>#G#<segment>`) still parse, as a copy without a shard, and are summed with the others.
 */
export const aggregateKeys = {
  partition: (surveyId: string) => `AGG#${surveyId}`,
  sortKey: (cell: AggregateCellAddress) => {
    const funnel = FUNNEL_KINDS.includes(cell.kind);
    if (funnel !== (cell.shard !== undefined)) {
      // Only the stream writes funnel cells, always to its shard's copy; a copy of any other cell is a bug.
      throw new Error(`a ${cell.kind} cell ${funnel ? 'needs' : 'has no'} display shard`);
    }
    if (cell.kind === 'total') return `DAY#${cell.day}#T`;
    const shard = cell.shard !== undefined ? shardLabel(cell.shard) : '';
    return `DAY#${cell.day}#${CELL_CODE[cell.kind]}${shard}#${cell.key}`;
  },
  item: (surveyId: string, cell: AggregateCellAddress) => ({
    PK: aggregateKeys.partition(surveyId),
    SK: aggregateKeys.sortKey(cell),
  }),
  dayTotal: (surveyId: string, day: string) => aggregateKeys.item(surveyId, { day, kind: 'total', key: '' }),
  /** Sort-key bounds of the inclusive day range (`~` sorts after every cell of the last day). */
  range: (fromDay: string, toDay: string) => ({ from: `DAY#${fromDay}`, to: `DAY#${toDay}#~` }),
  parse(sortKey: string): AggregateCellAddress | undefined {
    const match = /^DAY#(\d{4}-\d{2}-\d{2})#([TQCSFG])(\d{2})?(?:#([\s\S]*))?$/.exec(sortKey);
    const kind = match ? CELL_KIND[match[2] ?? ''] : undefined;
    if (!match?.[1] || !kind) return undefined;
    const shard = match[3] !== undefined ? Number(match[3]) : undefined;
    if (shard !== undefined && !FUNNEL_KINDS.includes(kind)) return undefined;
    return { day: match[1], kind, key: match[4] ?? '', ...(shard !== undefined ? { shard } : {}) };
  },
};

/**
 * Funnel events: `DISPLAYS#<survey>#<day>#<kk>` / `<display id>#<event>`, one item per (display, event),
 * in the partition of the display's shard (`displayShard`, two digits), deleted by TTL once no retry
 * can name them (DISPLAY_RETENTION_DAYS).
 */
export const displayKeys = {
  partition: (surveyId: string, day: string, shard: number) => `DISPLAYS#${surveyId}#${day}#${shardLabel(shard)}`,
  item: (surveyId: string, day: string, id: string, event: string) => ({
    PK: displayKeys.partition(surveyId, day, displayShard(id)),
    SK: `${id}#${event}`,
  }),
};

/** Exactly-once markers: a stream record's effects, or one unit of a response's effects, applied once. */
export const markerIds = {
  /** A funnel event's effects on its survey's funnel cells. */
  displayEffects: (surveyId: string, displayId: string, event: string) => `DISP#${surveyId}#${displayId}#${event}`,
  /** A response's effects on its survey's aggregates (and follow-up); shared with the aggregate rebuild. */
  responseEffects: (surveyId: string, responseId: string) => `RESP#${surveyId}#${responseId}`,
  /** A response's effects on its customer's feedback counters: the stream's alone. */
  feedbackEffects: (surveyId: string, responseId: string) => `FB#${surveyId}#${responseId}`,
};

/** The item the health check reads: it never exists, the read only proves DynamoDB answers. */
export const healthKey = () => ({ PK: 'HEALTH', SK: 'CHECK' });

/** A map key for an item key. */
export const itemKeyId = (k: ItemKey) => `${k.PK}\u0000${k.SK}`;

/** Kept `Idempotency-Key` outcomes; linked under their customer (GSI1) when they hold a customer's data. */
export const idempotencyKeys = {
  item: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'REQUEST' }),
  byCustomer: (customerId: string, scope: string, key: string) => ({
    GSI1PK: customerPartition(customerId),
    GSI1SK: `${customerIndexPrefixes.idempotency}${scope}#${key}`,
  }),
  customerPrefix: customerIndexPrefixes.idempotency,
  /**
   * GSI2: every kept outcome by completion time. Outcomes live 24 hours, so erasure reads this one
   * bounded range to find outcomes that hold a person's values without naming them as their subject
   * (an import report, a follow-up's note).
   */
  outcomesPartition: 'IDEMPOTENCY_OUTCOMES',
  byTime: (completedAt: string, scope: string, key: string) => ({
    GSI2PK: idempotencyKeys.outcomesPartition,
    GSI2SK: `${completedAt}#${scope}#${key}`,
  }),
};

/** Per-survey submission budget: one counter per (survey, shard, minute), spread so no key is hot. */
export const LIMIT_SHARDS = 8;
export const limitKeys = {
  item: (surveyId: string, shard: number, minute: string) => ({ PK: `LIMIT#${surveyId}#${shard}`, SK: minute }),
};

/** The day's secret salt of client hashes (deleted by TTL after 30 days). */
export const saltKeys = {
  item: (day: string) => ({ PK: `SALT#${day}`, SK: 'SALT' }),
};

/** A survey's abuse exclusions, newest last (ULID order). */
export const exclusionKeys = {
  partition: (surveyId: string) => `EXCLUSION#${surveyId}`,
  item: (surveyId: string, id: string) => ({ PK: exclusionKeys.partition(surveyId), SK: id }),
};

/** Answers a survey received per hour (`yyyy-mm-ddThh`): the baseline surges are measured against. */
export const arrivalKeys = {
  partition: (surveyId: string) => `ARRIVALS#${surveyId}`,
  hour: (surveyId: string, hour: string) => ({ PK: arrivalKeys.partition(surveyId), SK: hour }),
};

/** The audit chain: entries per day in seq order, and the head (last seq and hash). */
export const auditKeys = {
  partition: (day: string) => `AUDIT#${day}`,
  entry: (day: string, seq: number) => ({ PK: auditKeys.partition(day), SK: String(seq).padStart(12, '0') }),
  head: () => ({ PK: 'AUDIT', SK: 'HEAD' }),
};

/**
 * Webhooks: a subscription and its deliveries share `WEBHOOK#<id>` (deliveries by time-ordered id),
 * listed through GSI1 `WEBHOOKS`. Deliveries expire by TTL 30 days after their last change.
 */
export const WEBHOOKS_PARTITION = 'WEBHOOKS';
export const webhookKeys = {
  partition: (id: string) => `WEBHOOK#${id}`,
  subscription: (id: string) => ({ PK: webhookKeys.partition(id), SK: 'SUBSCRIPTION' }),
  index: (id: string) => ({ GSI1PK: WEBHOOKS_PARTITION, GSI1SK: id }),
  deliveryPrefix: 'DELIVERY#',
  delivery: (subscriptionId: string, deliveryId: string) => ({
    PK: webhookKeys.partition(subscriptionId),
    SK: `${webhookKeys.deliveryPrefix}${deliveryId}`,
  }),
};

/**
 * A survey's alerts: the open-alert state (`STATE`, versioned) and every event, `EVENT#<day>#<event id>`
 * (day first: recent events are one key-range Query). Event items carry `entity: 'alert-event'` and the
 * `AlertEvent` as attribute `event`: the webhook stream consumer reads exactly those two.
 */
export const alertKeys = {
  partition: (surveyId: string) => `ALERTS#${surveyId}`,
  state: (surveyId: string) => ({ PK: alertKeys.partition(surveyId), SK: 'STATE' }),
  event: (surveyId: string, day: string, eventId: string) => ({
    PK: alertKeys.partition(surveyId),
    SK: `EVENT#${day}#${eventId}`,
  }),
  eventsFrom: (day: string) => ({ from: `EVENT#${day}`, to: 'EVENT#~' }),
};

/** One sent (or being sent) e-mail, by its stable message id: the lock that makes sending once. */
export const mailKeys = {
  item: (messageId: string) => ({ PK: `MAIL#${messageId}`, SK: 'SENT' }),
};

/** Notification settings kept beside a survey: who unsubscribed from its digests, by recipient hash. */
export const notifyKeys = {
  partition: (surveyId: string) => `NOTIFY#${surveyId}`,
  optOut: (surveyId: string, recipientRef: string) => ({
    PK: notifyKeys.partition(surveyId),
    SK: `OPTOUT#${recipientRef}`,
  }),
  optOutPrefix: 'OPTOUT#',
  /** The secret unsubscribe links are signed with. */
  unsubscribeSecret: () => ({ PK: 'SECRET#UNSUBSCRIBE', SK: 'CURRENT' }),
};
