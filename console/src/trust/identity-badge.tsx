/**
 * How a response's identity was checked, as a badge with words (never colour alone): verified by the
 * site's signature or identity token, or not verified and why — the reasons the API names.
 */
import type { StoredResponse } from '../api/types';
import { t } from '../i18n/i18n';
import { Badge } from '../ui/badge';

export function IdentityBadge({ response }: { response: StoredResponse }) {
  const identity = response.identity;
  if (!identity) return response.contact ? <Badge tone="warn">{t('identity.badge.contactOnly')}</Badge> : null;
  if (identity.verified) return <Badge tone="good">{t(`identity.badge.${identity.method}`)}</Badge>;
  return (
    <Badge tone="warn">
      {t('identity.badge.unverified')}: {t(`identity.reason.${identity.reason}`)}
    </Badge>
  );
}
