/**
 * dynamo-site-settings-store.ts: one item (`SITE#SETTINGS` / `CURRENT`), nothing until first saved;
 * a save is conditional on the revision the caller read (0: none stored), and a lost race is a
 * `PreconditionFailedError` that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { DynamoSiteSettingsStore } from '../../../functions/adapters/dynamodb/dynamo-site-settings-store';
import { PreconditionFailedError } from '../../../functions/domain/errors';
import { type AdapterTable, observe } from './context';

export function dynamoSiteSettingsStoreSuite(t: AdapterTable): void {
  describe('dynamo-site-settings-store.ts', () => {
    const store = () => new DynamoSiteSettingsStore(t.db, t.tableName);
    const first = { recontactDays: 7, revision: 1, updatedAt: '2026-11-30T10:00:00.000Z' };

    it('holds nothing until saved, then exactly the one item it wrote', async () => {
      expect(await store().get()).toBeUndefined();
      const saved = await observe(t, () => store().put(first, 0));
      expect(saved.keys).toEqual({ added: ['SITE#SETTINGS/CURRENT'], removed: [], changed: [] });
      expect(await store().get()).toEqual(first);
    });

    it('a save from a stale revision (or a second first save) changes nothing and says so', async () => {
      const racing = await observe(t, () => store().put({ ...first, recontactDays: 30 }, 0));
      expect(racing.error).toBeInstanceOf(PreconditionFailedError);
      expect(racing.keys).toEqual({ added: [], removed: [], changed: [] });
      const stale = await observe(t, () => store().put({ recontactDays: 3, revision: 3 }, 2));
      expect(stale.error).toBeInstanceOf(PreconditionFailedError);
      expect(await store().get()).toEqual(first);
    });

    it('a save from the stored revision replaces it', async () => {
      const next = { recontactDays: 0, revision: 2, updatedAt: '2026-11-30T11:00:00.000Z' };
      const saved = await observe(t, () => store().put(next, 1));
      expect(saved.keys.changed).toEqual(['SITE#SETTINGS/CURRENT']);
      expect(await store().get()).toEqual(next);
    });
  });
}
