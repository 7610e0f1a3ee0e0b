/** The port the site settings need from storage. */
import type { SiteSettings } from './site-settings-schema';

export interface SiteSettingsStore {
  /** Undefined until the settings are first saved. */
  get(): Promise<SiteSettings | undefined>;
  /**
   * Writes `next` if the stored revision is still `expectedRevision` (0: nothing stored yet);
   * otherwise throws `PreconditionFailedError`.
   */
  put(next: SiteSettings, expectedRevision: number): Promise<void>;
}
