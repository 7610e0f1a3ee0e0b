/** A key figure with its 95% interval and sample size; a low sample is said in words, not only colour. */
import { t } from '../i18n/i18n';
import { Badge } from './badge';

export function Tile({
  label,
  value,
  interval,
  n,
  lowSample,
  hint,
}: {
  label: string;
  value: string;
  interval?: string | undefined;
  n?: number | undefined;
  lowSample?: boolean | undefined;
  hint?: string;
}) {
  return (
    <div class="tile">
      <p class="tile-label">{label}</p>
      <p class="tile-value">{value}</p>
      {interval && <p class="tile-ci">{t('stats.ci95', { interval })}</p>}
      <p class="tile-meta">
        {n !== undefined && <span>{t('stats.n', { n })}</span>}
        {lowSample && (
          <Badge tone="warn" title={t('stats.lowSampleHint')}>
            {t('stats.lowSample')}
          </Badge>
        )}
        {hint && <span>{hint}</span>}
      </p>
    </div>
  );
}
