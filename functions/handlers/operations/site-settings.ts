/** HTTP ↔ domain for the site settings (admin API): read them, replace them. */
import type { SiteSettingsService } from '../../domain/surveys/site-settings-service';
import type { Implementations } from '../../http/http-function';

type SiteSettingsOperations = Pick<Implementations<'admin-api'>, 'getSiteSettings' | 'updateSiteSettings'>;

export function siteSettingsOperations(site: SiteSettingsService): SiteSettingsOperations {
  return {
    getSiteSettings: async () => {
      const settings = await site.get();
      return { status: 200, body: settings, headers: { etag: `"${settings.revision}"` } };
    },

    updateSiteSettings: async ({ body, ifMatch }) => {
      const settings = await site.update(body as Exclude<typeof body, string>, ifMatch);
      return { status: 200, body: settings, headers: { etag: `"${settings.revision}"` } };
    },
  };
}
