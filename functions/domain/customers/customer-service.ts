/**
 * Customer use cases: create, read, change, list, look up, import, export, merge, and the data-quality
 * report (deleting a customer is erasing them: `privacy-service.ts`). Pure TypeScript: storage comes in
 * through the `CustomerStore` port.
 */
import {
  ConflictError,
  NotFoundError,
  OutcomeUnknownError,
  PreconditionFailedError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors';
import { issuesOf } from '../issues';
import type { Clock, IdGenerator } from '../ports';
import {
  applyChanges,
  type Customer,
  type CustomerFields,
  type FieldChanges,
  fieldsOf,
  fillFrom,
  sameFields,
} from './customer';
import {
  type CustomerCreate,
  type CustomerListQuery,
  type CustomerPatch,
  customerImportRowSchema,
  type ImportReport,
  LIMITS,
  type QualityReport,
} from './customer-schema';
import type { CustomerPage, CustomerStore } from './customer-store';
import { loadPhoneNumbers, normalisePhone, type PhoneNumbers, type PhoneRegion } from './normalise';
import { QUALITY_FIELDS } from './quality';

export interface CustomerServiceDeps {
  store: CustomerStore;
  clock: Clock;
  ids: IdGenerator;
  phoneRegion: PhoneRegion;
}

/** Tries of an import row that races another writer of the same customer. */
const MAX_RETRIES = 3;
/** Tries of a PATCH without If-Match that keeps losing to concurrent writes (about a second of pauses in all). */
const PATCH_ATTEMPTS = 12;
const PATCH_PAUSE_BASE_MS = 10;
const PATCH_PAUSE_CAP_MS = 200;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const IMPORT_CONCURRENCY = 8;

export class CustomerService {
  private phoneRules: Promise<PhoneNumbers> | undefined;

  constructor(private readonly deps: CustomerServiceDeps) {}

  /**
   * The phone rules, loaded on the first write or look-up that needs them (not at start-up), with the
   * configured region checked once against them: an unknown PHONE_REGION fails loudly, never silently.
   */
  private phones(): Promise<PhoneNumbers> {
    this.phoneRules ??= loadPhoneNumbers().then((phones) => {
      if (!phones.isPhoneRegion(this.deps.phoneRegion)) {
        throw new Error(`PHONE_REGION "${this.deps.phoneRegion}" is not an ISO 3166 region libphonenumber knows`);
      }
      return phones;
    });
    return this.phoneRules;
  }

  async create(input: CustomerCreate): Promise<Customer> {
    const fields = this.normalise(await this.phones(), applyChanges({ tags: [], attributes: {} }, input));
    const now = this.deps.clock.now().toISOString();
    const customer: Customer = {
      id: this.deps.ids.next('customer'),
      ...fields,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.store.create(customer);
      return customer;
    } catch (err) {
      // The id is already taken by this very record: a retry (same Idempotency-Key, hence the same
      // id) of a create whose first attempt did land. Answer with what is stored.
      const stored = isOwnRecordConflict(err, customer.id) ? await this.deps.store.get(customer.id) : undefined;
      if (stored) return stored;
      throw err;
    }
  }

  async get(id: string): Promise<Customer> {
    const customer = await this.deps.store.get(id);
    if (!customer) throw new NotFoundError(`customer ${id} does not exist`);
    return customer;
  }

  /**
   * With `expectedVersion` (If-Match, or `version` in the body) a stale write is a 412. Without it
   * the read-modify-write is retried on a concurrent change, so a patch never overwrites fields it
   * did not name: with a growing, jittered pause so that writers racing for one record spread out,
   * and, should it still lose every time, a 503 (nothing written, retry) — never a 412, which would
   * blame a version the client did not send.
   */
  async update(id: string, patch: CustomerPatch, expectedVersion?: number): Promise<Customer> {
    const { version: bodyVersion, ...changes } = patch;
    if (expectedVersion !== undefined && bodyVersion !== undefined && expectedVersion !== bodyVersion) {
      throw new ValidationError([
        {
          path: 'version',
          message: `is ${bodyVersion}, but If-Match names version ${expectedVersion}: send one of them, or the same version in both`,
        },
      ]);
    }
    const expected = expectedVersion ?? bodyVersion;
    const phones = await this.phones();
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      if (expected !== undefined && current.version !== expected) {
        throw new PreconditionFailedError(
          `customer ${id} is at version ${current.version}, not ${expected}: read it again and reapply your change`,
          { currentVersion: current.version },
        );
      }
      const nextFields = this.normalise(phones, applyChanges(fieldsOf(current), changes));
      if (!nextFields.name && !nextFields.email && !nextFields.phone) {
        throw new ValidationError([{ path: '', message: 'a customer needs at least a name, an e-mail or a phone' }]);
      }
      if (sameFields(fieldsOf(current), nextFields)) return current;
      const next = this.nextVersion(current, nextFields);
      try {
        await this.deps.store.update(current, next);
        return next;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError) || expected !== undefined) throw err;
        if (attempt >= PATCH_ATTEMPTS) {
          throw new ServiceUnavailableError(
            `customer ${id} kept changing under ${PATCH_ATTEMPTS} attempts to apply this patch; nothing was written: retry`,
            1,
          );
        }
        await pause(Math.random() * Math.min(PATCH_PAUSE_CAP_MS, PATCH_PAUSE_BASE_MS * 2 ** attempt));
      }
    }
  }

  list(query: CustomerListQuery): Promise<CustomerPage> {
    return this.deps.store.list(query);
  }

  async lookup(query: { email?: string; phone?: string }): Promise<Customer> {
    const id = query.email
      ? await this.deps.store.findIdByEmail(query.email)
      : query.phone
        ? await this.deps.store.findIdByPhone(normalisePhone(await this.phones(), query.phone, this.deps.phoneRegion))
        : undefined;
    const customer = id ? await this.deps.store.get(id) : undefined;
    if (!customer) throw new NotFoundError(`no customer has that ${query.email ? 'e-mail' : 'phone'}`);
    return customer;
  }

  /**
   * One transaction merges the records and leaves a tombstone of the duplicate; what was linked to
   * the duplicate (responses, follow-ups) moves only after that commit, from the table's stream, so a
   * merge that loses a race (A into B while B goes into A) has moved nothing. A duplicate whose
   * feedback counters change while the merge runs is re-read and the merge tried again.
   */
  async merge(id: string, duplicateId: string, expectedVersion?: number): Promise<Customer> {
    if (id === duplicateId) {
      throw new ValidationError([{ path: 'duplicateId', message: 'a customer cannot be merged with itself' }]);
    }
    for (let attempt = 1; ; attempt++) {
      const [primary, duplicate] = await Promise.all([this.get(id), this.deps.store.get(duplicateId)]);
      if (!duplicate) throw new NotFoundError(`duplicate customer ${duplicateId} does not exist`);
      if (expectedVersion !== undefined && primary.version !== expectedVersion) {
        throw new PreconditionFailedError(`customer ${id} is at version ${primary.version}, not ${expectedVersion}`, {
          currentVersion: primary.version,
        });
      }
      const next = this.nextVersion(primary, fillFrom(fieldsOf(primary), fieldsOf(duplicate)));
      try {
        await this.deps.store.merge(primary, next, duplicate);
        return next;
      } catch (err) {
        if (err instanceof PreconditionFailedError && attempt < MAX_RETRIES) continue;
        throw err;
      }
    }
  }

  /**
   * Upsert by e-mail, then phone, then id. Rows touching the same e-mail, phone or id run in file
   * order; other rows run concurrently. Re-importing the same file reports every row unchanged.
   * When the database stops answering part-way, the rows already written are reported as such and the
   * rest as `not-imported` (`complete: false`), so the client sends exactly those again — resending
   * the whole file would create name-only rows twice.
   */
  async import(rawRows: unknown[]): Promise<ImportReport> {
    if (rawRows.length > LIMITS.importRows) {
      throw new ValidationError([
        { path: 'body', message: `at most ${LIMITS.importRows} rows per request (got ${rawRows.length})` },
      ]);
    }
    const rows: ImportReport['rows'] = new Array(rawRows.length);
    const phones = await this.phones();
    const locks = new Map<string, Promise<unknown>>();
    let next = 0;
    // The first failure (a throttle, a timeout) stops new rows from starting; the rows already under
    // way are awaited, so nothing is still writing once the request has been answered.
    let failure: { error: unknown } | undefined;
    // A file names each customer once: a later row with an e-mail, phone or id an earlier row already
    // used would overwrite it within the same import (and again on every re-import).
    const firstRowOf = new Map<string, number>();
    const unconfirmed = new Set<number>();
    const preparedRows = rawRows.map((raw, index) => {
      const prepared = this.prepareRow(phones, raw, index + 1);
      if ('rejected' in prepared) return prepared;
      const earlier = prepared.keys.map((k) => firstRowOf.get(k)).find((n) => n !== undefined);
      if (earlier !== undefined) {
        return {
          rejected: {
            row: index + 1,
            status: 'rejected' as const,
            reasons: [
              {
                path: '',
                message: `names the same customer (e-mail, phone or id) as row ${earlier}: combine the two rows`,
              },
            ],
          },
        };
      }
      for (const k of prepared.keys) firstRowOf.set(k, index + 1);
      return prepared;
    });
    const worker = async () => {
      while (next < rawRows.length && !failure) {
        const index = next++;
        const prepared = preparedRows[index];
        if (!prepared) continue;
        if ('rejected' in prepared) {
          rows[index] = prepared.rejected;
          continue;
        }
        const keys = prepared.keys;
        const before = keys.map((k) => locks.get(k)).filter((p): p is Promise<unknown> => p !== undefined);
        const run = Promise.allSettled(before).then(() => this.importRow(prepared.row, index + 1));
        for (const k of keys) locks.set(k, run);
        try {
          rows[index] = await run;
        } catch (error) {
          failure ??= { error };
          if (error instanceof OutcomeUnknownError) unconfirmed.add(index);
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, rawRows.length) }, worker));
    if (failure && !(failure.error instanceof ServiceUnavailableError)) throw failure.error;
    for (let i = 0; i < rows.length; i++) {
      rows[i] ??= {
        row: i + 1,
        status: 'not-imported',
        reasons: [
          {
            path: '',
            message: unconfirmed.has(i)
              ? 'not confirmed: the database did not answer in time, so this row may or may not have been written. Rows with an e-mail, phone or id are safe to send again; look others up first, or resend the whole file with the same Idempotency-Key'
              : 'not imported: the database was busy; send this row again',
          },
        ],
      };
    }
    const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0, notImported: 0 };
    for (const r of rows) summary[r.status === 'not-imported' ? 'notImported' : r.status]++;
    return { complete: !failure, summary, rows };
  }

  exportPage(query: { cursor?: string; limit: number }): Promise<CustomerPage> {
    return this.deps.store.list(query);
  }

  async quality(staleDays: number): Promise<QualityReport> {
    const before = new Date(this.deps.clock.now().getTime() - staleDays * 86_400_000).toISOString();
    const [counters, stale, groups] = await Promise.all([
      this.deps.store.qualityCounters(),
      this.deps.store.countUpdatedBefore(before),
      this.deps.store.duplicateGroups(100),
    ]);
    const total = Math.max(0, counters.total);
    const completeness: QualityReport['completeness'] = {};
    for (const field of QUALITY_FIELDS) {
      const missing = Math.max(0, counters.missing[field] ?? 0);
      completeness[field] = { missing, missingPercent: total ? round1((100 * missing) / total) : 0 };
    }
    return {
      total,
      completeness,
      invalid: { email: counters.invalid.email ?? 0, phone: counters.invalid.phone ?? 0 },
      stale: { days: staleDays, before, count: stale },
      duplicateCandidates: groups.map((g) => {
        const [name = '', company = ''] = g.key.split('|');
        return { name, ...(company ? { company } : {}), customerIds: g.customerIds };
      }),
    };
  }

  private prepareRow(
    phones: PhoneNumbers,
    raw: unknown,
    rowNumber: number,
  ): { row: PreparedRow; keys: string[] } | { rejected: ImportReport['rows'][number] } {
    const parsed = customerImportRowSchema.safeParse(raw);
    if (!parsed.success) return { rejected: { row: rowNumber, status: 'rejected', reasons: issuesOf(parsed.error) } };
    const { id, createdAt, ...changes } = parsed.data;
    let fields: CustomerFields;
    try {
      fields = this.normalise(phones, applyChanges({ tags: [], attributes: {} }, changes));
    } catch (err) {
      if (err instanceof ValidationError)
        return { rejected: { row: rowNumber, status: 'rejected', reasons: [...err.errors] } };
      throw err;
    }
    const keys = [
      fields.email && `email:${fields.email}`,
      fields.phone && `phone:${fields.phone}`,
      id && `id:${id}`,
    ].filter((k): k is string => Boolean(k));
    return { row: { id, createdAt, changes: { ...changes, phone: fields.phone }, fields }, keys };
  }

  private async importRow(row: PreparedRow, rowNumber: number): Promise<ImportReport['rows'][number]> {
    const { store } = this.deps;
    try {
      // A row without an id gets one derived from its row number when the import carries an
      // Idempotency-Key: resending the same file with the same key finds the rows already created.
      const newId = row.id ?? this.deps.ids.next(`row:${rowNumber}`);
      for (let attempt = 1; ; attempt++) {
        const existingId =
          (row.fields.email && (await store.findIdByEmail(row.fields.email))) ||
          (row.fields.phone && (await store.findIdByPhone(row.fields.phone))) ||
          newId;
        const existing = await store.get(existingId);
        if (!existing) {
          const now = this.deps.clock.now().toISOString();
          const created: Customer = {
            id: newId,
            ...row.fields,
            version: 1,
            createdAt: row.createdAt ? new Date(row.createdAt).toISOString() : now,
            updatedAt: now,
          };
          try {
            await store.create(created);
          } catch (err) {
            if (isOwnRecordConflict(err, newId) && attempt < MAX_RETRIES) continue;
            throw err;
          }
          return { row: rowNumber, status: 'created', id: created.id };
        }
        const nextFields = applyChanges(fieldsOf(existing), row.changes);
        if (sameFields(fieldsOf(existing), nextFields)) return { row: rowNumber, status: 'unchanged', id: existing.id };
        try {
          await store.update(existing, this.nextVersion(existing, nextFields));
          return { row: rowNumber, status: 'updated', id: existing.id };
        } catch (err) {
          if (err instanceof PreconditionFailedError && attempt < MAX_RETRIES) continue;
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof ValidationError) return { row: rowNumber, status: 'rejected', reasons: [...err.errors] };
      if (err instanceof ConflictError || err instanceof PreconditionFailedError || err instanceof NotFoundError) {
        return { row: rowNumber, status: 'rejected', reasons: [{ path: '', message: err.message }] };
      }
      throw err;
    }
  }

  private normalise(phones: PhoneNumbers, fields: CustomerFields): CustomerFields {
    if (fields.phone === undefined) return fields;
    return { ...fields, phone: normalisePhone(phones, fields.phone, this.deps.phoneRegion) };
  }

  private nextVersion(current: Customer, fields: CustomerFields): Customer {
    return {
      id: current.id,
      ...fields,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: this.deps.clock.now().toISOString(),
    };
  }
}

interface PreparedRow {
  id?: string;
  createdAt?: string;
  changes: FieldChanges;
  fields: CustomerFields;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A conflict caused by the record's own id (or a guard it already holds): it exists already. */
function isOwnRecordConflict(err: unknown, id: string): boolean {
  return err instanceof ConflictError && err.extensions.existingCustomerId === id;
}
