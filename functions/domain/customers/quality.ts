/**
 * What one customer record contributes to the data-quality counters (完整性 completeness, 准确性
 * accuracy, 去重 duplicates). The stream aggregator adds `contribution(new) − contribution(old)` for
 * every change, so the report is always current without ever scanning the table.
 */
import type { CustomerFields } from './customer';
import { duplicateKey, isValidEmail } from './normalise';
import { isValidE164 } from './phone-numbers';

/** Fields whose completeness the quality report measures. */
export const QUALITY_FIELDS = ['name', 'email', 'phone', 'company', 'segment', 'tags'] as const;

export type Counters = Record<string, number>;

export function contribution(c: CustomerFields | undefined): Counters {
  if (!c) return {};
  const out: Counters = { total: 1 };
  for (const field of QUALITY_FIELDS) {
    const value = c[field];
    const missing = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (missing) out[`missing_${field}`] = 1;
  }
  if (c.email !== undefined && !isValidEmail(c.email)) out.invalid_email = 1;
  if (c.phone !== undefined && !isValidE164(c.phone)) out.invalid_phone = 1;
  return out;
}

export function qualityDelta(before: CustomerFields | undefined, after: CustomerFields | undefined): Counters {
  const delta: Counters = {};
  const a = contribution(after);
  const b = contribution(before);
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (a[name] ?? 0) - (b[name] ?? 0);
    if (d !== 0) delta[name] = d;
  }
  return delta;
}

export interface MembershipChange {
  customerId: string;
  leave?: string;
  join?: string;
}

/** Duplicate-candidate groups: a record leaves its old name+company group and joins its new one. */
export function duplicateMembership(
  customerId: string,
  before: CustomerFields | undefined,
  after: CustomerFields | undefined,
): MembershipChange | undefined {
  const from = before ? duplicateKey(before.name, before.company) : undefined;
  const to = after ? duplicateKey(after.name, after.company) : undefined;
  if (from === to) return undefined;
  return { customerId, ...(from ? { leave: from } : {}), ...(to ? { join: to } : {}) };
}
