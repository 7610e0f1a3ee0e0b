/**
 * site-settings-service.ts over an in-memory store that keeps the adapter's contract (a put from a
 * stale revision throws PreconditionFailedError): defaults until saved, no write for a replacement
 * that changes nothing, If-Match honoured, an unconditional save retried over a racing one.
 */
import { describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../../../functions/domain/errors';
import type { SiteSettings } from '../../../../functions/domain/surveys/site-settings-schema';
import { SiteSettingsService } from '../../../../functions/domain/surveys/site-settings-service';
import type { SiteSettingsStore } from '../../../../functions/domain/surveys/site-settings-store';

class MemoryStore implements SiteSettingsStore {
  value: SiteSettings | undefined;
  puts = 0;
  /** Runs before the next put reaches the store: another admin's save landing in between. */
  beforePut: (() => void) | undefined;
  async get() {
    return this.value;
  }
  async put(next: SiteSettings, expectedRevision: number) {
    const racing = this.beforePut;
    this.beforePut = undefined;
    racing?.();
    this.puts++;
    if ((this.value?.revision ?? 0) !== expectedRevision) throw new PreconditionFailedError('changed meanwhile');
    this.value = next;
  }
}

const clock = { now: () => new Date('2026-11-30T10:00:00.000Z') };

describe('SiteSettingsService', () => {
  it('gives the defaults until saved, then what was saved', async () => {
    const store = new MemoryStore();
    const site = new SiteSettingsService({ store, clock });
    expect(await site.get()).toEqual({ recontactDays: 14, revision: 0 });
    const saved = await site.update({ recontactDays: 7 });
    expect(saved).toEqual({ recontactDays: 7, revision: 1, updatedAt: '2026-11-30T10:00:00.000Z' });
    expect(await site.get()).toEqual(saved);
  });

  it('a replacement that changes nothing writes nothing (a retried PUT is a no-op)', async () => {
    const store = new MemoryStore();
    const site = new SiteSettingsService({ store, clock });
    await site.update({ recontactDays: 7 });
    expect(await site.update({ recontactDays: 7 })).toMatchObject({ revision: 1 });
    expect(store.puts).toBe(1);
  });

  it('with If-Match, a stale revision is a 412 and nothing is written', async () => {
    const store = new MemoryStore();
    const site = new SiteSettingsService({ store, clock });
    await site.update({ recontactDays: 7 });
    await expect(site.update({ recontactDays: 3 }, 0)).rejects.toMatchObject({ status: 412 });
    expect(store.value?.recontactDays).toBe(7);
    // …and one that lost a race after its check is a 412 too, not retried over the other save.
    store.beforePut = () => {
      store.value = { recontactDays: 30, revision: 2 };
    };
    await expect(site.update({ recontactDays: 3 }, 1)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.value?.recontactDays).toBe(30);
  });

  it('without If-Match, a save that lost a race is retried over the other one', async () => {
    const store = new MemoryStore();
    const site = new SiteSettingsService({ store, clock });
    store.beforePut = () => {
      store.value = { recontactDays: 30, revision: 1 };
    };
    expect(await site.update({ recontactDays: 3 })).toMatchObject({ recontactDays: 3, revision: 2 });
    expect(store.value?.recontactDays).toBe(3);
  });
});
