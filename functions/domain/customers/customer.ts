/** The customer record and the pure rules that change it. */
import type { AttributeValue } from './customer-schema';

export interface CustomerFields {
  name?: string;
  /** Trimmed, lower-cased, validated. */
  email?: string;
  /** E.164. */
  phone?: string;
  company?: string;
  segment?: string;
  tags: string[];
  attributes: Record<string, AttributeValue>;
}

export interface Customer extends CustomerFields {
  id: string;
  /** Starts at 1, +1 on every write: optimistic locking (If-Match / 412). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const SCALAR_FIELDS = ['name', 'email', 'phone', 'company', 'segment'] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/** A change to a record: undefined leaves a field alone, null clears it. */
export type FieldChanges = { [K in ScalarField]?: string | null } & {
  tags?: string[] | null;
  attributes?: Record<string, AttributeValue> | null;
};

export function applyChanges(current: CustomerFields, changes: FieldChanges): CustomerFields {
  const next: CustomerFields = { ...current, tags: [...current.tags], attributes: { ...current.attributes } };
  for (const field of SCALAR_FIELDS) {
    const value = changes[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (changes.tags !== undefined) next.tags = changes.tags === null ? [] : [...changes.tags];
  if (changes.attributes !== undefined) next.attributes = changes.attributes === null ? {} : { ...changes.attributes };
  return next;
}

/** Merge: the primary keeps what it has; empty fields are filled from the duplicate; tags and attributes are unions. */
export function fillFrom(primary: CustomerFields, duplicate: CustomerFields): CustomerFields {
  const next = applyChanges(primary, {});
  for (const field of SCALAR_FIELDS) {
    if (next[field] === undefined && duplicate[field] !== undefined) next[field] = duplicate[field];
  }
  next.tags = [...new Set([...primary.tags, ...duplicate.tags])].slice(0, 20);
  next.attributes = { ...duplicate.attributes, ...primary.attributes };
  return next;
}

export function sameFields(a: CustomerFields, b: CustomerFields): boolean {
  for (const field of SCALAR_FIELDS) if (a[field] !== b[field]) return false;
  if (a.tags.length !== b.tags.length || a.tags.some((t, i) => t !== b.tags[i])) return false;
  const ka = Object.keys(a.attributes).sort();
  const kb = Object.keys(b.attributes).sort();
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && a.attributes[k] === b.attributes[k]);
}

export function fieldsOf(c: Customer): CustomerFields {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = c;
  return fields;
}
