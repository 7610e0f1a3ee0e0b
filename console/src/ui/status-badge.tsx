/** A survey's status as a badge: draft, live, closed. */
import type { Survey } from '../api/types';
import { t } from '../i18n/i18n';
import { Badge } from './badge';

export function StatusBadge({ status }: { status: Survey['status'] }) {
  return (
    <Badge tone={status === 'active' ? 'good' : status === 'draft' ? 'info' : 'neutral'}>{t(`status.${status}`)}</Badge>
  );
}
