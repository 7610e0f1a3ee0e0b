/**
 * Admin use cases of the identity secret: see its status, create it once, rotate it. A new secret is
 * shown once, in the answer that created it. Creating and rotating are safe to retry: a retry of the
 * same request (same Idempotency-Key, hence the same request id) finds its own secret instead of
 * making another one.
 */
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import {
  type IdentitySecretIssued,
  type IdentitySecretRotate,
  type IdentitySecretStatus,
  type IdentitySecrets,
  newSecret,
  statusOf,
} from './identity-secret';
import type { IdentitySecretStore } from './identity-secret-store';

export interface IdentityServiceDeps {
  store: IdentitySecretStore;
  clock: Clock;
  ids: IdGenerator;
}

const HOUR_MS = 3_600_000;

export class IdentityService {
  constructor(private readonly deps: IdentityServiceDeps) {}

  async status(): Promise<IdentitySecretStatus> {
    const secrets = await this.deps.store.get();
    if (!secrets) throw new NotFoundError('no identity secret exists yet: create one with POST /v1/identity/secret');
    return statusOf(secrets, this.deps.clock.now());
  }

  async create(): Promise<IdentitySecretIssued> {
    const requestId = this.deps.ids.next('identity-secret');
    const existing = await this.deps.store.get();
    if (existing) return this.ownOr(existing, requestId, () => this.alreadyExists());
    const now = this.deps.clock.now();
    const next: IdentitySecrets = {
      version: 1,
      current: { secret: newSecret(), createdAt: now.toISOString() },
      requestId,
    };
    try {
      await this.deps.store.put(next, undefined);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      const stored = await this.deps.store.get();
      if (stored) return this.ownOr(stored, requestId, () => this.alreadyExists());
      throw err;
    }
    return this.issued(next);
  }

  async rotate(options: IdentitySecretRotate, expectedVersion?: number): Promise<IdentitySecretIssued> {
    const requestId = this.deps.ids.next('identity-secret');
    const current = await this.deps.store.get();
    if (!current) throw new NotFoundError('no identity secret exists yet: create one with POST /v1/identity/secret');
    if (current.requestId === requestId) return this.issued(current);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new PreconditionFailedError(
        `the identity secret is at version ${current.version}, not ${expectedVersion}: read its status again`,
        { currentVersion: current.version },
      );
    }
    const now = this.deps.clock.now();
    const next: IdentitySecrets = {
      version: current.version + 1,
      current: { secret: newSecret(), createdAt: now.toISOString() },
      previous: {
        ...current.current,
        validUntil: new Date(now.getTime() + options.graceHours * HOUR_MS).toISOString(),
      },
      requestId,
    };
    try {
      await this.deps.store.put(next, current.version);
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      const stored = await this.deps.store.get();
      if (stored?.requestId === requestId) return this.issued(stored);
      throw new PreconditionFailedError(
        'the identity secret was rotated by another request meanwhile: read its status, then rotate again if you still need to',
        stored ? { currentVersion: stored.version } : {},
      );
    }
    return this.issued(next);
  }

  private ownOr(stored: IdentitySecrets, requestId: string, otherwise: () => Error): IdentitySecretIssued {
    if (stored.requestId === requestId) return this.issued(stored);
    throw otherwise();
  }

  private alreadyExists() {
    return new ConflictError(
      'an identity secret exists already; it is shown only once. Rotate it (POST /v1/identity/secret/rotate) to get a new one',
    );
  }

  private issued(secrets: IdentitySecrets): IdentitySecretIssued {
    return { ...statusOf(secrets, this.deps.clock.now()), secret: secrets.current.secret };
  }
}
