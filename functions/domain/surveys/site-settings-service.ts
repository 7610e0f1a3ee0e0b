/**
 * Admin use cases of the site settings: read them (the defaults until saved) and replace them. A
 * replacement that changes nothing writes nothing, so a retried PUT is a no-op; with `If-Match` it
 * applies only to the revision the admin saw (412 otherwise); without, it applies to whatever is
 * stored, retried over a concurrent save. (A retry with If-Match of a save that went through finds a
 * newer revision: it needs the first attempt's Idempotency-Key, which replays the first answer.)
 */
import { PreconditionFailedError } from '../errors';
import type { Clock } from '../ports';
import { defaultSiteSettings, type SiteSettings, type SiteSettingsUpdate } from './site-settings-schema';
import type { SiteSettingsStore } from './site-settings-store';

export interface SiteSettingsServiceDeps {
  store: SiteSettingsStore;
  clock: Clock;
}

/** Saves racing an unconditional PUT: each attempt lost to another save; more means something is wrong. */
const ATTEMPTS = 3;

export class SiteSettingsService {
  constructor(private readonly deps: SiteSettingsServiceDeps) {}

  async get(): Promise<SiteSettings> {
    return (await this.deps.store.get()) ?? defaultSiteSettings;
  }

  async update(input: SiteSettingsUpdate, expectedRevision?: number): Promise<SiteSettings> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get();
      if (expectedRevision !== undefined && expectedRevision !== current.revision) {
        throw new PreconditionFailedError(
          `the site settings are at revision ${current.revision}, not ${expectedRevision}`,
          {
            currentRevision: current.revision,
          },
        );
      }
      if (current.revision > 0 && current.recontactDays === input.recontactDays) return current;
      const next: SiteSettings = {
        ...input,
        revision: current.revision + 1,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      try {
        await this.deps.store.put(next, current.revision);
        return next;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError) || expectedRevision !== undefined || attempt >= ATTEMPTS)
          throw err;
      }
    }
  }
}
