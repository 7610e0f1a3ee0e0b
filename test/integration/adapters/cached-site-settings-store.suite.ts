/**
 * cached-site-settings-store.ts in front of the real store: the settings are read once per TTL (a
 * burst shares one read), a change made elsewhere is seen once the TTL has passed, a save through it
 * is seen at once, and a failed read is not kept. DynamoDB calls are counted through the fault proxy.
 */
import { describe, expect, it } from 'vitest';
import { CachedSiteSettingsStore } from '../../../functions/adapters/dynamodb/cached-site-settings-store';
import { DynamoSiteSettingsStore } from '../../../functions/adapters/dynamodb/dynamo-site-settings-store';
import { ServiceUnavailableError } from '../../../functions/domain/errors';
import type { FaultProxy } from '../../support/fault-proxy';
import { type AdapterTable, withFaultProxy } from './context';

const TTL = 5000;

export function cachedSiteSettingsStoreSuite(t: AdapterTable): void {
  describe('cached-site-settings-store.ts', () => {
    /** Another container's (the admin API's) store, writing behind this one's cache. */
    const elsewhere = () => new DynamoSiteSettingsStore(t.db, t.tableName);
    let clock = 0;
    const cached = () => new CachedSiteSettingsStore(new DynamoSiteSettingsStore(t.db, t.tableName), TTL, () => clock);
    const reads = (proxy: FaultProxy) => proxy.calls.filter((c) => c.command === 'GetCommand').length;

    it('reads once per TTL, a burst sharing one read; a change elsewhere is seen once the TTL has passed', async () => {
      const store = cached();
      await withFaultProxy(async (proxy) => {
        clock = 1000;
        const burst = await Promise.all(Array.from({ length: 5 }, () => store.get()));
        expect(burst).toEqual(Array.from({ length: 5 }, () => undefined));
        expect(reads(proxy)).toBe(1);
        await elsewhere().put({ recontactDays: 7, revision: 1 }, 0);
        clock += TTL - 1;
        expect(await store.get()).toBeUndefined();
        clock += 1;
        expect(await store.get()).toEqual({ recontactDays: 7, revision: 1 });
        expect(reads(proxy)).toBe(2);
      });
    });

    it('a save through it is seen at once', async () => {
      const store = cached();
      clock = 0;
      expect(await store.get()).toEqual({ recontactDays: 7, revision: 1 });
      await store.put({ recontactDays: 3, revision: 2 }, 1);
      expect(await store.get()).toEqual({ recontactDays: 3, revision: 2 });
    });

    it('does not keep a failed read', async () => {
      const store = cached();
      clock = 0;
      await withFaultProxy(async (proxy) => {
        proxy.plan({ fault: 'Throttling' });
        await expect(store.get()).rejects.toBeInstanceOf(ServiceUnavailableError);
        proxy.plan(undefined);
        expect(await store.get()).toEqual({ recontactDays: 3, revision: 2 });
      });
    });
  });
}
