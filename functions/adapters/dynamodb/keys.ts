/**
 * Key shapes of every item type in the single table (DESIGN §3). Only the DynamoDB adapters and the
 * stream decoder use them.
 */
export const CUSTOMERS_PARTITION = 'CUSTOMERS';
export const DUPLICATE_CANDIDATES_PARTITION = 'DUPLICATE_CANDIDATES';

export type Entity = 'customer' | 'guard' | 'quality' | 'duplicate-group' | 'stream-marker';

export const keys = {
  customer: (id: string) => ({ PK: `CUSTOMER#${id}`, SK: 'PROFILE' }),
  emailGuard: (email: string) => ({ PK: `EMAIL#${email}`, SK: 'UNIQUE' }),
  phoneGuard: (phone: string) => ({ PK: `PHONE#${phone}`, SK: 'UNIQUE' }),
  customerQuality: () => ({ PK: 'STATS#customers', SK: 'QUALITY' }),
  duplicateGroup: (key: string) => ({ PK: `DUPGROUP#${key}`, SK: 'MEMBERS' }),
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
