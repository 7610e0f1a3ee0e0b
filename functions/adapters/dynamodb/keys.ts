/**
 * Key shapes of every item type in the single table (DESIGN §3). Only the DynamoDB adapters and the
 * stream decoder use them.
 */
import { createHash } from 'node:crypto';

export const CUSTOMERS_PARTITION = 'CUSTOMERS';

export const groupHash = (key: string) => createHash('sha256').update(key).digest('base64url');
export const DUPLICATE_CANDIDATES_PARTITION = 'DUPLICATE_CANDIDATES';

export type Entity = 'customer' | 'guard' | 'quality' | 'duplicate-group' | 'stream-marker';

export const keys = {
  customer: (id: string) => ({ PK: `CUSTOMER#${id}`, SK: 'PROFILE' }),
  emailGuard: (email: string) => ({ PK: `EMAIL#${email}`, SK: 'UNIQUE' }),
  phoneGuard: (phone: string) => ({ PK: `PHONE#${phone}`, SK: 'UNIQUE' }),
  customerQuality: () => ({ PK: 'STATS#customers', SK: 'QUALITY' }),
  /** Hashed: a name and company can be far longer than a key may be (2 KB, 1 KB in an index). */
  duplicateGroup: (key: string) => ({ PK: `DUPGROUP#${groupHash(key)}`, SK: 'MEMBERS' }),
  streamMarker: (eventId: string) => ({ PK: `APPLIED#${eventId}`, SK: 'MARKER' }),
};

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
  response: (surveyId: string, day: string, id: string) => ({ PK: `RESPONSES#${surveyId}#${day}`, SK: id }),
  byCustomer: (customerId: string, receivedAt: string, id: string) => ({
    GSI1PK: `CUSTOMER#${customerId}`,
    GSI1SK: `RESPONSE#${receivedAt}#${id}`,
  }),
};

export const followUpKeys = {
  item: (id: string) => ({ PK: `FOLLOWUP#${id}`, SK: 'FOLLOWUP' }),
  index: (f: { id: string; status: string; surveyId: string; createdAt: string }) => ({
    GSI1PK: `FOLLOWUPS#${f.status}`,
    GSI1SK: `${f.createdAt}#${f.id}`,
    GSI2PK: `FOLLOWUPS#SURVEY#${f.surveyId}`,
    GSI2SK: `${f.createdAt}#${f.id}`,
  }),
};

export const feedbackKeys = {
  /** A customer's feedback counters, beside (not inside) the profile so profile writes never reset them. */
  item: (customerId: string) => ({ PK: `CUSTOMER#${customerId}`, SK: 'FEEDBACK' }),
};

export const aggregateKeys = {
  partition: (surveyId: string) => `AGG#${surveyId}`,
};

export const idempotencyKeys = {
  /** The kept outcome of one Idempotency-Key of one caller (`scope`), 24 h by TTL. */
  request: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'REQUEST' }),
};

/** The item the health check reads: it never exists, the read only proves DynamoDB answers. */
export const healthKey = () => ({ PK: 'HEALTH', SK: 'CHECK' });

/** A map key for an item key. */
export const itemKeyId = (k: ItemKey) => `${k.PK}\u0000${k.SK}`;
