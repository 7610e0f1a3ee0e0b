/** Small pieces every notification e-mail uses, in English and Chinese. */
import type { AlertMetric } from '../alerts';
import type { Locale } from '../surveys/locale-schema';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export const METRIC_LABEL: Record<Locale, Record<AlertMetric, string>> = {
  en: { csat: 'CSAT', nps: 'NPS', ces: 'CES', mean: 'overall mean' },
  'zh-CN': { csat: 'CSAT（满意度）', nps: 'NPS（净推荐值）', ces: 'CES（费力度）', mean: '总体评分均值' },
};

/** CSAT and NPS in points with one decimal; means with two. */
export function formatValue(metric: AlertMetric, value: number | null): string {
  if (value === null) return '—';
  return metric === 'csat' || metric === 'nps' ? value.toFixed(1) : value.toFixed(2);
}

export function formatSigned(metric: AlertMetric, value: number | null): string {
  if (value === null) return '—';
  const text = formatValue(metric, value);
  return value > 0 ? `+${text}` : text;
}

export function scopeLabel(locale: Locale, segment: string | null): string {
  if (segment === null) return locale === 'en' ? 'all responses' : '全部回答';
  return locale === 'en' ? `segment “${segment}”` : `细分“${segment}”`;
}

/** A plain, safe HTML page around the body: no scripts, no remote content. */
export function htmlDocument(locale: Locale, title: string, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;color:#1f2328;max-width:640px">',
    body,
    '</body></html>',
  ].join('\n');
}
