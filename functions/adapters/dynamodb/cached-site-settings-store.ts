/**
 * The public function reads the site settings with every survey definition the widget fetches: it
 * keeps them for a few seconds per container, like the survey definitions (cached-survey-store.ts),
 * so a change reaches every container within the TTL. A failed read is not kept.
 */
import type { SiteSettings } from '../../domain/surveys/site-settings-schema';
import type { SiteSettingsStore } from '../../domain/surveys/site-settings-store';

export class CachedSiteSettingsStore implements SiteSettingsStore {
  private cached?: { at: number; value: Promise<SiteSettings | undefined> };

  constructor(
    private readonly inner: SiteSettingsStore,
    private readonly ttlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<SiteSettings | undefined> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.value;
    const value = this.inner.get();
    const entry = { at: this.now(), value };
    this.cached = entry;
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }

  put(next: SiteSettings, expectedRevision: number): Promise<void> {
    this.cached = undefined;
    return this.inner.put(next, expectedRevision);
  }
}
