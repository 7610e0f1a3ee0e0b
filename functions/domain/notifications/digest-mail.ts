/**
 * A digest put into words for one recipient, in their language: plain text and HTML with the same
 * content, and the recipient's own signed one-click unsubscribe link (RFC 8058 headers).
 */
import type { MailMessage } from '../mail/mailer';
import type { Interval } from '../statistics';
import type { Locale } from '../surveys/locale-schema';
import type { DigestContent, DigestHeadline } from './digest-content';
import { escapeHtml, formatSigned, formatValue, htmlDocument, METRIC_LABEL } from './mail-text';
import type { Recipient } from './notifications-schema';
import { recipientRef } from './recipient-ref';
import { unsubscribeHeaders } from './unsubscribe-link';

/** Stable per (survey, period, recipient): the ledger's key, so each digest is sent once. */
export function digestMessageId(content: Pick<DigestContent, 'surveyId' | 'period'>, email: string): string {
  return `digest:${content.surveyId}:${content.period.from}:${content.period.to}:${recipientRef(email)}`;
}

const T = {
  en: {
    daily: 'Daily digest',
    weekly: 'Weekly digest',
    period: 'Period (UTC days)',
    responses: 'Responses',
    interval: '95% CI',
    change: 'change since the previous period',
    significant: 'significant',
    notSignificant: 'not significant',
    noComparison: 'not enough answers to compare',
    noAnswers: 'no answers',
    trend: 'Trend',
    comments: 'Lowest-scored comments',
    noComments: 'No comments in this period.',
    followUps: 'Open follow-ups',
    noFollowUps: 'No open follow-ups.',
    oldest: 'oldest',
    days: 'days old',
    score: 'score',
    open: 'Open the results',
    unsubscribe: 'Stop these digests',
    why: 'You receive this digest because you are a recipient of this survey’s notifications.',
  },
  'zh-CN': {
    daily: '每日摘要',
    weekly: '每周摘要',
    period: '周期（UTC 日期）',
    responses: '回答数',
    interval: '95% 置信区间',
    change: '与上一周期相比',
    significant: '显著',
    notSignificant: '不显著',
    noComparison: '回答太少，无法比较',
    noAnswers: '没有回答',
    trend: '趋势',
    comments: '评分最低的评论',
    noComments: '本周期没有评论。',
    followUps: '未处理的跟进',
    noFollowUps: '没有未处理的跟进。',
    oldest: '最早的',
    days: '天前',
    score: '评分',
    open: '查看结果',
    unsubscribe: '不再接收此摘要',
    why: '您收到此摘要，是因为您是该问卷通知的收件人。',
  },
} as const;

function interval(metric: DigestHeadline['metric'], i: Interval | null, signed = false): string {
  if (!i) return '—';
  const f = signed ? formatSigned : formatValue;
  return `${f(metric, i.low)} … ${f(metric, i.high)}`;
}

/** One headline line; the text part's format is stable (tests and scripts read it). */
export function headlineLine(h: DigestHeadline, locale: Locale): string {
  const t = T[locale];
  const unit = h.metric === 'csat' ? '%' : '';
  const label = METRIC_LABEL[locale][h.metric];
  const colon = locale === 'en' ? ': ' : '：';
  if (h.value === null) return `${label}${colon}${t.noAnswers} (n = 0)`;
  const value = `${formatValue(h.metric, h.value)}${unit} (${t.interval} ${interval(h.metric, h.ci95)}${unit}), n = ${h.n}`;
  const change =
    h.change === null
      ? t.noComparison
      : `${formatSigned(h.metric, h.change)} (${t.interval} ${interval(h.metric, h.changeCi95, true)}), ${h.significant ? t.significant : t.notSignificant}`;
  return `${label}${colon}${value}${locale === 'en' ? '; ' : '；'}${t.change}${colon}${change}`;
}

export function digestMail(
  content: DigestContent,
  recipient: Recipient,
  links: { unsubscribeUrl: string; consoleUrl?: string | undefined },
): MailMessage {
  const t = T[recipient.locale];
  // Chinese text takes the full-width colon; the English lines keep their stable `Label: value` shape.
  const colon = recipient.locale === 'en' ? ': ' : '：';
  const subject = `${content.frequency === 'weekly' ? t.weekly : t.daily}${colon}${content.surveyName} (${content.period.from}${content.period.from === content.period.to ? '' : ` – ${content.period.to}`})`;
  const sections: { title: string; lines: string[] }[] = [
    {
      title: subject,
      lines: [
        `${t.period}${colon}${content.period.from} – ${content.period.to}`,
        `${t.responses}${colon}${content.responses}`,
        ...content.headlines.map((h) => headlineLine(h, recipient.locale)),
      ],
    },
    {
      title: t.trend,
      lines: content.trend.map(
        (b) =>
          `${b.bucket}: ${t.responses} ${b.responses}${b.csat === null ? '' : `, CSAT ${b.csat.toFixed(1)}%`}${b.nps === null ? '' : `, NPS ${b.nps.toFixed(1)}`}`,
      ),
    },
    {
      title: t.comments,
      lines: content.lowestComments.length
        ? content.lowestComments.map(
            (c) => `${c.receivedAt.slice(0, 10)} · ${t.score} ${c.score.value}/${c.score.max} · ${c.text}`,
          )
        : [t.noComments],
    },
    {
      title: t.followUps,
      lines: content.openFollowUps.count
        ? [
            `${t.followUps}${colon}${content.openFollowUps.count}${content.openFollowUps.countIsAtLeast ? '+' : ''}`,
            ...content.openFollowUps.oldest.map(
              (f) => `${t.oldest}: ${f.ageDays} ${t.days}${f.score === undefined ? '' : ` · ${t.score} ${f.score}`}`,
            ),
          ]
        : [t.noFollowUps],
    },
  ];
  const results = links.consoleUrl ? `${links.consoleUrl.replace(/\/+$/, '')}/surveys/${content.surveyId}` : undefined;
  const text = [
    ...sections.flatMap((s, i) => [...(i ? ['', s.title] : [s.title]), ...s.lines]),
    '',
    ...(results ? [`${t.open}${colon}${results}`] : []),
    `${t.unsubscribe}${colon}${links.unsubscribeUrl}`,
    t.why,
  ].join('\n');
  const html = htmlDocument(
    recipient.locale,
    subject,
    [
      ...sections.map(
        (s, i) =>
          `<h${i ? 2 : 1} style="font-size:${i ? 16 : 18}px">${escapeHtml(s.title)}</h${i ? 2 : 1}>\n<ul>${s.lines
            .map((l) => `<li>${escapeHtml(l)}</li>`)
            .join('')}</ul>`,
      ),
      ...(results ? [`<p><a href="${escapeHtml(results)}">${escapeHtml(t.open)}</a></p>`] : []),
      `<p style="font-size:12px;color:#57606a">${escapeHtml(t.why)} <a href="${escapeHtml(links.unsubscribeUrl)}">${escapeHtml(t.unsubscribe)}</a></p>`,
    ].join('\n'),
  );
  return {
    id: digestMessageId(content, recipient.email),
    to: recipient.email,
    subject,
    text,
    html,
    headers: unsubscribeHeaders(links.unsubscribeUrl),
  };
}
